"""A small VDX-API client: VideoAPI meetings and the SmsAPI."""

from __future__ import annotations

from datetime import datetime

import httpx
import msgspec

from bff.errors import UpstreamFailed
from bff.settings import Settings


class VdxMeeting(msgspec.Struct):
    uuid: str
    uriWithDomain: str | None = None


class VdxSchedulingInfo(msgspec.Struct):
    uriWithDomain: str


def _vdx_time(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


class VdxClient:
    def __init__(self, http: httpx.AsyncClient, settings: Settings) -> None:
        self._http = http
        self._video = settings.vdx_video_api_url
        self._sms = settings.vdx_sms_api_url
        self._auth = {"Authorization": f"Bearer {settings.vdx_api_token}"}

    async def _call(self, service: str, method: str, url: str, **kw: object) -> httpx.Response:
        try:
            resp = await self._http.request(method, url, headers=self._auth, timeout=15, **kw)
        except httpx.HTTPError as exc:
            raise UpstreamFailed(f"VDX {service} unreachable ({type(exc).__name__})") from exc
        if resp.status_code >= 400:
            raise UpstreamFailed(f"VDX {service} answered {resp.status_code}")
        return resp

    async def create_meeting(
        self,
        *,
        subject: str,
        start: datetime,
        end: datetime,
        host_pin: str,
        guest_pin: str,
        external_id: str,
    ) -> tuple[str, str]:
        """Create the VDX meeting; return (uuid, uriWithDomain)."""
        body = {
            "subject": subject,
            "startTime": _vdx_time(start),
            "endTime": _vdx_time(end),
            "hostPin": int(host_pin),
            "guestPin": int(guest_pin),
            "guestPinRequired": True,
            "externalId": external_id,
        }
        resp = await self._call("VideoAPI", "POST", f"{self._video}/v2/meetings", json=body)
        try:
            meeting = msgspec.json.decode(resp.content, type=VdxMeeting)
        except msgspec.DecodeError as exc:
            raise UpstreamFailed("VDX VideoAPI answered without a meeting uuid") from exc
        if meeting.uriWithDomain:
            return meeting.uuid, meeting.uriWithDomain
        try:
            return meeting.uuid, await self._scheduling_alias(meeting.uuid)
        except UpstreamFailed:
            await self.delete_meeting(meeting.uuid)  # nothing half-made at VDX either
            raise

    async def _scheduling_alias(self, uuid: str) -> str:
        url = f"{self._video}/v2/scheduling-info/{uuid}"
        resp = await self._call("VideoAPI", "GET", url)
        try:
            return msgspec.json.decode(resp.content, type=VdxSchedulingInfo).uriWithDomain
        except msgspec.DecodeError as exc:
            raise UpstreamFailed("VDX VideoAPI gave no uriWithDomain for the meeting") from exc

    async def delete_meeting(self, uuid: str) -> None:
        try:
            await self._call("VideoAPI", "DELETE", f"{self._video}/v2/meetings/{uuid}")
        except UpstreamFailed as exc:
            if "answered 404" not in exc.reason:  # already gone is fine
                raise

    async def send_sms(self, uuid: str, to: str, message: str) -> None:
        url = f"{self._sms}/sms/v1/meeting/{uuid}"
        await self._call("SmsAPI", "POST", url, json={"message": message, "to": to})
