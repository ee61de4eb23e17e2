"""The dynamic phonebook (issue 13): presence, look-up, privacy, audit, join and move, against
the real emulator and a real embedded Redis."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from litestar import Litestar

from bff.core.settings import Settings
from bff.meetings.models import Meeting
from bff.tests.conftest import EojSigner, booking, settings_with
from bff.tests.test_integration import (
    API,
    Client,
    all_redis_text,
    link_path,
    room,
    shell_config,
    stored_meeting,
)
from bff.tests.test_integration import launch_token as kbh_launch_token
from bff.tests.test_plugins import fragment

KBH_ADMIN = {"X-Admin-Key": "demo-kobenhavn-admin-key"}
REGION_ADMIN = {"X-Admin-Key": "demo-region-midt-admin-key"}
REGION_API = {"X-API-Key": "demo-region-midt-key"}
CPR = "010190-1234"
CPR_DIGITS = "0101901234"
NAME = "Karen Phonebook Jensen"
PRESENCE = "/api/v1/phonebook/presence"
LOOKUP = "/api/v1/phonebook/lookup"
PLUGIN = "/api/plugin/v1/phonebook/"


async def register(client: Client, admin: dict[str, str], **body: Any) -> dict[str, str]:
    resp = await client.post(
        f"/api/v1/parties/{'kobenhavn' if 'kobenhavn' in admin['X-Admin-Key'] else 'region-midt'}"
        "/phonebook/systems",
        json={"name": "MinLæge app"} | body,
        headers=admin,
    )
    assert resp.status_code == 201, resp.text
    return {"X-System-Key": resp.json()["key"]}


def presence(alias: str = "4718203@vdx.localhost", **over: Any) -> dict[str, Any]:
    return {
        "alias": alias,
        "person": {"kind": "cpr", "id": CPR},
        "role": "guest",
        "display_name": NAME,
        "title": "Konsultation almen praksis",
    } | over


async def lookup(client: Client, headers: dict[str, str], ref: str = CPR) -> httpx.Response:
    return await client.post(LOOKUP, json={"person": {"kind": "cpr", "id": ref}}, headers=headers)


async def test_presence_is_found_by_another_partys_system_without_names(
    client: Client, app: Litestar
) -> None:
    gp = await register(client, KBH_ADMIN)  # the GP's app, reporting for kobenhavn
    hospital = await register(client, REGION_ADMIN, name="Hospitalets app", lookup=True)
    put = await client.put(PRESENCE, json=presence(), headers=gp)
    assert put.status_code == 200, put.text
    # another party's meetings are found only where the owning party's policy shares them
    assert (await lookup(client, hospital)).json()["count"] == 0
    await set_policy(client, lookup_from=["region-midt"])

    # written as DDMMYY-XXXX, found as ten digits
    found = await lookup(client, hospital, CPR_DIGITS)
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["count"] == 1 and body["names_shown"] is False
    result = body["results"][0]
    assert result["party"] == {"id": "kobenhavn", "name": "Københavns Kommune"}
    assert result["system"]["name"] == "MinLæge app"
    assert result["meeting"]["alias"] == "4718203@vdx.localhost"
    assert result["display_name"] is None and result["meeting"]["title"] is None
    assert result["role"] == "guest" and result["can_join"] is False  # not a BFF meeting

    # privacy by construction: nothing of the person in clear anywhere in Redis
    raw = await all_redis_text(app)
    for secret in (CPR, CPR_DIGITS, NAME, "Karen", "Konsultation", "4718203"):
        assert secret not in raw, secret

    # both parties' admins read the audit: who, the pseudonym, the count; never the CPR
    for admin in (REGION_ADMIN, KBH_ADMIN):
        party = "region-midt" if admin is REGION_ADMIN else "kobenhavn"
        audit = await client.get(f"/api/v1/parties/{party}/phonebook/audit", headers=admin)
        assert audit.status_code == 200, audit.text
        line = audit.json()[0]
        assert line["who"] == "Hospitalets app" and line["results"] == 1
        assert line["names_shown"] is False and line["basis"] == "none"
        assert len(line["pseudonym"]) == 64 and CPR_DIGITS not in audit.text

    # leaving removes the entry at once
    leave = {"alias": "4718203@vdx.localhost", "person": {"kind": "cpr", "id": CPR_DIGITS}}
    gone = await client.request("DELETE", PRESENCE, json=leave, headers=gp)
    assert gone.status_code == 204, gone.text
    assert (await lookup(client, hospital)).json()["count"] == 0


async def test_refusals(client: Client, app: Litestar) -> None:
    reporter = await register(client, KBH_ADMIN)
    looker = await register(client, REGION_ADMIN, lookup=True, report=False)
    assert (await lookup(client, {})).status_code == 401
    assert (await lookup(client, {"X-System-Key": "pbk_kobenhavn_" + "x" * 43})).status_code == 401
    # a system registered only to report may not look up; one only to look up may not report
    refused = await lookup(client, reporter)
    assert refused.status_code == 403 and "not registered to lookup" in refused.json()["detail"]
    assert (await client.put(PRESENCE, json=presence(), headers=looker)).status_code == 403
    # the Meetings API key is no phonebook credential
    assert (await lookup(client, REGION_API)).status_code == 401

    before = await all_redis_text(app)
    for bad in ("12345", "320190-1234", "011390-1234", "0101901234x", "01019O1234"):
        resp = await client.put(
            PRESENCE, json=presence(person={"kind": "cpr", "id": bad}), headers=reporter
        )
        assert resp.status_code == 400, (bad, resp.text)
        assert "person.id: not a CPR number" in resp.json()["detail"] and bad not in resp.text
        assert (await lookup(client, looker, bad)).status_code == 400
    staff = await client.put(
        PRESENCE, json=presence(person={"kind": "staff", "id": "dr 0101901234"}), headers=reporter
    )
    assert staff.status_code == 400 and "not a staff id" in staff.json()["detail"]
    past = await client.put(
        PRESENCE, json=presence(ends_at="2020-01-01T10:00:00+01:00"), headers=reporter
    )
    assert past.status_code == 400 and "ends_at" in past.json()["detail"]
    unknown_field = await client.put(PRESENCE, json=presence(cpr=CPR), headers=reporter)
    assert unknown_field.status_code == 400
    # a name or title staff are shown holds no control characters and no CPR number
    for field, text, reason in (
        ("display_name", "Karen\x0fJensen", "must not contain control characters"),
        ("display_name", "Karen \u202eJensen", "must not contain control characters"),
        ("title", "Konsultation\n", "must not contain control characters"),
        ("title", f"Konsultation {CPR}", "looks like a CPR number"),
        ("display_name", " ", "must not be blank"),
    ):
        shown = await client.put(PRESENCE, json=presence(**{field: text}), headers=reporter)
        assert shown.status_code == 400, (field, text, shown.text)
        assert shown.json()["detail"] == f"{field}: {reason}"
    # nothing half-written: no entry, and only the look-ups' audit lines and counters changed
    assert "bv:phonebook:e:" not in (await all_redis_text(app)).replace(before, "")

    # a person in no meeting: an empty answer (audited all the same)
    empty = await lookup(client, looker, "020202-2222")
    assert empty.status_code == 200 and empty.json() == {
        "count": 0,
        "names_shown": False,
        "results": [],
    }


async def test_entries_vanish_when_the_conference_ends(
    settings: Settings, tmp_path: Any, emulator_url: str
) -> None:
    import hashlib

    password = "sink-secret-for-tests"
    nodes = (("emulator", hashlib.sha256(password.encode()).hexdigest()),)
    app = create(settings_with(settings, statistics={"event_sink_nodes": nodes}))
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as client:
        gp = await register(client, KBH_ADMIN)
        hospital = await register(client, KBH_ADMIN, name="Rådhusets app", lookup=True)
        await client.put(PRESENCE, json=presence("111@vdx.localhost"), headers=gp)
        await client.put(PRESENCE, json=presence("222@vdx.localhost"), headers=gp)
        assert (await lookup(client, hospital)).json()["count"] == 2
        basic = base64.b64encode(f"emulator:{password}".encode()).decode()
        event = {
            "node": "10.0.0.1",
            "seq": 1,
            "version": 1,
            "time": time.time(),
            "event": "conference_ended",
            "data": {"name": "111@vdx.localhost", "end_time": time.time()},
        }
        sink = await client.post(
            "/eventsink/emulator", json=event, headers={"Authorization": f"Basic {basic}"}
        )
        assert sink.status_code == 200, sink.text
        left = (await lookup(client, hospital)).json()["results"]
        assert [r["meeting"]["alias"] for r in left] == ["222@vdx.localhost"]


def create(settings: Settings) -> Litestar:
    from bff.app import create_app

    return create_app(settings)


# -- Borgervideo's own meetings: presence from the proxy, join and move ----------------------


def region_launch(signer: EojSigner, meeting_id: str, **over: Any) -> str:
    return kbh_launch_token(
        signer, meeting_id, aud="borgervideo:region-midt", name="Overlæge Ravn", **over
    )


async def enable_plugin(client: Client, party: str, admin: dict[str, str]) -> None:
    current = await client.get(f"/api/v1/parties/{party}/plugins", headers=admin)
    resp = await client.put(
        f"/api/v1/parties/{party}/plugins",
        json={"plugins": [{"id": "phonebook"}]},
        headers=admin | {"If-Match": current.headers["etag"]},
    )
    assert resp.status_code == 200, resp.text


async def set_policy(client: Client, **policy: Any) -> None:
    resp = await client.put(
        "/api/v1/parties/kobenhavn/phonebook/policy", json=policy, headers=KBH_ADMIN
    )
    assert resp.status_code == 200, resp.text


async def join_node(client: Client, alias: str) -> dict[str, Any]:
    resp = await client.post(
        f"/api/client/v2/conferences/{quote(alias)}/request_token", json={"display_name": "x"}
    )
    assert resp.status_code == 200, resp.text
    return resp.json()["result"]


async def plugin_call(client: Client, token: str, action: str, body: dict[str, Any]) -> Any:
    return await client.post(
        PLUGIN + action, json=body, headers={"Authorization": f"Bearer {token}"}
    )


async def plugin_token(client: Client, party: str) -> str:
    plugins = shell_config((await client.get(f"/{party}/")).text)["manifest"]["plugins"]
    return fragment(next(p["src"] for p in plugins if p["id"] == "phonebook"))["bv-plugin-token"]


async def book_with_citizen(client: Client, *others: dict[str, Any]) -> dict[str, Any]:
    """A kobenhavn meeting whose first guest is the citizen, booked with her CPR number."""
    guests = [{"display_name": NAME, "person": {"kind": "cpr", "id": CPR}}, *others]
    booked = await client.post("/api/v1/meetings", json=booking(guests=guests), headers=API)
    assert booked.status_code == 201, booked.text
    return booked.json()


async def clinician_hosting(client: Client, app: Litestar, signer: EojSigner) -> Meeting:
    """A region-midt clinician (treatment relation) launched into her own meeting and joined
    through the proxy, the phonebook plugin enabled: `client` holds her session."""
    own = await client.post("/api/v1/meetings", json=booking(), headers=REGION_API)
    meeting = await stored_meeting(app, own.json()["id"])
    await enable_plugin(client, "region-midt", REGION_ADMIN)
    launch = region_launch(signer, meeting.id, treatment_relation=True, person="ravn@rm.dk")
    assert (await client.get("/region-midt/launch", params={"token": launch})).status_code == 200
    await join_node(client, meeting.alias)
    return meeting


async def look_up_citizen(client: Client, token: str) -> Any:
    """The phonebook plugin's lookup of the citizen, by her CPR number."""
    return await plugin_call(client, token, "lookup", {"person": {"kind": "cpr", "id": CPR}})


@dataclass
class CitizenAndClinician:
    a: Meeting  # the citizen's (kobenhavn)
    b: Meeting  # the clinician's own (region-midt)
    citizen: dict[str, Any]  # her join at the node
    citizen_cookie: str | None
    token: str  # the clinician's phonebook plugin token


@pytest.fixture
async def citizen_and_clinician(
    client: Client, app: Litestar, signer: EojSigner
) -> CitizenAndClinician:
    """A citizen (booked with their CPR) in a kobenhavn meeting, joined through the proxy;
    a region-midt clinician (treatment relation) host of their own meeting, with the
    phonebook plugin's token."""
    created = await book_with_citizen(client)
    meeting_a = await stored_meeting(app, created["id"])
    await client.get(link_path(created))
    citizen = await join_node(client, meeting_a.alias)
    citizen_cookie = client.cookies.get("bv_session")
    client.cookies.clear()

    meeting_b = await clinician_hosting(client, app, signer)
    token = await plugin_token(client, "region-midt")
    await set_policy(client, lookup_from=["region-midt"])  # kobenhavn shares its meetings
    return CitizenAndClinician(meeting_a, meeting_b, citizen, citizen_cookie, token)


async def test_own_meeting_reports_itself_and_a_clinician_joins(
    client: Client, app: Litestar, citizen_and_clinician: CitizenAndClinician
) -> None:
    ctx = citizen_and_clinician
    a = ctx.a
    token = ctx.token
    found = await look_up_citizen(client, token)
    assert found.status_code == 200, found.text
    result = found.json()["results"][0]
    # the launch JWT stated a treatment relation, but for region-midt's own patients: in
    # kobenhavn's meeting neither the name nor the subject
    assert found.json()["names_shown"] is False and result["display_name"] is None
    assert result["meeting"] == {
        "alias": a.alias,
        "title": None,
        "ends_at": result["meeting"]["ends_at"],
    }
    assert result["can_join"] is False and result["can_move"] is False  # policy: nobody
    # the clinician's own presence (launch JWT `person`, a staff id) is in the phonebook too
    ravn = {"person": {"kind": "staff", "id": "RAVN@rm.dk"}}
    kbh_looker = await register(client, REGION_ADMIN, lookup=True)  # region-midt's own
    staff = await client.post(LOOKUP, json=ravn, headers=kbh_looker)
    assert staff.json()["count"] == 1 and staff.json()["results"][0]["role"] == "host"
    assert staff.json()["results"][0]["meeting"]["alias"] == ctx.b.alias
    refused = await plugin_call(client, token, "join", {"handle": result["handle"]})
    assert refused.status_code == 403 and "phonebook policy" in refused.json()["detail"]

    await set_policy(client, join_from=["region-midt"], move_from=[])
    result = (await look_up_citizen(client, token)).json()["results"][0]
    assert result["can_join"] is True
    joined = await plugin_call(client, token, "join", {"handle": result["handle"]})
    assert joined.status_code == 200, joined.text
    url = joined.json()["url"]
    assert url.startswith("/kobenhavn/phonebook-join/")
    assert (await client.get(url, follow_redirects=False)).status_code == 303
    grant = shell_config((await client.get("/kobenhavn/")).text)["grant"]
    assert grant["conferenceAlias"] == a.alias and grant["role"] == "guest"
    assert grant["displayName"] == "Overlæge Ravn"
    assert (await client.get(url)).status_code == 404  # once only

    # joining here left the clinician's own meeting (one browser, one meeting): gone there
    staff = await client.post(LOOKUP, json=ravn, headers=kbh_looker)
    assert staff.json()["count"] == 0

    # the citizen leaves through the proxy: their entry goes
    client.cookies.set("bv_session", ctx.citizen_cookie)
    released = await client.post(
        f"/api/client/v2/conferences/{quote(a.alias)}/release_token",
        headers={"token": ctx.citizen["token"]},
    )
    assert released.status_code == 200
    town_hall = await register(client, KBH_ADMIN, lookup=True)
    assert (await lookup(client, town_hall)).json()["count"] == 0
    raw = await all_redis_text(app)
    assert CPR_DIGITS not in raw and NAME not in raw


async def test_names_only_of_the_clinicians_own_patient_in_the_clinicians_own_party(
    client: Client, app: Litestar, signer: EojSigner, citizen_and_clinician: CitizenAndClinician
) -> None:
    """Issue 19: a clinician of region-midt with a treatment relation to citizen X (X booked
    in the clinician's meeting) sees X's name in that meeting, and no name or subject of X's
    meeting at kobenhavn; a clinician without X booked sees no name at all."""
    ctx = citizen_and_clinician
    a = ctx.a
    x = {"display_name": NAME, "person": {"kind": "cpr", "id": CPR}}
    booked = await client.post(
        "/api/v1/meetings",
        json=booking(subject="Ambulant kontrol", guests=[x]),
        headers=REGION_API,
    )
    b1 = await stored_meeting(app, booked.json()["id"])
    first_clinician = client.cookies.get("bv_session")
    client.cookies.clear()
    await client.get(link_path(booked.json()))
    await join_node(client, b1.alias)  # X joins region-midt's meeting too
    client.cookies.clear()
    client.cookies.set("bv_session", first_clinician)

    # the first clinician's meeting has no X booked: a relation to nobody it finds
    found = (await look_up_citizen(client, ctx.token)).json()
    assert {r["meeting"]["alias"] for r in found["results"]} == {a.alias, b1.alias}
    assert found["names_shown"] is False
    assert all(
        r["display_name"] is None and r["meeting"]["title"] is None for r in found["results"]
    )

    # X's own clinician, launched into the meeting X is booked in
    launch = region_launch(signer, b1.id, treatment_relation=True)
    assert (await client.get("/region-midt/launch", params={"token": launch})).status_code == 200
    token = await plugin_token(client, "region-midt")
    found = (await look_up_citizen(client, token)).json()
    by_alias = {r["meeting"]["alias"]: r for r in found["results"]}
    assert found["names_shown"] is True
    assert by_alias[b1.alias]["display_name"] == NAME
    assert by_alias[b1.alias]["meeting"]["title"] == "Ambulant kontrol"
    assert by_alias[a.alias]["display_name"] is None
    assert by_alias[a.alias]["meeting"]["title"] is None
    assert NAME not in str(by_alias[a.alias]) and "hjemmepleje" not in str(found)

    # the audit records the basis of each look-up
    audit = await client.get("/api/v1/parties/region-midt/phonebook/audit", headers=REGION_ADMIN)
    newest, before = audit.json()[:2]
    assert (newest["names_shown"], newest["basis"]) == (True, "booked-guest")
    assert (before["names_shown"], before["basis"]) == (False, "none")

    # without kobenhavn's policy sharing, its meeting is not found at all
    await set_policy(client)
    found = (await look_up_citizen(client, token)).json()
    assert [r["meeting"]["alias"] for r in found["results"]] == [b1.alias]


async def test_lookups_are_limited_per_person_as_well_as_per_caller(client: Client) -> None:
    from bff.phonebook.service import PERSON_LOOKUPS_PER_MINUTE

    callers = [await register(client, KBH_ADMIN, lookup=True) for _ in range(3)]
    answers: list[int] = []
    while 429 not in answers:  # a new minute may begin once meanwhile: at most twice the limit
        answers.append((await lookup(client, callers[len(answers) % 3], "030303-3333")).status_code)
        assert len(answers) <= 2 * PERSON_LOOKUPS_PER_MINUTE + 1, "never limited"
    assert answers.count(200) >= PERSON_LOOKUPS_PER_MINUTE
    # three callers each far below their own limit; another person is looked up at once
    assert (await lookup(client, callers[0], "040404-4444")).status_code == 200


async def test_move_transfers_the_citizen_into_the_clinicians_meeting(
    client: Client, app: Litestar, emulator_url: str, citizen_and_clinician: CitizenAndClinician
) -> None:
    ctx = citizen_and_clinician
    a, b = ctx.a, ctx.b
    await set_policy(client, join_from=[], move_from=["*"])
    result = (await look_up_citizen(client, ctx.token)).json()["results"][0]
    assert result["can_move"] is True and result["can_join"] is False
    moved = await plugin_call(client, ctx.token, "move", {"handle": result["handle"]})
    assert moved.status_code == 200, moved.text
    assert moved.json() == {"status": "moved", "alias": b.alias}

    # at the node: the citizen (no event stream here: moved at once) is now in B, not A
    names_b = {p["display_name"] for p in (await room(emulator_url, b.alias))["participants"]}
    names_a = {p["display_name"] for p in (await room(emulator_url, a.alias))["participants"]}
    assert NAME in names_b and NAME not in names_a
    assert "Borgervideo telefonbog" not in names_a  # the BFF's helper left again
    # and the phonebook follows
    again = (await look_up_citizen(client, ctx.token)).json()["results"]
    assert [r["meeting"]["alias"] for r in again] == [b.alias]
    # a handle is the caller's own: another caller cannot use it
    other = await register(client, REGION_ADMIN, lookup=True)
    assert (await lookup(client, other)).json()["count"] == 1
    stale = await plugin_call(client, ctx.token, "move", {"handle": "x" * 32})
    assert stale.status_code == 404


async def test_plugin_token_refusals(
    client: Client, citizen_and_clinician: CitizenAndClinician
) -> None:
    bad = await plugin_call(client, "y" * 43, "lookup", {"person": {"kind": "cpr", "id": CPR}})
    assert bad.status_code == 401
    malformed = await plugin_call(
        client, citizen_and_clinician.token, "lookup", {"person": {"kind": "cpr", "id": "1"}}
    )
    assert malformed.status_code == 400 and "person.id" in malformed.json()["detail"]
    foreign = await client.post(
        PLUGIN + "lookup",
        json={"person": {"kind": "cpr", "id": CPR}},
        headers={
            "Authorization": f"Bearer {citizen_and_clinician.token}",
            "Origin": "https://evil.example",
        },
    )
    assert foreign.status_code == 403


async def test_dial_bridges_the_citizens_meeting_into_the_clinicians(
    client: Client, app: Litestar, emulator_url: str, citizen_and_clinician: CitizenAndClinician
) -> None:
    ctx = citizen_and_clinician
    a, b = ctx.a, ctx.b
    result = (await look_up_citizen(client, ctx.token)).json()["results"][0]
    assert result["can_dial"] is False  # the default policy: nobody
    refused = await plugin_call(client, ctx.token, "dial", {"handle": result["handle"]})
    assert refused.status_code == 403 and "phonebook policy" in refused.json()["detail"]
    assert "Møde hos" not in str(await room(emulator_url, b.alias))

    await set_policy(client, dial_from=["region-midt"])
    result = (await look_up_citizen(client, ctx.token)).json()["results"][0]
    assert result["can_dial"] is True and result["can_join"] is False
    dialled = await plugin_call(client, ctx.token, "dial", {"handle": result["handle"]})
    assert dialled.status_code == 200, dialled.text
    body = dialled.json()
    assert body["status"] == "dialled" and body["alias"] == b.alias
    # the other meeting is a participant (sip) of the clinician's, and theirs of it
    in_b = {p["uuid"]: p for p in (await room(emulator_url, b.alias))["participants"]}
    leg = in_b[body["participant_uuid"]]
    assert leg["display_name"] == "Møde hos Københavns Kommune" and leg["protocol"] == "sip"
    in_a = {p["display_name"]: p for p in (await room(emulator_url, a.alias))["participants"]}
    assert in_a["Møde hos Region Midtjylland"]["protocol"] == "sip"
    assert NAME in in_a  # the citizen stays where they are
    names_b = {p["display_name"] for p in in_b.values()}
    assert "Borgervideo telefonbog" not in names_b  # the BFF's helper left again
    # the other meeting's PIN went from the BFF to the node only
    from bff.meetings.keys import open_meeting_key
    from bff.tests.test_integration import redis_of

    async with redis_of(app) as redis:
        key = await open_meeting_key(redis, app.state.sealer, a.id)
    assert key is not None and a.pin_for("guest", key) not in dialled.text


@pytest.fixture(scope="module")
def sink_emulator(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """An emulator of its own whose node posts its events to a receiver (tokens live 3 s:
    a browser that stops refreshing is dropped by the node's reaper within seconds)."""
    from devstack.stack import free_port, running_service
    from emulator.tests.test_eventsink import Receiver

    receiver = Receiver()
    port = free_port()
    env = {
        "EMU_HOST": "127.0.0.1",
        "EMU_PORT": str(port),
        "EMU_TOKEN_TTL": "3",
        "EMU_EVENT_SINKS": receiver.url.replace("http://", "http://emulator:pw@"),
    }
    workdir = tmp_path_factory.mktemp("sink-emulator")
    with running_service("emulator", env, f"http://127.0.0.1:{port}", workdir) as emulator:
        yield emulator.url, receiver
    receiver.close()


async def test_a_crashed_browser_leaves_the_phonebook_when_the_node_drops_it(
    tmp_path: Any, branding: Any, dist: Any, sink_emulator: Any
) -> None:
    import asyncio
    import hashlib

    from litestar.testing import AsyncTestClient

    from bff.tests.conftest import make_settings

    url, receiver = sink_emulator
    password = "sink-secret-for-tests"
    settings = settings_with(
        make_settings(tmp_path, branding[0], dist, url),
        statistics={
            "event_sink_nodes": (("emulator", hashlib.sha256(password.encode()).hexdigest()),)
        },
    )
    basic = {"Authorization": "Basic " + base64.b64encode(f"emulator:{password}".encode()).decode()}
    async with AsyncTestClient(app=create(settings), base_url="http://127.0.0.1:8080") as client:
        created = await book_with_citizen(client)
        await client.get(link_path(created))
        meeting = await stored_meeting(client.app, created["id"])
        # joined through the proxy; then the browser crashes (no refresh, no release)
        citizen = await join_node(client, meeting.alias)
        uuid = citizen["participant_uuid"]
        hospital = await register(client, KBH_ADMIN, lookup=True)
        assert (await lookup(client, hospital)).json()["count"] == 1

        # the node's reaper drops the participant whose token ran out; its event sink says so
        def disconnected() -> list[dict[str, Any]]:
            return [
                e
                for e in receiver.events()
                if e["event"] == "participant_disconnected" and e["data"]["uuid"] == uuid
            ]

        for _ in range(100):
            if disconnected():
                break
            await asyncio.sleep(0.1)
        event = disconnected()
        assert event and event[0]["data"]["disconnect_reason"].startswith("Timer expired")
        # only the participant's events: the conference ending would delete it anyway
        ours = [e for e in receiver.events() if e["event"].startswith("participant_")]
        sink = await client.post("/eventsink/emulator", json=ours, headers=basic)
        assert sink.status_code == 200, sink.text
        assert (await lookup(client, hospital)).json()["count"] == 0
        raw = await all_redis_text(client.app)
        keys = [line for line in raw.splitlines() if line.startswith("bv:phonebook:")]
        assert not [k for k in keys if k.startswith(("bv:phonebook:pt:", "bv:phonebook:e:"))]
        assert CPR_DIGITS not in raw and NAME not in raw


async def test_the_name_borgervideo_is_reserved(client: Client) -> None:
    for name in ("Borgervideo (Københavns Kommune)", "borger video", "B0rgerv1deo"):
        resp = await client.post(
            "/api/v1/parties/kobenhavn/phonebook/systems", json={"name": name}, headers=KBH_ADMIN
        )
        assert resp.status_code == 400 and "reserved" in resp.json()["detail"], name
    unsafe = await client.post(
        "/api/v1/parties/kobenhavn/phonebook/systems",
        json={"name": "MinLæge\u202e app"},
        headers=KBH_ADMIN,
    )
    assert unsafe.json()["detail"] == "name: must not contain control characters"
    assert (
        await client.get("/api/v1/parties/kobenhavn/phonebook/systems", headers=KBH_ADMIN)
    ).json() == []
    await register(client, KBH_ADMIN, name="Borgerservice videoapp")
