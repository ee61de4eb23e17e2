"""Plugins (issue 6): the party admin API, plugin files, the runtime manifest and CSP, plugin
tokens and the invite API, against real Redis and the real emulator."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import shutil
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.core.security import sha256_hex
from bff.core.settings import Settings, SettingsError, load_settings
from bff.parties.loader import PartyConfigError, load_parties
from bff.plugins.catalogue import CatalogueError, load_catalogue
from bff.plugins.service import MAX_VERSIONS, PluginService
from bff.tests.conftest import ROOT, EojSigner, settings_with
from bff.tests.test_integration import book, launch_token, link_path, redis_of, shell_config
from bff.tests.test_parties import all_bytes, new_party, run_command

Client = AsyncTestClient[Litestar]
BASE = "/api/v1/parties/kobenhavn/plugins"
ADMIN = {"X-Admin-Key": "demo-kobenhavn-admin-key"}
REGION_ADMIN = {"X-Admin-Key": "demo-region-midt-admin-key"}
OWN_ORIGIN = {"Origin": "http://127.0.0.1:8080", "Sec-Fetch-Site": "same-origin"}
INVITES = "/api/plugin/v1/invites"
PLUGIN_HOST = "http://localhost:8080"

FIXTURE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["phone"],
    "properties": {
        "phone": {"type": "string", "pattern": r"^\+[0-9]{8,15}$"},
        "greeting": {"type": "string", "default": "Hej", "maxLength": 20},
        "nested": {
            "type": "object",
            "properties": {"level": {"type": "integer", "minimum": 1, "maximum": 3}},
        },
    },
}


@pytest.fixture
def plugin_dir(tmp_path: Path) -> Path:
    """A second catalogue folder (BV_PLUGINS_DIR lists both): one fixture plugin."""
    root = tmp_path / "more-plugins"
    folder = root / "fixture"
    (folder / "dist" / "assets").mkdir(parents=True)
    (folder / "plugin.json").write_text(
        json.dumps(
            {
                "id": "fixture",
                "version": "2.1.0",
                "title": "Fixture",
                "entry": "dist/index.html",
                "defaultRoles": ["host", "guest"],
                "settingsSchema": FIXTURE_SCHEMA,
                "allow": ["microphone", "clipboard-write"],
            }
        )
    )
    (folder / "dist" / "index.html").write_text("<!doctype html><title>fixture</title>")
    (folder / "dist" / "assets" / "app.js").write_text("console.log('fixture')\n")
    (folder / "dist" / ".env").write_text("SECRET=1\n")
    (folder / "secret.txt").write_text("outside the entry's folder\n")
    os.symlink("/etc/hostname", folder / "dist" / "escape.txt")
    return root


@pytest.fixture
def settings(settings: Settings, plugin_dir: Path) -> Settings:
    """conftest's settings, with the fixture plugin's folder beside the first-party plugins."""
    return settings_with(settings, plugins={"dirs": (ROOT / "plugins", plugin_dir)})


@pytest.fixture
async def split_client(settings: Settings) -> AsyncIterator[Client]:
    """The app with a separate plugin origin (localhost, same port), as devstack runs it."""
    app = create_app(settings_with(settings, plugins={"origin": PLUGIN_HOST}))
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as client:
        yield client


async def put_set(
    client: Client,
    plugins: list[dict[str, Any]],
    version: int | str | None,
    headers: dict[str, str] = ADMIN,
) -> httpx.Response:
    extra = {} if version is None else {"If-Match": f'"{version}"'}
    return await client.put(BASE, json={"plugins": plugins}, headers={**headers, **extra})


INTERPRETER = {"id": "interpreter", "settings": {"destination": "tolk@tolk.example"}}


async def test_without_if_match_a_write_is_428_before_its_body_is_looked_at(client: Client) -> None:
    wrong_shape = {"plugins": "all of them"}
    refused = await client.put(BASE, json=wrong_shape, headers=ADMIN)
    assert refused.status_code == 428 and "If-Match is required" in refused.json()["detail"]
    named = await client.put(BASE, json=wrong_shape, headers={**ADMIN, "If-Match": '"0"'})
    assert named.status_code == 422 and named.json()["detail"].startswith("plugins")
    assert (await client.get(BASE, headers=ADMIN)).json()["version"] == 0


async def test_the_schema_says_if_match_is_required_where_it_is(client: Client) -> None:
    doc = (await client.get("/schema/openapi.json")).json()
    published = {
        op["operationId"]: param
        for path in doc["paths"].values()
        for op in path.values()
        for param in op.get("parameters", [])
        if param["name"] == "If-Match"
    }
    assert set(published) == {
        "PutPartyPlugins",
        "RollbackPartyPlugins",
        "UploadPartyBranding",
        "ActivatePartyBranding",
    }
    for param in published.values():
        assert param["required"] is True and param["schema"]["type"] == "string"
        pattern = re.compile(param["schema"]["pattern"])
        assert pattern.match('"3"') and pattern.match('W/"12"') and not pattern.match("*")


# --- the admin API ----------------------------------------------------------------------


async def test_admin_key_of_this_party_only(client: Client) -> None:
    assert (await client.get(BASE)).status_code == 401
    unknown = await client.get(BASE, headers={"X-Admin-Key": "nope"})
    other = await client.get(BASE, headers=REGION_ADMIN)
    api_key = await client.get(BASE, headers={"X-Admin-Key": "demo-kobenhavn-key"})
    assert unknown.status_code == other.status_code == api_key.status_code == 401
    assert unknown.json() == other.json()  # another party's key reveals nothing more
    assert (
        await client.get(BASE.replace("kobenhavn", "nowhere"), headers=ADMIN)
    ).status_code == 404
    # The region's key works for the region and changes nothing at kobenhavn.
    region = BASE.replace("kobenhavn", "region-midt")
    answer = await client.put(
        region, json={"plugins": [INTERPRETER]}, headers={**REGION_ADMIN, "If-Match": '"0"'}
    )
    assert answer.status_code == 200, answer.text
    assert (await put_set(client, [INTERPRETER], 0, REGION_ADMIN)).status_code == 401
    assert (await client.get(BASE, headers=ADMIN)).json()["version"] == 0


async def test_read_put_etag_history_and_rollback(client: Client) -> None:
    first = await client.get(BASE, headers=ADMIN)
    assert first.status_code == 200 and first.headers["etag"] == '"0"'
    assert first.headers["cache-control"] == "no-store"
    body = first.json()
    assert body["version"] == 0 and body["plugins"] == []
    ids = {entry["id"] for entry in body["catalogue"]}
    assert {"sms-invite", "interpreter", "fixture"} <= ids
    assert "allow-same-origin" not in body["allowedSandboxValues"]  # same-origin plugins

    assert (await put_set(client, [INTERPRETER], None)).status_code == 428
    one = await put_set(client, [INTERPRETER], 0)
    assert one.status_code == 200 and one.headers["etag"] == '"1"'
    saved = one.json()["plugins"][0]
    # Left out: the catalogue's defaults (sandbox values, roles).
    assert saved == {
        "id": "interpreter",
        "enabled": True,
        "settings": {"destination": "tolk@tolk.example"},
        "sandboxValues": [],
        "roles": ["host"],
        "allow": [],
        "version": "1.0.0",  # the newest, recorded as chosen
    }
    stale = await put_set(client, [], 0)
    assert stale.status_code == 412 and "changed since version 0" in stale.json()["detail"]
    two = await put_set(client, [{"id": "sms-invite"}, INTERPRETER | {"enabled": False}], "1")
    assert two.status_code == 200 and two.json()["version"] == 2
    assert [p["id"] for p in two.json()["plugins"]] == ["sms-invite", "interpreter"]  # order kept

    history = (await client.get(f"{BASE}/history", headers=ADMIN)).json()
    assert [(h["version"], h["by"]) for h in history] == [(1, "demo"), (2, "demo")]
    assert all(h["at"].endswith("+00:00") for h in history)

    assert (
        await client.post(f"{BASE}/rollback", json={"version": 1}, headers=ADMIN)
    ).status_code == 428
    stale_rb = await client.post(
        f"{BASE}/rollback", json={"version": 1}, headers={**ADMIN, "If-Match": '"1"'}
    )
    assert stale_rb.status_code == 412
    missing = await client.post(
        f"{BASE}/rollback", json={"version": 9}, headers={**ADMIN, "If-Match": '"2"'}
    )
    assert missing.status_code == 404
    back = await client.post(
        f"{BASE}/rollback", json={"version": 1}, headers={**ADMIN, "If-Match": '"2"'}
    )
    assert back.status_code == 200 and back.headers["etag"] == '"3"'
    assert back.json()["plugins"] == one.json()["plugins"]
    assert (await client.get(f"{BASE}/versions/2", headers=ADMIN)).json()["plugins"] == two.json()[
        "plugins"
    ]


@pytest.mark.parametrize(
    ("plugins", "detail"),
    [
        ([{"id": "no-such-plugin"}], "plugins[0].id: no plugin 'no-such-plugin' in the catalogue"),
        ([INTERPRETER, INTERPRETER], "plugins[1].id: 'interpreter' is in the set twice"),
        ([{"id": "interpreter"}], "plugins[0].settings.destination: required"),
        (
            [INTERPRETER | {"settings": {"destination": "x@y", "protocol": "pigeon"}}],
            "plugins[0].settings.protocol: 'pigeon' is not one of",
        ),
        (
            [{"id": "sms-invite", "settings": {"colour": "red"}}],
            "plugins[0].settings.colour: not a setting of this plugin",
        ),
        (
            [{"id": "fixture", "settings": {"phone": "+4512345678", "nested": {"level": 7}}}],
            "plugins[0].settings.nested.level: 7 is greater than the maximum of 3",
        ),
        (
            [{"id": "fixture", "settings": {"phone": "12"}}],
            "plugins[0].settings.phone: '12' does not match",
        ),
        ([{"id": "sms-invite", "enabled": "yes"}], "plugins[0].enabled: Expected `bool`"),
        ([{"id": "sms-invite", "roles": ["admin"]}], "plugins[0].roles[0]: Invalid enum value"),
        (
            [{"id": "sms-invite", "sandboxValues": ["allow-top-navigation"]}],
            "plugins[0].sandboxValues[0]: 'allow-top-navigation' is not one of",
        ),
        (
            [{"id": "sms-invite", "sandboxValues": ["allow-forms", "allow-same-origin"]}],
            "plugins[0].sandboxValues[1]: allow-same-origin is refused",
        ),
        ([{"id": "sms-invite", "unknown": 1}], "plugins[0]: Object contains unknown field"),
        (
            [{"id": "fixture", "settings": {"phone": "+4512345678"}, "allow": ["camera"]}],
            "plugins[0].allow[0]: 'camera' is not a permission 'fixture' uses (its plugin.json "
            "allow: microphone, clipboard-write)",
        ),
        (
            [{"id": "sms-invite", "allow": ["microphone"]}],
            "plugins[0].allow[0]: 'microphone' is not a permission 'sms-invite' uses",
        ),
    ],
)
async def test_bad_sets_are_422_naming_the_field(
    client: Client, plugins: list[dict[str, Any]], detail: str
) -> None:
    answer = await put_set(client, plugins, 0)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"].startswith(detail), answer.json()["detail"]
    assert (await client.get(BASE, headers=ADMIN)).json()["version"] == 0  # nothing stored


async def test_bodies_are_bounded_and_must_be_json(client: Client) -> None:
    huge = [{"id": "fixture", "settings": {"phone": "+4512345678", "greeting": "x" * 70_000}}]
    too_big = await put_set(client, huge, 0)
    assert too_big.status_code == 413
    not_json = await client.put(BASE, content=b"{plugins", headers={**ADMIN, "If-Match": '"0"'})
    assert not_json.status_code == 400
    not_a_list = await client.put(BASE, json={"plugins": {}}, headers={**ADMIN, "If-Match": '"0"'})
    assert not_a_list.status_code == 422 and not_a_list.json()["detail"].startswith("plugins:")
    assert (await client.get(BASE, headers=ADMIN)).json()["version"] == 0


async def test_old_versions_are_trimmed(client: Client, app: Litestar) -> None:
    async with redis_of(app) as redis:
        service = PluginService(redis, app.state.plugin_catalogue, separate_origin=False)
        for version in range(MAX_VERSIONS + 2):
            await service._write("kobenhavn", version, [], "test")
        history = await service.history("kobenhavn")
        assert len(history) == MAX_VERSIONS and history[0].version == 3
        assert await redis.get("bv:plugins:{kobenhavn}:v:2") is None
    assert (await client.get(f"{BASE}/versions/2", headers=ADMIN)).status_code == 404
    assert (await client.get(f"{BASE}/versions/3", headers=ADMIN)).status_code == 200


# --- the runtime manifest, CSP ------------------------------------------------------------


async def host_session(client: Client, signer: EojSigner) -> dict[str, Any]:
    created = await book(client, guests=[{"display_name": "Borger Test"}])
    launch = launch_token(signer, created["id"])
    assert (await client.get("/kobenhavn/launch", params={"token": launch})).status_code == 200
    return created


def fragment(src: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(src).fragment).items()}


async def test_manifest_follows_the_set_and_the_role(client: Client, signer: EojSigner) -> None:
    created = await host_session(client, signer)
    page = await client.get("/kobenhavn/")
    assert shell_config(page.text)["manifest"]["plugins"] == []
    assert "frame-src 'self'; child-src 'self';" in page.headers["content-security-policy"]

    plugins = [
        {
            "id": "fixture",
            "settings": {"phone": "+4512345678"},
            "sandboxValues": ["allow-forms"],
            "allow": ["microphone"],
        },
        {"id": "sms-invite"},
        INTERPRETER | {"enabled": False},
    ]
    assert (await put_set(client, plugins, 0)).status_code == 200
    host = shell_config((await client.get("/kobenhavn/")).text)["manifest"]["plugins"]
    assert [p["id"] for p in host] == ["fixture", "sms-invite"]  # enabled ones, in order
    assert host[0]["sandboxValues"] == ["allow-forms"]
    # Only what was granted (clipboard-write is declared, not granted), nothing by default.
    assert host[0]["allow"] == ["microphone"] and host[1]["allow"] == []
    assert host[0]["src"].startswith("/plugin-files/fixture/2.1.0/index.html#")
    assert fragment(host[0]["src"]) == {"bv-party": "kobenhavn", "bv-api": "http://127.0.0.1:8080"}
    assert "bv-plugin-token" in fragment(host[1]["src"])  # sms-invite uses the plugin API

    await client.get(link_path(created))  # now the citizen's session: sms-invite is host-only
    guest = shell_config((await client.get("/kobenhavn/")).text)["manifest"]["plugins"]
    assert [p["id"] for p in guest] == ["fixture"]
    admin = shell_config((await client.get("/kobenhavn/admin/plugins")).text)["manifest"]
    assert admin["plugins"] == []  # the admin pages load no plugin


async def test_separate_plugin_origin(split_client: Client, signer: EojSigner) -> None:
    client = split_client
    await host_session(client, signer)
    granted = {
        "id": "fixture",
        "settings": {"phone": "+4512345678"},
        "sandboxValues": ["allow-same-origin"],
    }
    assert (await put_set(client, [granted], 0)).status_code == 200
    page = await client.get("/kobenhavn/")
    csp = page.headers["content-security-policy"]
    assert f"frame-src {PLUGIN_HOST}; child-src {PLUGIN_HOST};" in csp
    # A plugin granted the microphone or camera may use them: the page delegates to its origin.
    media = f'(self "{PLUGIN_HOST}")'
    assert page.headers["permissions-policy"] == f"camera={media}, microphone={media}"
    plugin = shell_config(page.text)["manifest"]["plugins"][0]
    assert plugin["src"].startswith(f"{PLUGIN_HOST}/plugin-files/fixture/2.1.0/index.html#")
    assert plugin["sandboxValues"] == ["allow-same-origin"]
    # Plugin files come from the plugin host name only; it serves nothing else.
    on_plugin_host = await client.get(f"{PLUGIN_HOST}/plugin-files/fixture/2.1.0/index.html")
    assert on_plugin_host.status_code == 200
    assert "allow-same-origin" in on_plugin_host.headers["content-security-policy"]
    assert (await client.get("/plugin-files/fixture/2.1.0/index.html")).status_code == 404
    for path in (
        "/kobenhavn/",
        "/api/v1/meetings/x",
        "/api/client/v2/conferences/a/x",
        "/kobenhavn/branding/manifest.json",
    ):
        assert (await client.get(f"{PLUGIN_HOST}{path}")).status_code == 404, path
    config = await client.get(f"{PLUGIN_HOST}/kobenhavn/plugins/fixture/config.json")
    assert config.status_code == 200 and config.json()["phone"] == "+4512345678"


async def test_a_second_same_origin_plugin_only_when_the_shared_origin_is_accepted(
    split_client: Client, signer: EojSigner
) -> None:
    """Issue 19: plugins granted allow-same-origin share the one plugin origin (they can
    read each other's frames and tokens): a second grant needs the operator's acceptance."""
    client = split_client
    await host_session(client, signer)
    both = [
        {
            "id": "fixture",
            "settings": {"phone": "+4512345678"},
            "sandboxValues": ["allow-same-origin"],
        },
        {"id": "sms-invite", "sandboxValues": ["allow-forms", "allow-same-origin"]},
    ]
    refused = await put_set(client, both, 0)
    assert refused.status_code == 422, refused.text
    detail = refused.json()["detail"]
    assert detail.startswith("plugins[1].sandboxValues: allow-same-origin for a second plugin")
    assert "read each other's" in detail and "sharedOriginAccepted" in detail
    accepted = await client.put(
        BASE,
        json={"plugins": both, "sharedOriginAccepted": True},
        headers={**ADMIN, "If-Match": '"0"'},
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["sharedOriginAccepted"] is True
    loaded = shell_config((await client.get("/kobenhavn/")).text)["manifest"]["plugins"]
    assert [p["id"] for p in loaded] == ["fixture", "sms-invite"]
    assert all("allow-same-origin" in p["sandboxValues"] for p in loaded)
    # one plugin alone needs no acceptance
    assert (await put_set(client, both[:1], 1)).status_code == 200


# --- plugin files and settings ------------------------------------------------------------


async def test_plugin_files_and_path_escapes(client: Client) -> None:
    page = await client.get("/plugin-files/fixture/2.1.0/index.html")
    assert page.status_code == 200 and page.text.startswith("<!doctype html>")
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors http://127.0.0.1:8080" in csp and "sandbox allow-scripts" in csp
    assert "allow-same-origin" not in csp  # same-origin plugins never get an origin
    assert page.headers["access-control-allow-origin"] == "*"
    assert page.headers["x-content-type-options"] == "nosniff"
    script = await client.get("/plugin-files/fixture/2.1.0/assets/app.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    for bad in (
        "/plugin-files/fixture/2.0.0/index.html",  # another version
        "/plugin-files/nope/2.1.0/index.html",
        "/plugin-files/fixture/2.1.0/../plugin.json",
        "/plugin-files/fixture/2.1.0/%2e%2e/secret.txt",
        "/plugin-files/fixture/2.1.0/assets/%2e%2e/%2e%2e/plugin.json",
        "/plugin-files/fixture/2.1.0/..%2fsecret.txt",
        "/plugin-files/fixture/2.1.0/.env",
        "/plugin-files/fixture/2.1.0/escape.txt",  # a symlink out of the folder
        "/plugin-files/fixture/2.1.0/%2fetc%2fpasswd",
        "/plugin-files/fixture/2.1.0/assets",
        "/plugin-files/fixture/2.1.0/a%5c..%5c..%5cplugin.json",
    ):
        answer = await client.get(bad)
        assert answer.status_code in (400, 404), (bad, answer.status_code)
        assert "outside the entry" not in answer.text and "SECRET" not in answer.text


async def test_plugin_settings_are_served_with_defaults(client: Client) -> None:
    before = await client.get("/kobenhavn/plugins/fixture/config.json")
    assert before.status_code == 200 and before.json() == {"greeting": "Hej"}
    set_ = [{"id": "fixture", "settings": {"phone": "+4512345678"}}]
    assert (await put_set(client, set_, 0)).status_code == 200
    after = await client.get("/kobenhavn/plugins/fixture/config.json", headers={"Origin": "null"})
    assert after.json() == {"greeting": "Hej", "phone": "+4512345678"}
    assert after.headers["access-control-allow-origin"] == "null"
    evil = await client.get(
        "/kobenhavn/plugins/fixture/config.json", headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in evil.headers
    assert (await client.get("/kobenhavn/plugins/nope/config.json")).status_code == 404
    region = await client.get("/region-midt/plugins/fixture/config.json")
    assert region.json() == {"greeting": "Hej"}  # each party its own


# --- plugin tokens and the invite API -----------------------------------------------------


async def plugin_token(client: Client, plugin_id: str) -> str:
    plugins = shell_config((await client.get("/kobenhavn/")).text)["manifest"]["plugins"]
    src = next(p["src"] for p in plugins if p["id"] == plugin_id)
    return fragment(src)["bv-plugin-token"]


async def invite(client: Client, token: str, **headers: str) -> httpx.Response:
    body = {"display_name": "Tolk Jensen", "phone": "+4520304050"}
    return await client.post(
        INVITES, json=body, headers={"Authorization": f"Bearer {token}", **headers}
    )


async def test_invite_sends_sms_with_a_working_link(
    client: Client, signer: EojSigner, emulator_url: str
) -> None:
    await host_session(client, signer)
    assert (await put_set(client, [{"id": "sms-invite"}], 0)).status_code == 200
    token = await plugin_token(client, "sms-invite")
    cookie = client.cookies.get("bv_session")
    client.cookies.clear()  # a plugin has no cookie: the token alone
    answer = await invite(client, token, Origin="null")
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"sms_sent": True}
    assert answer.headers["access-control-allow-origin"] == "null"
    assert answer.headers["cache-control"] == "no-store"
    async with httpx.AsyncClient() as http:
        outbox = (await http.get(f"{emulator_url}/outbox", params={"to": "+4520304050"})).json()
    link = outbox[-1]["message"].split()[-1]
    assert link.startswith("http://127.0.0.1:8080/kobenhavn/j/")
    redeemed = await client.get(urlsplit(link).path, follow_redirects=False)
    assert redeemed.status_code == 200
    grant = shell_config(redeemed.text)["grant"]
    assert grant["role"] == "guest" and grant["displayName"] == "Tolk Jensen"
    client.cookies.set("bv_session", cookie)
    wrong_phone = await client.post(
        INVITES,
        json={"display_name": "X", "phone": "12"},
        headers={"Authorization": f"Bearer {token}", **OWN_ORIGIN},
    )
    assert wrong_phone.status_code == 422 and wrong_phone.json()["detail"].startswith("phone:")


async def test_invite_refusals(client: Client, app: Litestar, signer: EojSigner) -> None:
    created = await host_session(client, signer)
    both = [{"id": "sms-invite", "roles": ["host", "guest"]}]
    assert (await put_set(client, both, 0)).status_code == 200
    token = await plugin_token(client, "sms-invite")

    assert (await client.post(INVITES, json={})).status_code == 401
    assert (await invite(client, "x" * 32)).status_code == 401
    # CORS: the plugin origin (here the app's own) or a sandboxed frame's `null`, no other.
    evil = await invite(client, token, Origin="https://evil.example")
    assert evil.status_code == 403 and "access-control-allow-origin" not in evil.headers
    preflight = await client.options(
        INVITES, headers={"Origin": "null", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "null"
    assert "authorization" in preflight.headers["access-control-allow-headers"]
    assert "access-control-allow-credentials" not in preflight.headers
    evil_pre = await client.options(INVITES, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in evil_pre.headers

    # A plugin without the invites API (its token, were it to have one) is refused.
    async with redis_of(app) as redis:
        service = PluginService(redis, app.state.plugin_catalogue, separate_origin=False)
        ref = (await service.redis.keys("bv:plugin-token:of:*"))[0].decode().split(":")[3]
        other = await service.issue_token("kobenhavn", "fixture", ref, 600)
    assert (await invite(client, other)).status_code == 401

    # A guest's token (the party let guests load it) is refused: hosts invite.
    await client.get(link_path(created))
    guest_token = await plugin_token(client, "sms-invite")
    refused = await invite(client, guest_token)
    assert refused.status_code == 403 and "host" in refused.json()["detail"]

    # The host's token stops with a new page load (one per session and plugin) and with the
    # plugin switched off.
    await client.get("/kobenhavn/launch", params={"token": launch_token(signer, created["id"])})
    first = await plugin_token(client, "sms-invite")
    second = await plugin_token(client, "sms-invite")
    assert (await invite(client, first)).status_code == 401
    assert (await put_set(client, [{"id": "sms-invite", "enabled": False}], 1)).status_code == 200
    assert (await invite(client, second)).status_code == 401
    assert (await put_set(client, both, 2)).status_code == 200
    third = await plugin_token(client, "sms-invite")
    # ... and with the session.
    assert (await client.delete("/api/session", headers=OWN_ORIGIN)).status_code == 204
    assert (await invite(client, third)).status_code == 401


# --- catalogue and settings ------------------------------------------------------------------


def test_bad_catalogue_entries_stop_start_up(tmp_path: Path) -> None:
    folder = tmp_path / "p" / "bad"
    folder.mkdir(parents=True)
    good = {"id": "bad", "version": "1", "title": "Bad", "entry": "dist/index.html"}
    cases = [
        ({"version": "1/2"}, "version:"),
        ({"entry": "../x.html"}, "entry:"),
        ({"defaultSandboxValues": ["allow-top-navigation"]}, "defaultSandboxValues[0]:"),
        (
            {"settingsSchema": {"type": "object", "properties": {"a": {"type": "nope"}}}},
            "settingsSchema.properties.a.type:",
        ),
        ({"settingsSchema": {"type": "array"}}, "settingsSchema.type:"),
        ({"colour": "red"}, "unknown field"),
        ({"allow": ["geolocation"]}, "allow[0]:"),
    ]
    for change, expected in cases:
        (folder / "plugin.json").write_text(json.dumps(good | change))
        with pytest.raises(CatalogueError) as caught:
            load_catalogue((tmp_path / "p",))
        assert "plugin.json" in str(caught.value) and expected in str(caught.value)
    (folder / "plugin.json").write_text(json.dumps(good))
    twin = tmp_path / "q" / "twin"
    twin.mkdir(parents=True)
    (twin / "plugin.json").write_text(json.dumps(good))
    with pytest.raises(CatalogueError, match="is also"):
        load_catalogue((tmp_path / "p", tmp_path / "q"))


def test_plugin_settings_from_the_environment() -> None:
    settings = load_settings(
        {"BV_PLUGINS_DIR": "plugins:e2e/fixtures", "BV_PLUGIN_ORIGIN": "http://LOCALHOST:8080/"}
    )
    assert settings.plugins.dirs == (Path("plugins"), Path("e2e/fixtures"))
    assert settings.plugins.origin == "http://localhost:8080"
    with pytest.raises(SettingsError, match="BV_PLUGIN_ORIGIN"):
        load_settings({"BV_PLUGIN_ORIGIN": "http://plugins.example/path"})
    assert settings.plugins.port is None
    assert load_settings({"BV_PLUGIN_PORT": "8081"}).plugins.port == 8081
    with pytest.raises(SettingsError, match="BV_PLUGIN_PORT: must differ from BV_PORT"):
        load_settings({"BV_PORT": "8080", "BV_PLUGIN_PORT": "8080"})


# --- admin keys in party.json and `python -m bff.parties` ---------------------------------------


async def test_admin_key_command_and_demo_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: Settings
) -> None:
    root = tmp_path / "branding"
    shutil.copytree(settings.data.branding_dir, root)
    new_party(capsys, root, "aarhus")
    code, key, err = run_command(
        capsys, "add-admin-key", "aarhus", "--id", "it", "--branding-dir", str(root)
    )
    key = key.strip()
    assert code == 0 and key.startswith("bv_") and "X-Admin-Key" in err
    assert key.encode() not in all_bytes(root)
    assert load_parties(root)["aarhus"].admin_keys == (("it", sha256_hex(key)),)
    code, _, err = run_command(
        capsys, "add-admin-key", "aarhus", "--id", "it", "--branding-dir", str(root)
    )
    assert code == 2 and "already has an admin key with id 'it'" in err

    app = create_app(  # demo off, static admin keys switched on (BV_ADMIN_KEYS)
        settings_with(
            settings, demo=False, data={"branding_dir": root}, identity={"admin_keys": True}
        )
    )
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as client:
        mine = await client.get("/api/v1/parties/aarhus/plugins", headers={"X-Admin-Key": key})
        assert mine.status_code == 200
        other = await client.get(BASE, headers={"X-Admin-Key": key})
        assert other.status_code == 401
        demo = await client.get(BASE, headers=ADMIN)  # demo keys count only with BV_DEMO=1
        assert demo.status_code == 401

    code, _, err = run_command(
        capsys, "remove-admin-key", "aarhus", "--id", "it", "--branding-dir", str(root)
    )
    assert code == 0 and load_parties(root)["aarhus"].admin_keys == ()
    # The shipped demo admin key, unmarked (a copied folder), stops start-up.
    file = root / "kobenhavn" / "party.json"
    data = json.loads(file.read_text())
    data["admin_keys"][0]["demo"] = False
    file.write_text(json.dumps(data))
    with pytest.raises(PartyConfigError, match=r"kobenhavn/party.json: admin_keys\[0\].sha256"):
        load_parties(root, demo=True)
    # One key, one use: an API key's hash as an admin key is refused.
    data["admin_keys"][0] |= {"demo": True, "sha256": sha256_hex("demo-kobenhavn-key")}
    file.write_text(json.dumps(data))
    with pytest.raises(PartyConfigError, match="the same key as one of its api_keys"):
        load_parties(root, demo=True)


# --- the catalogue people can run (issue 20 item 10): installed plugins, versions ---------


def plugin_zip(
    plugin_id: str = "fixture",
    version: str = "3.0.0",
    register: str = '{id:"fixture",version:0}',
    extra: dict[str, bytes] | None = None,
    manifest: dict[str, Any] | None = None,
) -> bytes:
    """A built plugin's zip as a Vite build leaves it (the registerPlugin call renamed)."""
    plugin = {
        "id": plugin_id,
        "version": version,
        "title": f"Fixture {version}",
        "entry": "dist/index.html",
        "defaultRoles": ["host", "guest"],
    }
    plugin |= manifest or {}
    files = {
        "plugin.json": json.dumps(plugin).encode(),
        "dist/index.html": b'<!doctype html><script type="module" src="./assets/a.js"></script>',
        "dist/assets/a.js": f"const k=async e=>e;await k({register});".encode(),
        "src/main.ts": b"// sources beside the build: never served",
    } | (extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"fixture-{version}/{name}", content)  # a zipped folder
    return buffer.getvalue()


async def install(client: Client, data: bytes, headers: dict[str, str] = ADMIN) -> httpx.Response:
    return await client.post(
        f"{BASE}/catalogue", content=data, headers=headers | {"Content-Type": "application/zip"}
    )


async def test_installed_versions_coexist_each_party_picks_one_and_removal_says_who(
    split_client: Client, signer: EojSigner
) -> None:
    client = split_client
    answer = await install(client, plugin_zip())
    assert answer.status_code == 201, answer.text
    entry = answer.json()
    assert (entry["id"], entry["version"], entry["installed"]) == ("fixture", "3.0.0", True)
    assert (entry["registeredId"], entry["registeredFrom"]) == ("fixture", "build")
    catalogue = (await client.get(BASE, headers=ADMIN)).json()["catalogue"]
    assert [e["version"] for e in catalogue if e["id"] == "fixture"] == ["2.1.0", "3.0.0"]

    # Each party picks a version; the runtime manifest and the files' URLs follow.
    await host_session(client, signer)
    older = {"id": "fixture", "version": "2.1.0", "settings": {"phone": "+4512345678"}}
    assert (await put_set(client, [older], 0)).status_code == 200
    [plugin] = shell_config((await client.get("/kobenhavn/")).text)["manifest"]["plugins"]
    assert plugin["version"] == "2.1.0" and "/plugin-files/fixture/2.1.0/" in plugin["src"]
    newest = {"id": "fixture"}  # no version: the newest, recorded as chosen
    saved = (await put_set(client, [newest], 1)).json()["plugins"][0]
    assert saved["version"] == "3.0.0"
    [plugin] = shell_config((await client.get("/kobenhavn/")).text)["manifest"]["plugins"]
    assert plugin["src"].startswith(f"{PLUGIN_HOST}/plugin-files/fixture/3.0.0/index.html#")
    assert "check" not in plugin  # its id was read from the build

    # Served from Redis, from the plugin origin only; the sources beside the build never.
    script = await client.get(f"{PLUGIN_HOST}/plugin-files/fixture/3.0.0/assets/a.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith(
        "text/javascript"
    )
    assert "sandbox" in script.headers["content-security-policy"]
    assert (await client.get("/plugin-files/fixture/3.0.0/assets/a.js")).status_code == 404
    for path in ("plugin.json", "../src/main.ts", "src/main.ts", "assets/none.js"):
        url = f"{PLUGIN_HOST}/plugin-files/fixture/3.0.0/{path}"
        assert (await client.get(url)).status_code == 404, path
    bad_version = await put_set(client, [{"id": "fixture", "version": "9.9.9"}], 2)
    assert bad_version.status_code == 422
    assert bad_version.json()["detail"].startswith("plugins[0].version: no version '9.9.9'")

    # In use: refused naming the party. The folder's version is not the admin's to remove.
    in_use = await client.delete(f"{BASE}/catalogue/fixture/3.0.0", headers=ADMIN)
    assert in_use.status_code == 409 and "in use by kobenhavn" in in_use.json()["detail"]
    folder = await client.delete(f"{BASE}/catalogue/fixture/2.1.0", headers=ADMIN)
    assert folder.status_code == 409 and "catalogue folder" in folder.json()["detail"]
    # Replaced in place (same id and version): the new files serve at once.
    again = plugin_zip(extra={"dist/assets/b.js": b"export const b = 2;"})
    assert (await install(client, again)).status_code == 201
    replaced = await client.get(f"{PLUGIN_HOST}/plugin-files/fixture/3.0.0/assets/b.js")
    assert replaced.status_code == 200 and replaced.text == "export const b = 2;"

    assert (await put_set(client, [older], 2)).status_code == 200
    gone = await client.delete(f"{BASE}/catalogue/fixture/3.0.0", headers=ADMIN)
    assert gone.status_code == 204, gone.text
    removed = await client.get(f"{PLUGIN_HOST}/plugin-files/fixture/3.0.0/assets/a.js")
    assert removed.status_code == 404
    catalogue = (await client.get(BASE, headers=ADMIN)).json()["catalogue"]
    assert [e["version"] for e in catalogue if e["id"] == "fixture"] == ["2.1.0"]
    missing = await client.delete(f"{BASE}/catalogue/fixture/3.0.0", headers=ADMIN)
    assert missing.status_code == 404


def zip_of(entries: dict[str, bytes], symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.create_system = 3
            info.external_attr = (0o120777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


async def test_bad_plugin_zips_are_refused_naming_the_file(client: Client) -> None:
    good = json.dumps({"id": "x1", "version": "1", "title": "X", "entry": "index.html"}).encode()
    cases = [
        (b"not a zip", "package: not a zip archive"),
        (zip_of({"index.html": b"<p>"}), "package: no plugin.json"),
        (zip_of({"plugin.json": good, "index.html": b"<p>"}, symlink="evil.js"),
         "evil.js: symbolic links are not allowed"),
        (zip_of({"plugin.json": good, "index.html": b"<p>", "run.exe": b"MZ"}),
         "run.exe: file type .exe is not allowed"),
        (zip_of({"plugin.json": good, "index.html": b"<p>", "../up.js": b""}),
         "../up.js: path with '..' escapes the package"),
        (zip_of({"plugin.json": good}), "plugin.json: entry: index.html is not in the package"),
        (zip_of({"plugin.json": json.dumps({"id": "x1", "version": "1", "entry": "i.html"})
                 .encode(), "i.html": b""}), "plugin.json: Object missing required field `title`"),
        (zip_of({"plugin.json": good, "index.html": b"\xff\xfe<p>"}), "index.html: not UTF-8"),
    ]  # fmt: skip
    for data, reason in cases:
        answer = await install(client, data)
        assert answer.status_code == 422, (reason, answer.text)
        assert answer.json()["detail"].startswith(reason), (reason, answer.json()["detail"])
    wrong_type = await client.post(f"{BASE}/catalogue", content=b"x", headers=ADMIN)
    assert wrong_type.status_code == 400 and "application/zip" in wrong_type.json()["detail"]
    assert (await install(client, plugin_zip(), headers={})).status_code == 401
    catalogue = (await client.get(BASE, headers=ADMIN)).json()["catalogue"]
    assert not any(e["installed"] for e in catalogue)  # nothing half-installed


async def test_an_id_not_in_the_build_is_checked_at_first_load(
    client: Client, signer: EojSigner
) -> None:
    computed = plugin_zip("late", "1.0.0", register='{id:["la","te"].join(""),version:0}')
    entry = (await install(client, computed)).json()
    assert entry["registeredId"] is None and entry["mismatch"] is False
    await host_session(client, signer)
    assert (await put_set(client, [{"id": "late"}], 0)).status_code == 200
    [plugin] = shell_config((await client.get("/kobenhavn/")).text)["manifest"]["plugins"]
    assert plugin["check"] == "/api/v1/plugin-registrations"

    report = {"id": "late", "version": "1.0.0", "registeredId": "other"}
    url = "/api/v1/plugin-registrations"
    bad = await client.post(url, json=report | {"registeredId": "no spaces"})
    assert bad.status_code == 422 and bad.json()["detail"].startswith("registeredId")
    not_here = await client.post(url, json=report | {"id": "interpreter", "version": "1.0.0"})
    assert not_here.status_code == 404
    assert (await client.post(url, json=report)).status_code == 204
    # The first report counts; a mismatch is shown and the plugin is not started.
    assert (await client.post(url, json=report | {"registeredId": "late"})).status_code == 404
    [late] = [
        e for e in (await client.get(BASE, headers=ADMIN)).json()["catalogue"] if e["id"] == "late"
    ]
    assert (late["registeredId"], late["registeredFrom"], late["mismatch"]) == (
        "other",
        "load",
        True,
    )
    assert shell_config((await client.get("/kobenhavn/")).text)["manifest"]["plugins"] == []
    client.cookies.clear()
    assert (await client.post(url, json=report)).status_code == 401


async def test_operator_command_installs_and_removes_on_a_running_bff(
    client: Client, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "built"
    built = plugin_zip("cli-plugin", "0.1.0", '{id:"cli-plugin",version:0}')
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        archive.extractall(folder)
    source = folder / "fixture-0.1.0"
    env = {
        "BV_DATA_DIR": str(settings.data.data_dir),
        "BV_BRANDING_DIR": str(settings.data.branding_dir),
        "BV_PLUGINS_DIR": ":".join(map(str, settings.plugins.dirs)),
        "BV_DEMO": "1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("REDIS_URL", raising=False)
    from bff.plugins.cli import main

    assert await asyncio.to_thread(main, ["install", str(source)]) == 0
    catalogue = (await client.get(BASE, headers=ADMIN)).json()["catalogue"]
    [entry] = [e for e in catalogue if e["id"] == "cli-plugin"]
    assert entry["registeredId"] == "cli-plugin" and entry["installedBy"] == "operator"
    served = await client.get("/plugin-files/cli-plugin/0.1.0/index.html")
    assert served.status_code == 200
    assert (await put_set(client, [{"id": "cli-plugin"}], 0)).status_code == 200
    assert await asyncio.to_thread(main, ["remove", "cli-plugin", "0.1.0"]) == 2  # in use
    assert (await put_set(client, [], 1)).status_code == 200
    assert await asyncio.to_thread(main, ["remove", "cli-plugin", "0.1.0"]) == 0
    assert (await client.get("/plugin-files/cli-plugin/0.1.0/index.html")).status_code == 404
    (source / "dist" / "link.js").symlink_to("/etc/hostname")
    assert await asyncio.to_thread(main, ["install", str(source)]) == 2


async def test_a_build_registering_under_another_id_is_shown_and_not_started(
    client: Client, signer: EojSigner
) -> None:
    renamed = plugin_zip("fixture", "4.0.0", '{id:"renamed",version:0}')
    entry = (await install(client, renamed)).json()
    assert (entry["registeredId"], entry["registeredFrom"], entry["mismatch"]) == (
        "renamed",
        "build",
        True,
    )
    await host_session(client, signer)
    chosen = {"id": "fixture", "version": "4.0.0", "settings": {"phone": "+4512345678"}}
    assert (await put_set(client, [chosen], 0)).status_code == 200
    assert shell_config((await client.get("/kobenhavn/")).text)["manifest"]["plugins"] == []
    older = chosen | {"version": "2.1.0"}
    assert (await put_set(client, [older], 1)).status_code == 200
    [plugin] = shell_config((await client.get("/kobenhavn/")).text)["manifest"]["plugins"]
    assert plugin["version"] == "2.1.0"
