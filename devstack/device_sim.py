"""A simulated enrolled device for tests and the benchmark: the same protocol as the device
page (webapp/src/features/device/), from Python. Its key is a fresh P-256 key; it signs a new
ES256 JWT for every request, as the page does with WebCrypto."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets
from joserfc import jwt
from joserfc.jwk import ECKey

ADMIN_KEYS = {"kobenhavn": "demo-kobenhavn-admin-key", "region-midt": "demo-region-midt-admin-key"}


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://", 1).replace("https://", "wss://", 1)


def new_code(base: str, party: str = "kobenhavn", label: str = "Tablet 1") -> dict[str, Any]:
    """An enrolment code, as the party's admin makes it."""
    answer = httpx.post(
        f"{base}/api/v1/parties/{party}/device-enrolments",
        json={"label": label},
        headers={"X-Admin-Key": ADMIN_KEYS[party]},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


@dataclass
class SimDevice:
    base: str
    party: str = "kobenhavn"
    key: ECKey = field(default_factory=lambda: ECKey.generate_key("P-256"))
    device_id: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    frames: asyncio.Queue[dict[str, Any]] | None = None
    socket: Any = None
    close_code: int | None = None
    reader: asyncio.Future[None] | None = None
    beating: asyncio.Future[None] | None = None

    def token(self, audience: str | None = None, lifetime: int = 60, **extra: Any) -> str:
        now = int(time.time())
        claims = {
            "aud": audience or f"borgervideo:{self.party}:device",
            "iat": now,
            "exp": now + lifetime,
            "jti": secrets.token_urlsafe(18),
            **extra,
        }
        header = {"alg": "ES256", "kid": self.device_id or "enrolling"}
        return jwt.encode(header, claims, self.key)

    def enrol_body(self, code: str) -> dict[str, Any]:
        public = self.key.as_dict(private=False)
        proof = self.token(f"borgervideo:{self.party}:enrol", code=code)
        key = {k: public[k] for k in ("kty", "crv", "x", "y")}
        return {"party": self.party, "code": code, "public_key": key, "proof": proof}

    def enrol(
        self, code: str, client: httpx.Client | None = None, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        post = (client or httpx).post
        answer = post(
            f"{self.base}/api/device/v1/enrol",
            json=self.enrol_body(code),
            headers=headers or {},
            timeout=10,
        )
        if answer.status_code == 201:
            self.device_id = answer.json()["device_id"]
        return answer

    async def connect(
        self,
        version: str = "sim-1",
        battery: dict[str, Any] | None = None,
        token: str | None = None,
        beat: bool = True,
    ) -> dict[str, Any]:
        """Open the channel and say hello; the welcome (or the error before the close)."""
        self.socket = await websockets.connect(
            f"{ws_url(self.base)}/api/device/v1/channel", max_size=1 << 20, open_timeout=10
        )
        self.frames = asyncio.Queue()
        await self.send(
            {
                "type": "hello",
                "token": token or self.token(),
                "version": version,
                "battery": battery,
            }
        )
        first = await self.next_frame()
        self.reader = asyncio.ensure_future(self._read())
        if beat and first.get("type") == "welcome":
            self.beating = asyncio.ensure_future(self._beat(float(first["heartbeat_seconds"])))
        return first

    async def _beat(self, every: float) -> None:
        """Heartbeats as the page sends them, until the connection closes."""
        with contextlib.suppress(Exception):
            while True:
                await asyncio.sleep(every)
                await self.heartbeat()

    async def send(self, frame: dict[str, Any]) -> None:
        await self.socket.send(json.dumps(frame))

    async def next_frame(self, wait: float = 10.0) -> dict[str, Any]:
        if self.frames is not None and not self.frames.empty():
            return self.frames.get_nowait()
        try:
            raw = await asyncio.wait_for(self.socket.recv(), wait)
        except websockets.ConnectionClosed as closed:
            self.close_code = closed.rcvd.code if closed.rcvd else None
            return {"type": "closed", "code": self.close_code}
        return dict(json.loads(raw))

    async def _read(self) -> None:
        assert self.frames is not None
        with contextlib.suppress(Exception):
            async for raw in self.socket:
                self.frames.put_nowait(json.loads(raw))
        self.close_code = self.socket.close_code
        self.frames.put_nowait({"type": "closed", "code": self.close_code})

    async def expect(self, kind: str, wait: float = 10.0) -> dict[str, Any]:
        """The next frame of this type (others are skipped; messages are acknowledged)."""
        assert self.frames is not None
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {kind} frame in {wait} s")
            frame = await asyncio.wait_for(self.frames.get(), left)
            if frame["type"] == "message":
                self.received.append(frame)
            if frame["type"] == kind:
                return frame
            if frame["type"] == "closed" and kind != "closed":
                raise AssertionError(f"closed ({frame['code']}) while waiting for {kind}")

    async def ack(self, message_id: str) -> None:
        await self.send({"type": "ack", "id": message_id})

    async def heartbeat(self, battery: dict[str, Any] | None = None, version: str = "sim") -> None:
        await self.send({"type": "heartbeat", "battery": battery, "version": version})

    async def close(self) -> None:
        if self.beating is not None:
            self.beating.cancel()
        if self.socket is not None:
            await self.socket.close()


def device_branding(
    folder: Path,
    data_key: str,
    *,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    ring_seconds: int = 45,
    auto_answer_party: str | None = None,
) -> Path:
    """A copy of the repository's branding/ for a test stack: kobenhavn with a device webhook
    (its secret sealed under `data_key`, as `python -m bff.parties set-device-webhook` does)
    and a ring time; `auto_answer_party` answers device calls by itself."""
    from bff.core.sealing import DataSealer
    from bff.core.settings import parse_data_key
    from bff.devices.models import webhook_purpose
    from devstack.stack import ROOT

    target = folder / "branding"
    shutil.copytree(ROOT / "branding", target)
    for party_file in target.glob("*/party.json"):
        party = party_file.parent.name
        data = json.loads(party_file.read_text())
        options = data.setdefault("options", {})
        options["device_ring_seconds"] = ring_seconds
        if party == "kobenhavn" and webhook_url and webhook_secret:
            sealer = DataSealer([parse_data_key(data_key, "data key")])
            options["device_webhook_url"] = webhook_url
            options["device_webhook_secret_sealed"] = sealer.seal(
                webhook_secret, webhook_purpose(party)
            )
        if party == auto_answer_party:
            options["device_auto_answer"] = True
        party_file.write_text(json.dumps(data, indent=2))
    return target
