"""One walk over every kind of page and answer the BFF gives, over HTTPS as production runs:
the app shell (citizen and admin pages), error pages, redirects, assets, branding, the API,
the Client API proxy (JSON and the event stream), the API docs and the operations endpoints.
Each must carry the security headers; pages a CSP with a nonce-bound script policy and
`frame-ancestors`; cookies only as `__Host-`, Secure and HttpOnly."""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from devstack.stack import DEMO_API_KEY, DEMO_PARTY, Stack, running_stack
from devstack.tls import ensure_certificate
from e2e.helpers import iso, launch_token, request_token_when_ready

DEMO_ADMIN_KEY = "demo-kobenhavn-admin-key"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tls = ensure_certificate(tmp_path_factory.mktemp("tls"), "127.0.0.1")
    with running_stack(tls=tls) as running:
        yield running


@pytest.fixture(scope="module")
def client(stack: Stack) -> Iterator[httpx.Client]:
    assert stack.tls is not None
    trust = ssl.create_default_context(cafile=str(stack.tls.cert))
    with httpx.Client(base_url=stack.bff_url, verify=trust, timeout=15) as http:
        yield http


def check(answer: httpx.Response, what: str) -> None:
    headers = answer.headers
    problems = []
    if headers.get("x-content-type-options") != "nosniff":
        problems.append("nosniff")
    if headers.get("referrer-policy") != "no-referrer":
        problems.append("Referrer-Policy")
    hsts = headers.get("strict-transport-security", "")
    if not re.match(r"max-age=\d{7,}", hsts):
        problems.append("HSTS")
    csp = headers.get("content-security-policy", "")
    if "frame-ancestors" not in csp and "sandbox" not in csp:
        problems.append("CSP frame-ancestors")
    if headers.get("content-type", "").startswith("text/html"):
        if "object-src 'none'" not in csp and "default-src 'none'" not in csp:
            problems.append("page CSP without object-src 'none'")
        if "'unsafe-inline'" in csp and "script-src 'self' 'unsafe-inline'" not in csp:
            problems.append("unsafe-inline")
    for cookie in headers.get_list("set-cookie"):
        name = cookie.split("=", 1)[0]
        flags = cookie.lower()
        if not name.startswith("__Host-") or "secure" not in flags or "httponly" not in flags:
            problems.append(f"cookie {name}")
        if "domain=" in flags or "path=/" not in flags:
            problems.append(f"cookie {name} scope")
    assert not problems, (
        f"{what} ({answer.request.method} {answer.request.url.path} "
        f"-> {answer.status_code}): {problems}\n{dict(headers)}"
    )


def test_every_answer_type_carries_the_security_headers(stack: Stack, client: httpx.Client) -> None:
    api = {"X-API-Key": DEMO_API_KEY}
    shell = client.get(f"/{DEMO_PARTY}/")
    asset = re.search(r'src="(/assets/[^"]+\.js)"', shell.text)
    assert asset, shell.text[:500]
    now = datetime.now(UTC)
    booked = client.post(
        "/api/v1/meetings",
        headers=api,
        json={
            "subject": "Opfølgning",
            "start": iso(now),
            "end": iso(now + timedelta(hours=1)),
            "guests": [{"display_name": "Borger"}],
        },
    )
    walk_booked = ("API: book", booked)
    meeting_id = booked.json()["id"]
    link_path = "/" + booked.json()["guests"][0]["link"].split("/", 3)[3]
    walk: list[tuple[str, httpx.Response]] = [
        walk_booked,
        ("app shell", shell),
        ("app shell, deep link", client.get(f"/{DEMO_PARTY}/m/4718203")),
        ("admin page (statistics)", client.get(f"/{DEMO_PARTY}/admin/stats")),
        ("admin page (plugins)", client.get(f"/{DEMO_PARTY}/admin/plugins")),
        ("no party: Danish 404 page", client.get("/")),
        ("unknown party: Danish 404 page", client.get("/no-such-party/")),
        ("unknown link: Danish 404 page", client.get(f"/{DEMO_PARTY}/j/{'x' * 32}")),
        ("bad launch: Danish 401 page", client.get(f"/{DEMO_PARTY}/launch?token=x")),
        ("link HEAD: 405", client.head(link_path)),
        ("hashed asset", client.get(asset.group(1))),
        ("missing asset", client.get("/assets/nope.js")),
        ("branding manifest", client.get(f"/{DEMO_PARTY}/branding/manifest.json")),
        ("branding logo", client.get(f"/{DEMO_PARTY}/branding/logo.svg")),
        ("API docs (Swagger UI)", client.get("/schema")),
        ("API docs assets", client.get("/api-docs-assets/swagger-ui.css")),
        ("OpenAPI document", client.get("/schema/openapi.json")),
        ("API: read", client.get(f"/api/v1/meetings/{meeting_id}", headers=api)),
        ("API: 401", client.get(f"/api/v1/meetings/{meeting_id}")),
        ("API: 404", client.get("/api/v1/meetings/" + "0" * 32, headers=api)),
        ("API: 400", client.post("/api/v1/meetings", json={}, headers=api)),
        ("API: OPTIONS", client.options(f"/api/v1/meetings/{meeting_id}", headers=api)),
        ("API: unknown path", client.get("/api/v1/nothing-here")),
        (
            "admin API",
            client.get(
                f"/api/v1/parties/{DEMO_PARTY}/plugins", headers={"X-Admin-Key": DEMO_ADMIN_KEY}
            ),
        ),
        ("proxy: no token", client.get("/api/client/v2/conferences/x/conference_status")),
        ("proxy: bad path", client.get("/api/client/v2/conferences/../x")),
        ("healthz", client.get("/healthz")),
        ("readyz", client.get("/readyz")),
        ("livez", client.get("/livez")),
        ("metrics", client.get("/metrics")),
    ]
    redeemed = client.get(link_path)  # the app shell itself, with the session cookie
    walk.append(("citizen link: the app shell (cookie)", redeemed))
    granted = client.get(f"/{DEMO_PARTY}/")
    walk.append(("app shell with a grant", granted))
    alias = granted.text.split('"conferenceAlias":"', 1)[1].split('"', 1)[0]
    base = f"/api/client/v2/conferences/{alias}"
    token_answer = request_token_when_ready(
        client, f"{base}/request_token", json={"display_name": "x"}
    )
    walk.append(("proxy: request_token", token_answer))
    token = token_answer.json()["result"]["token"]
    with client.stream("GET", f"{base}/events", params={"token": token}) as events:
        walk.append(("proxy: event stream", events))
    walk.append(("leave (cookie cleared)", client.delete("/api/session")))
    launch = f"/{DEMO_PARTY}/launch?token={launch_token(meeting_id)}"
    walk.append(("staff launch redirect (cookie)", client.get(launch)))
    for what, answer in walk:
        check(answer, what)
    statuses = {what: answer.status_code for what, answer in walk}
    assert statuses["citizen link: the app shell (cookie)"] == 200
    assert statuses["staff launch redirect (cookie)"] == 303
    assert statuses["proxy: request_token"] == 200
    assert statuses["proxy: event stream"] == 200
    assert redeemed.headers["set-cookie"].startswith("__Host-bv_session=")
