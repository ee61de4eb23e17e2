"""What the Client API proxy puts on the wire, seen by a stand-in node that echoes requests.

The emulator cannot show the headers it received, so a small HTTP server in a thread plays
the node here: it answers with what it got, plus headers a node or load balancer might set.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from prometheus_client import REGISTRY

from bff.app import create_app
from bff.core import store
from bff.joins.models import JoinGrant, Session
from bff.joins.sessions import session_ref
from bff.meetings.keys import new_meeting_key
from bff.meetings.models import Meeting
from bff.proxy.controller import close_streams
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
        "m-1",
        "kobenhavn",
        "uuid-1",
        "47@vdx.localhost",
        Meeting.seal_pin(cipher, "m-1", "host", "123456"),
        Meeting.seal_pin(cipher, "m-1", "guest", "654321"),
        "Samtale",
        now - timedelta(minutes=5),
        now + timedelta(hours=1),
    )
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


# -- event streams: relayed from a node that streams step by step --------------------------
EVENTS = "/api/client/v2/conferences/47%40vdx.localhost/events"


class StreamingNode:
    """Answers an event stream's GET with `head` and `body`, then waits for the listener to
    go (`gone`); the request it got is kept."""

    def __init__(self, head: bytes, body: bytes) -> None:
        self.head, self.body = head, body
        self.requests: list[bytes] = []
        self.gone = asyncio.Event()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.requests.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(self.head + self.body)
        await reader.read()  # until the proxy drops the connection
        self.gone.set()
        writer.close()


class Browser:
    """One ASGI request to the app, on this loop, its messages read as they come; `left` is
    the browser going away (http.disconnect)."""

    def __init__(self, app: Litestar, query: bytes) -> None:
        self.sent: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.left = asyncio.Event()
        self.asked = False
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": unquote(EVENTS),
            "raw_path": EVENTS.encode(),
            "query_string": query,
            "root_path": "",
            "headers": [
                (b"host", b"127.0.0.1:8080"),
                (b"cookie", f"bv_session={SID}".encode()),
                (b"origin", b"http://127.0.0.1:8080"),
                (b"sec-fetch-site", b"same-origin"),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8080),
        }
        self.served = asyncio.ensure_future(app(scope, self._receive, self._send))  # type: ignore[arg-type]

    async def _receive(self) -> dict[str, Any]:
        if not self.asked:
            self.asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.left.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: dict[str, Any]) -> None:
        await self.sent.put(message)

    async def message(self) -> dict[str, Any]:
        async with asyncio.timeout(5):
            return await self.sent.get()


@asynccontextmanager
async def streaming_proxy(
    tmp_path: Path, branding: tuple[Path, EojSigner], dist: Path, node: StreamingNode | None
) -> AsyncIterator[Litestar]:
    """The app, started on this loop (as the node; the test client would run it on a loop
    of its own), with its node `node` (None: one that does not listen) and token t-1 bound
    to session SID."""
    server = await asyncio.start_server(node.serve if node else _refuse, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    if node is None:
        server.close()
        await server.wait_closed()
    app = create_app(make_settings(tmp_path, branding[0], dist, url))
    to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    lifespan = asyncio.ensure_future(app(scope, to_app.get, from_app.put))  # type: ignore[arg-type]
    try:
        await to_app.put({"type": "lifespan.startup"})
        assert (await from_app.get())["type"] == "lifespan.startup.complete"
        async with redis_of(app) as redis:
            await bind_token(redis, "t-1", TokenBinding(session_ref(SID)), 60)
        yield app
    finally:
        await to_app.put({"type": "lifespan.shutdown"})  # also when the test failed
        async with asyncio.timeout(10):
            await lifespan
        server.close()


async def _refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.close()


def sse_streams() -> float:
    return REGISTRY.get_sample_value("bv_sse_streams_active") or 0.0


async def test_an_event_stream_is_relayed_as_it_comes_and_ends_with_the_browser(
    tmp_path: Path, branding: tuple[Path, EojSigner], dist: Path
) -> None:
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
        b"Set-Cookie: lb=node-a\r\nAccess-Control-Allow-Origin: *\r\nX-Node: a\r\n\r\n"
    )
    node = StreamingNode(head, b"d\r\n: connected\n\n\r\n")
    async with streaming_proxy(tmp_path, branding, dist, node) as app:
        before = sse_streams()
        browser = Browser(app, b"token=t-1")
        start = await browser.message()
        body = await browser.message()
        assert sse_streams() == before + 1
        browser.left.set()
        async with asyncio.timeout(5):
            await browser.served
            await node.gone.wait()  # the node saw its listener go
        assert sse_streams() == before
    assert start["status"] == 200
    headers = dict(start["headers"])
    assert headers[b"content-type"] == b"text/event-stream"
    assert headers[b"cache-control"] == b"no-store" and headers[b"x-node"] == b"a"
    for dropped in (b"set-cookie", b"transfer-encoding", b"access-control-allow-origin"):
        assert dropped not in headers, dropped
    assert body == {"type": "http.response.body", "body": b": connected\n\n", "more_body": True}
    request = node.requests[0].lower()
    assert request.startswith(f"GET {EVENTS}?token=t-1 HTTP/1.1\r\n".lower().encode())
    # the request's id (made here, as none came) went to the node too
    assert b"\r\nx-request-id: " + headers[b"x-request-id"] + b"\r\n" in request
    assert b"cookie" not in request and b"\r\naccept-encoding: identity\r\n" in request


async def test_closing_the_streams_on_shutdown_ends_them_at_the_node(
    tmp_path: Path, branding: tuple[Path, EojSigner], dist: Path
) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
    node = StreamingNode(head, b": connected\n\n")
    async with streaming_proxy(tmp_path, branding, dist, node) as app:
        browser = Browser(app, b"token=t-1")
        assert (await browser.message())["status"] == 200
        assert (await browser.message())["body"] == b": connected\n\n"
        close_streams()
        async with asyncio.timeout(5):
            await browser.served
            await node.gone.wait()


async def test_a_node_refusing_a_stream_is_relayed_with_its_body(
    tmp_path: Path, branding: tuple[Path, EojSigner], dist: Path
) -> None:
    refusal = b'{"status": "error", "result": "Invalid token"}'
    head = b"HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n"
    node = StreamingNode(head + b"Content-Length: %d\r\n\r\n" % len(refusal), refusal)
    async with streaming_proxy(tmp_path, branding, dist, node) as app:
        browser = Browser(app, b"token=t-1")
        start, body = await browser.message(), await browser.message()
        async with asyncio.timeout(5):
            await node.gone.wait()  # its connection is not kept
    assert start["status"] == 403
    assert (b"content-length", str(len(refusal)).encode()) in start["headers"]
    assert body["body"] == refusal and not body["more_body"]


async def test_a_stream_to_an_unreachable_node_is_a_502(
    tmp_path: Path, branding: tuple[Path, EojSigner], dist: Path
) -> None:
    async with streaming_proxy(tmp_path, branding, dist, None) as app:
        browser = Browser(app, b"token=t-1")
        start, body = await browser.message(), await browser.message()
    assert start["status"] == 502
    assert json.loads(body["body"])["detail"] == "conference node unreachable"


async def test_a_node_silent_after_a_streams_request_is_a_502(
    tmp_path: Path, branding: tuple[Path, EojSigner], dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bff.proxy.controller.READ_TIMEOUT", 0.3)
    node = StreamingNode(b"", b"")  # takes the request, answers not a byte
    async with streaming_proxy(tmp_path, branding, dist, node) as app:
        browser = Browser(app, b"token=t-1")
        start, body = await browser.message(), await browser.message()
        async with asyncio.timeout(5):
            await node.gone.wait()  # the connection it held is closed
    assert start["status"] == 502
    assert json.loads(body["body"])["detail"] == "conference node unreachable"
