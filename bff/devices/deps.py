"""The devices domain's dependencies (Litestar `Provide`; the channel's websocket calls them
with its socket). `running_devices` makes both while the app runs."""

from __future__ import annotations

from bff.core.deps import Connection, kept, provide
from bff.devices.channel import DeviceHub
from bff.devices.service import DeviceService


def provide_devices(request: Connection) -> DeviceService:
    return kept(request, "devices", DeviceService)


def provide_device_hub(request: Connection) -> DeviceHub:
    """This instance's side of the devices' channel (tells a device, wherever it is)."""
    return kept(request, "device_hub", DeviceHub)


DEPENDENCIES = {
    "devices": provide(provide_devices),
    "device_hub": provide(provide_device_hub),
}
