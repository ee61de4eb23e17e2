"""Issue 7 on the BFF: phone numbers as staff type them, the cancellation SMS (numbers kept
sealed only until the meeting is over), branded error pages in the citizen's language, the
party's contact, the host's name for the waiting screen, a party's wording (translations)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from litestar import Litestar

from bff.core import store
from bff.core.i18n import inline_translations, meeting_when
from bff.core.phones import normalise_phone
from bff.meetings.keys import open_meeting_key
from bff.meetings.models import GuestLink
from bff.parties.loader import PartyConfigError, load_parties
from bff.tests.conftest import EojSigner
from bff.tests.test_integration import (
    API,
    Client,
    all_redis_text,
    book,
    link_path,
    redis_of,
    shell_config,
    stored_meeting,
)
from bff.tests.test_integration import launch_token as signed_launch


def _unique_local() -> str:
    """An 8-digit Danish number no other test uses ("2" first: a mobile series)."""
    return "2" + str(time.time_ns())[-7:]


async def _outbox(emulator_url: str, to: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient() as http:
        return list((await http.get(f"{emulator_url}/outbox", params={"to": to})).json())


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("+45 12 34 56 78", "+4512345678"),
        ("12345678", "+4512345678"),
        ("0045 1234 5678", "+4512345678"),
        ("(+45) 12-34-56-78", "+4512345678"),
        ("+46 70 123 45 67", "+46701234567"),
    ],
)
def test_phone_numbers_as_staff_type_them(typed: str, e164: str) -> None:
    assert normalise_phone(typed, "phone") == e164


async def test_booking_takes_local_numbers_and_names_a_bad_one(
    client: Client, emulator_url: str
) -> None:
    local = _unique_local()
    spaced = " ".join(local[i : i + 2] for i in range(0, 8, 2))  # "23 45 67 89"
    created = await book(client, guests=[{"display_name": "Borger Jensen", "phone": spaced}])
    assert created["guests"][0]["sms_sent"] is True
    assert len(await _outbox(emulator_url, f"+45{local}")) == 1
    bad = await client.post(
        "/api/v1/meetings",
        json={**_body(), "guests": [{"display_name": "Borger", "phone": "1234"}]},
        headers=API,
    )
    assert bad.status_code == 400 and bad.json()["detail"].startswith("guests[0].phone:")
    twice = await client.post(
        "/api/v1/meetings",
        json={
            **_body(),
            "guests": [
                {"display_name": "A", "phone": spaced},
                {"display_name": "B", "phone": "+45" + local},
            ],
        },
        headers=API,
    )
    assert twice.status_code == 400 and "guests[1].phone" in twice.json()["detail"]


def _body() -> dict[str, Any]:
    from bff.tests.conftest import booking

    return booking()


async def test_cancelling_sends_an_sms_and_the_number_is_gone_with_the_key(
    client: Client, app: Litestar, emulator_url: str
) -> None:
    local = _unique_local()
    phone = "+45" + local
    created = await book(client, guests=[{"display_name": "Borger Jensen", "phone": local}])
    everything = await all_redis_text(app)
    assert phone not in everything and local not in everything  # sealed, never in clear
    meeting = await stored_meeting(app, created["id"])
    async with redis_of(app) as redis:
        cipher = await open_meeting_key(redis, app.state.sealer, meeting.id)
        raw = await redis.get(store.GUEST_LINK + meeting.guest_links[0])
    link = msgspec.json.decode(raw, type=GuestLink)
    assert cipher is not None and link.phone(cipher) == phone

    cancelled = await client.delete(f"/api/v1/meetings/{created['id']}", headers=API)
    assert cancelled.status_code == 204
    messages = await _outbox(emulator_url, phone)
    assert len(messages) == 2
    assert "er aflyst" in messages[-1]["message"] and "33 66 33 66" in messages[-1]["message"]
    async with redis_of(app) as redis:
        assert await open_meeting_key(redis, app.state.sealer, meeting.id) is None
        raw = await redis.get(store.GUEST_LINK + meeting.guest_links[0])
    assert msgspec.json.decode(raw, type=GuestLink).phone_sealed == ""
    # Cancelling again sends nothing more.
    await client.delete(f"/api/v1/meetings/{created['id']}", headers=API)
    assert len(await _outbox(emulator_url, phone)) == 2


async def test_error_pages_are_branded_with_contact_time_and_language(client: Client) -> None:
    later = await book(client, start_in=timedelta(hours=3))
    early = await client.get(link_path(later))
    assert early.status_code == 425
    html = early.text
    assert '<html lang="da">' in html and "Københavns Kommune" in html
    assert "/kobenhavn/branding/logo.svg" in html
    assert 'data-testid="error-contact"' in html and 'href="tel:+4533663366"' in html
    assert "33 66 33 66" in html and "hverdage kl. 8–16" in html
    assert 'data-testid="error-meeting"' in html and "Mødet starter" in html
    assert "#184a8a" in html  # the party's brand colour (palette step 700)

    english = await client.get(link_path(later) + "?lang=en")
    assert '<html lang="en">' in english.text
    assert "The meeting is not open yet" in english.text and "The meeting starts" in english.text
    assert "weekdays 8 am–4 pm" in english.text and "ikke åbent" not in english.text
    assert english.cookies.get("bv_lang") == "en"
    client.cookies.delete("bv_lang")
    by_browser = await client.get(link_path(later), headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in by_browser.text

    unknown = await client.get("/kobenhavn/j/" + "A" * 32, headers={"Accept-Language": "da"})
    assert unknown.status_code == 404 and "Linket findes ikke" in unknown.text
    assert "33 66 33 66" in unknown.text

    cancelled = await book(client)
    await client.delete(f"/api/v1/meetings/{cancelled['id']}", headers=API)
    gone = await client.get(link_path(cancelled), headers={"Accept-Language": "da"})
    assert gone.status_code == 410 and "er aflyst" in gone.text and " kl. " in gone.text


async def test_shell_gives_contact_features_reconnect_and_host(
    client: Client, signer: EojSigner
) -> None:
    created = await book(client, host_name="Sygeplejerske Hanne")
    await client.get(link_path(created))
    config = shell_config((await client.get("/kobenhavn/")).text)
    assert config["contact"] == {
        "phone": "+4533663366",
        "phoneDisplay": "33 66 33 66",
        "openingHours": {"da": "hverdage kl. 8–16", "en": "weekdays 8 am–4 pm"},
    }
    assert config["features"] == {"citizenChat": True}
    assert config["reconnect"] == {"longOutageSeconds": 30}
    assert config["grant"]["meeting"]["host"] == "Sygeplejerske Hanne"
    start = datetime.fromisoformat(created["start"])
    end = datetime.fromisoformat(created["end"])
    assert config["grant"]["meeting"]["when"] == meeting_when(start, end)

    # No host in the booking: the first staff launch names it.
    unnamed = await book(client)
    await client.get(link_path(unnamed))
    assert shell_config((await client.get("/kobenhavn/")).text)["grant"]["meeting"]["host"] is None
    launched = await client.get(
        "/kobenhavn/launch", params={"token": signed_launch(signer, unnamed["id"])}
    )
    assert launched.status_code in (200, 303)  # (the test client follows the redirect)
    await client.get(link_path(unnamed))  # the citizen's page again, after the nurse
    host = shell_config((await client.get("/kobenhavn/")).text)["grant"]["meeting"]["host"]
    assert host == "Sygeplejerske Hansen"


def test_contact_phone_is_checked(tmp_path: Path, branding: tuple[Path, EojSigner]) -> None:
    root = tmp_path / "branding"
    folder = root / "kobenhavn"
    folder.mkdir(parents=True)
    source = branding[0] / "kobenhavn"
    for item in source.iterdir():
        target = folder / item.name
        if item.is_dir():
            import shutil

            shutil.copytree(item, target)
        else:
            target.write_bytes(item.read_bytes())
    data = json.loads((folder / "party.json").read_text())
    data["contact"] = {"phone": "12", "opening_hours": {"da": "altid"}}
    (folder / "party.json").write_text(json.dumps(data))
    with pytest.raises(PartyConfigError, match=r"party\.json: contact\.phone"):
        load_parties(root, demo=True)


def test_staff_support_is_checked_and_kept_as_e164(
    tmp_path: Path, branding: tuple[Path, EojSigner]
) -> None:
    import shutil

    root = tmp_path / "branding"
    shutil.copytree(branding[0] / "kobenhavn", root / "kobenhavn")
    file = root / "kobenhavn" / "party.json"
    data = json.loads(file.read_text())
    bad_ones = (({"phone": "12 34"}, r"\.phone: not a valid"), ({"hours": "altid"}, "phone or"))
    for bad, field in bad_ones:
        file.write_text(json.dumps(data | {"staff_support": bad}))
        with pytest.raises(PartyConfigError, match=rf"party\.json: staff_support.*{field}"):
            load_parties(root, demo=True)
    file.write_text(json.dumps(data | {"staff_support": {"phone": "33 17 30 00"}}))
    party = load_parties(root, demo=True)["kobenhavn"]
    assert party.staff_support is not None and party.staff_support.phone == "+4533173000"


def test_manifest_translations_are_inlined_and_checked(tmp_path: Path) -> None:
    (tmp_path / "da.json").write_text(json.dumps({"call": {"controls": {"leave": "Afslut"}}}))
    manifest = {"brandName": "X", "translations": {"da": "da.json", "en": {"call": {"x": "y"}}}}
    inlined = inline_translations(manifest, tmp_path)
    assert inlined["translations"]["da"] == {"call": {"controls": {"leave": "Afslut"}}}
    with pytest.raises(ValueError, match=r"translations\.en\.call\.x: must be a string"):
        inline_translations({"translations": {"en": {"call": {"x": 1}}}}, tmp_path)
    with pytest.raises(ValueError, match="no file"):
        inline_translations({"translations": {"da": "../../etc/passwd"}}, tmp_path)


def test_meeting_when_is_danish_time_in_each_language() -> None:
    """The page shows these as they are (webapp/src/lib/meeting-time.ts): winter and summer
    time, the Danish and the English way of writing them."""
    winter = meeting_when(
        datetime(2026, 12, 8, 9, 0, tzinfo=UTC), datetime(2026, 12, 8, 9, 30, tzinfo=UTC)
    )
    assert winter == {
        "da": {"day": "tirsdag 8. december", "span": "10.00–10.30"},
        "en": {"day": "Tuesday 8 December", "span": "10:00–10:30"},
    }
    summer = meeting_when(
        datetime(2027, 6, 7, 22, 30, tzinfo=UTC), datetime(2027, 6, 7, 23, 15, tzinfo=UTC)
    )
    assert summer["da"] == {"day": "tirsdag 8. juni", "span": "00.30–01.15"}
    assert summer["en"] == {"day": "Tuesday 8 June", "span": "00:30–01:15"}
