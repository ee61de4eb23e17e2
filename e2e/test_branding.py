"""Branding packages in Chromium (issue 8): a municipality uploads a Webapp3-style branding zip
on /{party}/admin/branding, previews it (start page and error page, nobody else sees it yet),
makes it active, and every citizen page shows it: colours, logo, banner image, wording,
stylesheet and hidden functionality, checked by sampling pixels against the default party.
Then it rolls back. Danish, keyboard usable, axe clean (axe-core from npm, injected)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import httpx
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from devstack.stack import DEMO_ADMIN_KEY, DEMO_PARTY, ROOT, Stack

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ADMIN = {"X-Admin-Key": DEMO_ADMIN_KEY}
DEFAULT_PARTY = "region-midt"  # keeps its folder branding throughout
# Shaped like Pexip's published dev-branding manifests: 11 colours light → dark.
PLUM = [
    "#f5eef8",
    "#e6d5ee",
    "#d2b4e0",
    "#b98dcf",
    "#9c63bb",
    "#7e3fa3",
    "#66308a",
    "#512670",
    "#3d1c55",
    "#29123a",
    "#16091f",
]
LOGO_MAGENTA = (192, 22, 122)
JUMBOTRON_ORANGE = (255, 136, 0)
HEADER_CREAM = (253, 246, 227)
HEADING = "Velkommen til videomøde hos Aarhus"


def rgb(hex_colour: str) -> tuple[int, int, int]:
    value = int(hex_colour[1:], 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def branding_zip(palette: list[str] = PLUM) -> bytes:
    """A Webapp3 branding package as a municipality's designer would send it: a zipped
    folder, Inkscape's SVG, a JPEG banner, CSS, translations, a Mac zip's extras."""
    manifest: dict[str, Any] = {
        "version": 0,
        "meta": {"name": "aarhus", "brandVersion": "1.0.0", "baseColor": PLUM[5]},
        "brandName": "Aarhus Kommune",
        "appTitle": "Aarhus Kommune – videomøde",
        "favicon": "favicon.png",
        "images": {"logo": "images/logo.svg", "jumbotron": "images/jumbotron.jpg"},
        "translations": {"da": "translations/da.json", "en": "translations/en.json"},
        "colorPalette": palette,
        "files": {"styles": ["custom.css"]},
        "applicationConfig": {"hiddenFunctionality": ["language-switch"]},
        "defaultUserConfig": {"alwaysDisplayUIInterfaces": True},
        "plugins": [],
    }
    logo = (
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="160" height="40" '
        'viewBox="0 0 160 40" inkscape:version="1.3"><metadata>Inkscape</metadata>'
        '<rect width="160" height="40" fill="#c0167a"/></svg>'
    )
    banner = io.BytesIO()
    Image.new("RGB", (1200, 200), JUMBOTRON_ORANGE).save(banner, "JPEG", quality=95)
    favicon = io.BytesIO()
    Image.new("RGB", (32, 32), rgb(PLUM[7])).save(favicon, "PNG")
    root = "aarhus-branding/webapp3/branding/"
    files = {
        root + "manifest.json": json.dumps(manifest, ensure_ascii=False).encode(),
        root + "images/logo.svg": logo.encode(),
        root + "images/jumbotron.jpg": banner.getvalue(),
        root + "favicon.png": favicon.getvalue(),
        root + "custom.css": b".page__header { background: #fdf6e3; }\n",
        root + "translations/da.json": json.dumps(
            {"join": {"enterAddressHeading": HEADING}}, ensure_ascii=False
        ).encode(),
        root + "translations/en.json": json.dumps(
            {"join": {"enterAddressHeading": "Welcome to Aarhus video meetings"}}
        ).encode(),
        "__MACOSX/aarhus-branding/webapp3/branding/._manifest.json": b"\x00\x05\x16\x07",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def api(stack: Stack) -> str:
    return f"{stack.bff_url}/api/v1/parties/{DEMO_PARTY}/branding"


def restore_default(stack: Stack) -> None:
    state = httpx.get(api(stack), headers=ADMIN).json()
    if state["active"] != 0:
        answer = httpx.post(
            f"{api(stack)}/0/activate", headers={**ADMIN, "If-Match": f'"{state["revision"]}"'}
        )
        assert answer.status_code == 200, answer.text


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        # The framed previews are the citizen's own pages, checked by their own tests.
        "async () => (await axe.run(document, {resultTypes: ['violations'], iframes: false}))"
        ".violations"
        ".map(v => ({id: v.id, nodes: v.nodes.map(n => n.target)}))"
    )
    return list(found)


def pixel(page: Page, selector: str, dx: float = 0.5, dy: float = 0.5) -> tuple[int, int, int]:
    """The colour on screen at a point of an element (fractions of its box)."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    x, y = int(box["x"] + box["width"] * dx), int(box["y"] + box["height"] * dy)
    return shot.getpixel((x, y))  # type: ignore[return-value]


def near(found: tuple[int, int, int], wanted: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(found, wanted, strict=True))


def start_page(browser: Browser, stack: Stack, party: str) -> Page:
    context = browser.new_context(viewport={"width": 900, "height": 800}, locale="da-DK")
    page = context.new_page()
    page.goto(f"{stack.bff_url}/{party}/")
    expect(page.get_by_test_id("alias-input")).to_be_visible()
    page.wait_for_load_state("networkidle")
    return page


def test_upload_preview_activate_and_roll_back(
    stack: Stack, nurse_browser: Browser, tmp_path: Path
) -> None:
    restore_default(stack)
    package = tmp_path / "aarhus-branding.zip"
    package.write_bytes(branding_zip())
    citizen = start_page(nurse_browser, stack, DEMO_PARTY)
    default = start_page(nurse_browser, stack, DEFAULT_PARTY)
    before = pixel(citizen, '[data-testid="alias-submit"]', 0.1, 0.5)
    try:
        wide = {"width": 1280, "height": 900}
        admin_context = nurse_browser.new_context(bypass_csp=True, viewport=wide, locale="da-DK")
        admin = admin_context.new_page()
        admin.goto(f"{stack.bff_url}/{DEMO_PARTY}/admin/branding")
        expect(admin.get_by_role("heading", name="Branding for Københavns Kommune")).to_be_focused()
        assert axe_violations(admin) == []
        admin.get_by_test_id("branding-key-input").focus()
        admin.keyboard.type(DEMO_ADMIN_KEY)
        admin.keyboard.press("Enter")
        expect(admin.get_by_test_id("branding-active")).to_have_attribute("data-version", "0")

        # A package that fails the contrast check is refused, naming the colour; nothing changes.
        pale = tmp_path / "pale.zip"
        pale.write_bytes(branding_zip([*PLUM[:8], "#c8c8c8", *PLUM[9:]]))
        admin.get_by_test_id("branding-file-input").set_input_files(str(pale))
        admin.get_by_test_id("branding-upload").focus()
        admin.keyboard.press("Enter")
        expect(admin.get_by_test_id("branding-message")).to_contain_text("Pakken blev afvist")
        expect(admin.get_by_test_id("branding-error-detail")).to_contain_text(
            "colorPalette[8] (#c8c8c8)"
        )
        expect(admin.get_by_test_id("branding-version-row")).to_have_count(1)

        # The real package: checked, kept as a version, previewed before it goes live.
        admin.get_by_test_id("branding-file-input").set_input_files(str(package))
        admin.get_by_test_id("branding-upload").click()
        expect(admin.get_by_test_id("branding-message")).to_contain_text("gemt som version")
        expect(admin.get_by_test_id("branding-notes")).to_contain_text("editor data removed")
        frame = admin.frame_locator('[data-testid="branding-preview-frame"]')
        expect(frame.get_by_test_id("branding-preview-banner")).to_be_visible()
        expect(frame.get_by_role("heading", name=HEADING)).to_be_visible()
        expect(frame.get_by_role("img", name="Aarhus Kommune")).to_be_visible()
        error_frame = admin.frame_locator('[data-testid="branding-preview-error-frame"]')
        expect(error_frame.get_by_role("img", name="Aarhus Kommune")).to_be_visible()
        expect(error_frame.locator("body")).to_contain_text("Mødet er slut")
        assert axe_violations(admin) == []
        # Nobody else sees it yet.
        citizen.reload()
        expect(citizen.get_by_role("heading", name="Deltag i et møde")).to_be_visible()

        admin.get_by_test_id("branding-activate-preview").click()
        expect(admin.get_by_test_id("branding-message")).to_contain_text("er aktiv")
        version = admin.get_by_test_id("branding-active").get_attribute("data-version")
        assert version not in (None, "0")

        # The next page load shows it to every citizen.
        citizen.reload()
        expect(citizen.get_by_role("heading", name=HEADING)).to_be_visible()
        expect(citizen).to_have_title("Aarhus Kommune – videomøde")
        logo = citizen.get_by_role("img", name="Aarhus Kommune")
        expect(logo).to_have_attribute("src", f"/{DEMO_PARTY}/branding/@{version}/images/logo.svg")
        expect(citizen.get_by_test_id("language-switch")).to_be_hidden()  # hiddenFunctionality
        expect(citizen.locator('link[rel="icon"]')).to_have_attribute(
            "href", f"/{DEMO_PARTY}/branding/@{version}/favicon.png"
        )
        citizen.wait_for_load_state("networkidle")
        assert citizen.evaluate("() => document.querySelector('.page__logo').naturalWidth") > 0
        button = pixel(citizen, '[data-testid="alias-submit"]', 0.1, 0.5)
        assert near(button, rgb(PLUM[7])), button  # --color-brand-700
        assert near(pixel(citizen, ".page__logo"), LOGO_MAGENTA)
        assert near(pixel(citizen, '[data-testid="branding-jumbotron"]'), JUMBOTRON_ORANGE, 20)
        assert near(pixel(citizen, ".page__header", 0.9, 0.3), HEADER_CREAM)  # custom.css
        # The default party looks as it did: another colour, its own logo and words.
        default.reload()
        expect(default.get_by_role("heading", name="Deltag i et møde")).to_be_visible()
        assert not near(pixel(default, '[data-testid="alias-submit"]', 0.1, 0.5), rgb(PLUM[7]))
        expect(default.get_by_test_id("branding-jumbotron")).to_have_count(0)
        # An error page carries it too.
        error = citizen.context.new_page()
        error.goto(f"{stack.bff_url}/{DEMO_PARTY}/j/no-such-link")
        expect(error.get_by_role("img", name="Aarhus Kommune")).to_have_attribute(
            "src", f"/{DEMO_PARTY}/branding/@{version}/images/logo.svg"
        )

        # Roll back to the installation's default from the history, by keyboard.
        admin.get_by_test_id("branding-activate-0").focus()
        admin.keyboard.press("Enter")
        expect(admin.get_by_test_id("branding-active")).to_have_attribute("data-version", "0")
        citizen.reload()
        expect(citizen.get_by_role("heading", name="Deltag i et møde")).to_be_visible()
        expect(citizen.get_by_test_id("language-switch")).to_be_visible()
        citizen.wait_for_load_state("networkidle")
        assert near(pixel(citizen, '[data-testid="alias-submit"]', 0.1, 0.5), before)
        assert axe_violations(admin) == []
    finally:
        restore_default(stack)
