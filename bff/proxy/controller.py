"""Client REST API proxy to the conference node; on request_token the grant adds the PIN.

A raw ASGI mount: this is the hot path (every signalling call of every participant), so it
skips Litestar's per-request parameter parsing and response building. Only request_token
reads the session and its meeting (two GETs, not a script: Redis Cluster must work); other
calls touch Redis only when a party overrides the node (see routing.py). Headers and
bodies are never logged: they carry tokens and PINs.

Upstream calls go through aiohttp rather than httpx: on this path httpx's per-request work
(anyio cancel scopes, httpcore pool bookkeeping, h11) cost more than the whole node call.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from urllib.parse import unquote

import aiohttp
import msgspec
from litestar import Request, asgi
from litestar.types import Receive, Scope, Send
from multidict import CIMultiDict
from yarl import URL

from bff.joins.models import Session
from bff.joins.sessions import COOKIE, load_session
from bff.meetings.models import Meeting
from bff.meetings.service import get_meeting
from bff.proxy.routing import NodeRouter, conference_alias
from bff.sealing import SealError

PREFIX = "/api/client/v2/"
HOP_BY_HOP = frozenset(
    {
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "host", "cookie", "content-length",
        "accept-encoding", "authorization", "x-api-key",
    }
)  # fmt: skip
DROP_FROM_ANSWER = frozenset(
    {
        b"connection", b"keep-alive", b"proxy-authenticate", b"te", b"trailer",
        b"transfer-encoding", b"upgrade", b"content-length", b"content-encoding",
        b"set-cookie", b"date", b"server",
    }
)  # fmt: skip
ROLE = {"host": "HOST", "guest": "GUEST"}
SSE_TIMEOUT = aiohttp.ClientTimeout(total=None, connect=10.0, sock_read=None)
REST_TIMEOUT = aiohttp.ClientTimeout(total=None, connect=10.0, sock_read=60.0)
RELEASE_TIMEOUT = aiohttp.ClientTimeout(total=5.0)
UPSTREAM_ERRORS = (aiohttp.ClientError, TimeoutError)
MAX_BODY = 1 << 20  # signalling bodies are small (SDP is a few KiB)


class BodyTooLarge(Exception):
    pass


class GrantedJoin(msgspec.Struct):
    session: Session
    meeting: Meeting
    display_name: str


def _upstream_path(scope: Scope) -> str:
    # raw_path has no query by the ASGI spec, but httpx's ASGI transport (tests) adds it
    raw = scope.get("raw_path", b"").partition(b"?")[0]
    path = raw.decode("latin-1") if raw else PREFIX + scope["path"].lstrip("/")
    query = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path


def _has_dot_segment(path: str) -> bool:
    """`..` or `.` in the path, also percent-encoded or behind an encoded slash: a node or a
    load balancer that normalises paths would otherwise reach beyond /api/client/v2/."""
    decoded = unquote(path.split("?", 1)[0]).replace("\\", "/")
    return any(part in (".", "..") for part in decoded.split("/"))


def _forward_headers(scope: Scope) -> CIMultiDict[str]:
    headers: CIMultiDict[str] = CIMultiDict()
    for k, v in scope["headers"]:
        name = k.decode("latin-1")
        if name.lower() not in HOP_BY_HOP:
            headers.add(name, v.decode("latin-1"))
    headers["accept-encoding"] = "identity"
    return headers


def _answer_headers(resp: aiohttp.ClientResponse, length: int | None) -> list[tuple[bytes, bytes]]:
    headers = [(k.lower(), v) for k, v in resp.raw_headers if k.lower() not in DROP_FROM_ANSWER]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    return headers


def _request_token_alias(method: str, path: str) -> str | None:
    """The conference alias of a request_token call, URL-decoded once from the raw path."""
    parts = path.split("?", 1)[0].removeprefix(PREFIX).strip("/").split("/")
    if method == "POST" and len(parts) == 3 and parts[0] == "conferences" \
            and parts[2] == "request_token":  # fmt: skip
        return unquote(parts[1])
    return None


async def _granted_join(request: Request, alias: str) -> GrantedJoin | None:
    redis = request.app.state.redis
    session = await load_session(redis, request.cookies.get(COOKIE))
    if session is None:
        return None
    meeting = await get_meeting(redis, session.grant.meeting_id)
    if meeting is None or meeting.party != session.party or meeting.alias != alias:
        return None
    if meeting.status_at(datetime.now(UTC)) != "scheduled":
        return None
    try:
        name = session.grant.display_name(request.app.state.sealer)
    except SealError:  # sealed under another data key: the grant no longer holds
        return None
    return GrantedJoin(session, meeting, name)


def _inject(join: GrantedJoin, headers: CIMultiDict[str], body: bytes) -> bytes | None:
    try:
        payload = msgspec.json.decode(body or b"{}")
    except (msgspec.DecodeError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    grant = join.session.grant
    payload["display_name"] = join.display_name
    payload["call_tag"] = f"borgervideo:{join.session.party}"
    headers.popall("pin", None)  # the user's own pin header gives way to the grant's
    headers.popall("content-type", None)
    headers["pin"] = join.meeting.host_pin if grant.role == "host" else join.meeting.guest_pin
    headers["content-type"] = "application/json"
    return msgspec.json.encode(payload)


def _role_matches(join: GrantedJoin, answer: bytes) -> bool:
    try:
        role = msgspec.json.decode(answer)["result"]["role"]
    except (msgspec.DecodeError, KeyError, TypeError):
        return False
    return role == ROLE[join.session.grant.role]


async def _release(http: aiohttp.ClientSession, url: str, answer: bytes) -> None:
    try:
        token = msgspec.json.decode(answer)["result"]["token"]
        release = URL(url.replace("/request_token", "/release_token"), encoded=True)
        async with http.post(release, headers={"token": token}, timeout=RELEASE_TIMEOUT):
            pass
    except Exception:  # noqa: S110 best effort: the node drops unrefreshed tokens anyway
        pass


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b""
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _send_body(send: Send, status: int, headers: list[tuple[bytes, bytes]],
                     body: bytes) -> None:  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _send_error(send: Send, status: int, reason: str) -> None:
    body = msgspec.json.encode({"status": "error", "result": reason, "detail": reason})
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await _send_body(send, status, headers, body)


async def _send_stream(resp: aiohttp.ClientResponse, receive: Receive, send: Send) -> None:
    """Pipe the node's SSE stream; when the browser goes away, close the node's stream too."""
    headers = [*_answer_headers(resp, None), (b"cache-control", b"no-store")]
    await send({"type": "http.response.start", "status": resp.status, "headers": headers})

    async def pump() -> None:
        async for chunk in resp.content.iter_any():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def browser_gone() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    tasks = {asyncio.ensure_future(pump()), asyncio.ensure_future(browser_gone())}
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        resp.close()  # drops the connection, so the node sees the listener go


async def _node_url(request: Request, join: GrantedJoin | None, path: str) -> str:
    router: NodeRouter = request.app.state.node_router
    if join is not None:
        return router.for_party(join.session.party)
    return await router.for_alias(request.app.state.redis, conference_alias(path))


@asgi(PREFIX.rstrip("/"), is_mount=True, include_in_schema=False, copy_scope=True)
async def client_api_proxy(scope: Scope, receive: Receive, send: Send) -> None:
    request: Request = Request(scope, receive)
    http: aiohttp.ClientSession = request.app.state.node_http
    method = scope["method"]
    path = _upstream_path(scope)
    if _has_dot_segment(path):
        return await _send_error(send, 400, "path must not contain . or .. segments")
    headers = _forward_headers(scope)
    try:
        body = await _read_body(receive)
    except BodyTooLarge:
        return await _send_error(send, 413, "request body too large")
    alias = _request_token_alias(method, path)
    join = await _granted_join(request, alias) if alias is not None else None
    if join is not None:
        injected = _inject(join, headers, body)
        if injected is None:
            return await _send_error(send, 400, "request_token body must be a JSON object")
        body = injected
    url = await _node_url(request, join, path) + path
    sse = method == "GET" and path.split("?", 1)[0].rstrip("/").endswith("/events")
    try:
        resp = await http.request(
            method, URL(url, encoded=True), headers=headers, data=body or None,
            timeout=SSE_TIMEOUT if sse else REST_TIMEOUT, allow_redirects=False,
        )  # fmt: skip
    except UPSTREAM_ERRORS:
        return await _send_error(send, 502, "conference node unreachable")
    if sse and resp.status == 200:
        return await _send_stream(resp, receive, send)
    try:
        content = await resp.read()
    except UPSTREAM_ERRORS:
        return await _send_error(send, 502, "conference node answer broke off")
    finally:
        resp.release()
    if join is not None and resp.status == 200 and not _role_matches(join, content):
        await _release(http, url, content)
        return await _send_error(send, 502, "conference node gave a role that does not match")
    await _send_body(send, resp.status, _answer_headers(resp, len(content)), content)
