"""bff.proxy.upstream: the proxy's keep-alive calls and event streams to the node, against a
raw HTTP server that answers as told (lengths, chunks, closed connections, a stream sent step
by step)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
import uvicorn

from bff.proxy.upstream import (
    KEEPALIVE,
    STREAM_BUFFER,
    NodeAnswer,
    NodeCalls,
    NodeStream,
    UpstreamError,
)

Answer = Callable[[int, bytes], bytes | None]  # (request number, request) -> bytes; None: hang up


class Node:
    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.connections = 0
        self.requests: list[bytes] = []

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                reply = self.answer(len(self.requests), request)
                if reply is None:
                    break
                writer.write(reply)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


@asynccontextmanager
async def node(answer: Answer) -> AsyncIterator[tuple[Node, str]]:
    served = Node(answer)
    server = await asyncio.start_server(served.serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield served, f"http://127.0.0.1:{port}"
    finally:
        server.close()


def ok(body: bytes, extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body)


async def call(
    calls: NodeCalls,
    url: str,
    method: str = "POST",
    body: bytes = b"{}",
    headers: list[tuple[str, str]] | None = None,
) -> NodeAnswer:
    return await calls.call(
        method,
        url,
        "/api/client/v2/conferences/a/request_token?x=1",
        headers or [("token", "t")],
        body,
        2.0,
        2.0,
    )


async def test_keeps_the_connection_and_sends_the_request_whole() -> None:
    async with node(lambda n, _: ok(b'{"n": %d}' % n, b"X-Node: a\r\n")) as (served, url):
        calls = NodeCalls()
        first = await call(calls, url, body=b'{"display_name": "x"}')
        second = await call(calls, url)
        await calls.close()
    assert (first.status, first.body, second.body) == (200, b'{"n": 1}', b'{"n": 2}')
    assert (b"X-Node", b"a") in first.raw_headers
    assert served.connections == 1
    request = served.requests[0]
    assert request.startswith(b"POST /api/client/v2/conferences/a/request_token?x=1 HTTP/1.1\r\n")
    assert b"\r\ntoken: t\r\n" in request and b"\r\nContent-Length: 21\r\n" in request
    assert b"\r\nHost: 127.0.0.1:" in request and request.endswith(b'\r\n\r\n{"display_name": "x"}')


async def test_chunked_answers_and_connection_close() -> None:
    chunked = (
        b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    )

    def answer(n: int, _: bytes) -> bytes:
        return chunked if n == 1 else ok(b"fin", b"Connection: close\r\n")

    async with node(answer) as (served, url):
        calls = NodeCalls()
        first = await call(calls, url)
        second = await call(calls, url)
        third = await call(calls, url)  # the node said close: a new connection
        await calls.close()
    assert (first.status, first.body) == (404, b"abcde")
    assert (second.body, third.body) == (b"fin", b"fin")
    assert served.connections == 2


async def test_a_post_is_never_sent_twice_a_get_is_on_a_closed_keepalive() -> None:
    def answer(n: int, _: bytes) -> bytes | None:
        return None if n in (2, 4) else ok(b"x")  # the node hangs up on these, unanswered

    async with node(answer) as (served, url):
        calls = NodeCalls()
        await call(calls, url)
        with pytest.raises(UpstreamError):
            await call(calls, url, "POST")
        assert len(served.requests) == 2
        await call(calls, url)  # a new connection
        again = await call(calls, url, "GET", b"")  # hung up on, then sent on a new one
        await calls.close()
    assert again.body == b"x"
    assert len(served.requests) == 5 and served.connections == 3


async def test_an_idle_connection_is_used_again_only_within_the_keepalive() -> None:
    async with node(lambda n, _: ok(b"x")) as (served, url):
        calls = NodeCalls(keepalive=0.2)
        await call(calls, url)
        await call(calls, url)  # at once: the same connection
        await asyncio.sleep(0.3)
        await call(calls, url)  # idle longer than the keep-alive: a new one
        await calls.close()
    assert (len(served.requests), served.connections) == (3, 2)


def test_the_keepalive_ends_before_the_node_closes_an_idle_connection() -> None:
    # The emulated node is uvicorn with its default idle timeout. A request_token is never
    # sent twice, so it must not go out on a connection the node may be closing just then.
    margin = uvicorn.Config("app:app").timeout_keep_alive - KEEPALIVE
    assert margin >= 1


async def test_a_line_break_in_a_header_is_refused_before_anything_is_sent() -> None:
    async with node(lambda n, _: ok(b"x")) as (served, url):
        calls = NodeCalls()
        with pytest.raises(UpstreamError):
            await call(calls, url, headers=[("pin", "1\r\nX-Injected: 1")])
        await calls.close()
    assert served.requests == []


async def test_an_unreachable_node_is_an_upstream_error() -> None:
    async with node(lambda n, _: ok(b"x")) as (_, url):
        pass  # closed again: nothing listens there now
    with pytest.raises(UpstreamError):
        await call(NodeCalls(), url)


# -- event streams ---------------------------------------------------------------------------
Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
EVENTS = "/api/client/v2/conferences/a/events?token=t"
SSE_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"


@asynccontextmanager
async def streaming_node(serve: Serve) -> AsyncIterator[str]:
    """A node that answers each connection as `serve` says, step by step."""
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


async def open_stream(calls: NodeCalls, url: str, headers_within: float = 5.0) -> NodeStream:
    return await calls.stream(
        url, EVENTS, [("token", "t"), ("X-Request-ID", "r-1")], 2.0, headers_within
    )


async def next_chunk(stream: NodeStream) -> bytes:
    async with asyncio.timeout(5):
        return await anext(stream)


async def rest_of(stream: NodeStream) -> bytes:
    async with asyncio.timeout(10):
        return b"".join([chunk async for chunk in stream])


@pytest.mark.parametrize(
    ("head", "frame", "end"),
    [
        (b"Transfer-Encoding: chunked\r\n", lambda data: b"%x\r\n%s\r\n" % (len(data), data),
         b"0\r\n\r\n"),
        (b"Content-Length: 31\r\n", lambda data: data, b""),
        (b"", lambda data: data, None),  # neither: the body ends with the connection
    ],
    ids=["chunked", "content-length", "until-close"],
)  # fmt: skip
async def test_a_stream_hands_on_each_piece_as_it_arrives(
    head: bytes, frame: Callable[[bytes], bytes], end: bytes | None
) -> None:
    """Each piece is read before the node sends the next (it waits to be told): nothing waits
    for the body's end."""
    events = [b": connected\n\n", b"event: a\ndata: 1\n\n"]  # 31 bytes
    taken = [asyncio.Event() for _ in events]
    requests: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        requests.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(SSE_HEAD + head + b"\r\n")
        for event, read in zip(events, taken, strict=True):
            writer.write(frame(event))
            await read.wait()
        if end is not None:
            writer.write(end)
            await reader.read()  # the proxy closes it when the stream ends
        writer.close()

    async with streaming_node(serve) as url:
        calls = NodeCalls()
        stream = await open_stream(calls, url)
        assert stream.status == 200
        assert (b"Content-Type", b"text/event-stream") in stream.raw_headers
        got = []
        for event, read in zip(events, taken, strict=True):
            got.append(await next_chunk(stream))
            assert got[-1] == event
            read.set()
        assert await rest_of(stream) == b""  # ended, without an error
        stream.close()
        await calls.close()
    assert requests[0].startswith(b"GET " + EVENTS.encode() + b" HTTP/1.1\r\n")
    assert b"\r\ntoken: t\r\n" in requests[0] and b"\r\nX-Request-ID: r-1\r\n" in requests[0]
    assert b"Content-Length" not in requests[0]


async def test_closing_a_stream_closes_the_nodes_connection_and_never_pools_it() -> None:
    gone = asyncio.Event()
    connections: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if b"/events" not in head:
                writer.write(ok(b"{}"))
                continue
            writer.write(SSE_HEAD + b"Transfer-Encoding: chunked\r\n\r\nd\r\n: connected\n\n\r\n")
            assert await reader.read() == b""  # the listener went: end of the connection
            gone.set()
            writer.close()
            return

    async with streaming_node(serve) as url:
        calls = NodeCalls()
        await calls.call("GET", url, "/conference_status", [], b"", 2.0, 2.0)
        stream = await open_stream(calls, url)  # on the idle connection the call left
        assert len(connections) == 1
        assert await next_chunk(stream) == b": connected\n\n"
        stream.close()
        async with asyncio.timeout(5):
            await gone.wait()
        with pytest.raises(StopAsyncIteration):
            await next_chunk(stream)
        await calls.call("GET", url, "/conference_status", [], b"", 2.0, 2.0)
        await calls.close()
    assert len(connections) == 2  # the stream's connection was not pooled again


async def test_a_slow_reader_holds_the_node_back_then_gets_everything() -> None:
    """Nothing is taken from the stream: the connection stops being read once more than
    STREAM_BUFFER bytes wait, so the node's writes back up; then everything is read."""
    size = 32 << 20  # more than loopback's socket buffers hold
    written = asyncio.Event()
    node_side: list[asyncio.StreamWriter] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        node_side.append(writer)
        await reader.readuntil(b"\r\n\r\n")
        writer.write(SSE_HEAD + b"Content-Length: %d\r\n\r\n" % size)
        writer.write(b"x" * size)
        await writer.drain()
        written.set()
        await reader.read()
        writer.close()

    async with streaming_node(serve) as url:
        calls = NodeCalls()
        stream = await open_stream(calls, url)
        transport = stream._connection.transport
        assert transport is not None
        for _ in range(500):  # the node's bytes pile up here (a few seconds at most)
            if not transport.is_reading():
                break
            await asyncio.sleep(0.01)
        assert not transport.is_reading()
        for _ in range(20):  # the loop turns: nothing more is read while paused
            await asyncio.sleep(0.01)
        assert not transport.is_reading()
        assert STREAM_BUFFER < stream._queued <= 2 * STREAM_BUFFER + (256 << 10)
        assert not written.is_set()
        assert node_side[0].transport.get_write_buffer_size() > 0  # the node's writes wait
        assert len(await rest_of(stream)) == size
        assert written.is_set()
        stream.close()
        await calls.close()


async def test_a_stream_on_a_closed_idle_connection_is_sent_again_on_a_new_one() -> None:
    def answer(n: int, _: bytes) -> bytes | None:
        if n == 1:
            return ok(b"x")
        if n == 2:
            return None  # the node had closed the idle connection: hung up, unanswered
        return SSE_HEAD + b"Content-Length: 13\r\n\r\n: connected\n\n"

    async with node(answer) as (served, url):
        calls = NodeCalls()
        await call(calls, url, "GET", b"")
        stream = await open_stream(calls, url)
        assert stream.status == 200 and await rest_of(stream) == b": connected\n\n"
        stream.close()
        await calls.close()
    assert served.connections == 2 and len(served.requests) == 3
    assert served.requests[1] == served.requests[2]


async def test_a_stream_the_node_breaks_off_is_an_upstream_error() -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(SSE_HEAD + b"Transfer-Encoding: chunked\r\n\r\nd\r\n: connected\n\n\r\n")
        writer.close()  # mid-stream: no last chunk

    async with streaming_node(serve) as url:
        calls = NodeCalls()
        stream = await open_stream(calls, url)
        assert await next_chunk(stream) == b": connected\n\n"
        with pytest.raises(UpstreamError):
            await next_chunk(stream)
        stream.close()
        await calls.close()


async def test_a_refused_stream_has_its_answer_read_whole() -> None:
    refusal = b'{"status": "error", "result": "Invalid token"}'

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n")
        writer.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(refusal), refusal))
        await reader.read()
        writer.close()

    async with streaming_node(serve) as url:
        calls = NodeCalls()
        stream = await open_stream(calls, url)
        assert stream.status == 403
        async with asyncio.timeout(5):
            assert await stream.read() == refusal
        stream.close()
        await calls.close()


async def test_a_node_silent_after_a_streams_request_times_out_and_loses_the_connection() -> None:
    hung_up = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")  # the request, then not a byte of an answer
        await reader.read()
        hung_up.set()
        writer.close()

    async with streaming_node(serve) as url:
        calls = NodeCalls()
        with pytest.raises(TimeoutError):
            await open_stream(calls, url, headers_within=0.3)
        async with asyncio.timeout(5):
            await hung_up.wait()  # the half-opened connection is closed, never pooled
        assert not calls._streams and not any(calls._idle.values())
        await calls.close()


async def test_a_stream_to_an_unreachable_node_is_an_upstream_error() -> None:
    async with node(lambda n, _: ok(b"x")) as (_, url):
        pass  # closed again: nothing listens there now
    with pytest.raises(UpstreamError):
        await open_stream(NodeCalls(), url)


async def test_closing_the_calls_ends_the_open_streams() -> None:
    gone = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(SSE_HEAD + b"\r\n: connected\n\n")
        await reader.read()
        gone.set()
        writer.close()

    async with streaming_node(serve) as url:
        calls = NodeCalls()
        stream = await open_stream(calls, url)
        await calls.close()
        async with asyncio.timeout(5):
            await gone.wait()
        assert await rest_of(stream) == b": connected\n\n"
