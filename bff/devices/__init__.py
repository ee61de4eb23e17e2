"""Device registration (VDX Enhedsregistrering): tablets lent to citizens, enrolled with a
key of their own, reachable over one channel each, called into meetings by staff."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx

from bff.core.sealing import DataSealer, Pseudonymiser
from bff.core.settings import Settings
from bff.core.store import Redis
from bff.core.tasks import stop
from bff.devices.channel import DeviceHub, close_device_channels
from bff.devices.service import DeviceService
from bff.devices.webhook import WebhookDelivery
from bff.parties.models import Party


@contextlib.asynccontextmanager
async def running_devices(
    redis: Redis,
    http: httpx.AsyncClient,
    sealer: DataSealer,
    pseudonyms: Pseudonymiser,
    parties: dict[str, Party],
    settings: Settings,
) -> AsyncIterator[DeviceHub]:
    """This instance's channel hub (its bus reader; `hub.devices`: the device service) and
    the webhook delivery, while the app runs."""
    devices = DeviceService(redis, sealer, pseudonyms)
    hub = DeviceHub(redis, devices, settings.devices.heartbeat)
    webhook = WebhookDelivery(
        redis,
        http,
        sealer,
        parties,
        hub.instance,
        allowed_hosts=settings.devices.webhook_allow_hosts,
    )
    tasks = [asyncio.ensure_future(hub.run()), asyncio.ensure_future(webhook.run())]
    try:
        yield hub
    finally:
        close_device_channels()
        await stop(*tasks)
