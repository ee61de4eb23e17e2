"""A small round-robin load balancer for the tests: `python -m devstack.front`.

It stands where a production load balancer stands in front of several BFF instances: every
request goes to the next instance in turn, so nothing may depend on which one served the
previous request. A test may pin a browser to one instance with the header
`X-Bv-Backend: <index>` (Playwright's extra HTTP headers); when that instance is down, the
request goes to the next live one, as a load balancer's health check would send it.

A request is tried on another instance only when its instance could not be reached (the
connection was refused or dropped before any answer): a killed instance did not act on it.
Answers, event streams included, are passed through as they come. `GET /__front__/stats`
tells which instance served how many requests, by pinned index.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
from collections import Counter, defaultdict

import aiohttp
from aiohttp import web

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "x-bv-backend",
    }
)
PIN_HEADER = "x-bv-backend"
UNREACHABLE = (aiohttp.ClientConnectorError, aiohttp.ServerDisconnectedError)
STREAM_TIMEOUT = aiohttp.ClientTimeout(total=None, connect=3, sock_read=None)


class Front:
    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.turn = itertools.cycle(range(len(backends)))
        self.served: Counter[int] = Counter()
        self.by_pin: dict[str, Counter[int]] = defaultdict(Counter)
        self.streams_by_pin: dict[str, Counter[int]] = defaultdict(Counter)  # .../events
        self.session: aiohttp.ClientSession | None = None

    def order(self, pinned: str | None) -> list[int]:
        count = len(self.backends)
        first = int(pinned) % count if pinned and pinned.isdigit() else next(self.turn)
        return [(first + step) % count for step in range(count)]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.path == "/__front__/stats":
            return web.json_response(
                {
                    "served": {str(k): v for k, v in self.served.items()},
                    "by_pin": _table(self.by_pin),
                    "streams_by_pin": _table(self.streams_by_pin),
                }
            )
        assert self.session is not None
        pinned = request.headers.get(PIN_HEADER)
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        body = await request.read()
        last_error: Exception | None = None
        for index in self.order(pinned):
            url = self.backends[index] + request.rel_url.raw_path_qs
            try:
                upstream = await self.session.request(
                    request.method,
                    url,
                    headers=headers,
                    data=body or None,
                    allow_redirects=False,
                    timeout=STREAM_TIMEOUT,
                )
            except UNREACHABLE as exc:
                last_error = exc
                continue
            self.served[index] += 1
            self.by_pin[pinned or "-"][index] += 1
            if request.path.endswith("/events"):
                self.streams_by_pin[pinned or "-"][index] += 1
            return await self._relay(request, upstream)
        return web.json_response(
            {"detail": f"no backend reachable: {type(last_error).__name__}"}, status=502
        )

    async def _relay(
        self, request: web.Request, upstream: aiohttp.ClientResponse
    ) -> web.StreamResponse:
        response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
        for key, value in upstream.headers.items():
            if key.lower() not in HOP_BY_HOP:
                response.headers.add(key, value)
        if upstream.content_length is not None:
            response.content_length = upstream.content_length
        try:
            await response.prepare(request)
            async for chunk in upstream.content.iter_any():
                await response.write(chunk)
            await response.write_eof()
        except (aiohttp.ClientError, ConnectionError):
            # The instance died mid-answer (an event stream): end ours, the browser reconnects.
            if request.transport is not None:
                request.transport.close()
        finally:
            upstream.release()
        return response


def _table(counts: dict[str, Counter[int]]) -> dict[str, dict[str, int]]:
    return {pin: {str(k): v for k, v in c.items()} for pin, c in counts.items()}


async def serve(host: str, port: int, backends: list[str]) -> None:
    front = Front(backends)
    front.session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, force_close=False),
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,
        skip_auto_headers=("User-Agent", "Accept-Encoding"),
    )
    app = web.Application(client_max_size=2 << 20)
    app.router.add_route("*", "/{tail:.*}", front.handle)
    runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    print(f"front on http://{host}:{port} -> {', '.join(backends)}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await front.session.close()
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backend", action="append", required=True, help="base URL, repeatable")
    args = parser.parse_args()
    asyncio.run(serve(args.host, args.port, [b.rstrip("/") for b in args.backend]))


if __name__ == "__main__":
    main()
