"""bff.proxy.upstream: the proxy's keep-alive calls to the node, against a raw HTTP server
that answers as told (lengths, chunks, closed connections)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest

from bff.proxy.upstream import NodeAnswer, NodeCalls, UpstreamError

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


async def call(calls: NodeCalls, url: str, method: str = "POST", body: bytes = b"{}",
               headers: list[tuple[str, str]] | None = None) -> NodeAnswer:  # fmt: skip
    return await calls.call(method, url, "/api/client/v2/conferences/a/request_token?x=1",
                            headers or [("token", "t")], body, 2.0, 2.0)  # fmt: skip


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
