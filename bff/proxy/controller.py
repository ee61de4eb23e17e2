"""Client REST API proxy to the conference node; on request_token the grant adds the PIN.

A raw ASGI mount: this is the hot path (every signalling call of every participant), so it
skips Litestar's per-request parameter parsing and response building. Every call but
request_token must carry a node token bound to the caller's own session cookie (one Redis
round trip, see seats.py). request_token with a grant adds the PIN from the session, its
meeting and the meeting's key, and takes the grant's seat with one script that first checks
those records are still as read (seats.take_seat_if_current): for a session this process knows
(it rendered its app shell, or joined before) that script is the one Redis round trip; for
another, the records are read first (GETs in a pipeline). On Redis Cluster the keys are in
different slots: the records are always read and the seat taken as before (seats.take_seat).
Headers and bodies are never logged: they carry tokens and PINs.

Calls to the node and its event streams go through bff.proxy.upstream (HTTP/1.1 on a
keep-alive pool, parsed by httptools): aiohttp's per-request work was the largest share of the
BFF's CPU per proxied call, as httpx's had been before it. HEAD calls go through aiohttp.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast
from urllib.parse import parse_qs, unquote

import aiohttp
import msgspec
from litestar import asgi
from litestar._parsers import parse_cookie_string
from litestar.datastructures import State
from litestar.types import HTTPScope, Receive, Scope, Send
from multidict import CIMultiDict
from redis.asyncio.cluster import RedisCluster
from yarl import URL

from bff.core.errors import UpstreamFailed
from bff.core.node import RELEASE_TIMEOUT
from bff.core.sealing import SealError
from bff.core.security import new_session_id
from bff.joins.models import Session
from bff.joins.sessions import (
    MAX_SID,
    JoinRecords,
    decode_session,
    forget_join_records,
    known_join_records,
    load_join_records,
    load_session,
    session_cookie,
    session_ref,
)
from bff.meetings.keys import unwrap_meeting_key
from bff.meetings.models import Meeting
from bff.meetings.service import ttl_seconds
from bff.meetings.vdx import VdxClient
from bff.ops import metrics
from bff.phonebook import own as phonebook_own
from bff.proxy import seats
from bff.proxy.pin_guard import PinGuard
from bff.proxy.routing import NodeRouter, conference_alias
from bff.proxy.upstream import NodeAnswer, NodeCalls, NodeStream, UpstreamError
from bff.stats import observed
from bff.stats import service as stats_service
from bff.stats.counting import Point

PREFIX = "/api/client/v2/"
HOP_BY_HOP = frozenset(
    {
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "host", "cookie", "content-length",
        "accept-encoding", "authorization", "x-api-key",
        # the node must not take a browser's word for where it is
        "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip",
    }
)  # fmt: skip
DROP_FROM_ANSWER = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"content-length",
        b"content-encoding",
        b"set-cookie",
        b"date",
        b"server",
    }
)
ROLE = {"host": "HOST", "guest": "GUEST"}
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
REST_TIMEOUT = aiohttp.ClientTimeout(total=None, connect=CONNECT_TIMEOUT, sock_read=READ_TIMEOUT)
UPSTREAM_ERRORS = (aiohttp.ClientError, TimeoutError, UpstreamError)
MAX_BODY = 1 << 20  # signalling bodies are small (SDP is a few KiB)
# What a node answers a caller without a PIN, and for a wrong one; an unknown alias gets the
# same, so the answers do not tell which rooms exist.
NODE_VERSION = {"version_id": "36", "pseudo_version": "36.0.0.0"}
PIN_REQUIRED = {"pin": "required", "guest_pin": "required"}
_background: set[asyncio.Task[None]] = set()
_streams: set[asyncio.Event] = set()  # one per open event stream: set() closes it


class BodyTooLarge(Exception):
    pass


class GrantedJoin(msgspec.Struct):
    session: Session
    meeting: Meeting
    display_name: str
    pin: str
    records: JoinRecords  # as read (or known to this process): the seat is taken only on them
    from_memory: bool  # the records came from this process's memory, not from Redis just now


class Call(msgspec.Struct):
    """One proxied request, as the proxy sees it."""

    method: str
    path: str
    headers: CIMultiDict[str]
    body: bytes
    sid: str | None


def _in_background(work: Coroutine[Any, Any, None]) -> None:
    """Work the caller need not wait for (releasing a replaced seat)."""
    task = asyncio.ensure_future(work)
    _background.add(task)
    task.add_done_callback(_background.discard)


def _observe(state: State, alias: str, points: list[Point]) -> None:
    """Statistics from what the proxy saw (bff.stats.observed): sent after it answered,
    with the other observations of the moment."""
    if points and state.settings.statistics.observe:
        observed.note_soon(state.stats, alias, points)


def _observe_admitted(
    state: State, alias: str, participant: str, role: object, body: bytes, t: float
) -> None:
    """A join without a grant (by address and PIN, or a transfer's refer): its party is the
    call tag it carried, if any."""
    party = stats_service.party_of(_call_tag(body), state.stats.known)
    _observe(state, alias, [observed.admitted(participant, role, party, t)])


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


def _forward_headers(scope: Scope, cookie_name: str) -> tuple[CIMultiDict[str], str | None]:
    """The headers to forward, and the session id from the (first) Cookie header, parsed
    as Litestar's `Request.cookies` does; one pass over the headers."""
    kept: list[tuple[str, str]] = []
    cookie: str | None = None
    for k, v in scope["headers"]:
        name = k.decode("latin-1")
        lower = name.lower()
        if lower not in HOP_BY_HOP:
            kept.append((name, v.decode("latin-1")))
        elif lower == "cookie" and cookie is None:
            cookie = v.decode("latin-1")
    headers: CIMultiDict[str] = CIMultiDict(kept)
    headers["accept-encoding"] = "identity"
    sid = parse_cookie_string(cookie).get(cookie_name) if cookie else None
    return headers, sid if sid and len(sid) <= MAX_SID else None


def _answer_headers(resp: NodeAnswer | NodeStream, length: int | None) -> list[tuple[bytes, bytes]]:
    # CORS headers too: the app is same-origin, and a node's `*` must not open it to others
    headers = [
        (k.lower(), v)
        for k, v in resp.raw_headers
        if k.lower() not in DROP_FROM_ANSWER and not k.lower().startswith(b"access-control-")
    ]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    return headers


def _endpoint(path: str) -> tuple[str | None, str]:
    """(conference alias, what is called) for `conferences/<alias>/<endpoint...>`."""
    parts = path.split("?", 1)[0].removeprefix(PREFIX).strip("/").split("/")
    if len(parts) >= 3 and parts[0] == "conferences":
        return unquote(parts[1]), "/".join(parts[2:])
    return None, ""


def _node_token(call: Call) -> str:
    token = call.headers.get("token")
    if token:
        return token
    query = call.path.partition("?")[2]
    return parse_qs(query).get("token", [""])[0] if "token=" in query else ""


def _client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _one_script(redis: Any) -> bool:
    """Whether one script may touch the session's, the meeting's and the seat's keys (one
    Redis or Sentinel; a cluster keeps them in different slots)."""
    return not isinstance(redis, RedisCluster)


async def _granted_join(
    state: State, sid: str | None, alias: str, use_known: bool
) -> GrantedJoin | None:
    """The session's grant for this conference: from the records this process knows for the
    session (`use_known`; checked again when the seat is taken), else read now."""
    if not sid or len(sid) > MAX_SID:
        return None
    ref, one_script = session_ref(sid), _one_script(state.redis)
    if use_known and one_script and (known := known_join_records(ref)) is not None:
        join = _grant_of(state, known, alias, from_memory=True)
        if join is not None:
            return join
        forget_join_records(ref)  # only a grant is taken from memory: the rest is read again
    records, _ = await load_join_records(state.redis, sid)
    return None if records is None else _grant_of(state, records, alias, from_memory=False)


def _grant_of(
    state: State, records: JoinRecords, alias: str, from_memory: bool
) -> GrantedJoin | None:
    session = decode_session(records.session)
    if session is None:
        return None
    meeting = msgspec.json.decode(records.meeting, type=Meeting)
    if meeting.party != session.party or meeting.alias != alias:
        return None
    if meeting.status_at(datetime.now(UTC)) != "scheduled":
        return None
    cipher = unwrap_meeting_key(state.sealer, meeting.id, records.meeting_key)
    if cipher is None:
        return None
    try:
        name = session.grant.display_name(cipher)
        pin = meeting.pin_for(session.grant.role, cipher)
    except SealError:  # sealed under another key: the grant no longer holds
        return None
    return GrantedJoin(session, meeting, name, pin, records, from_memory)


def _inject(join: GrantedJoin, call: Call) -> Call | None:
    """The call as the node gets it: the grant's name, call tag and PIN (a copy: the
    browser's own call stays as it came, for a join that turns out not to be granted)."""
    try:
        payload = msgspec.json.decode(call.body or b"{}")
    except (msgspec.DecodeError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    payload["display_name"] = join.display_name
    payload["call_tag"] = f"borgervideo:{join.session.party}"
    headers = call.headers.copy()
    headers.popall("pin", None)  # the user's own pin header gives way to the grant's
    headers.popall("content-type", None)
    headers["pin"] = join.pin
    headers["content-type"] = "application/json"
    return Call(call.method, call.path, headers, msgspec.json.encode(payload), call.sid)


async def _tag_transfer(state: State, call: Call) -> None:
    """A transfer (Infinity `refer`): the browser joins the other conference with the node's
    one-time `token` and no grant for it, so @pexip/infinity sends no call tag. When the
    session holds a grant, its party's tag goes along, so the consultation is still counted
    for that party (bff.stats reads the call tag)."""
    try:
        payload = msgspec.json.decode(call.body or b"{}")
    except (msgspec.DecodeError, RecursionError):
        return
    if not isinstance(payload, dict) or not isinstance(payload.get("token"), str):
        return
    if payload.get("call_tag"):
        return
    session = await load_session(state.redis, call.sid)
    if session is None:
        return
    payload["call_tag"] = f"borgervideo:{session.party}"
    call.body = msgspec.json.encode(payload)
    call.headers.popall("content-type", None)
    call.headers["content-type"] = "application/json"


def _call_tag(body: bytes) -> str | None:
    try:
        payload = msgspec.json.decode(body or b"{}")
    except (msgspec.DecodeError, RecursionError):
        return None
    tag = payload.get("call_tag") if isinstance(payload, dict) else None
    return tag if isinstance(tag, str) else None


def _token_answer(answer: bytes) -> dict[str, Any] | None:
    try:
        result = msgspec.json.decode(answer)["result"]
    except (msgspec.DecodeError, KeyError, TypeError):
        return None
    return result if isinstance(result, dict) and isinstance(result.get("token"), str) else None


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b""
        chunk = cast(bytes, message.get("body", b""))
        size += len(chunk)
        if size > MAX_BODY:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _send_body(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _json_headers(
    body: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *(extra or []),
    ]


async def _send_error(
    send: Send, status: int, reason: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = msgspec.json.encode({"status": "error", "result": reason, "detail": reason})
    await _send_body(send, status, _json_headers(body, extra), body)


async def _send_node_like(
    send: Send, status: int, result: object, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    """An answer in the node's own form, which the client's validators accept."""
    body = msgspec.json.encode({"status": "success", "result": result})
    await _send_body(send, status, _json_headers(body, extra), body)


def close_streams() -> None:
    """Shutting down: end every event stream now, so browsers reconnect to another instance
    at once instead of holding this one open until the grace period runs out."""
    for closing in list(_streams):
        closing.set()


async def _send_stream(
    resp: NodeStream, receive: Receive, send: Send, state: State, alias: str
) -> None:
    """Pipe the node's SSE stream; when the browser goes away, close the node's stream too.
    The participant events in it are observations for the statistics (read off the relay).
    A browser that reads slowly holds the node back (bff.proxy.upstream.STREAM_BUFFER)."""
    headers = [*_answer_headers(resp, None), (b"cache-control", b"no-store")]
    try:
        await send({"type": "http.response.start", "status": resp.status, "headers": headers})
    except BaseException:
        resp.close()  # the connection is the stream's alone: nothing else would close it
        raise
    closing = asyncio.Event()

    async def pump() -> None:
        events = observed.RelayedEvents() if state.settings.statistics.observe else None
        async for chunk in resp:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            if events is not None and (blocks := events.feed(chunk)):
                observed.relayed_soon(state.stats, alias, blocks, time.time())
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def browser_gone() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    tasks = {
        asyncio.ensure_future(pump()),
        asyncio.ensure_future(browser_gone()),
        asyncio.ensure_future(closing.wait()),
    }
    _streams.add(closing)
    metrics.SSE_STREAMS.inc()
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        metrics.SSE_STREAMS.dec()
        _streams.discard(closing)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        resp.close()  # drops the connection, so the node sees the listener go


@contextmanager
def _timed(call: Call) -> Iterator[None]:
    """A node call's time (or its failure) in the metrics, per endpoint."""
    label = metrics.endpoint_label(_endpoint(call.path)[1])
    started = time.perf_counter()
    try:
        yield
    except UPSTREAM_ERRORS:
        metrics.upstream_error(label).inc()
        raise
    metrics.upstream(label).observe(time.perf_counter() - started)


async def _head(http: aiohttp.ClientSession, url: str, call: Call) -> NodeAnswer:
    async with http.request(
        call.method,
        URL(url, encoded=True),
        headers=call.headers,
        timeout=REST_TIMEOUT,
        allow_redirects=False,
    ) as resp:
        return NodeAnswer(resp.status, list(resp.raw_headers), b"")


async def _open_stream(calls: NodeCalls, node: str, call: Call) -> NodeStream:
    """The node's answer to an event stream's GET (headers; the body is read by the caller),
    timed per endpoint. No time limit on the body: a stream may be quiet for long."""
    with _timed(call):
        return await calls.stream(
            node,
            call.path,
            list(call.headers.items()),
            connect_timeout=CONNECT_TIMEOUT,
            headers_timeout=READ_TIMEOUT,
        )


async def _call(state: State, node: str, call: Call) -> NodeAnswer:
    """The node's whole answer to a call it answers at once, timed per endpoint."""
    calls: NodeCalls = state.node_calls
    with _timed(call):
        if call.method == "HEAD":  # an answer with no body after its headers: aiohttp knows
            return await _head(state.node_http, node + call.path, call)
        return await calls.call(
            call.method,
            node,
            call.path,
            list(call.headers.items()),
            call.body,
            connect_timeout=CONNECT_TIMEOUT,
            read_timeout=READ_TIMEOUT,
        )


async def _request_token(scope: Scope, send: Send, state: State, call: Call, alias: str) -> None:
    # A second try reads the records again: the first found them changed at the seat.
    for use_known in (True, False):
        join = await _granted_join(state, call.sid, alias, use_known)
        if join is None:
            break
        if await _granted_request_token(send, state, call, join):
            return None
    else:
        retry = [(b"retry-after", str(PREPARING_RETRY).encode())]
        return await _send_error(send, 503, "the meeting changed while joining: try again", retry)
    if "pin" not in call.headers:
        await _tag_transfer(state, call)
    guard = PinGuard(state.redis, alias, _client_address(scope)) if "pin" in call.headers else None
    if guard is not None and (wait := await guard.admit()):
        retry = [(b"retry-after", str(wait).encode())]
        return await _send_error(send, 429, f"too many PIN attempts: try again in {wait} s", retry)
    node = await state.node_router.for_alias(state.redis, alias)
    try:
        resp = await _call(state, node, call)
    except UPSTREAM_ERRORS:
        return await _send_error(send, 502, "conference node unreachable")
    content = resp.body
    if resp.status == 404:  # unknown alias: answer as a room would, telling nothing
        if guard is None:
            return await _send_node_like(send, 403, {**PIN_REQUIRED, "version": NODE_VERSION})
        return await _send_node_like(send, 403, "Invalid PIN")
    sid, cookie, answer = call.sid, None, None
    if resp.status == 200:
        if guard is not None:
            await guard.succeeded()
        if sid is None:  # a join by address and PIN: its token is bound to a cookie of its own
            sid = new_session_id()
            cookie = session_cookie(state.settings, sid, 24 * 3600)
        answer = _token_answer(content)
        if answer is not None:
            participant = str(answer.get("participant_uuid", ""))
            binding = seats.TokenBinding(session_ref(sid), participant=participant)
            await seats.bind_token(
                state.redis, answer["token"], binding, seats.binding_ttl(answer.get("expires"))
            )
    headers = _answer_headers(resp, len(content))
    if cookie is not None:
        headers.append(cookie.to_encoded_header())
    await _send_body(send, resp.status, headers, content)
    if answer is not None and answer.get("participant_uuid") and state.settings.statistics.observe:
        _observe_admitted(
            state,
            alias,
            str(answer["participant_uuid"]),
            answer.get("role"),
            call.body,
            time.time(),
        )


async def _granted_request_token(send: Send, state: State, call: Call, join: GrantedJoin) -> bool:
    """Answered (True), or not (False): the join's records changed before its seat was taken
    (the node's token is released again), or the node refused a join on records from memory
    (a PIN that may have changed since: they are read again before the browser is told)."""
    forwarded = _inject(join, call)
    if forwarded is None:
        await _send_error(send, 400, "request_token body must be a JSON object")
        return True
    node = state.node_router.for_party(join.session.party)
    url = node + call.path
    try:
        resp = await _call(state, node, forwarded)
    except UPSTREAM_ERRORS:
        await _send_error(send, 502, "conference node unreachable")
        return True
    content = resp.body
    if resp.status != 200 and join.from_memory:
        assert call.sid is not None
        forget_join_records(session_ref(call.sid))
        return False
    if resp.status == 404 and await _being_provisioned(state, join.meeting):
        # The client's 5xx form (Status5Xx): the webapp says so and asks again.
        body = msgspec.json.encode({"status": "failed", "result": ROOM_BEING_PREPARED})
        retry = [(b"retry-after", str(PREPARING_RETRY).encode())]
        await _send_body(send, 503, _json_headers(body, retry), body)
        return True
    answer = _token_answer(content) if resp.status == 200 else None
    if resp.status == 200:
        if answer is None or answer.get("role") != ROLE[join.session.grant.role]:
            if answer is not None:
                _in_background(_release_token(state, url, answer["token"]))
            await _send_error(send, 502, "conference node gave a role that does not match")
            return True
        if not await _take_seat(state, call, join, node, answer):
            _in_background(_release_token(state, url, answer["token"]))
            assert call.sid is not None
            forget_join_records(session_ref(call.sid))
            return False
    await _send_body(send, resp.status, _answer_headers(resp, len(content)), content)
    if answer is not None and answer.get("participant_uuid"):
        seen = observed.admitted(
            str(answer["participant_uuid"]), answer.get("role"), join.session.party, time.time()
        )
        _observe(state, join.meeting.alias, [seen])
    return True


# A granted join whose room the node does not have yet: VDX's provisioning job has not made
# it (real VDX provisions in a job of its own, seconds after booking). The webapp knows this
# reason (webapp/src/features/call/call-state.ts ROOM_BEING_PREPARED).
ROOM_BEING_PREPARED = "Meeting room is being prepared"
PREPARING_RETRY = 2  # seconds


async def _being_provisioned(state: State, meeting: Meeting) -> bool:
    """VDX's provisionStatus says the room is still to come (or came just now)."""
    vdx = VdxClient(state.http, state.settings, state.vdx_auth)
    try:
        status = await vdx.provision_status(meeting.vdx_uuid)
    except UpstreamFailed:
        return False
    return status in ("AWAITS_PROVISION", "PROVISIONED_OK")


async def _take_seat(
    state: State, call: Call, join: GrantedJoin, node: str, answer: dict[str, Any]
) -> bool:
    """Bind the token and take the grant's seat; False: the join's records changed (one Redis
    or Sentinel: checked in the same script; a cluster takes the seat as read)."""
    grant = join.session.grant
    token, participant = answer["token"], str(answer.get("participant_uuid", ""))
    assert call.sid is not None
    binding = seats.TokenBinding(session_ref(call.sid), grant.seat, participant, bool(grant.person))
    seat = seats.sealed_seat(state.sealer, grant.seat, node, join.meeting.alias, participant, token)
    ttl = ttl_seconds(join.meeting.end, datetime.now(UTC))
    token_ttl = seats.binding_ttl(answer.get("expires"))
    if _one_script(state.redis):
        taken = await seats.take_seat_if_current(
            state.redis, join.records, join.meeting.id, token, binding, token_ttl, seat, ttl
        )
        if not taken.current:
            return False
        previous = taken.previous
    else:
        previous = await seats.take_seat(state.redis, token, binding, token_ttl, seat, ttl)
    if grant.person:  # the phonebook: this person is now in this meeting
        await phonebook_own.joined(
            state, join.session, join.meeting, join.display_name, participant
        )
    if previous is not None:
        _in_background(
            seats.release(state.redis, state.node_http, state.sealer, grant.seat, previous)
        )
    return True


async def _release_token(state: State, request_token_url: str, token: str) -> None:
    url = URL(request_token_url.replace("/request_token", "/release_token"), encoded=True)
    try:
        async with state.node_http.post(url, headers={"token": token}, timeout=RELEASE_TIMEOUT):
            pass
    except UPSTREAM_ERRORS:
        pass  # the node drops unrefreshed tokens anyway


async def _bound_call(
    receive: Receive, send: Send, state: State, call: Call, alias: str, endpoint: str
) -> None:
    """Any call but request_token: only with a token issued to this browser's session."""
    token = _node_token(call)
    ref = session_ref(call.sid) if call.sid else None
    binding = await seats.token_binding(state.redis, token, ref)
    if binding is None:
        return await _send_node_like(send, 403, "Invalid token")
    router: NodeRouter = state.node_router
    node = await router.for_alias(state.redis, conference_alias(call.path))
    if call.method == "GET" and endpoint.rstrip("/") == "events":
        return await _event_stream(receive, send, state, call, node, alias)
    try:
        answer = await _call(state, node, call)
    except UPSTREAM_ERRORS:
        return await _send_error(send, 502, "conference node unreachable")
    await _answer_bound_call(send, state, call, alias, endpoint, token, binding, answer)


async def _event_stream(
    receive: Receive, send: Send, state: State, call: Call, node: str, alias: str
) -> None:
    try:
        resp = await _open_stream(state.node_calls, node, call)
    except UPSTREAM_ERRORS:
        return await _send_error(send, 502, "conference node unreachable")
    if resp.status == 200:
        return await _send_stream(resp, receive, send, state, alias)
    try:  # a refusal: short, and whole at once
        async with asyncio.timeout(READ_TIMEOUT):
            content = await resp.read()
    except UPSTREAM_ERRORS:
        return await _send_error(send, 502, "conference node answer broke off")
    finally:
        resp.close()
    await _send_body(send, resp.status, _answer_headers(resp, len(content)), content)


async def _answer_bound_call(
    send: Send,
    state: State,
    call: Call,
    alias: str,
    endpoint: str,
    token: str,
    binding: seats.TokenBinding,
    resp: NodeAnswer,
) -> None:
    content = resp.body
    if resp.status == 200:
        await _after_token_call(state, binding, endpoint, token, content)
    await _send_body(send, resp.status, _answer_headers(resp, len(content)), content)
    if resp.status == 200:
        seen = observed.call_observed(call.method, endpoint, binding.participant, time.time())
        _observe(state, alias, [seen] if seen else [])


async def _after_token_call(
    state: State, binding: seats.TokenBinding, endpoint: str, token: str, content: bytes
) -> None:
    """A refreshed token inherits the binding; a released one frees its seat."""
    if endpoint == "refresh_token" and (answer := _token_answer(content)) is not None:
        ttl = seats.binding_ttl(answer.get("expires"))
        await seats.bind_token(state.redis, answer["token"], binding, ttl)
        if binding.seat:
            await seats.seat_token_refreshed(state.redis, state.sealer, binding, answer["token"])
    elif endpoint == "release_token" and binding.seat:
        await seats.vacate(state.redis, binding.seat, binding.participant)
        if binding.listed:  # no phonebook round trip for the (many) grants naming nobody
            await phonebook_own.left(state.redis, binding.seat, binding.participant)


@asgi(PREFIX.rstrip("/"), is_mount=True, include_in_schema=False, copy_scope=True)
async def client_api_proxy(scope: Scope, receive: Receive, send: Send) -> None:
    state: State = scope["litestar_app"].state  # what Request(scope).app.state is
    path = _upstream_path(scope)
    if _has_dot_segment(path):
        return await _send_error(send, 400, "path must not contain . or .. segments")
    try:
        body = await _read_body(receive)
    except BodyTooLarge:
        return await _send_error(send, 413, "request body too large")
    headers, sid = _forward_headers(scope, state.settings.serving.cookie_name)
    call = Call(cast("HTTPScope", scope)["method"], path, headers, body, sid)
    alias, endpoint = _endpoint(path)
    if alias is None:
        return await _send_error(send, 404, "not a conference path")
    if call.method == "POST" and endpoint == "request_token":
        return await _request_token(scope, send, state, call, alias)
    return await _bound_call(receive, send, state, call, alias, endpoint)
