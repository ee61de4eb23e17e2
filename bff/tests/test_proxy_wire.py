"""What the Client API proxy puts on the wire, seen by a stand-in node that echoes requests.

The emulator cannot show the headers it received, so a small HTTP server in a thread plays
the node here: it answers with what it got, plus headers a node or load balancer might set.
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.core import store
from bff.joins.models import JoinGrant, Session
from bff.joins.sessions import session_ref
from bff.meetings.keys import new_meeting_key
from bff.meetings.models import Meeting
from bff.proxy.seats import TokenBinding, bind_token
from bff.tests.conftest import EojSigner, make_settings
from bff.tests.test_integration import redis_of

Client = AsyncTestClient[Litestar]
CALLS = "/api/client/v2/conferences/47%40vdx.localhost/participants/p-1/calls"
SID = "sid-1"


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        got = {
            "method": self.command,
            "path": self.path,
            "headers": [[k.lower(), v] for k, v in self.headers.items()],
            "body": self.rfile.read(length).decode(),
        }
        body = json.dumps(got).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", "lb=node-a; Path=/")
        self.send_header("X-Node", "a")
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def version_string(self) -> str:
        return "node"

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def node() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
async def proxy(
    tmp_path: Path, branding: tuple[Path, EojSigner], dist: Path, node: str
) -> AsyncIterator[Client]:
    app = create_app(make_settings(tmp_path, branding[0], dist, node))
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as client:
        yield client


async def grant_session(client: Client, *, with_meeting: bool) -> None:
    """A guest session for meeting m-1 (alias 47@vdx.localhost), with or without the meeting."""
    now = datetime.now(UTC)
    sealer = client.app.state.sealer
    cipher, wrapped = new_meeting_key(sealer, "m-1")
    meeting = Meeting(
        "m-1", "kobenhavn", "uuid-1", "47@vdx.localhost",
        Meeting.seal_pin(cipher, "m-1", "host", "123456"),
        Meeting.seal_pin(cipher, "m-1", "guest", "654321"),
        "Samtale", now - timedelta(minutes=5), now + timedelta(hours=1),
    )  # fmt: skip
    grant = JoinGrant.sealed(cipher, "m-1", "guest", "Borger Test", "seat-1")
    session = Session("kobenhavn", grant)
    async with redis_of(client.app) as redis:
        await redis.set(store.SESSION + session_ref(SID), msgspec.json.encode(session))
        if with_meeting:
            await redis.set(store.MEETING + "m-1", msgspec.json.encode(meeting))
            await redis.set(store.MEETING_KEY + "m-1", wrapped)
    client.cookies.set("bv_session", SID)


async def bound_token(client: Client, token: str = "t-1") -> None:
    """A node token as request_token would have bound it to this browser's session."""
    async with redis_of(client.app) as redis:
        await bind_token(redis, token, TokenBinding(session_ref(SID)), 60)
    client.cookies.set("bv_session", SID)


async def test_session_without_its_meeting_adds_nothing(proxy: Client) -> None:
    await grant_session(proxy, with_meeting=False)
    resp = await proxy.post(
        "/api/client/v2/conferences/47%40vdx.localhost/request_token",
        json={"display_name": "Spoofed"},
    )
    assert resp.status_code == 200
    got = resp.json()
    assert (
        "pin" not in dict(got["headers"]) and json.loads(got["body"])["display_name"] == "Spoofed"
    )


async def test_granted_request_token_needs_the_role_back(proxy: Client) -> None:
    await grant_session(proxy, with_meeting=True)  # the echoing node answers with no role
    resp = await proxy.post(
        "/api/client/v2/conferences/47%40vdx.localhost/request_token",
        json={"display_name": "Spoofed"},
    )
    assert resp.status_code == 502
    assert resp.json()["detail"] == "conference node gave a role that does not match"


async def test_forwarded_request_keeps_path_and_drops_hop_by_hop_and_cookies(
    proxy: Client,
) -> None:
    await bound_token(proxy)
    resp = await proxy.post(
        f"{CALLS}?x=a%2Bb",
        content=b'{"sdp": "v=0"}',
        headers={
            "token": "t-1",
            "content-type": "application/json",
            "cookie": f"bv_session={SID}",
            "connection": "keep-alive, x-private",
            "te": "trailers",
            "proxy-authorization": "Basic eA==",
            "accept-encoding": "gzip, br",
        },
    )
    assert resp.status_code == 200, resp.text
    got = resp.json()
    headers = dict(got["headers"])
    assert got["method"] == "POST"
    assert got["path"] == f"{CALLS}?x=a%2Bb"
    assert got["body"] == '{"sdp": "v=0"}'
    assert headers["token"] == "t-1" and headers["content-type"] == "application/json"
    assert headers["accept-encoding"] == "identity"
    assert headers["content-length"] == str(len(got["body"]))
    for name in ("cookie", "te", "proxy-authorization", "pin"):
        assert name not in headers, name
    assert "x-private" not in headers.get("connection", "")


async def test_answer_drops_node_cookies_and_server(proxy: Client) -> None:
    await bound_token(proxy)
    status = "/api/client/v2/conferences/47%40vdx.localhost/conference_status"
    resp = await proxy.get(status, headers={"token": "t-1"})
    assert resp.status_code == 200
    assert "set-cookie" not in resp.headers
    assert resp.headers.get("server") != "node"
    assert resp.headers["x-node"] == "a"
    assert resp.headers["content-length"] == str(len(resp.content))
    again = await proxy.get(status, headers={"token": "t-1"})
    assert "cookie" not in dict(again.json()["headers"])  # the node's cookie never rides back


async def test_body_over_cap_is_refused_as_json(proxy: Client) -> None:
    resp = await proxy.post(
        CALLS,
        content=b"x" * ((1 << 20) + 1),
    )
    assert resp.status_code == 413
    assert resp.json()["detail"] == "request body too large"
