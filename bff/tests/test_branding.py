"""Branding packages (issue 8): upload, every refusal (422 naming it, nothing changed), versions,
activate and roll back, ETag, preview, the files, two instances; real zips, real Redis."""

from __future__ import annotations

import io
import json
import stat
import struct
import zipfile
from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from PIL import Image

from bff.app import create_app
from bff.branding import service as branding_service
from bff.branding.validate import contrast_problem, validate_package
from bff.core import store
from bff.core.settings import Settings
from bff.tests.conftest import ROOT as ROOT_DIR
from bff.tests.conftest import EojSigner, settings_with
from bff.tests.test_integration import book, launch_token, redis_of, shell_config

Client = AsyncTestClient[Litestar]
BASE = "/api/v1/parties/kobenhavn/branding"
ADMIN = {"X-Admin-Key": "demo-kobenhavn-admin-key"}
REGION_ADMIN = {"X-Admin-Key": "demo-region-midt-admin-key"}
ROOT = "webapp3/branding/"
# A palette shaped like Pexip's published dev-branding examples (light → dark).
PALETTE = [
    "#EEF2F6",
    "#C6D4E2",
    "#9DB6CD",
    "#7598B8",
    "#51799E",
    "#3D5A76",
    "#344D65",
    "#2B4054",
    "#233443",
    "#1A2732",
    "#111A22",
]
LOGO_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 120 40" '
    b'inkscape:version="1.3"><title>Aarhus</title><metadata>made by an editor</metadata>'
    b'<defs><linearGradient id="g"><stop offset="0" stop-color="#2b4054"/></linearGradient>'
    b'</defs><rect width="120" height="40" fill="url(#g)"/><use xlink:href="#g"/></svg>'
)


def png(
    colour: tuple[int, int, int] = (43, 64, 84), size: tuple[int, int] = (64, 32), fmt: str = "PNG"
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def manifest(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "version": 0,
        "meta": {"name": "aarhus", "brandVersion": "2.0", "baseColor": "#3c5974"},
        "brandName": "Aarhus Kommune",
        "appTitle": "Aarhus Kommune – video",
        "favicon": "favicon.png",
        "images": {"logo": "./logo.svg", "jumbotron": "images/jumbotron.jpg"},
        "translations": {"da": "translations/da.json", "en": "translations/en.json"},
        "colorPalette": PALETTE,
        "files": {"styles": ["custom.css"]},
        "applicationConfig": {"hiddenFunctionality": ["chat-input"], "handleOauthRedirects": True},
        "defaultUserConfig": {"alwaysDisplayUIInterfaces": True},
        "plugins": [],
    }
    return base | over


def package_files(**over: Any) -> dict[str, bytes]:
    return {
        ROOT + "manifest.json": json.dumps(manifest(**over)).encode(),
        ROOT + "logo.svg": LOGO_SVG,
        ROOT + "favicon.png": png(size=(32, 32)),
        ROOT + "images/jumbotron.jpg": png(fmt="JPEG"),
        ROOT + "custom.css": b"/* ok */ .page__main { background: url(images/jumbotron.jpg); }",
        ROOT + "translations/da.json": json.dumps({"join": {"button": "Deltag nu"}}).encode(),
        ROOT + "translations/en.json": json.dumps({"join": {"button": "Join now"}}).encode(),
    }


def build_zip(
    files: dict[str, bytes],
    *,
    method: int = zipfile.ZIP_DEFLATED,
    extra: Callable[[zipfile.ZipFile], None] | None = None,
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        if extra:
            extra(archive)
    return out.getvalue()


async def state(client: Client, headers: dict[str, str] = ADMIN) -> httpx.Response:
    return await client.get(BASE, headers=headers)


async def revision(client: Client) -> int:
    answer = await state(client)
    assert answer.status_code == 200, answer.text
    assert answer.headers["etag"] == f'"{answer.json()["revision"]}"'
    return int(answer.json()["revision"])


async def upload(
    client: Client,
    data: bytes,
    *,
    activate: bool = True,
    rev: int | str | None = "read",
    headers: dict[str, str] = ADMIN,
) -> httpx.Response:
    if rev == "read":
        rev = await revision(client)
    extra = {} if rev is None else {"If-Match": f'"{rev}"'}
    return await client.post(
        BASE,
        params={"activate": str(activate).lower()},
        headers={**headers, **extra},
        files={"package": ("branding.zip", data, "application/zip")},
    )


async def activate(client: Client, version: int, rev: int | None = None) -> httpx.Response:
    rev = await revision(client) if rev is None else rev
    headers = {**ADMIN, "If-Match": f'"{rev}"'}
    return await client.post(f"{BASE}/{version}/activate", headers=headers)


async def page(client: Client, path: str = "/kobenhavn/") -> dict[str, Any]:
    answer = await client.get(path)
    assert answer.status_code == 200, answer.text
    return shell_config(answer.text)


async def stored_keys(app: Litestar) -> list[str]:
    async with redis_of(app) as redis:
        return sorted([k.decode() async for k in redis.scan_iter(match=store.BRANDING + "*")])


# --- upload and show ----------------------------------------------------------------------


async def test_a_webapp3_package_uploads_and_every_page_shows_it(
    app: Litestar, client: Client
) -> None:
    before = await page(client)
    assert before["brandingBase"] == "/kobenhavn/branding/" and before["brandingPreview"] is None
    answer = await upload(client, build_zip(package_files()))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["version"]["version"] == 1 and body["state"]["active"] == 1
    assert answer.headers["etag"] == f'"{body["state"]["revision"]}"'
    notes = " ".join(body["notes"])
    assert "handleOauthRedirects" in notes and "editor data removed" in notes

    config = await page(client)
    shown = config["manifest"]
    assert config["brandingBase"] == "/kobenhavn/branding/@1/"
    assert shown["brandName"] == "Aarhus Kommune" and shown["colorPalette"][7] == "#2b4054"
    assert shown["images"] == {"logo": "logo.svg", "jumbotron": "images/jumbotron.jpg"}
    assert shown["translations"] == {
        "da": {"join": {"button": "Deltag nu"}},
        "en": {"join": {"button": "Join now"}},
    }
    assert shown["files"] == {"styles": ["custom.css"]}
    assert shown["applicationConfig"] == {"hiddenFunctionality": ["chat-input"]}
    assert shown["defaultUserConfig"] == {"alwaysDisplayUIInterfaces": True}
    assert shown["favicon"] == "favicon.png" and shown["plugins"] == []
    html = (await client.get("/kobenhavn/")).text
    assert "<title>Aarhus Kommune – video</title>" in html

    logo = await client.get("/kobenhavn/branding/@1/logo.svg")
    assert logo.status_code == 200 and logo.headers["content-type"].startswith("image/svg+xml")
    assert b"metadata" not in logo.content and b"inkscape" not in logo.content
    assert b'href="#g"' in logo.content and "sandbox" in logo.headers["content-security-policy"]
    again = await client.get(
        "/kobenhavn/branding/@1/logo.svg", headers={"If-None-Match": logo.headers["etag"]}
    )
    assert again.status_code == 304
    css = await client.get("/kobenhavn/branding/@1/custom.css")
    assert css.headers["content-type"].startswith("text/css")
    da = await client.get("/kobenhavn/branding/@1/translations/da.json")
    assert da.json() == {"join": {"button": "Deltag nu"}}
    assert (await client.get("/kobenhavn/branding/@1/manifest.json")).status_code == 404
    assert (await client.get("/kobenhavn/branding/@1/../party.json")).status_code == 404
    # Error pages carry it too (and the party's translations of their texts).
    error = await client.get("/kobenhavn/j/no-such-link-at-all", headers={"Accept-Language": "da"})
    assert error.status_code == 404
    assert 'src="/kobenhavn/branding/@1/logo.svg"' in error.text and "#2b4054" in error.text
    assert "Aarhus Kommune" in error.text
    # The folder stays the default's home, and another party is untouched.
    assert (await client.get("/kobenhavn/branding/logo.svg")).status_code == 200
    assert (await page(client, "/region-midt/"))["brandingBase"] == "/region-midt/branding/"
    assert any(k.endswith(":active") for k in await stored_keys(app))


async def test_a_package_in_a_zipped_folder_with_mac_extras_is_taken(client: Client) -> None:
    files = {f"aarhus-branding/{k}": v for k, v in package_files().items()}
    files["__MACOSX/aarhus-branding/._manifest.json"] = b"\x00\x05\x16\x07"
    files["aarhus-branding/webapp3/branding/.DS_Store"] = b"\x00\x00\x00\x01Bud1"
    files["aarhus-branding/webapp2/settings.js"] = b"var x = 1;"
    answer = await upload(client, build_zip(files))
    assert answer.status_code == 201, answer.text
    assert any(".DS_Store: ignored" in note for note in answer.json()["notes"])


# --- refusals: 422 naming the problem, nothing changed --------------------------------------


def _symlink(archive: zipfile.ZipFile) -> None:
    info = zipfile.ZipInfo(ROOT + "logo-link.svg")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive.writestr(info, "/etc/passwd")


def _patterned(size: int, seed: int) -> bytes:
    """Text that deflate packs about 4:1: under the ratio limit, over the size limits."""
    import random

    rng = random.Random(seed)
    return "".join(rng.choice("acgt") for _ in range(size)).encode()


def _bad_svg(svg: bytes) -> dict[str, bytes]:
    return package_files() | {ROOT + "logo.svg": svg}


def _bad_css(css: bytes) -> dict[str, bytes]:
    return package_files() | {ROOT + "custom.css": css}


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>'
)
SVG_HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
NOT_A_PNG = b"\x89PNG\r\n\x1a\n" + b"x" * 200
LOW_CONTRAST = ["#ffffff"] * 7 + ["#aaaaaa", "#bbbbbb", "#cccccc", "#dddddd"]

REFUSALS: dict[str, tuple[Callable[[], bytes], str]] = {
    "not a zip": (lambda: b"PK\x03\x04 not really a zip at all", "not a zip archive"),
    "too large": (
        lambda: build_zip(
            {ROOT + "big.png": bytes(range(256)) * (8 * 4096 + 100)}, method=zipfile.ZIP_STORED
        ),
        "larger than 8 MiB",
    ),
    "too many files": (
        lambda: build_zip(package_files() | {f"{ROOT}x/{i}.json": b"{}" for i in range(200)}),
        "at most 200 files and folders",
    ),
    "zip bomb by ratio": (
        lambda: build_zip(package_files() | {ROOT + "bomb.json": b"0" * (3 * 1024 * 1024)}),
        "compressed more than 100:1",
    ),
    "total size while reading": (
        lambda: build_zip(
            package_files() | {f"{ROOT}t/{i}.json": _patterned(3_900_000, i) for i in range(5)}
        ),
        "unpacks to more than 16 MiB",
    ),
    "path with ..": (
        lambda: build_zip(package_files() | {ROOT + "../../../etc/evil.png": png()}),
        "'..' escapes the package",
    ),
    "absolute path": (
        lambda: build_zip(package_files() | {"/etc/evil.png": png()}),
        "absolute path escapes the package",
    ),
    "backslash": (
        lambda: build_zip(package_files() | {"webapp3\\branding\\..\\evil.png": png()}),
        "backslash",
    ),
    "symlink": (lambda: build_zip(package_files(), extra=_symlink), "symbolic links"),
    "type outside the allow-list": (
        lambda: build_zip(package_files() | {ROOT + "plugins/chat/index.js": b"alert(1)"}),
        "file type .js is not allowed",
    ),
    "svg with script": (
        lambda: build_zip(_bad_svg(SVG_HEAD + b"<script>alert(1)</script></svg>")),
        "<script> (script) is not allowed",
    ),
    "svg with an event handler": (
        lambda: build_zip(_bad_svg(SVG_HEAD + b'<rect onclick="alert(1)"/></svg>')),
        "event handler attribute onclick",
    ),
    "svg with an external reference": (
        lambda: build_zip(
            _bad_svg(SVG_HEAD + b'<use xlink:href="https://evil.example/x.svg#a"/></svg>')
        ),
        "external reference",
    ),
    "svg with an external url() in style": (
        lambda: build_zip(
            _bad_svg(SVG_HEAD + b'<rect style="fill:url(https://evil.example/)"/></svg>')
        ),
        "external reference",
    ),
    "svg with entities": (
        lambda: build_zip(_bad_svg(BILLION_LAUGHS)),
        "entity declarations",
    ),
    "svg with foreignObject": (
        lambda: build_zip(_bad_svg(SVG_HEAD + b"<foreignObject><div/></foreignObject></svg>")),
        "foreignObject",
    ),
    "css @import": (
        lambda: build_zip(_bad_css(b'@import "https://evil.example/x.css"; p { color: red }')),
        "@import is not allowed",
    ),
    "css external url()": (
        lambda: build_zip(_bad_css(b"p { background: url(https://evil.example/track.png) }")),
        "external reference",
    ),
    "css escaped url() to another site": (
        lambda: build_zip(_bad_css(b'p { background: u\\72l("//evil.example/t.png") }')),
        "external reference",
    ),
    "css url() naming no file": (
        lambda: build_zip(_bad_css(b"p { background: url(missing.png) }")),
        "names no file of the package",
    ),
    "manifest missing": (
        lambda: build_zip({ROOT + "logo.svg": LOGO_SVG}),
        "no webapp3/branding/manifest.json",
    ),
    "manifest not JSON": (
        lambda: build_zip(package_files() | {ROOT + "manifest.json": b"{version: 0"}),
        "manifest.json: not valid JSON",
    ),
    "manifest colour": (
        lambda: build_zip(package_files(colorPalette=[*PALETTE[:3], "blue", *PALETTE[4:]])),
        "manifest.json: colorPalette[3]:",
    ),
    "manifest bad field": (
        lambda: build_zip(
            {ROOT + "manifest.json": json.dumps({"version": 2, "brandName": "x"}).encode()}
        ),
        "manifest.json: version:",
    ),
    "manifest names a missing image": (
        lambda: build_zip(package_files(images={"logo": "nowhere.png"})),
        "images.logo: no file 'nowhere.png'",
    ),
    "manifest image outside the package": (
        lambda: build_zip(package_files(images={"logo": "../../party.json"})),
        "images.logo: '../../party.json' is not a path inside the package",
    ),
    "translation not texts": (
        lambda: build_zip(package_files() | {ROOT + "translations/da.json": b'{"join": [1, 2]}'}),
        "translations/da.json: join: must be a text",
    ),
    "plugin not in the catalogue": (
        lambda: build_zip(
            package_files(
                plugins=[{"id": "external-chat", "src": "./plugins/external-chat/index.html"}]
            )
        ),
        "plugins[0].id: no plugin 'external-chat'",
    ),
    "plugin entry without an id or a src": (
        lambda: build_zip(package_files(plugins=[{"sandboxValues": []}])),
        "manifest.json: plugins[0]: needs an id (a plugin of the catalogue) or a src",
    ),
    "image that does not decode": (
        lambda: build_zip(package_files() | {ROOT + "favicon.png": NOT_A_PNG}),
        "favicon.png: the image does not decode",
    ),
    "image of another format than its name": (
        lambda: build_zip(package_files() | {ROOT + "favicon.png": png(fmt="JPEG")}),
        "favicon.png: holds JPEG data, not PNG",
    ),
    "truncated image": (
        lambda: build_zip(package_files() | {ROOT + "images/jumbotron.jpg": png(fmt="JPEG")[:300]}),
        "images/jumbotron.jpg: the image does not decode",
    ),
    "low-contrast palette": (
        lambda: build_zip(package_files(colorPalette=LOW_CONTRAST)),
        "WCAG AA needs 4.5:1",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
async def test_each_refusal_names_the_problem_and_changes_nothing(
    app: Litestar, client: Client, case: str
) -> None:
    assert (await upload(client, build_zip(package_files()))).status_code == 201
    before_keys = await stored_keys(app)
    before = (await state(client)).json()
    make, expected = REFUSALS[case]
    answer = await upload(client, make())
    assert answer.status_code == 422, (case, answer.text)
    assert expected in answer.json()["detail"], (case, answer.json()["detail"])
    assert (await state(client)).json() == before
    assert await stored_keys(app) == before_keys
    assert (await page(client))["brandingBase"] == "/kobenhavn/branding/@1/"


def with_bad_crc(data: bytes, name: str) -> bytes:
    """The archive with `name`'s checksum in the central directory (the one zipfile checks at
    the end of the file) made wrong: reading that file to its end fails."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        at = archive.start_dir
    out = bytearray(data)
    while out[at : at + 4] == b"PK\x01\x02":
        size_name, size_extra, size_comment = struct.unpack("<HHH", out[at + 28 : at + 34])
        if out[at + 46 : at + 46 + size_name].decode() == name:
            out[at + 16 : at + 20] = b"\xde\xad\xbe\xef"
            return bytes(out)
        at += 46 + size_name + size_extra + size_comment
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"bomb.json": b"0" * (3 * 1024 * 1024)}, "compressed more than 100:1"),
        ({f"t/{i}.json": _patterned(3_900_000, i) for i in range(5)}, "more than 16 MiB"),
    ],
    ids=["ratio", "total"],
)
async def test_limits_stop_the_reading_before_the_file_ends(
    client: Client, extra: dict[str, bytes], expected: str
) -> None:
    """The last file's checksum is wrong: read to its end, it would be refused as damaged.
    The limit is met first, while decompressing."""
    last = ROOT + list(extra)[-1]
    data = build_zip(package_files() | {ROOT + k: v for k, v in extra.items()})
    answer = await upload(client, with_bad_crc(data, last))
    assert answer.status_code == 422 and expected in answer.json()["detail"], answer.text
    assert "damaged" not in answer.json()["detail"]
    control = await upload(client, with_bad_crc(build_zip(package_files()), ROOT + "logo.svg"))
    assert "logo.svg: damaged in the archive" in control.json()["detail"]


async def test_a_body_far_over_the_limit_is_413(client: Client) -> None:
    answer = await upload(client, b"x" * (10 * 1024 * 1024))
    assert answer.status_code == 413


async def test_not_multipart_is_400(client: Client) -> None:
    rev = await revision(client)
    answer = await client.post(
        BASE,
        content=build_zip(package_files()),
        headers={**ADMIN, "If-Match": f'"{rev}"', "Content-Type": "application/zip"},
    )
    assert answer.status_code == 400 and "multipart/form-data" in answer.json()["detail"]


def test_contrast_rules_follow_wcag() -> None:
    assert contrast_problem(PALETTE) is None
    problem = contrast_problem(LOW_CONTRAST)
    assert problem is not None
    assert problem.startswith("colorPalette[8] (#bbbbbb): brand-coloured text")
    mid_grey = [*PALETTE[:7], "#777777", *PALETTE[8:]]  # 4.48:1 on white: just below AA
    assert (contrast_problem(mid_grey) or "").startswith("colorPalette[7] (#777777): button text")


# --- versions, activate, roll back, ETag, preview --------------------------------------------


async def test_versions_activate_and_roll_back_with_etags(client: Client) -> None:
    first = await upload(client, build_zip(package_files()))
    assert first.status_code == 201
    second = await upload(client, build_zip(package_files(brandName="Aarhus – ny")), activate=False)
    assert second.status_code == 201 and second.json()["state"]["active"] == 1
    listed = (await state(client)).json()
    assert [v["version"] for v in listed["versions"]] == [2, 1, 0]
    assert [v["active"] for v in listed["versions"]] == [False, True, False]
    assert (await page(client))["manifest"]["brandName"] == "Aarhus Kommune"
    # A draft's files are not public.
    assert (await client.get("/kobenhavn/branding/@2/logo.svg")).status_code == 404

    rev = await revision(client)
    assert (await client.post(f"{BASE}/2/activate", headers=ADMIN)).status_code == 428
    stale = await activate(client, 2, rev - 1)
    assert stale.status_code == 412 and "read it again" in stale.json()["detail"]
    assert (await upload(client, build_zip(package_files()), rev=rev - 1)).status_code == 412
    assert (await upload(client, build_zip(package_files()), rev=None)).status_code == 428
    done = await activate(client, 2, rev)
    assert done.status_code == 200 and done.json()["active"] == 2
    assert done.headers["etag"] == f'"{rev + 1}"'
    assert (await page(client))["manifest"]["brandName"] == "Aarhus – ny"

    back = await activate(client, 1)  # roll back
    assert back.status_code == 200 and (await page(client))["brandingBase"].endswith("@1/")
    folder = await activate(client, 0)  # the party folder's branding again
    assert folder.status_code == 200
    config = await page(client)
    assert config["brandingBase"] == "/kobenhavn/branding/"
    assert config["manifest"]["brandName"] == "Københavns Kommune"
    assert (await activate(client, 99)).status_code == 404
    events = [(e["event"], e["version"]) for e in (await state(client)).json()["log"]]
    assert events == [
        ("upload", 1),
        ("activate", 1),
        ("upload", 2),
        ("activate", 2),
        ("activate", 1),
        ("activate", 0),
    ]
    detail = (await client.get(f"{BASE}/2", headers=ADMIN)).json()
    assert detail["brandingBase"] == "/kobenhavn/branding/@2/" and "logo.svg" in detail["files"]


async def test_preview_shows_a_draft_to_its_browser_only(client: Client) -> None:
    await upload(client, build_zip(package_files()))
    await upload(client, build_zip(package_files(brandName="Kladde")), activate=False)
    links = await client.post(f"{BASE}/2/preview", headers=ADMIN)
    assert links.status_code == 201
    url, error_url = links.json()["url"], links.json()["errorUrl"]
    opened = await client.get(url, follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "/kobenhavn/"
    assert "path=/kobenhavn/" in opened.headers["set-cookie"].lower()
    config = await page(client)
    assert config["manifest"]["brandName"] == "Kladde"
    assert config["brandingPreview"] == {"version": 2, "endUrl": "/kobenhavn/preview/end"}
    assert (await client.get("/kobenhavn/branding/@2/logo.svg")).status_code == 200
    # Admin pages show what is live, and so does everyone else (a browser without the cookie).
    assert (await page(client, "/kobenhavn/admin/branding"))["brandingPreview"] is None
    kept = dict(client.cookies)
    client.cookies.clear()
    assert (await page(client))["manifest"]["brandName"] == "Aarhus Kommune"
    assert (await client.get("/kobenhavn/branding/@2/logo.svg")).status_code == 404
    client.cookies.update(kept)
    sample = await client.get(error_url)
    assert sample.status_code == 200 and "Mødet er slut" in sample.text
    ended = await client.get("/kobenhavn/preview/end", follow_redirects=False)
    assert ended.status_code == 303
    assert (await page(client))["manifest"]["brandName"] == "Aarhus Kommune"
    assert (await client.get("/kobenhavn/preview/not-a-real-token-at-all")).status_code == 404


# --- who may ------------------------------------------------------------------------------


async def test_only_this_partys_admin_key(client: Client) -> None:
    assert (await client.get(BASE)).status_code == 401
    other = await upload(client, build_zip(package_files()), rev=0, headers=REGION_ADMIN)
    unknown = await client.get(BASE, headers={"X-Admin-Key": "nope"})
    assert other.status_code == unknown.status_code == 401
    assert (await client.get(BASE, headers=REGION_ADMIN)).json() == unknown.json()
    assert (await client.post(f"{BASE}/1/preview", headers=REGION_ADMIN)).status_code == 401
    nowhere = await client.get(BASE.replace("kobenhavn", "nowhere"), headers=ADMIN)
    assert nowhere.status_code == 404
    assert (await revision(client)) == 0 and (await page(client))["brandingBase"].endswith(
        "/kobenhavn/branding/"
    )


# --- bounded storage, plugins, instances -----------------------------------------------------


async def test_versions_and_files_are_bounded_and_shared(
    app: Litestar, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(branding_service, "MAX_VERSIONS", 3)
    for index in range(5):
        files = package_files(brandName=f"Udgave {index}")
        assert (await upload(client, build_zip(files), activate=index == 0)).status_code == 201
    listed = (await state(client)).json()
    assert [v["version"] for v in listed["versions"]] == [5, 4, 1, 0]  # the active one stays
    async with redis_of(app) as redis:
        prefix = f"{store.BRANDING}{{kobenhavn}}:"
        blobs = [k async for k in redis.scan_iter(match=prefix + "blob:*")]
        refs = {k.decode(): int(v) for k, v in (await redis.hgetall(prefix + "refs")).items()}
        total = int(await redis.get(prefix + "bytes"))
    assert len(blobs) == 6 and set(refs.values()) == {3}  # the same files stored once
    record = msgspec.json.decode((await client.get(f"{BASE}/1", headers=ADMIN)).content)
    assert total == sum(f["size"] for f in record["files"].values())
    assert (await activate(client, 2)).status_code == 404


async def test_branding_plugins_join_the_partys_set(client: Client, signer: EojSigner) -> None:
    answer = await upload(client, build_zip(package_files(plugins=[{"id": "sms-invite"}])))
    assert answer.status_code == 201, answer.text
    assert (await page(client))["manifest"]["plugins"] == []  # sms-invite is for hosts
    created = await book(client)
    await client.get("/kobenhavn/launch", params={"token": launch_token(signer, created["id"])})
    host = (await page(client))["manifest"]["plugins"]
    assert [p["id"] for p in host] == ["sms-invite"] and "bv-plugin-token=" in host[0]["src"]
    # The party's own set decides about a plugin it names: switched off there, off here.
    put = await client.put(
        "/api/v1/parties/kobenhavn/plugins",
        headers={**ADMIN, "If-Match": '"0"'},
        json={"plugins": [{"id": "sms-invite", "enabled": False}]},
    )
    assert put.status_code == 200
    assert (await page(client))["manifest"]["plugins"] == []
    needs_settings = await upload(client, build_zip(package_files(plugins=[{"id": "interpreter"}])))
    assert needs_settings.status_code == 422
    assert "plugins[0].settings.destination: required" in needs_settings.json()["detail"]


async def test_webapp3_src_only_plugin_entries_are_matched_or_left_out(
    client: Client, signer: EojSigner
) -> None:
    """A Webapp3 dev-branding manifest as Pexip ships them (pexip/plugin-message-overlay
    dev-assets/manifest.json: no version, no palette, plugins by `src` alone): it uploads,
    its plugins matched by path or left out with a note."""
    refs = [
        {"src": "./plugins/sms-invite/index.html", "sandboxValues": ["allow-same-origin"]},
        {"src": "https://localhost:5173", "sandboxValues": ["allow-same-origin"]},
    ]
    webapp3 = {"images": {}, "plugins": refs}
    answer = await upload(client, build_zip({ROOT + "manifest.json": json.dumps(webapp3).encode()}))
    assert answer.status_code == 201, answer.text
    notes = answer.json()["notes"]
    assert any("colorPalette: none given, the party's own is kept" in n for n in notes), notes
    assert any(
        "plugins[0]: src './plugins/sms-invite/index.html' is the catalogue's plugin "
        "'sms-invite'" in note
        for note in notes
    ), notes
    assert any(
        "plugins[1]: src 'https://localhost:5173' names no plugin" in n and "left out" in n
        for n in notes
    ), notes
    created = await book(client)
    await client.get("/kobenhavn/launch", params={"token": launch_token(signer, created["id"])})
    shown = (await page(client))["manifest"]
    assert [p["id"] for p in shown["plugins"]] == ["sms-invite"]
    assert shown["plugins"][0]["sandboxValues"] == []  # the catalogue's, not the package's
    assert len(shown["colorPalette"]) == 11


async def test_two_instances_show_the_same_active_branding(
    settings: Settings, app: Litestar, client: Client
) -> None:
    async with redis_of(app) as redis:
        path = redis.connection_pool.connection_kwargs["path"]
    shared = {"redis_url": f"unix://{path}", "data_keys": (b"k" * 32,)}
    second_app = create_app(settings_with(settings, data=shared))
    async with AsyncTestClient(app=second_app, base_url="http://127.0.0.1:8080") as second:
        assert (await upload(client, build_zip(package_files()))).status_code == 201
        assert (await page(second))["brandingBase"] == "/kobenhavn/branding/@1/"
        logo = await second.get("/kobenhavn/branding/@1/logo.svg")
        assert logo.status_code == 200
        rev = int((await second.get(BASE, headers=ADMIN)).json()["revision"])
        rolled = await second.post(f"{BASE}/0/activate", headers={**ADMIN, "If-Match": f'"{rev}"'})
        assert rolled.status_code == 200
        assert (await page(client))["brandingBase"] == "/kobenhavn/branding/"


@pytest.mark.parametrize(
    "folder", ["branding/kobenhavn", "branding/region-midt", "bff/parties/template"]
)
def test_the_shipped_branding_folders_pass_as_packages(folder: str) -> None:
    """A party's own folder, zipped, is a package the upload takes (palette included)."""
    root = ROOT_DIR / folder
    files = {
        str(p.relative_to(root)): p.read_bytes()
        for p in (root / "webapp3" / "branding").rglob("*")
        if p.is_file()
    }
    package = validate_package(build_zip(files), lambda refs: None)
    assert "logo.svg" in package.files


async def test_a_package_has_a_pixel_budget_over_all_its_images(client: Client) -> None:
    """Issue 19: 20 images of 4096×4096 each passed the per-image limit and cost seconds of
    CPU; all images of a package together get twice that."""
    big = png(size=(4096, 4096))
    files = package_files() | {ROOT + f"images/big{i}.png": big for i in range(3)}
    answer = await upload(client, build_zip(files))
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert "images/big" in detail and "budget" in detail and "33,554,432" in detail
    two = package_files() | {ROOT + f"images/big{i}.png": big for i in range(1)}
    assert (await upload(client, build_zip(two))).status_code == 201


async def test_one_upload_at_a_time_per_party(app: Litestar, client: Client) -> None:
    key = store.BRANDING + "{kobenhavn}:uploading"
    async with redis_of(app) as redis:
        await redis.set(key, "another instance's upload", ex=60)  # one is being checked
        busy = await upload(client, build_zip(package_files()))
        assert busy.status_code == 429 and "being checked" in busy.json()["detail"]
        assert 1 <= int(busy.headers["retry-after"]) <= 60
        region = await client.post(  # another party's upload goes on meanwhile
            "/api/v1/parties/region-midt/branding",
            headers={"X-Admin-Key": "demo-region-midt-admin-key", "If-Match": '"0"'},
            files={"package": ("branding.zip", build_zip(package_files()), "application/zip")},
        )
        assert region.status_code == 201, region.text
        await redis.delete(key)
        assert (await upload(client, build_zip(package_files()))).status_code == 201
        assert not await redis.exists(key)  # the hold ends with the upload
