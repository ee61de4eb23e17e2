"""Two aiortc peers join one room through the Client REST API, as a browser would
(audio + video + inactive slides line, max-bundle, trickle ICE), each sending its own
colour and tone. Each must receive the OTHER's colour and sound, relayed by the node."""

from __future__ import annotations

import asyncio
import fractions
import time
from dataclasses import dataclass, field

import httpx
import numpy as np
from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame, VideoFrame

from emulator.tests.helpers import book, conf_url, join, rooms

RED = (220, 20, 20)
BLUE = (20, 20, 220)


class ColourTrack(MediaStreamTrack):
    kind = "video"

    def __init__(self, rgb: tuple[int, int, int]) -> None:
        super().__init__()
        self._image = np.zeros((240, 320, 3), dtype=np.uint8)
        self._image[:, :] = rgb
        self._pts = 0
        self._start: float | None = None

    async def recv(self) -> VideoFrame:
        if self._start is None:
            self._start = time.monotonic()
        self._pts += 3000  # 30 fps at 90 kHz
        await asyncio.sleep(max(0.0, self._start + self._pts / 90000 - time.monotonic()))
        frame = VideoFrame.from_ndarray(self._image, format="rgb24")
        frame.pts = self._pts
        frame.time_base = fractions.Fraction(1, 90000)
        return frame


class ToneTrack(MediaStreamTrack):
    kind = "audio"

    def __init__(self, hz: float) -> None:
        super().__init__()
        self._hz = hz
        self._samples = 0
        self._start: float | None = None

    async def recv(self) -> AudioFrame:
        if self._start is None:
            self._start = time.monotonic()
        await asyncio.sleep(max(0.0, self._start + self._samples / 48000 - time.monotonic()))
        t = (np.arange(960) + self._samples) / 48000
        mono = (np.sin(2 * np.pi * self._hz * t) * 8000).astype(np.int16)
        frame = AudioFrame.from_ndarray(
            np.repeat(mono, 2).reshape(1, -1), format="s16", layout="stereo"
        )
        frame.sample_rate = 48000
        frame.pts = self._samples
        frame.time_base = fractions.Fraction(1, 48000)
        self._samples += 960
        return frame


@dataclass
class Received:
    colours: list[tuple[float, float, float]] = field(default_factory=list)
    loudness: list[float] = field(default_factory=list)


async def _consume(track: MediaStreamTrack, received: Received) -> None:
    try:
        while True:
            frame = await track.recv()
            if track.kind == "video":
                rgb = frame.to_ndarray(format="rgb24").reshape(-1, 3).mean(axis=0)
                received.colours.append((float(rgb[0]), float(rgb[1]), float(rgb[2])))
            else:
                samples = frame.to_ndarray().astype(np.float64)
                received.loudness.append(float(np.sqrt(np.mean(samples**2))))
    except MediaStreamError:
        pass


class BrowserLikePeer:
    """An aiortc peer that talks to the node the way @pexip/infinity does."""

    def __init__(
        self, base: str, alias: str, pin: str, name: str, rgb: tuple[int, int, int], hz: float
    ) -> None:
        self.base, self.alias = base, alias
        self.joined = join(base, alias, pin, name)
        self.headers = {"token": self.joined.token}
        self.rgb, self.hz = rgb, hz
        self.received = Received()
        self.tasks: list[asyncio.Task[None]] = []
        self.pc = self._peer_connection()
        self.call_uuid = ""

    def _peer_connection(self) -> RTCPeerConnection:
        pc = RTCPeerConnection(
            RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        )
        pc.addTransceiver(ToneTrack(self.hz), direction="sendrecv")
        pc.addTransceiver(ColourTrack(self.rgb), direction="sendrecv")
        pc.addTransceiver("video", direction="inactive")  # Infinity's "slides" line
        pc.on(
            "track",
            lambda track: self.tasks.append(asyncio.create_task(_consume(track, self.received))),
        )
        return pc

    async def _offer(self) -> tuple[str, list[str]]:
        """The offer without candidates, and the candidates: a browser trickles them."""
        await self.pc.setLocalDescription(await self.pc.createOffer())
        sdp = self.pc.localDescription.sdp
        candidates = [line[2:] for line in sdp.splitlines() if line.startswith("a=candidate:")]
        offer = (
            "\r\n".join(
                line
                for line in sdp.splitlines()
                if not line.startswith(("a=candidate:", "a=end-of-candidates"))
            )
            + "\r\n"
        )
        return offer, candidates

    async def call(self, http: httpx.AsyncClient) -> None:
        offer, candidates = await self._offer()
        res = await http.post(
            conf_url(self.base, self.alias, f"participants/{self.joined.uuid}/calls"),
            json={
                "call_type": "WEBRTC",
                "sdp": offer,
                "media_type": "video",
                "fecc_supported": False,
            },
            headers=self.headers,
        )
        assert res.status_code == 200, res.text
        result = res.json()["result"]
        self.call_uuid = result["call_uuid"]
        assert "a=candidate:" in result["sdp"], "the answer must carry the node's candidates"
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=result["sdp"], type="answer"))
        await self._trickle_and_ack(http, candidates)

    async def restart_ice(self, http: httpx.AsyncClient) -> None:
        """What a browser's ICE restart amounts to (new ufrag and password, through
        `calls/{uuid}/update` as @pexip/infinity sends it). aiortc cannot restart ICE on its
        peer connection, so this peer, like the node, takes a fresh one."""
        await self.pc.close()
        self.pc = self._peer_connection()
        offer, candidates = await self._offer()
        res = await http.post(
            conf_url(self.base, self.alias, f"{self._call_path}/update"),
            json={"sdp": offer, "fecc_supported": False},
            headers=self.headers,
        )
        assert res.status_code == 200, res.text
        await self.pc.setRemoteDescription(
            RTCSessionDescription(sdp=res.json()["result"], type="answer")
        )
        await self._trickle_and_ack(http, candidates)

    @property
    def _call_path(self) -> str:
        return f"participants/{self.joined.uuid}/calls/{self.call_uuid}"

    async def _trickle_and_ack(self, http: httpx.AsyncClient, candidates: list[str]) -> None:
        call_path = self._call_path
        for candidate in [*candidates, ""]:
            res = await http.post(
                conf_url(self.base, self.alias, f"{call_path}/new_candidate"),
                json={"candidate": candidate, "mid": "0"},
                headers=self.headers,
            )
            assert res.status_code == 200, res.text
        res = await http.post(
            conf_url(self.base, self.alias, f"{call_path}/ack"), headers=self.headers
        )
        assert res.json() == {"status": "success", "result": True}

    async def close(self) -> None:
        await self.pc.close()
        for task in self.tasks:
            task.cancel()


def _is(colour: tuple[float, float, float], target: tuple[int, int, int]) -> bool:
    return all(abs(c - t) < 40 for c, t in zip(colour, target, strict=True))


async def _until(condition: object, within: float = 30) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        await asyncio.sleep(0.2)
    return False


async def test_two_peers_receive_each_others_video_and_audio(emulator: str) -> None:
    booked = book(emulator)
    red = BrowserLikePeer(emulator, booked.alias, booked.host_pin, "Rød", RED, 440)
    blue = BrowserLikePeer(emulator, booked.alias, booked.guest_pin, "Blå", BLUE, 660)
    try:
        async with httpx.AsyncClient(timeout=30) as http:
            await red.call(http)
            await blue.call(http)

        def both_see_other() -> bool:
            return (
                sum(_is(c, BLUE) for c in red.received.colours) >= 10
                and sum(_is(c, RED) for c in blue.received.colours) >= 10
            )

        seen = await _until(both_see_other)
        assert seen, f"red got {red.received.colours[-3:]}, blue got {blue.received.colours[-3:]}"
        # Nobody is sent their own colour.
        assert not any(_is(c, RED) for c in red.received.colours)
        assert not any(_is(c, BLUE) for c in blue.received.colours)
        # Relayed tones are loud; the node's filler is silence.
        heard = await _until(
            lambda: (
                max(red.received.loudness, default=0) > 1000
                and max(blue.received.loudness, default=0) > 1000
            )
        )
        assert heard
        assert all(p["has_media"] for p in rooms(emulator)[booked.alias])
    finally:
        await red.close()
        await blue.close()


async def test_alone_receives_black_filler(emulator: str) -> None:
    booked = book(emulator)
    peer = BrowserLikePeer(emulator, booked.alias, booked.host_pin, "Alene", RED, 440)
    try:
        async with httpx.AsyncClient(timeout=30) as http:
            await peer.call(http)
        got_black = await _until(lambda: sum(max(c) < 30 for c in peer.received.colours) >= 5)
        assert got_black, peer.received.colours[-3:]
        assert not any(_is(c, RED) for c in peer.received.colours)
    finally:
        await peer.close()


GREEN = (20, 200, 20)


async def test_latest_joiner_is_shown_and_leaving_switches_back(emulator: str) -> None:
    booked = book(emulator)
    red = BrowserLikePeer(emulator, booked.alias, booked.host_pin, "Rød", RED, 440)
    blue = BrowserLikePeer(emulator, booked.alias, booked.guest_pin, "Blå", BLUE, 660)
    green = BrowserLikePeer(emulator, booked.alias, booked.guest_pin, "Grøn", GREEN, 880)
    try:
        async with httpx.AsyncClient(timeout=30) as http:
            await red.call(http)
            await blue.call(http)
            assert await _until(lambda: _recent(red, BLUE) and _recent(blue, RED))
            await green.call(http)
            # Everyone else now gets the latest joiner; the latest joiner gets the one before.
            assert await _until(
                lambda: _recent(red, GREEN) and _recent(blue, GREEN) and _recent(green, BLUE)
            )
            res = await http.post(
                conf_url(emulator, booked.alias, "release_token"), headers=green.headers
            )
            assert res.status_code == 200
            assert await _until(lambda: _recent(red, BLUE) and _recent(blue, RED))
    finally:
        for peer in (red, blue, green):
            await peer.close()


def _recent(peer: BrowserLikePeer, colour: tuple[int, int, int]) -> bool:
    """The last few frames the peer received all have this colour."""
    last = peer.received.colours[-5:]
    return len(last) == 5 and all(_is(c, colour) for c in last)


def _black(colour: tuple[float, float, float]) -> bool:
    return max(colour) < 30


def _dropped_out(base: str, alias: str, viewer: BrowserLikePeer, uuid: str) -> bool:
    answer = httpx.get(conf_url(base, alias, "participants"), headers=viewer.headers)
    listed = answer.json()["result"]
    return any(p["uuid"] == uuid and p["is_main_video_dropped_out"] for p in listed)


async def test_a_cut_media_path_drops_out_and_an_ice_restart_brings_it_back(
    controlled_emulator: str,
) -> None:
    """A participant's media path dies (the test control drops its datagrams): the others
    get filler instead of it and learn it dropped out; its ICE restart (a new offer with new
    ICE credentials through `update`) gets a fresh peer connection on the node, under the
    same call, and once the path is back both see each other again."""
    base = controlled_emulator
    booked = book(base)
    red = BrowserLikePeer(base, booked.alias, booked.host_pin, "Rød", RED, 440)
    blue = BrowserLikePeer(base, booked.alias, booked.guest_pin, "Blå", BLUE, 660)
    cut = f"{base}/emulator/rooms/{booked.alias}/participants/{blue.joined.uuid}/cut-media"
    try:
        async with httpx.AsyncClient(timeout=30) as http:
            await red.call(http)
            await blue.call(http)
            assert await _until(lambda: _recent(red, BLUE) and _recent(blue, RED))
            assert not _dropped_out(base, booked.alias, red, blue.joined.uuid)
            call_uuid = blue.call_uuid

            assert (await http.post(cut, json={"seconds": 60})).status_code == 200
            assert await _until(lambda: _dropped_out(base, booked.alias, red, blue.joined.uuid))
            assert await _until(lambda: all(_black(c) for c in red.received.colours[-5:]))
            await blue.restart_ice(http)
            await asyncio.sleep(2)
            assert all(_black(c) for c in red.received.colours[-5:]), "media during the cut"

            assert (await http.post(cut, json={"seconds": 0})).status_code == 200
            assert await _until(lambda: _recent(red, BLUE) and _recent(blue, RED))
            assert await _until(lambda: not _dropped_out(base, booked.alias, red, blue.joined.uuid))
            assert blue.call_uuid == call_uuid
            assert all(p["has_media"] for p in rooms(base)[booked.alias])
    finally:
        await red.close()
        await blue.close()


def test_cut_media_control_checks_its_input_and_exists_only_for_tests(
    controlled_emulator: str, emulator: str
) -> None:
    booked = book(controlled_emulator)
    peer = join(controlled_emulator, booked.alias, booked.host_pin, "Rød")
    route = f"/emulator/rooms/{booked.alias}/participants/{peer.uuid}/cut-media"
    with httpx.Client(base_url=controlled_emulator) as http:
        for bad in ({}, {"seconds": "5"}, {"seconds": True}, {"seconds": -1}, {"seconds": 301}):
            answer = http.post(route, json=bad)
            assert answer.status_code == 400, (bad, answer.text)
            assert "seconds" in answer.text
        unknown = route.replace(peer.uuid, "no-such-participant")
        answer = http.post(unknown, json={"seconds": 5})
        assert answer.status_code == 404
        assert "no-such-participant" in answer.text
        assert http.post(route, json={"seconds": 5}).status_code == 200
    other = book(emulator)
    plain = join(emulator, other.alias, other.host_pin, "Rød")
    answer = httpx.post(
        f"{emulator}/emulator/rooms/{other.alias}/participants/{plain.uuid}/cut-media",
        json={"seconds": 5},
    )
    assert answer.status_code in (404, 405), "the control exists without EMU_TEST_CONTROLS"
