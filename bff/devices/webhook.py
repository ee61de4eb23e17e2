"""Documents from devices to their party's webhook: HMAC-signed, retried with backoff.

The party's stream of documents (`bv:devices:in:{<party>}`) is read as a Redis consumer group
(`webhook`) by every instance: each document goes to one instance, stays pending until the
webhook answers 2xx, and is claimed again (XCLAIM, by any instance) after 1, 2, 4 ... up to
600 seconds, at most MAX_ATTEMPTS times. A crashed instance's pending documents are claimed
by another. The secret is kept sealed in party.json (`device_webhook_secret_sealed`) and is
never logged; neither are the documents.

Each POST carries the JSON `{"id", "party", "device_id", "sent_at", "body"}` and the headers
`X-Borgervideo-Delivery: <id>` and `X-Borgervideo-Signature: t=<unix time>,v1=<hex>`, where
`<hex>` is HMAC-SHA256 under the secret of `<unix time>.` followed by the body's bytes.

A webhook goes out over https to a public address only: its host name is resolved before
each delivery, and a loopback, link-local, private or otherwise reserved address is refused
(the BFF would otherwise post into its own network: Redis, the node's admin API), and the
post goes to the address checked (its host name in `Host` and in TLS), so a second DNS
answer cannot send it elsewhere. An operator may allow a host by name
(BV_WEBHOOK_ALLOW_HOSTS): then http and any address, resolved as usual.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import ipaddress
import logging
import socket
import time
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import httpx
import msgspec
from redis.exceptions import RedisError, ResponseError

from bff.core import store
from bff.core.sealing import Sealer, SealError
from bff.devices.models import InboxEntry, webhook_purpose
from bff.devices.service import (
    entry_of,
    inbox_entry,
    inbox_key,
    read_streams,
    stream_entries,
    text_fields,
)
from bff.ops.outbound import calling
from bff.parties.models import Party

log = logging.getLogger("bff.devices.webhook")

GROUP = "webhook"
BATCH = 20
MAX_ATTEMPTS = 12
MAX_BACKOFF = 600.0
TIMEOUT = httpx.Timeout(5.0)


def backoff(attempts: int, base: float = 1.0) -> float:
    """Seconds to wait after the `attempts`-th failed delivery."""
    return min(base * 2.0 ** max(0, attempts - 1), MAX_BACKOFF)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class WebhookRefused(Exception):
    """The webhook's URL may not be posted to (its reason says why)."""


def public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True, slots=True)
class Target:
    """Where a delivery goes: the URL to connect to (the checked address in place of the host
    name, so a second DNS answer cannot point elsewhere), and the `Host` and TLS server name
    the receiver expects."""

    url: str
    headers: dict[str, str]
    extensions: dict[str, Any]


def pinned(url: str, address: str) -> Target:
    """`url` sent to `address`: the host name stays in `Host` and in TLS (SNI and the
    certificate check)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    at = f"[{address}]" if ":" in address else address
    port = f":{parts.port}" if parts.port else ""
    return Target(
        url=urlunsplit((parts.scheme, at + port, parts.path or "/", parts.query, "")),
        headers={"Host": host + port},
        extensions={"sni_hostname": host},
    )


async def check_target(url: str, allowed_hosts: tuple[str, ...]) -> Target:
    """Where to post `url`; WebhookRefused unless it is https to public addresses only, or
    its host is one the operator allowed by name (then as it is)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise WebhookRefused("the URL names no host")
    if host in allowed_hosts:
        return Target(url, {}, {})
    if parts.scheme != "https":
        raise WebhookRefused("only https (or a host allowed in BV_WEBHOOK_ALLOW_HOSTS)")
    try:
        found = await asyncio.get_running_loop().getaddrinfo(
            host, parts.port or 443, type=socket.SOCK_STREAM
        )
    except OSError as exc:
        raise WebhookRefused(f"the host does not resolve ({type(exc).__name__})") from None
    addresses = sorted({str(info[4][0]) for info in found})
    private = [a for a in addresses if not public_address(a)]
    if not addresses or private:
        raise WebhookRefused(
            f"the host resolves to a loopback, link-local or private address {private[:1]}; "
            "allow it by name in BV_WEBHOOK_ALLOW_HOSTS if it is meant"
        )
    return pinned(url, addresses[0])


@dataclass
class WebhookDelivery:
    redis: store.Redis
    http: httpx.AsyncClient
    sealer: Sealer
    parties: dict[str, Party]
    consumer: str
    base: float = 1.0
    allowed_hosts: tuple[str, ...] = ()
    _groups: set[str] = field(default_factory=set, init=False)
    _secrets: dict[str, str | None] = field(default_factory=dict, init=False)

    def secret(self, party: Party) -> str | None:
        if party.id not in self._secrets:
            sealed = party.options.device_webhook_secret_sealed
            try:
                opened = self.sealer.unseal(sealed, webhook_purpose(party.id)) if sealed else None
            except SealError:
                log.warning(
                    "device webhook secret of party=%s does not open with this "
                    "BV_DATA_KEY; webhook off",
                    party.id,
                )
                opened = None
            self._secrets[party.id] = opened
        return self._secrets[party.id]

    async def run(self, every: float = 0.5) -> None:
        while True:
            for party in self.parties.values():
                if party.options.device_webhook_url and self.secret(party):
                    with contextlib.suppress(RedisError):  # away: documents wait in Redis
                        await self.round(party)
            await asyncio.sleep(every)

    async def _group(self, key: str) -> None:
        if key in self._groups:
            return
        try:
            await self.redis.xgroup_create(key, GROUP, id="$", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        self._groups.add(key)

    async def round(self, party: Party) -> None:
        key = inbox_key(party.id)
        await self._group(key)
        try:
            fresh = await self.redis.xreadgroup(GROUP, self.consumer, {key: ">"}, count=BATCH)
        except ResponseError as exc:  # the stream expired and took its group with it
            if "NOGROUP" not in str(exc):
                raise
            self._groups.discard(key)
            return
        for entry_id, fields in stream_entries(read_streams(fresh)):
            await self._deliver(party, key, entry_id, entry_of(fields, InboxEntry))
        await self._retry(party, key)

    async def _retry(self, party: Party, key: str) -> None:
        pending = await self.redis.xpending_range(key, GROUP, min="-", max="+", count=BATCH)
        for item in pending:
            attempts = int(item["times_delivered"])
            # The entry's id, as Redis answers it (redis-py types the entry's values alike).
            entry_id = store.as_text(cast("bytes | str", item["message_id"]))
            if attempts >= MAX_ATTEMPTS:
                await self.redis.xack(key, GROUP, entry_id)
                log.warning(
                    "device webhook gave up party=%s id=%s after %d attempts",
                    party.id,
                    entry_id,
                    attempts,
                )
                continue
            wait_ms = int(backoff(attempts, self.base) * 1000)
            if int(item["time_since_delivered"]) < wait_ms:
                continue
            claimed = await self.redis.xclaim(key, GROUP, self.consumer, wait_ms, [entry_id])
            for found in claimed or []:  # none: another instance took it meanwhile
                if isinstance(found, tuple) and found[1]:  # (id, fields), as it was added
                    await self._deliver(
                        party, key, entry_id, entry_of(text_fields(found[1]), InboxEntry)
                    )
                else:  # trimmed from the stream: nothing to send
                    await self.redis.xack(key, GROUP, entry_id)

    async def _deliver(self, party: Party, key: str, entry_id: str, entry: InboxEntry) -> None:
        secret = self.secret(party)
        url = party.options.device_webhook_url
        if secret is None or url is None:
            return
        document = inbox_entry(entry_id, entry)
        body = msgspec.json.encode(
            {
                "id": document.id,
                "party": party.id,
                "device_id": document.device_id,
                "sent_at": document.sent_at,
                "body": document.body,
            }
        )
        now = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Borgervideo-Webhook/1",
            "X-Borgervideo-Delivery": document.id,
            "X-Borgervideo-Signature": signature(secret, now, body),
        }
        try:
            target = await check_target(url, self.allowed_hosts)
            answer = await self.http.post(
                target.url,
                content=body,
                timeout=TIMEOUT,
                headers=headers | target.headers,
                extensions=target.extensions | calling("device-webhook", "POST document"),
            )
            delivered = 200 <= answer.status_code < 300
        except WebhookRefused as refused:
            log.warning("device webhook refused party=%s: %s", party.id, refused)
            delivered = False
        except httpx.HTTPError:
            delivered = False
        if delivered:
            await self.redis.xack(key, GROUP, entry_id)
        else:
            log.info(
                "device webhook not delivered party=%s id=%s; retrying later", party.id, document.id
            )
