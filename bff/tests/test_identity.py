"""Staff login, roles and machine clients against a real OpenID provider (the npm package
oidc-provider, started by the fixtures on localhost; devstack/oidc.py): the code flow
with PKCE, state and nonce, the ID token's checks, sessions and their timeouts, logout and
back-channel logout, access tokens with and without scopes, JWKS rotation, CSRF."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import shutil
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from redis.asyncio import ConnectionPool, Redis
from redis.asyncio.connection import AbstractConnection as Connection

from bff.app import create_app
from bff.auth.sessions import SESSION, StaffSession, session_ref
from bff.core.settings import Settings, resolve_data_key
from bff.meetings.service import COPENHAGEN, staff_day_key
from bff.parties.loader import PartyConfigError, load_party
from bff.staff.controller import _read_day
from bff.tests.conftest import EojSigner, booking, settings_with, token_claims
from bff.tests.test_integration import all_redis_text, launch_token
from devstack.oidc import (
    API_AUDIENCE,
    CLIENT_ID,
    CLIENT_SECRET,
    SECRET_ENV,
    OidcProvider,
    add_oidc_to_branding,
    new_signing_key,
    party_oidc,
    running_oidc_provider,
)

BFF = "http://127.0.0.1:8080"
STAFF_API = "/api/staff/v1/parties/kobenhavn"


async def staff_day(client: Client, **query: str) -> httpx.Response:
    """The staff portal's day of a meeting booked just now (booking(): 5 minutes ahead), so
    that a run a few minutes before Danish midnight lists the day the meeting is on."""
    day = (datetime.now(COPENHAGEN) + timedelta(minutes=5)).date().isoformat()
    return await client.get(f"{STAFF_API}/meetings", params={"day": day} | query)


STAFF_DOC = "/api/staff/v1/parties/{party_id}"  # as the OpenAPI document names it
Client = AsyncTestClient[Litestar]


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    with running_oidc_provider([BFF], tmp_path_factory.mktemp("oidc")) as running:
        yield running


def with_oidc(settings: Settings, tmp_path: Path, issuer: str, jwks_min_refresh: int) -> Settings:
    """`settings` with København logging its staff in at `issuer`: a copy of the branding
    folder in `tmp_path`, its party.json given the `oidc` section (the client secret must be
    in the environment, SECRET_ENV)."""
    folder = tmp_path / "branding"
    shutil.copytree(settings.data.branding_dir, folder)
    add_oidc_to_branding(folder, issuer)
    return settings_with(
        settings,
        data={"branding_dir": folder},
        identity={"jwks_min_refresh": jwks_min_refresh},
    )


@pytest.fixture
def oidc_settings(
    tmp_path: Path, settings: Settings, provider: OidcProvider, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    monkeypatch.setenv(SECRET_ENV, CLIENT_SECRET)
    return with_oidc(settings, tmp_path, provider.issuer, jwks_min_refresh=1)


@pytest.fixture
async def oidc_client(oidc_settings: Settings) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=create_app(oidc_settings), base_url=BFF) as client:
        yield client


async def authorize(client: Client, account: str, start_at: str = "/kobenhavn/staff/login") -> str:
    """Start the login at the BFF (`start_at`), log in at the provider as `account`; the
    callback URL (path and query) the provider sends the browser back to."""
    start = await client.get(start_at, follow_redirects=False)
    assert start.status_code == 303, start.text
    url = start.headers["location"]
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    async with httpx.AsyncClient() as browser:
        for _ in range(12):
            if url.startswith(BFF):
                parts = urlsplit(url)
                return f"{parts.path}?{parts.query}"
            answer = await browser.get(url)
            if answer.status_code in (302, 303):
                url = urljoin(url, answer.headers["location"])
                continue
            assert answer.status_code == 200, answer.text
            action = re.search(r'action="([^"]+)"', answer.text)
            assert action is not None, answer.text
            posted = await browser.post(urljoin(url, action[1]), data={"login": account})
            assert posted.status_code in (302, 303), posted.text
            url = urljoin(url, posted.headers["location"])
    raise AssertionError("the provider never sent the browser back")


async def login(client: Client, account: str = "hanne") -> httpx.Response:
    return await client.get(await authorize(client, account), follow_redirects=False)


async def session(client: Client, party: str = "kobenhavn") -> httpx.Response:
    return await client.get(f"/api/staff/v1/parties/{party}/session")


# -- login -----------------------------------------------------------------------------------


async def test_staff_login_maps_roles_and_no_token_reaches_the_browser(
    oidc_client: Client,
) -> None:
    done = await login(oidc_client, "hanne")
    assert done.status_code == 303 and done.headers["location"] == "/kobenhavn/staff"
    cookies = done.headers.get_list("set-cookie")
    staff = next(c for c in cookies if c.startswith("bv_staff="))
    assert "HttpOnly" in staff and "SameSite=strict" in staff and "Max-Age" not in staff
    assert any(c.startswith("bv_login=") and "Max-Age=0" in c for c in cookies)
    me = await session(oidc_client)
    assert me.status_code == 200
    body = me.json()
    assert body["roles"] == ["staff"] and body["name"] == "Hanne Sygeplejerske"
    assert len(body["csrf_token"]) >= 32
    # No token anywhere the browser or Redis sees: no JWT, no name in clear at rest.
    assert "eyJ" not in done.text + me.text + " ".join(cookies)
    stored = await all_redis_text(oidc_client.app)
    assert "eyJ" not in stored and "Hanne" not in stored
    assert (await oidc_client.get(f"{STAFF_API}/meetings")).status_code == 200
    page = await oidc_client.get("/kobenhavn/staff")  # the portal's app shell
    assert page.status_code == 200 and 'id="bv-config"' in page.text


@pytest.mark.parametrize(
    ("account", "roles"),
    [("ida", ["party_admin"]), ("sofie", ["steering_group"])],
)
async def test_roles_come_from_the_claim_mapping(
    oidc_client: Client, account: str, roles: list[str]
) -> None:
    await login(oidc_client, account)
    assert (await session(oidc_client)).json()["roles"] == roles
    # Neither is staff: the portal's meetings are refused.
    assert (await oidc_client.get(f"{STAFF_API}/meetings")).status_code == 403


async def test_admin_login_replaces_the_admin_key_and_steering_reads_all_stats(
    oidc_client: Client,
) -> None:
    assert (await oidc_client.get("/api/v1/parties/kobenhavn/plugins")).status_code == 401
    await login(oidc_client, "ida")
    plugins = await oidc_client.get("/api/v1/parties/kobenhavn/plugins")
    assert plugins.status_code == 200
    own = await oidc_client.get("/api/v1/stats")
    assert own.status_code == 200 and own.json()["scope"] == "party"
    await login(oidc_client, "sofie")  # a new login replaces the cookie
    every = await oidc_client.get("/api/v1/stats")
    assert every.status_code == 200 and every.json()["scope"] == "all"
    assert (await oidc_client.get("/api/v1/parties/kobenhavn/plugins")).status_code == 403


async def test_next_brings_the_browser_back_to_a_page_of_the_party_only(
    oidc_client: Client,
) -> None:
    """`next` of the login: a page of this party's own is where the callback sends the
    browser; anything else (another site, another party, a way out of the party) is the
    portal, so the login cannot be used to send anyone elsewhere."""
    wanted = "/kobenhavn/admin/devices"
    callback = await authorize(oidc_client, "ida", f"/kobenhavn/staff/login?next={wanted}")
    done = await oidc_client.get(callback, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == wanted
    assert (await session(oidc_client)).json()["roles"] == ["party_admin"]
    with_query = "/kobenhavn/admin/stats?from=2025-01"
    callback = await authorize(
        oidc_client, "ida", f"/kobenhavn/staff/login?next={quote(with_query)}"
    )
    done = await oidc_client.get(callback, follow_redirects=False)
    assert done.headers["location"] == with_query
    refused = [
        "//evil.example/kobenhavn/",
        "https://evil.example/kobenhavn/admin",
        "/\\evil.example/kobenhavn/",
        "/kobenhavn//evil.example",
        "/kobenhavn/../region-midt/admin/devices",
        "/kobenhavn/%2e%2e/region-midt/admin",
        "/kobenhavn\\@evil.example/",
        "/region-midt/admin/devices",
        "/kobenhavnx/admin",
        "/kobenhavn",
        "kobenhavn/admin/devices",
        "/kobenhavn/admin\r\nLocation: https://evil.example",
        "/kobenhavn/" + "a" * 400,
    ]
    for bad in refused:
        start_at = f"/kobenhavn/staff/login?next={quote(bad, safe='')}"
        done = await oidc_client.get(
            await authorize(oidc_client, "ida", start_at), follow_redirects=False
        )
        assert done.status_code == 303, bad
        assert done.headers["location"] == "/kobenhavn/staff", bad


async def test_a_login_without_a_role_gets_no_session(oidc_client: Client) -> None:
    done = await login(oidc_client, "bo")
    assert done.status_code == 403
    assert "ingen rolle" in done.text
    assert not any(c.startswith("bv_staff=") for c in done.headers.get_list("set-cookie"))


async def test_staff_of_one_party_is_refused_at_another(oidc_client: Client) -> None:
    await login(oidc_client, "hanne")
    assert (await session(oidc_client, "region-midt")).status_code == 403
    other = await oidc_client.get("/api/staff/v1/parties/region-midt/meetings")
    assert other.status_code == 403
    await login(oidc_client, "ida")
    plugins = await oidc_client.get("/api/v1/parties/region-midt/plugins")
    assert plugins.status_code == 403
    # region-midt has no broker: its login page says so.
    assert (await oidc_client.get("/region-midt/staff/login")).status_code == 404


async def test_state_must_be_known_unused_and_from_this_browser(oidc_client: Client) -> None:
    callback = await authorize(oidc_client, "hanne")
    path, query = callback.split("?", 1)
    forged = await oidc_client.get(
        path + "?" + re.sub(r"state=[^&]+", "state=forged", query), follow_redirects=False
    )
    assert forged.status_code == 401 and "ukendt" in forged.text
    # The same answer in another browser (no login cookie): refused, and it is spent.
    oidc_client.cookies.delete("bv_login")
    elsewhere = await oidc_client.get(callback, follow_redirects=False)
    assert elsewhere.status_code == 401 and "browser" in elsewhere.text
    again = await oidc_client.get(callback, follow_redirects=False)
    assert again.status_code == 401
    assert (await session(oidc_client)).status_code == 401


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"claims": {"nonce": "another-login"}}, "nonce"),
        ({"claims": {"exp": 1_000_000_000, "iat": 999_999_000}}, "expired"),
        ({"claims": {"aud": "another-client"}}, "audience"),
        ({"claims": {"iss": "https://evil.example"}}, "issuer"),
        ({"claims": {}, "break_signature": True}, "signature"),
        ({"claims": {"nonce": None}}, "nonce missing"),
    ],
)
async def test_a_bad_id_token_makes_no_session(
    oidc_client: Client, provider: OidcProvider, change: dict[str, Any], why: str
) -> None:
    callback = await authorize(oidc_client, "hanne")
    provider.tamper(change["claims"], change.get("break_signature", False))
    done = await oidc_client.get(callback, follow_redirects=False)
    assert done.status_code == 401, why
    assert "kunne ikke godkendes" in done.text
    assert (await session(oidc_client)).status_code == 401


async def test_an_error_from_the_provider_is_a_page_not_a_session(oidc_client: Client) -> None:
    start = await oidc_client.get("/kobenhavn/staff/login", follow_redirects=False)
    state = parse_qs(urlsplit(start.headers["location"]).query)["state"][0]
    done = await oidc_client.get(
        f"/kobenhavn/staff/callback?error=access_denied&state={state}", follow_redirects=False
    )
    assert done.status_code == 401 and "afbrudt" in done.text


# -- sessions ----------------------------------------------------------------------------------


async def test_idle_and_absolute_timeouts(oidc_settings: Settings) -> None:
    # Slack for a loaded machine: uses 1.5 s apart stay well inside the 3 s idle time and,
    # with the login's own time, well inside the 8 s absolute end.
    settings = settings_with(
        oidc_settings, identity={"staff_idle_timeout": 3, "staff_max_session": 8}
    )
    async with AsyncTestClient(app=create_app(settings), base_url=BFF) as client:
        await login(client)
        logged_in = time.monotonic()  # the session was made before this
        for _ in range(3):  # used within the idle time: alive
            await asyncio.sleep(1.5)
            assert (await session(client)).status_code == 200
        # past the absolute end, though used a moment ago
        await asyncio.sleep(max(0.0, logged_in + 8.5 - time.monotonic()))
        assert (await session(client)).status_code == 401
        await login(client)
        await asyncio.sleep(3.5)  # idle too long
        assert (await session(client)).status_code == 401


async def test_logout_ends_the_session_and_names_the_brokers_logout(
    oidc_client: Client, provider: OidcProvider
) -> None:
    await login(oidc_client)
    csrf = (await session(oidc_client)).json()["csrf_token"]
    refused = await oidc_client.post(f"{STAFF_API}/logout")  # no CSRF token
    assert refused.status_code == 403
    done = await oidc_client.post(f"{STAFF_API}/logout", headers={"X-CSRF-Token": csrf})
    assert done.status_code == 200
    url = done.json()["logout_url"]
    assert url.startswith(f"{provider.issuer}/session/end?")
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == [CLIENT_ID] and "id_token_hint" not in query
    assert query["post_logout_redirect_uri"] == [f"{BFF}/kobenhavn/staff"]
    assert (await session(oidc_client)).status_code == 401


def logout_token(provider: OidcProvider, **claims: Any) -> str:
    logout = {
        "jti": f"jti-{time.monotonic_ns()}",
        "events": {"http://schemas.openid.net/event/backchannel-logout": {}},
        "sub": "hanne",
    }
    return provider.sign(token_claims(provider.issuer, CLIENT_ID, 120, logout, claims))


async def test_back_channel_logout_ends_the_subjects_sessions_on_every_instance(
    oidc_settings: Settings, provider: OidcProvider
) -> None:
    # Two instances on one Redis: the login is made on one, the logout token posted to the other.
    first = create_app(oidc_settings)
    async with AsyncTestClient(app=first, base_url=BFF) as one:
        await login(one, "hanne")
        socket = first.state.redis.connection_pool.connection_kwargs["path"]
        shared = settings_with(
            oidc_settings,
            data={"redis_url": f"unix://{socket}", "data_keys": (resolve_data_key(oidc_settings),)},
        )
        async with AsyncTestClient(app=create_app(shared), base_url=BFF) as two:
            two.cookies = one.cookies
            assert (await session(two)).status_code == 200
            url = "/kobenhavn/staff/backchannel-logout"
            bad = {
                "wrong audience": logout_token(provider, aud="another-client"),
                "no event": logout_token(provider, events={}),
                "nonce": logout_token(provider, nonce="n"),
                "no sid or sub": logout_token(provider, sub=None),
                # issue 19: exp required, iat bounded (a jti is remembered only so long)
                "no exp": logout_token(provider, exp=None),
                "old iat": logout_token(
                    provider, iat=int(time.time()) - 900, exp=int(time.time()) + 60
                ),
                "long exp": logout_token(provider, exp=int(time.time()) + 86400),
            }
            for why, token in bad.items():
                answer = await two.post(url, data={"logout_token": token})
                assert answer.status_code == 400, why
                assert (await session(one)).status_code == 200, why
            assert (await session(one)).status_code == 200
            token = logout_token(provider)
            done = await two.post(url, data={"logout_token": token})
            assert done.status_code == 200
            assert (await session(one)).status_code == 401
            assert (await session(two)).status_code == 401
            replay = await two.post(url, data={"logout_token": token})
            assert replay.status_code == 400


# -- CSRF --------------------------------------------------------------------------------------


async def test_staff_writes_need_the_csrf_token_and_the_apps_origin(
    oidc_client: Client,
) -> None:
    await login(oidc_client)
    csrf = (await session(oidc_client)).json()["csrf_token"]
    body = booking(guests=[{"display_name": "Karen Jensen"}])
    cross = await oidc_client.post(
        f"{STAFF_API}/meetings",
        json=body,
        headers={"Origin": "https://evil.example", "X-CSRF-Token": csrf},
    )
    assert cross.status_code == 403 and "cross-site" in cross.json()["detail"]
    no_token = await oidc_client.post(f"{STAFF_API}/meetings", json=body)
    assert no_token.status_code == 403 and "CSRF" in no_token.json()["detail"]
    booked = await oidc_client.post(
        f"{STAFF_API}/meetings", json=body, headers={"X-CSRF-Token": csrf, "Origin": BFF}
    )
    assert booked.status_code == 201, booked.text
    day = (await staff_day(oidc_client)).json()
    assert [m["id"] for m in day["meetings"]] == [booked.json()["id"]]
    assert day["meetings"][0]["guests"] == ["Karen Jensen"]
    host = await oidc_client.post(
        f"{STAFF_API}/meetings/{booked.json()['id']}/host", headers={"X-CSRF-Token": csrf}
    )
    assert host.status_code == 200 and host.json() == {"url": "/kobenhavn/"}
    shell = await oidc_client.get("/kobenhavn/")
    assert '"role":"host"' in shell.text and "Hanne Sygeplejerske" in shell.text
    cancelled = await oidc_client.delete(
        f"{STAFF_API}/meetings/{booked.json()['id']}", headers={"X-CSRF-Token": csrf}
    )
    assert cancelled.status_code == 204
    day = (await staff_day(oidc_client)).json()
    assert day["meetings"][0]["status"] == "cancelled" and day["meetings"][0]["guests"] == []


async def test_the_openapi_says_what_the_staff_and_session_apis_need(
    oidc_client: Client,
) -> None:
    """The portal's and the meeting session's API are in the OpenAPI document: the cookies as
    this installation names them, the CSRF token on changes, and the refusals they really give
    (webapp/src/lib/api-types.gen.ts is generated from it)."""
    doc = (await oidc_client.get("/schema/openapi.json")).json()
    schemes = doc["components"]["securitySchemes"]
    assert (schemes["staffSession"]["in"], schemes["staffSession"]["name"]) == (
        "cookie",
        "bv_staff",
    )
    assert (schemes["csrfToken"]["in"], schemes["csrfToken"]["name"]) == ("header", "X-CSRF-Token")
    assert (schemes["browserSession"]["in"], schemes["browserSession"]["name"]) == (
        "cookie",
        "bv_session",
    )
    paths = {path: item for path, item in doc["paths"].items() if path.startswith(STAFF_DOC)}
    staff = {(method, path): op for path, item in paths.items() for method, op in item.items()}
    assert {op["operationId"] for op in staff.values()} == {
        "StaffSession",
        "StaffLogout",
        "StaffListMeetings",
        "StaffBookMeeting",
        "StaffCancel",
        "StaffHost",
    }
    for (method, _), op in staff.items():
        want = (
            [{"staffSession": []}] if method == "get" else [{"staffSession": [], "csrfToken": []}]
        )
        assert op["security"] == want, op["operationId"]
        assert {"401", "403", "404"} <= set(op["responses"]), op["operationId"]
    book = staff[("post", f"{STAFF_DOC}/meetings")]
    body = book["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/MeetingCreate")  # as a case system books
    session_ops = doc["paths"]["/api/session/heartbeat"]["post"]
    assert session_ops["security"] == [{"browserSession": []}]
    assert {"200", "401", "410"} <= set(session_ops["responses"])
    # What the document says is what they answer.
    documented = staff[("get", f"{STAFF_DOC}/session")]
    unknown = await session(oidc_client)
    assert unknown.status_code == 401 and "401" in documented["responses"]
    await login(oidc_client)
    no_token = await oidc_client.post(f"{STAFF_API}/logout")
    assert no_token.status_code == 403 and "CSRF" in no_token.json()["detail"]
    assert "403" in staff[("post", f"{STAFF_DOC}/logout")]["responses"]
    beat = await oidc_client.post("/api/session/heartbeat", headers={"Origin": BFF})
    assert beat.status_code == 401 and "401" in session_ops["responses"]
    # The admin API takes a party_admin login as well as the key; hanne's (staff) is refused.
    admin = doc["paths"]["/api/v1/parties/{party_id}/plugins"]["get"]
    assert admin["security"] == [{"adminKey": []}, {"staffSession": [], "csrfToken": []}]
    refused = await oidc_client.get("/api/v1/parties/kobenhavn/plugins")
    assert refused.status_code == 403 and "403" in admin["responses"]


async def test_my_meetings_my_teams_and_the_schedulers_day(oidc_client: Client) -> None:
    """A nurse sees her own meetings (booked by her or naming her as host) with names; her
    team's without names; the party's day and anyone's meeting only as a scheduler."""

    async def as_(account: str) -> dict[str, str]:
        await login(oidc_client, account)
        return {"X-CSRF-Token": (await session(oidc_client)).json()["csrf_token"]}

    async def day(scope: str, **query: str) -> httpx.Response:
        return await staff_day(oidc_client, scope=scope, **query)

    def ids(answer: httpx.Response) -> list[str]:
        assert answer.status_code == 200, answer.text
        return [m["id"] for m in answer.json()["meetings"]]

    hanne = await as_("hanne")
    assert (await session(oidc_client)).json()["teams"] == ["nord"]
    own = await oidc_client.post(
        f"{STAFF_API}/meetings",
        headers=hanne,
        json=booking(guests=[{"display_name": "Karen Jensen"}]),
    )
    later = timedelta(minutes=10)
    for_mette = await oidc_client.post(
        f"{STAFF_API}/meetings",
        headers=hanne,
        json=booking(later, guests=[{"display_name": "Ole Hansen"}], host_staff_id="mette"),
    )
    assert own.status_code == 201 and for_mette.status_code == 201, own.text + for_mette.text
    a, b = own.json()["id"], for_mette.json()["id"]
    assert ids(await day("mine")) == [a, b]  # booked by her, both
    mine = (await day("mine")).json()["meetings"][0]
    assert mine["guests"] == ["Karen Jensen"] and mine["mine"] and mine["team"] == "nord"
    refused = await day("party")
    assert refused.status_code == 403 and "scheduler" in refused.json()["detail"]

    lise = await as_("lise")
    theirs = await oidc_client.post(
        f"{STAFF_API}/meetings",
        headers=lise,
        json=booking(timedelta(minutes=15), guests=[{"display_name": "Per Madsen"}]),
    )
    c = theirs.json()["id"]

    mette = await as_("mette")
    assert ids(await day("mine")) == [b]  # named as host
    assert (await day("mine")).json()["meetings"][0]["guests"] == ["Ole Hansen"]
    team = (await day("team")).json()["meetings"]
    assert [m["id"] for m in team] == [a, b]  # not the scheduler's team's
    assert team[0]["guests"] == [] and team[0]["guest_count"] == 1 and not team[0]["mine"]
    assert (await day("team", team="visitation")).status_code == 403
    assert (await day("party")).status_code == 403
    not_hers = await oidc_client.delete(f"{STAFF_API}/meetings/{a}", headers=mette)
    assert not_hers.status_code == 403 and "scheduler" in not_hers.json()["detail"]
    host = await oidc_client.post(f"{STAFF_API}/meetings/{a}/host", headers=mette)
    assert host.status_code == 403
    assert (await oidc_client.post(f"{STAFF_API}/meetings/{b}/host", headers=mette)).is_success

    lise = await as_("lise")
    assert ids(await day("mine")) == [c]
    everyone = (await day("party")).json()["meetings"]
    assert [m["id"] for m in everyone] == [a, b, c]
    assert everyone[0]["guests"] == ["Karen Jensen"]  # a scheduler manages them all
    assert (await oidc_client.delete(f"{STAFF_API}/meetings/{a}", headers=lise)).status_code == 204


async def test_the_day_is_one_round_trip_whatever_its_length(
    oidc_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day's list costs one request to Redis, for one meeting as for five (counted where
    the client writes to its connection: a pipeline is one write, each command outside is one)."""
    await login(oidc_client, "hanne")
    csrf = {"X-CSRF-Token": (await session(oidc_client)).json()["csrf_token"]}
    state = oidc_client.app.state
    party = state.parties["kobenhavn"]
    sent: list[object] = []
    original = Connection.send_packed_command

    async def counted(self: Connection, command: Any, check_health: bool = True) -> None:
        sent.append(command)
        await original(self, command, check_health)

    pool = state.redis.connection_pool  # the app's Redis, from this test's own event loop
    redis = Redis(
        connection_pool=ConnectionPool(
            connection_class=pool.connection_class, **pool.connection_kwargs
        )
    )

    async def read(count: int) -> list[Any]:
        raw = await redis.get(SESSION + session_ref(oidc_client.cookies["bv_staff"]))
        login_ = msgspec.json.decode(raw, type=StaffSession)
        day = datetime.now(COPENHAGEN).date()
        sent.clear()
        monkeypatch.setattr(Connection, "send_packed_command", counted)
        listed = await _read_day(
            redis,
            state.sealer,
            party,
            login_,
            [staff_day_key(party.id, login_.staff_key, day)],
            day,
        )
        monkeypatch.undo()
        assert len(listed) == count and all(m.guests == ["Karen Jensen"] for m in listed)
        return sent

    for minutes in range(5):
        answer = await oidc_client.post(
            f"{STAFF_API}/meetings",
            headers=csrf,
            json=booking(timedelta(seconds=minutes), guests=[{"display_name": "Karen Jensen"}]),
        )
        assert answer.status_code == 201, answer.text
        if minutes == 0:
            assert len(await read(1)) == 1
    assert len(await read(5)) == 1
    await redis.aclose()


async def test_a_launch_naming_her_staff_id_makes_the_meeting_hers(
    oidc_client: Client, branding: tuple[Path, EojSigner]
) -> None:
    await login(oidc_client, "lise")
    csrf = {"X-CSRF-Token": (await session(oidc_client)).json()["csrf_token"]}
    booked = await oidc_client.post(f"{STAFF_API}/meetings", headers=csrf, json=booking())
    meeting_id = booked.json()["id"]
    await login(oidc_client, "mette")
    mine = await staff_day(oidc_client)
    assert mine.json()["meetings"] == []
    bad = launch_token(branding[1], meeting_id, host_staff_id="\u0000")
    assert (await oidc_client.get("/kobenhavn/launch", params={"token": bad})).status_code == 401
    token = launch_token(branding[1], meeting_id, host_staff_id="mette")
    launched = await oidc_client.get(
        "/kobenhavn/launch", params={"token": token}, follow_redirects=False
    )
    assert launched.status_code in (302, 303), launched.text
    mine = await staff_day(oidc_client)
    assert [m["id"] for m in mine.json()["meetings"]] == [meeting_id]
    assert mine.json()["meetings"][0]["mine"]


# -- machine clients ---------------------------------------------------------------------------


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def access_claims(issuer: str, scope: str, lifetime: int = 300) -> dict[str, Any]:
    """An access token's claims for København's API, as the case system eoj-nexus gets them."""
    return token_claims(issuer, API_AUDIENCE, lifetime, {"scope": scope, "client_id": "eoj-nexus"})


async def test_access_tokens_with_and_without_the_operations_scope(
    oidc_client: Client, provider: OidcProvider
) -> None:
    writer, reader = provider.machine_token("eoj-nexus"), provider.machine_token("eoj-reader")
    created = await oidc_client.post("/api/v1/meetings", json=booking(), headers=bearer(writer))
    assert created.status_code == 201, created.text
    meeting = f"/api/v1/meetings/{created.json()['id']}"
    assert (await oidc_client.get(meeting, headers=bearer(reader))).status_code == 200
    refused = await oidc_client.post("/api/v1/meetings", json=booking(), headers=bearer(reader))
    assert refused.status_code == 403 and "meetings:write" in refused.json()["detail"]
    assert (await oidc_client.delete(meeting, headers=bearer(reader))).status_code == 403
    stats = await oidc_client.get("/api/v1/stats", headers=bearer(writer))
    assert stats.status_code == 200 and stats.json()["scope"] == "party"
    assert (await oidc_client.get("/api/v1/stats", headers=bearer(reader))).status_code == 403
    assert (await oidc_client.get("/api/v1/devices", headers=bearer(writer))).status_code == 200
    assert (await oidc_client.get("/api/v1/devices", headers=bearer(reader))).status_code == 403
    assert (await oidc_client.delete(meeting, headers=bearer(writer))).status_code == 204


async def test_bad_access_tokens_are_refused(oidc_client: Client, provider: OidcProvider) -> None:
    good = provider.machine_token()
    now = int(time.time())
    claims = access_claims(provider.issuer, "meetings:read meetings:write")
    head, payload, sig = good.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=="))
    body["scope"] += " admin"
    forged_payload = base64.urlsafe_b64encode(json.dumps(body).encode())
    cases = {
        "tampered": f"{head}.{forged_payload.decode().rstrip('=')}.{sig}",
        "expired": provider.sign(claims | {"iat": now - 900, "exp": now - 600}),
        "wrong audience": provider.sign(claims | {"aud": "borgervideo:region-midt:api"}),
        "an ID token": provider.sign(claims | {"aud": [API_AUDIENCE, CLIENT_ID], "nonce": "n"}),
        "another issuer": provider.sign(claims | {"iss": "https://evil.example"}),
        "unsigned": f"{head.replace(head, 'eyJhbGciOiJub25lIn0')}.{payload}.",
    }
    for why, token in cases.items():
        answer = await oidc_client.get("/api/v1/meetings/" + "0" * 32, headers=bearer(token))
        assert answer.status_code == 401, (why, answer.text)
    assert (
        await oidc_client.get("/api/v1/meetings/" + "0" * 32, headers=bearer(good))
    ).status_code == 404  # the good one passes the guard: no such meeting


async def test_static_keys_are_off_unless_switched_on(oidc_settings: Settings) -> None:
    off = settings_with(oidc_settings, demo=False, identity={"api_keys": None, "admin_keys": None})
    assert not off.api_keys_on and not off.admin_keys_on
    async with AsyncTestClient(app=create_app(off), base_url=BFF) as client:
        key = await client.get(
            "/api/v1/meetings/" + "0" * 32, headers={"X-API-Key": "demo-kobenhavn-key"}
        )
        assert key.status_code == 401 and "switched off" in key.json()["detail"]
    on = settings_with(oidc_settings, identity={"api_keys": True})
    async with AsyncTestClient(app=create_app(on), base_url=BFF) as client:
        key = await client.get(
            "/api/v1/meetings/" + "0" * 32, headers={"X-API-Key": "demo-kobenhavn-key"}
        )
        assert key.status_code == 404


async def test_jwks_rotation_is_picked_up_on_an_unknown_kid(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_ENV, CLIENT_SECRET)
    (tmp_path / "idp").mkdir()
    with running_oidc_provider([BFF], tmp_path / "idp") as idp:
        app = create_app(with_oidc(settings, tmp_path, idp.issuer, jwks_min_refresh=3))
        async with AsyncTestClient(app=app, base_url=BFF) as client:
            url = "/api/v1/meetings/" + "0" * 32
            old_key = idp.keys[0]
            assert (await client.get(url, headers=bearer(idp.machine_token()))).status_code == 404
            cache = app.state.issuers.get(idp.issuer)
            first_fetch = cache._keys_at
            idp.rotate([new_signing_key("key-2")])
            fresh = idp.machine_token()
            await asyncio.sleep(max(0.0, first_fetch + 3.1 - time.monotonic()))
            # A kid the cached set lacks: the key set is fetched again, the new kid accepted.
            assert (await client.get(url, headers=bearer(fresh))).status_code == 404
            refetched = cache._keys_at
            assert refetched > first_fetch
            claims = access_claims(idp.issuer, "meetings:read", lifetime=60)
            # Within BV_JWKS_MIN_REFRESH of that fetch another unknown kid is refused without
            # asking the provider again (made-up kids cannot make the BFF hammer it)...
            stranger = OidcProvider(idp.port, [BFF], tmp_path, keys=[new_signing_key("key-x")])
            assert (await client.get(url, headers=bearer(stranger.sign(claims)))).status_code == 401
            assert cache._keys_at == refetched
            # ...and the retired key no longer opens anything.
            retired = OidcProvider(idp.port, [BFF], tmp_path, keys=[old_key]).sign(claims)
            assert (await client.get(url, headers=bearer(retired))).status_code == 401


# -- configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scopes": ["openid", "profile", "cprNumber"]}, "oidc.scopes[2]: never request cprNumber"),
        ({"scopes": ["profile"]}, "oidc.scopes: must include openid"),
        ({"issuer": "http://broker.example"}, "oidc.issuer: must be https://"),
        ({"client_secret_env": "BV_NOT_SET_ANYWHERE"}, "oidc.client_secret_env: environment "),
        ({"roles": {}}, "oidc.roles: map at least one"),
        ({"api_audience": CLIENT_ID}, "oidc.api_audience: must differ"),
        ({"unknown": 1}, "oidc: Object contains unknown field `unknown`"),
    ],
)
def test_a_bad_oidc_section_stops_start_up_naming_file_and_field(
    tmp_path: Path, branding: tuple[Path, EojSigner], change: dict[str, Any], message: str
) -> None:
    folder = tmp_path / "branding"
    shutil.copytree(branding[0], folder)
    file = folder / "kobenhavn" / "party.json"
    data = json.loads(file.read_text())
    data["oidc"] = party_oidc("https://broker.example/realms/kbh") | change
    file.write_text(json.dumps(data))
    with pytest.raises(PartyConfigError) as raised:
        load_party(folder / "kobenhavn", folder, env={SECRET_ENV: "s"})
    assert "kobenhavn/party.json" in str(raised.value)
    assert message in str(raised.value)


async def test_a_meeting_opened_as_host_ends_with_the_login(
    oidc_client: Client, provider: OidcProvider
) -> None:
    await login(oidc_client, "hanne")
    csrf = (await session(oidc_client)).json()["csrf_token"]
    headers = {"X-CSRF-Token": csrf}
    booked = await oidc_client.post(f"{STAFF_API}/meetings", json=booking(), headers=headers)
    host = await oidc_client.post(
        f"{STAFF_API}/meetings/{booked.json()['id']}/host", headers=headers
    )
    assert host.status_code == 200
    assert '"role":"host"' in (await oidc_client.get("/kobenhavn/")).text
    done = await oidc_client.post(
        "/kobenhavn/staff/backchannel-logout", data={"logout_token": logout_token(provider)}
    )
    assert done.status_code == 200
    assert '"grant":null' in (await oidc_client.get("/kobenhavn/")).text


def test_the_parties_command_checks_an_oidc_party_without_its_secret(
    tmp_path: Path, branding: tuple[Path, EojSigner]
) -> None:
    folder = tmp_path / "branding"
    shutil.copytree(branding[0], folder)
    add_oidc_to_branding(folder, "https://broker.example/realms/kbh")
    with pytest.raises(PartyConfigError, match="BV_OIDC_SECRET_KOBENHAVN is not set"):
        load_party(folder / "kobenhavn", folder, env={})
    party = load_party(folder / "kobenhavn", folder, env={}, secrets=False)
    assert party.oidc is not None and party.oidc.api_audience == API_AUDIENCE
    loaded = load_party(folder / "kobenhavn", folder, env={SECRET_ENV: "s3cret"})
    assert loaded.oidc is not None and "s3cret" not in repr(loaded.oidc)


async def test_an_access_tokens_treatment_relation_names_the_person(
    oidc_client: Client, provider: OidcProvider
) -> None:
    """Issue 19: names in a phonebook look-up only for the person the token's
    `treatment_relation` names (checked per look-up); `true` alone names nobody."""
    claims = access_claims(provider.issuer, "phonebook:lookup phonebook:report")
    x, other = {"kind": "cpr", "id": "010190-1234"}, {"kind": "cpr", "id": "020202-2222"}
    report = provider.sign(claims)
    entry = {
        "alias": "4711@vdx.localhost",
        "person": x,
        "role": "guest",
        "display_name": "Karen Token Jensen",
        "title": "Kontrol",
    }
    put = await oidc_client.put("/api/v1/phonebook/presence", json=entry, headers=bearer(report))
    assert put.status_code == 200, put.text

    async def names(relation: object) -> tuple[int, object]:
        token = provider.sign(claims | {"treatment_relation": relation})
        answer = await oidc_client.post(
            "/api/v1/phonebook/lookup", json={"person": x}, headers=bearer(token)
        )
        if answer.status_code != 200:
            return answer.status_code, answer.json()["detail"]
        return 200, [r["display_name"] for r in answer.json()["results"]]

    assert await names(x) == (200, ["Karen Token Jensen"])
    both = [other, {"kind": "cpr", "id": "0101901234"}]
    assert await names(both) == (200, ["Karen Token Jensen"])
    assert await names(True) == (200, [None])
    assert await names(other) == (200, [None])
    refused = await names({"kind": "cpr", "id": "nonsense"})
    assert refused[0] == 401 and "treatment_relation" in str(refused[1])


async def test_an_administrator_is_named_by_pseudonym_in_logs_and_at_rest(
    oidc_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 19: `by=` in logs, the plugin history and enrolment records hold no name."""
    await login(oidc_client, "ida")
    headers = {"X-CSRF-Token": (await session(oidc_client)).json()["csrf_token"], "Origin": BFF}
    base = "/api/v1/parties/kobenhavn/plugins"
    version = (await oidc_client.get(base)).headers["etag"]
    with caplog.at_level("INFO"):
        saved = await oidc_client.put(
            base, json={"plugins": [{"id": "sms-invite"}]}, headers=headers | {"If-Match": version}
        )
        assert saved.status_code == 200, saved.text
        code = await oidc_client.post(
            "/api/v1/parties/kobenhavn/device-enrolments", json={"label": "Tablet"}, headers=headers
        )
        assert code.status_code == 201, code.text
    history = (await oidc_client.get(base + "/history")).json()
    assert re.fullmatch(r"admin:[0-9a-f]{16}", history[-1]["by"])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert history[-1]["by"] in logged and "Ida Administrator" not in logged
    assert "Ida Administrator" not in await all_redis_text(oidc_client.app)
