"""The node's end of a call's media path, at the datagram level under aiortc:

- when a datagram last came in from the browser (the node's word on whether the
  participant's media has dropped out: `is_main_video_dropped_out`);
- a switch tests use to cut the path (every datagram in and out dropped, STUN included, so
  the browser's ICE consent fails as on a phone leaving Wi-Fi), see the test control
  `/emulator/rooms/{alias}/participants/{uuid}/cut-media`;
- triggered checks as RFC 8445 section 7.3.1.4 asks: a check from the browser on a pair whose
  own check is still in progress starts that check again at once. aioice waits for its
  own retransmission instead (they back off to 16 s apart, then give up), so after an
  outage the browser's ICE restart (@pexip/peer-connection dist/peerConnections.js
  `restartIce`) could bring media back only that much later, where a node answers at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from aioice import Connection
from aioice.ice import CandidatePair, StunProtocol
from aiortc import RTCPeerConnection


class MediaPath:
    """The datagrams of one call (across the fresh peer connections an ICE restart brings)."""

    def __init__(self, is_cut: Callable[[], bool]) -> None:
        self.is_cut = is_cut
        self.last_inbound = time.monotonic()

    def attach(self, pc: RTCPeerConnection) -> None:
        """Watch (and let tests cut) the sockets `pc` gathered; call after setLocalDescription."""
        for connection in _ice_connections(pc):
            for protocol in connection._protocols:
                self._wrap(protocol)
            _retrigger_in_progress_checks(connection)

    def _wrap(self, protocol: StunProtocol) -> None:
        received = protocol.datagram_received

        def datagram_received(data: bytes | str, addr: tuple[Any, ...]) -> None:
            if self.is_cut():
                return
            self.last_inbound = time.monotonic()
            received(data, addr)

        setattr(protocol, "datagram_received", datagram_received)  # noqa: B010 (per socket)
        protocol.transport = _CuttableTransport(protocol.transport, self.is_cut)


class _CuttableTransport(asyncio.DatagramTransport):
    """A socket's sending side that drops everything while the path is cut."""

    def __init__(self, inner: asyncio.DatagramTransport, is_cut: Callable[[], bool]) -> None:
        super().__init__()
        self._inner = inner
        self._is_cut = is_cut

    def sendto(self, data: Any, addr: Any = None) -> None:
        if not self._is_cut():
            self._inner.sendto(data, addr)

    def close(self) -> None:
        self._inner.close()

    def is_closing(self) -> bool:
        return self._inner.is_closing()

    def abort(self) -> None:
        self._inner.abort()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._inner.get_extra_info(name, default)


def _ice_connections(pc: RTCPeerConnection) -> list[Connection]:
    connections: list[Connection] = []
    dtls = [t.receiver.transport for t in pc.getTransceivers()]
    if pc.sctp is not None:
        dtls.append(pc.sctp.transport)
    for transport in dtls:
        connection = transport.transport.iceGatherer._connection
        if connection not in connections:
            connections.append(connection)
    return connections


def _retrigger_in_progress_checks(connection: Connection) -> None:
    check_incoming = connection.check_incoming

    def retriggered(message: Any, addr: tuple[str, int], protocol: StunProtocol) -> None:
        for pair in connection._check_list:
            if (
                pair.protocol is protocol
                and pair.remote_addr == addr
                and pair.state == CandidatePair.State.IN_PROGRESS
                and pair.task is not None
            ):
                pair.task.cancel()
                pair.task = None
                connection.check_state(pair, CandidatePair.State.WAITING)
        check_incoming(message, addr, protocol)

    setattr(connection, "check_incoming", retriggered)  # noqa: B010 (this connection only)
