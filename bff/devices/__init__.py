"""Device registration (VDX Enhedsregistrering): tablets lent to citizens, enrolled with a
key of their own, reachable over one channel each, called into meetings by staff."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from bff.core.tasks import stop
from bff.devices.channel import DeviceHub, close_device_channels
from bff.devices.service import DeviceService
from bff.devices.webhook import WebhookDelivery


@contextlib.asynccontextmanager
async def running_devices(state: Any, heartbeat: int) -> AsyncIterator[None]:
    """The device service, this instance's channel hub (its bus reader) and the webhook
    delivery, on `state` (the app's) while the app runs."""
    devices = DeviceService(state.redis, state.sealer, state.pseudonyms)
    hub = DeviceHub(state.redis, devices, heartbeat)
    webhook = WebhookDelivery(state.redis, state.http, state.sealer, state.parties, hub.instance,
                              allowed_hosts=state.settings.webhook_allow_hosts)  # fmt: skip
    state.devices, state.device_hub = devices, hub
    tasks = [asyncio.ensure_future(hub.run()), asyncio.ensure_future(webhook.run())]
    try:
        yield
    finally:
        close_device_channels()
        await stop(*tasks)
