"""The proxy's calls to the conference node (request_token, calls, ack, release_token, ...)
and its event streams: HTTP/1.1 on a keep-alive pool, the answer parsed by httptools.

aiohttp's per-request work (its request and response objects, payload registry, tracing
hooks, URL and cookie handling) was the largest share of the BFF's CPU per proxied call under
the load bench's profile; this does only what a proxied call needs: write the request in one
piece, read the status, headers and whole body, keep the connection when the node allows it.

An event stream (`NodeCalls.stream`) is a GET sent the same way, on an idle pooled connection
when there is one; its body is handed on as it arrives (`NodeStream`), and its connection is
never pooled again: it is closed when the stream ends either side, so the node sees its
listener go. While the relay has more than STREAM_BUFFER bytes still to take (a browser that
reads slowly), the connection is not read: the node's writes back up instead of this
process's memory. aiohttp's per-stream work (its request, connector, response and stream
reader objects) had been about a tenth of the BFF's CPU per join in the load bench's profile;
the connect itself remains (each stream holds a connection of its own).

As aiohttp does, a request whose reused connection turns out closed before any answer is sent
again on a new one only when its method is idempotent (RFC 9112 section 9.3.1): a
request_token is not sent twice.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Awaitable, Callable
from typing import NamedTuple, TypeVar
from urllib.parse import urlsplit

import httptools

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
# How long an idle connection to a node is used again (s): less than servers wait before they
# close an idle keep-alive connection (uvicorn's default, the emulated node's, is 5 s). Reused
# any later, a request_token could go out on a connection the node is closing at that moment:
# it is not sent twice, so the browser would get a 502 for a node that is up.
KEEPALIVE = 4.0
MAX_IDLE_PER_NODE = 256
MAX_ANSWER = 16 << 20  # a node's answers are small (SDP is a few KiB)
STREAM_BUFFER = 256 << 10  # a stream's bytes waiting for the relay beyond which the node waits
T = TypeVar("T")


class UpstreamError(Exception):
    """The node could not be reached, broke the connection or answered no valid HTTP."""


class NodeAnswer(NamedTuple):
    status: int
    raw_headers: list[tuple[bytes, bytes]]
    body: bytes


class _Node(NamedTuple):
    host: str
    port: int
    tls: bool
    host_header: bytes


class _Connection(asyncio.Protocol):
    """One connection to a node: one request at a time, its answer parsed as it arrives."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.received = False  # any byte of an answer on this connection
        self.idle_since = 0.0
        self._answer: asyncio.Future[NodeAnswer] | None = None
        self._headers: list[tuple[bytes, bytes]] = []
        self._body: list[bytes] = []
        self._size = 0
        self._complete = False
        self._keep_alive = False
        self._headers_done = False
        self._until_close = False  # neither length nor chunks: the body ends with the connection
        self._opened: asyncio.Future[NodeStream] | None = None  # a stream's, until its headers
        self._stream: NodeStream | None = None  # the answer's body goes here as it arrives

    # -- asyncio.Protocol --------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.received = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(UpstreamError(f"the node's answer is not valid HTTP: {exc}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._stream is not None:
            ended = self._complete or self._until_close
            self._stream._end(None if ended else UpstreamError("the node broke off the stream"))
            return
        if self._until_close and self._headers_done and not self._complete:
            self._finish()
            return
        self._fail(UpstreamError("the node closed the connection"))

    # -- httptools callbacks -----------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name, value))

    def on_headers_complete(self) -> None:
        self._headers_done = True
        names = {name.lower() for name, _ in self._headers}
        self._until_close = b"content-length" not in names and b"transfer-encoding" not in names
        opened = self._opened
        if opened is not None and self.parser.get_status_code() >= 200:
            self._stream = NodeStream(self, self.parser.get_status_code(), self._headers)
            self._opened = None
            if not opened.done():
                opened.set_result(self._stream)

    def on_body(self, body: bytes) -> None:
        if self._stream is not None:
            self._stream._put(body)
            return
        self._size += len(body)
        if self._size > MAX_ANSWER:
            self._fail(UpstreamError("the node's answer is too large"))
            self.close()
            return
        self._body.append(body)

    def on_message_complete(self) -> None:
        if 100 <= self.parser.get_status_code() < 200:  # 100 Continue: the answer is still to come
            self._headers, self._body, self._size = [], [], 0
            self._headers_done = self._until_close = False
            return
        self._keep_alive = self.parser.should_keep_alive()  # read before the parser resets
        if self._stream is not None:
            self._complete = True
            self._stream._end(None)
            return
        self._finish()

    # -- one exchange ------------------------------------------------------------------------
    def send(self, request: bytes) -> asyncio.Future[NodeAnswer]:
        assert self.transport is not None
        if self.closed or self.transport.is_closing():
            raise UpstreamError("the node closed the connection")
        self._answer = asyncio.get_running_loop().create_future()
        self._headers, self._body, self._size = [], [], 0
        self._complete = self._keep_alive = self._headers_done = self._until_close = False
        self.transport.write(request)
        return self._answer

    def open_stream(self, request: bytes) -> asyncio.Future[NodeStream]:
        """Send `request`; the answer once its headers are in, its body to come."""
        assert self.transport is not None
        if self.closed or self.transport.is_closing():
            raise UpstreamError("the node closed the connection")
        self._opened = asyncio.get_running_loop().create_future()
        self._headers = []
        self._complete = self._headers_done = self._until_close = False
        self.transport.write(request)
        return self._opened

    def reusable(self) -> bool:
        return self._complete and self._keep_alive and not self.closed and not self._until_close

    def pause_reading(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.resume_reading()

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _finish(self) -> None:
        self._complete = True
        answer = self._answer
        if answer is not None and not answer.done():
            status = self.parser.get_status_code()
            answer.set_result(NodeAnswer(status, self._headers, b"".join(self._body)))

    def _fail(self, error: UpstreamError) -> None:
        answer = self._answer
        if answer is not None and not answer.done():
            answer.set_exception(error)
        opened = self._opened
        if opened is not None and not opened.done():
            opened.set_exception(error)
        if self._stream is not None:
            self._stream._end(error)


class NodeStream:
    """An answer whose body is handed on as it arrives (an event stream): its status and
    headers, then its body by `async for` (de-chunked; what has arrived since the last step,
    in one piece). The connection is the stream's alone: `close()` drops it, as does the
    node's end of the stream. A body that breaks off raises UpstreamError."""

    def __init__(
        self, connection: _Connection, status: int, raw_headers: list[tuple[bytes, bytes]]
    ) -> None:
        self.status = status
        self.raw_headers = raw_headers
        self._connection = connection
        self._chunks: list[bytes] = []
        self._queued = 0
        self._paused = False
        self._ended = False
        self._error: UpstreamError | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._open: set[NodeStream] | None = None  # NodeCalls' open streams, while open

    def __aiter__(self) -> NodeStream:
        return self

    async def __anext__(self) -> bytes:
        while not self._chunks:
            if self._error is not None:
                raise self._error
            if self._ended:
                raise StopAsyncIteration
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        chunks = self._chunks
        self._chunks, self._queued = [], 0
        if self._paused:  # all taken: the node may send again
            self._paused = False
            self._connection.resume_reading()
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    async def read(self) -> bytes:
        """The whole body (a refusal's, which is short), at most MAX_ANSWER bytes."""
        parts: list[bytes] = []
        size = 0
        async for chunk in self:
            size += len(chunk)
            if size > MAX_ANSWER:
                raise UpstreamError("the node's answer is too large")
            parts.append(chunk)
        return b"".join(parts)

    def close(self) -> None:
        self._end(None)
        self._connection.close()

    def _put(self, chunk: bytes) -> None:
        if self._ended:
            return
        self._chunks.append(chunk)
        self._queued += len(chunk)
        if self._queued > STREAM_BUFFER and not self._paused:
            self._paused = True
            self._connection.pause_reading()
        self._wake()

    def _end(self, error: UpstreamError | None) -> None:
        if self._ended:
            return
        self._ended, self._error = True, error
        if self._open is not None:
            self._open.discard(self)
            self._open = None
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


class NodeCalls:
    """Keep-alive connections per node; `call` sends one request and returns the answer."""

    def __init__(
        self, keepalive: float = KEEPALIVE, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        self.keepalive = keepalive
        self.ssl_context = ssl_context
        self._nodes: dict[str, _Node] = {}
        self._idle: dict[_Node, list[_Connection]] = {}
        self._streams: set[NodeStream] = set()
        self._closed = False

    async def call(
        self,
        method: str,
        node: str,
        path: str,
        headers: list[tuple[str, str]],
        body: bytes,
        connect_timeout: float,
        read_timeout: float,
    ) -> NodeAnswer:
        """`path` is sent as given (already encoded, with its query)."""
        where = self._node(node)
        request = _request_bytes(method, where.host_header, path, headers, body)

        async def answer(connection: _Connection) -> NodeAnswer:
            async with asyncio.timeout(read_timeout):
                return await connection.send(request)

        connection, answered = await self._exchange(
            where, connect_timeout, method in IDEMPOTENT, answer
        )
        self._release(where, connection)
        return answered

    async def stream(
        self,
        node: str,
        path: str,
        headers: list[tuple[str, str]],
        connect_timeout: float,
        headers_timeout: float,
    ) -> NodeStream:
        """A GET whose body is handed on as it arrives (an event stream): the answer once its
        headers are in, within `headers_timeout` (a node answers a stream's headers at once;
        one that accepts and stays silent must not hold the browser's request for ever). No
        time limit on the body (a stream may be quiet for long); the caller closes the stream
        when done with it."""
        where = self._node(node)
        request = _request_bytes("GET", where.host_header, path, headers, b"")

        async def opened_stream(connection: _Connection) -> NodeStream:
            async with asyncio.timeout(headers_timeout):
                return await connection.open_stream(request)

        _, opened = await self._exchange(where, connect_timeout, True, opened_stream)
        if self._closed:
            opened.close()
            raise UpstreamError("shutting down")
        opened._open = self._streams
        self._streams.add(opened)
        return opened

    async def close(self) -> None:
        self._closed = True
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()
        for stream in list(self._streams):
            stream.close()

    async def _exchange(
        self,
        where: _Node,
        connect_within: float,
        idempotent: bool,
        exchange: Callable[[_Connection], Awaitable[T]],
    ) -> tuple[_Connection, T]:
        """`exchange` on an idle connection or a new one; once more on a new one when the idle
        one turns out closed before any answer, if the request may be sent twice."""
        for _ in range(2):
            connection, reused = await self._connection(where, connect_within)
            try:
                return connection, await exchange(connection)
            except UpstreamError:
                connection.close()
                if reused and not connection.received and idempotent:
                    continue  # the node had closed it while it waited here: once more, fresh
                raise
            except BaseException:  # timed out or cancelled mid-answer: the connection is spent
                connection.close()
                raise
        raise UpstreamError("the node closed the connection")

    def _node(self, node: str) -> _Node:
        known = self._nodes.get(node)
        if known is None:
            parts = urlsplit(node)
            tls = parts.scheme == "https"
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise UpstreamError(f"not a node URL: {node!r}")
            port = parts.port or (443 if tls else 80)
            host_header = parts.netloc.rpartition("@")[2]  # never a user part
            known = _Node(parts.hostname, port, tls, host_header.encode("idna"))
            self._nodes[node] = known
        return known

    async def _connection(self, where: _Node, connect_within: float) -> tuple[_Connection, bool]:
        idle = self._idle.get(where)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if not connection.closed and now - connection.idle_since < self.keepalive:
                connection.received = False
                return connection, True
            connection.close()
        loop = asyncio.get_running_loop()
        context = self._tls() if where.tls else None
        try:
            async with asyncio.timeout(connect_within):
                _, protocol = await loop.create_connection(
                    _Connection,
                    where.host,
                    where.port,
                    ssl=context,
                    server_hostname=where.host if context else None,
                )
        except (OSError, ssl.SSLError) as exc:
            raise UpstreamError(f"the node is unreachable: {exc}") from exc
        return protocol, False

    def _tls(self) -> ssl.SSLContext:
        """The system's trusted CAs, as aiohttp's default: made once, on the first https node."""
        if self.ssl_context is None:
            self.ssl_context = ssl.create_default_context()
        return self.ssl_context

    def _release(self, where: _Node, connection: _Connection) -> None:
        if self._closed or not connection.reusable():
            connection.close()
            return
        idle = self._idle.setdefault(where, [])
        if len(idle) >= MAX_IDLE_PER_NODE:
            connection.close()
            return
        connection.idle_since = time.monotonic()
        idle.append(connection)


def _request_bytes(
    method: str, host: bytes, path: str, headers: list[tuple[str, str]], body: bytes
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1\r\n"]
    for name, value in headers:
        lines.append(f"{name}: {value}\r\n")
    if body or method not in IDEMPOTENT:
        lines.append(f"Content-Length: {len(body)}\r\n")
    head = "".join(lines)
    # a line break only where this put one (the browser's headers were parsed already)
    if head.count("\n") != len(lines) or head.count("\r") != len(lines):
        raise UpstreamError("a request line or header holds a line break")
    try:
        encoded = head.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise UpstreamError("a header is not Latin-1") from exc
    return b"".join((encoded, b"Host: ", host, b"\r\n\r\n", body))
