"""WebRTC media for the emulated node: answer a participant's offer with aiortc and
relay the other participants' audio and video back to it.

Who sees whom: each participant receives the most recent other joiner that sends media
(two participants: each gets the other; three or more: everyone gets the latest joiner,
and the latest joiner gets the one before). When alone, it receives filler: black video
and silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import logging
import time
import uuid
from collections.abc import Callable

import numpy as np
from aiortc import (
    RTCConfiguration,
    RTCIceCandidate,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.sdp import candidate_from_sdp
from av import AudioFrame, VideoFrame
from av.frame import Frame

from emulator.node.media_path import MediaPath

log = logging.getLogger(__name__)

VIDEO_CLOCK = 90000
AUDIO_RATE = 48000
AUDIO_SAMPLES = 960  # 20 ms
FILLER_FPS = 10
FILLER_SIZE = (320, 240)
QUEUE_SIZE = 4
# Seconds without a datagram from the browser before its media counts as dropped out (it
# sends RTCP at least every second or so while the node sends it media).
DROPOUT_SECONDS = 3.0


class FrameFanout:
    """Reads one incoming track for as long as it lives and hands each frame to the
    current subscribers (dropping the oldest when a subscriber lags). Always reading
    keeps aiortc's unbounded receive queue from growing when nobody watches."""

    def __init__(self, track: MediaStreamTrack) -> None:
        self.kind = track.kind
        self._track = track
        self._queues: set[asyncio.Queue[Frame]] = set()
        self._task = asyncio.create_task(self._run())

    def subscribe(self) -> asyncio.Queue[Frame]:
        queue: asyncio.Queue[Frame] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Frame]) -> None:
        self._queues.discard(queue)

    def stop(self) -> None:
        self._task.cancel()
        self._queues.clear()

    async def _run(self) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await self._track.recv()
                if not isinstance(frame, Frame):  # a media track gives frames, never packets
                    continue
                for queue in list(self._queues):
                    if queue.full():
                        queue.get_nowait()
                    queue.put_nowait(frame)


def _black_yuv() -> np.ndarray:
    width, height = FILLER_SIZE
    plane = np.full((height * 3 // 2, width), 128, dtype=np.uint8)
    plane[:height, :] = 16
    return plane


class SwitchableTrack(MediaStreamTrack):
    """An outgoing track whose source can be switched while it plays. It stamps every
    frame with its own clock, so switching sources never makes timestamps jump back."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self._source: FrameFanout | None = None
        self._queue: asyncio.Queue[Frame] | None = None
        self._start: float | None = None
        self._audio_pts = 0
        self._video_pts = 0
        self._black = _black_yuv() if kind == "video" else None
        # Waiting longer than this for a relayed frame falls back to filler.
        self._source_timeout = 0.5 if kind == "video" else 0.1

    @property
    def source(self) -> FrameFanout | None:
        return self._source

    def switch_to(self, source: FrameFanout | None) -> None:
        if source is self._source:
            return
        if self._source is not None and self._queue is not None:
            self._source.unsubscribe(self._queue)
        self._source = source
        self._queue = source.subscribe() if source is not None else None

    def stop(self) -> None:
        self.switch_to(None)
        super().stop()

    async def recv(self) -> Frame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        frame: Frame | None = None
        if self._queue is not None:
            with contextlib.suppress(TimeoutError):
                frame = await asyncio.wait_for(self._queue.get(), self._source_timeout)
        if frame is None:
            frame = await self._filler()
        return self._stamp(frame)

    def _elapsed(self) -> float:
        assert self._start is not None
        return time.monotonic() - self._start

    def _stamp(self, frame: Frame) -> Frame:
        if isinstance(frame, AudioFrame):
            # Never lag far behind the wall clock (e.g. after a silent gap).
            self._audio_pts = max(self._audio_pts, int((self._elapsed() - 0.2) * AUDIO_RATE))
            frame.pts = self._audio_pts
            frame.time_base = fractions.Fraction(1, AUDIO_RATE)
            self._audio_pts += frame.samples
        else:
            self._video_pts = max(self._video_pts + 1, int(self._elapsed() * VIDEO_CLOCK))
            frame.pts = self._video_pts
            frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        return frame

    async def _filler(self) -> Frame:
        if self.kind == "audio":
            due = self._audio_pts / AUDIO_RATE
            await asyncio.sleep(max(0.0, due - self._elapsed()))
            return _silence()
        due = self._video_pts / VIDEO_CLOCK + 1 / FILLER_FPS
        await asyncio.sleep(max(0.0, due - self._elapsed()))
        assert self._black is not None
        return VideoFrame.from_ndarray(self._black, format="yuv420p")


def _silence() -> AudioFrame:
    # 48 kHz s16 stereo: mono filler crashes the Opus encoder once relayed stereo arrives.
    frame = AudioFrame(format="s16", layout="stereo", samples=AUDIO_SAMPLES)
    for plane in frame.planes:
        plane.update(bytes(plane.buffer_size))
    frame.sample_rate = AUDIO_RATE
    return frame


class MediaCall:
    """One WebRTC call between a participant and the node. An offer with new ICE credentials
    (the browser's ICE restart) gets a fresh peer connection under the same call uuid:
    aiortc cannot restart ICE on an existing one."""

    def __init__(self, on_change: Callable[[], None], is_cut: Callable[[], bool]) -> None:
        self.call_uuid = str(uuid.uuid4())
        self.connected = False
        # No datagram from the browser for DROPOUT_SECONDS after media had flowed.
        self.dropped_out = False
        self._ever_connected = False
        self._on_change = on_change
        self.path = MediaPath(is_cut)
        self._new_peer_connection()
        self._watch = asyncio.create_task(self._watch_path())

    def _new_peer_connection(self) -> None:
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.pc = pc
        self.audio_out = SwitchableTrack("audio")
        self.video_out = SwitchableTrack("video")
        self.incoming: dict[str, FrameFanout] = {}

        def on_track(track: MediaStreamTrack) -> None:
            if pc is self.pc:
                self._on_track(track)

        async def on_state() -> None:
            if pc is self.pc:
                self._on_state()

        pc.on("track", on_track)
        pc.on("connectionstatechange", on_state)

    def _on_track(self, track: MediaStreamTrack) -> None:
        # The offer's inactive "slides" video line brings a second video track: keep the first.
        if track.kind in ("audio", "video") and track.kind not in self.incoming:
            self.incoming[track.kind] = FrameFanout(track)
            self._on_change()

    def _on_state(self) -> None:
        state = self.pc.connectionState
        log.info("call %s connection state %s", self.call_uuid, state)
        connected = state == "connected"
        self._ever_connected = self._ever_connected or connected
        if connected != self.connected:
            self.connected = connected
            self._on_change()

    async def _watch_path(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            silent = time.monotonic() - self.path.last_inbound > DROPOUT_SECONDS
            dropped_out = self._ever_connected and silent
            if dropped_out != self.dropped_out:
                state = "dropped out" if dropped_out else "back"
                log.info("call %s media %s", self.call_uuid, state)
                self.dropped_out = dropped_out
                self._on_change()

    async def answer(self, offer_sdp: str) -> str:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        self.pc.addTrack(self.audio_out)
        self.pc.addTrack(self.video_out)
        # setLocalDescription gathers candidates, so the answer carries them.
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        self.path.attach(self.pc)
        return self.pc.localDescription.sdp

    async def renegotiate(self, offer_sdp: str) -> str:
        current = self.pc.remoteDescription
        if current is not None and _ice_ufrags(offer_sdp) != _ice_ufrags(current.sdp):
            return await self._restart(offer_sdp)
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        return self.pc.localDescription.sdp

    async def _restart(self, offer_sdp: str) -> str:
        """The browser restarted ICE (@pexip/peer-connection dist/peerConnections.js
        `restartIce` on ICE `disconnected`/`failed`, and @pexip/infinity dist/call.js on
        packets no longer arriving) and sent the new offer through `calls/{uuid}/update`:
        answer it on a fresh peer connection, its own DTLS certificate included (a new
        fingerprint makes the browser do a new DTLS handshake too)."""
        log.info("call %s: ICE restart, fresh peer connection", self.call_uuid)
        old_pc, old_incoming = self.pc, self.incoming
        old_tracks = (self.audio_out, self.video_out)
        self._new_peer_connection()
        self.connected = False
        self._on_change()  # the others' tracks leave the old fanouts, ours get their sources
        await self._close_peer_connection(old_pc, old_incoming, old_tracks)
        return await self.answer(offer_sdp)

    async def add_candidate(self, candidate: str, mid: str | None, mline: int | None) -> None:
        if not candidate:
            await self.pc.addIceCandidate(None)
            return
        text = candidate.removeprefix("candidate:")
        parsed: RTCIceCandidate = candidate_from_sdp(text)
        parsed.sdpMid = mid
        parsed.sdpMLineIndex = mline if mid is None else None
        if parsed.ip.endswith(".local"):
            # mDNS host candidates cannot be resolved here; the others suffice.
            return
        await self.pc.addIceCandidate(parsed)

    async def close(self) -> None:
        self._watch.cancel()
        await self._close_peer_connection(self.pc, self.incoming, (self.audio_out, self.video_out))
        self.incoming = {}

    @staticmethod
    async def _close_peer_connection(
        pc: RTCPeerConnection,
        incoming: dict[str, FrameFanout],
        tracks: tuple[SwitchableTrack, SwitchableTrack],
    ) -> None:
        for fanout in incoming.values():
            fanout.stop()
        for track in tracks:
            track.stop()
        await pc.close()


def _ice_ufrags(sdp: str) -> set[str]:
    return {
        line.removeprefix("a=ice-ufrag:").strip()
        for line in sdp.splitlines()
        if line.startswith("a=ice-ufrag:")
    }
