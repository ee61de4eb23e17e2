"""Direct media signalling over HTTP: the node brokers offers, answers and candidates
between two participants, tells one when the other leaves, and refers both to a new
(transcoded) call when a third joins. Real browsers going peer to peer: e2e/."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from emulator.tests.conftest import _start
from emulator.tests.helpers import book, conf_url

OFFER_GUEST = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=guest offer\r\n"
ANSWER_HOST = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=host answer\r\n"
CANDIDATE = "candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host ufrag abcd"


@pytest.fixture(scope="module")
def direct_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _start(tmp_path_factory.mktemp("emu-direct"), EMU_DIRECT_MEDIA="true")


class Client:
    """One participant as @pexip/infinity drives it: token, event stream, call."""

    def __init__(self, http: httpx.AsyncClient, base: str, alias: str) -> None:
        self.http, self.base, self.alias = http, base, alias
        self.events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self.result: dict[str, Any] = {}
        self.call_uuid = ""
        self._reader: asyncio.Task[None] | None = None

    @property
    def uuid(self) -> str:
        return str(self.result["participant_uuid"])

    @property
    def headers(self) -> dict[str, str]:
        return {"token": self.result["token"]}

    async def join(self, pin: str | None, name: str, **body: Any) -> httpx.Response:
        res = await self.http.post(
            conf_url(self.base, self.alias, "request_token"),
            json={"display_name": name, "direct_media": True} | body,
            headers={"pin": pin} if pin else {},
        )
        if res.status_code == 200:
            self.result = res.json()["result"]
            self._reader = asyncio.create_task(self._read())
            await self.next("participant_sync_end")
        return res

    async def _read(self) -> None:
        url = conf_url(self.base, self.alias, f"events?token={self.result['token']}")
        async with self.http.stream("GET", url, timeout=None) as res:
            name = None
            async for line in res.aiter_lines():
                if line.startswith("event: "):
                    name = line[len("event: ") :]
                elif line.startswith("data: ") and name is not None:
                    await self.events.put((name, json.loads(line[len("data: ") :])))

    async def next(self, name: str, within: float = 10) -> Any:
        """The data of the next event called `name` (skipping others)."""
        async with asyncio.timeout(within):
            while True:
                event, data = await self.events.get()
                if event == name:
                    return data

    async def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        res = await self.http.post(
            conf_url(self.base, self.alias, path), json=body or {}, headers=self.headers
        )
        assert res.status_code == 200, res.text
        return res.json()["result"]

    async def call(self, sdp: str) -> dict[str, Any]:
        result: dict[str, Any] = await self.post(
            f"participants/{self.uuid}/calls",
            {"call_type": "WEBRTC", "sdp": sdp, "media_type": "video"},
        )
        self.call_uuid = result["call_uuid"]
        return result

    async def on_call(self, action: str, body: dict[str, Any] | None = None) -> Any:
        return await self.post(f"participants/{self.uuid}/calls/{self.call_uuid}/{action}", body)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                await self._reader


@contextlib.asynccontextmanager
async def clients(base: str, alias: str, count: int) -> AsyncIterator[list[Client]]:
    async with httpx.AsyncClient(timeout=30) as http:
        made = [Client(http, base, alias) for _ in range(count)]
        try:
            yield made
        finally:
            for client in made:
                await client.close()


def _room(base: str, alias: str) -> dict[str, Any]:
    rooms = httpx.get(f"{base}/emulator/rooms").json()
    return next(r for r in rooms if r["alias"] == alias)


async def _pair(host: Client, guest: Client) -> None:
    """Host waits (its offer ignored), the guest's offer is answered by the host."""
    first = await host.call("v=0\r\ns=host offer\r\n")
    assert first["offer_ignored"] is True
    assert first["sdp"] == ""
    placing = asyncio.create_task(guest.call(OFFER_GUEST))
    assert (await host.next("new_offer")) == {"sdp": OFFER_GUEST}
    assert await host.on_call("ack", {"sdp": ANSWER_HOST}) is True
    answer = await placing
    assert answer["sdp"] == ANSWER_HOST
    assert not answer.get("offer_ignored")
    assert await guest.on_call("ack") is True


async def test_two_participants_are_brokered_peer_to_peer(direct_emulator: str) -> None:
    booked = book(direct_emulator)
    async with clients(direct_emulator, booked.alias, 2) as (host, guest):
        await host.join(booked.host_pin, "Nurse")
        assert host.result["direct_media"] is True
        assert isinstance(host.result["pex_datachannel_id"], int)
        await guest.join(booked.guest_pin, "Citizen")
        assert guest.result["direct_media"] is True
        await _pair(host, guest)

        # Candidates go across, each to the other side, with their mid and ufrag.
        await guest.on_call("new_candidate", {"candidate": CANDIDATE, "mid": "0", "ufrag": "ab"})
        assert (await host.next("new_candidate")) == {
            "candidate": CANDIDATE,
            "mid": "0",
            "ufrag": "ab",
        }
        await host.on_call("new_candidate", {"candidate": CANDIDATE, "mid": "1"})
        assert (await guest.next("new_candidate")) == {"candidate": CANDIDATE, "mid": "1"}

        # A renegotiation from one side reaches the other as update_sdp.
        updating = asyncio.create_task(guest.on_call("update", {"sdp": OFFER_GUEST + "u"}))
        assert (await host.next("update_sdp")) == {"sdp": OFFER_GUEST + "u"}
        await host.on_call("ack", {"sdp": ANSWER_HOST + "u"})
        assert await updating == ANSWER_HOST + "u"

        room = _room(direct_emulator, booked.alias)
        assert room["direct_media"] is True
        assert [(p["media"], p["has_media"]) for p in room["participants"]] == [
            ("direct", True),
            ("direct", True),
        ]
        res = await host.http.get(
            conf_url(direct_emulator, booked.alias, "conference_status"), headers=host.headers
        )
        assert res.json()["result"]["direct_media"] is True


async def test_peer_leaving_sends_peer_disconnect_and_restart_pairs_again(
    direct_emulator: str,
) -> None:
    booked = book(direct_emulator)
    async with clients(direct_emulator, booked.alias, 2) as (host, guest):
        await host.join(booked.host_pin, "Nurse")
        await guest.join(booked.guest_pin, "Citizen")
        await _pair(host, guest)

        await guest.on_call("disconnect")
        assert (await host.next("peer_disconnect")) == {}
        # The host restarts its call (restartCall: disconnect, new offer): it waits again,
        # and the guest's next offer is brokered to it.
        await host.on_call("disconnect")
        await _pair(host, guest)

        # Leaving the conference altogether tells the other side too.
        await guest.post("release_token")
        assert (await host.next("peer_disconnect")) == {}


async def test_unanswered_offer_is_ignored_and_the_silent_side_restarts(
    direct_emulator: str,
) -> None:
    booked = book(direct_emulator)
    async with clients(direct_emulator, booked.alias, 2) as (host, guest):
        await host.join(booked.host_pin, "Nurse")
        await guest.join(booked.guest_pin, "Citizen")
        await host.call("v=0\r\n")
        placing = asyncio.create_task(guest.call(OFFER_GUEST))
        await host.next("new_offer")
        # Offer collision on the host's side: it ignores the offer.
        await host.on_call("ack", {"sdp": "offer_ignored", "offer_ignored": True})
        assert (await placing)["offer_ignored"] is True
        assert (await host.next("peer_disconnect")) == {}
        # The host's restarted offer now reaches the guest, which waits.
        placing = asyncio.create_task(host.call(OFFER_GUEST))
        assert (await guest.next("new_offer")) == {"sdp": OFFER_GUEST}
        await guest.on_call("ack", {"sdp": ANSWER_HOST})
        assert (await placing)["sdp"] == ANSWER_HOST


async def test_third_participant_escalates_by_refer(direct_emulator: str) -> None:
    booked = book(direct_emulator)
    async with clients(direct_emulator, booked.alias, 4) as (host, guest, third, rejoined):
        await host.join(booked.host_pin, "Nurse")
        await guest.join(booked.guest_pin, "Citizen")
        await _pair(host, guest)

        await third.join(booked.guest_pin, "Relative")
        assert third.result["direct_media"] is False
        assert "pex_datachannel_id" not in third.result
        refer = await host.next("refer")
        assert refer["alias"] == booked.alias
        assert (await guest.next("refer"))["token"] != refer["token"]
        assert (await host.next("conference_update"))["direct_media"] is False

        # The referred client leaves and joins again with the one-time token, no PIN.
        await host.post("release_token")
        res = await rejoined.join(None, "Nurse", token=refer["token"])
        assert res.status_code == 200, res.text
        assert rejoined.result["role"] == "HOST"
        assert rejoined.result["direct_media"] is False
        # Its call is now answered by the node (transcoded), like the third's.
        uuids = {p["uuid"] for p in _room(direct_emulator, booked.alias)["participants"]}
        assert host.uuid not in uuids
        assert rejoined.uuid in uuids

        # A used token is worth nothing: without a PIN the node asks for one.
        again = await rejoined.http.post(
            conf_url(direct_emulator, booked.alias, "request_token"),
            json={"display_name": "Nurse", "token": refer["token"]},
        )
        assert again.status_code == 403
        assert again.json()["result"]["pin"] == "required"


async def test_client_without_direct_media_gets_transcoded(
    direct_emulator: str, emulator: str
) -> None:
    booked = book(direct_emulator)
    async with clients(direct_emulator, booked.alias, 1) as (host,):
        await host.join(booked.host_pin, "Nurse", direct_media=False)
        assert host.result["direct_media"] is False
    # A room that does not allow direct media never offers it.
    booked = book(emulator)
    async with clients(emulator, booked.alias, 1) as (host,):
        await host.join(booked.host_pin, "Nurse")
        assert host.result["direct_media"] is False
        assert _room(emulator, booked.alias)["direct_media"] is False


def test_setting_is_validated() -> None:
    from emulator.settings import EmulatorSettings, SettingsError

    assert EmulatorSettings.from_env({"EMU_DIRECT_MEDIA": "yes"}).direct_media is True
    assert EmulatorSettings.from_env({}).direct_media is False
    with pytest.raises(SettingsError, match="EMU_DIRECT_MEDIA"):
        EmulatorSettings.from_env({"EMU_DIRECT_MEDIA": "maybe"})


async def test_guest_waiting_for_the_host_gets_the_hosts_offer(direct_emulator: str) -> None:
    booked = book(direct_emulator)
    async with clients(direct_emulator, booked.alias, 2) as (guest, host):
        # The citizen comes first: the conference has not started, her offer is ignored.
        await guest.join(booked.guest_pin, "Citizen")
        assert guest.result["direct_media"] is True
        assert (await guest.call("v=0\r\n"))["offer_ignored"] is True
        await host.join(booked.host_pin, "Nurse")
        placing = asyncio.create_task(host.call(OFFER_GUEST))
        assert (await guest.next("new_offer")) == {"sdp": OFFER_GUEST}
        await guest.on_call("ack", {"sdp": ANSWER_HOST})
        assert (await placing)["sdp"] == ANSWER_HOST
