"""A small VDX-API client: VideoAPI meetings and the SmsAPI, with tokens from vdx_auth."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import httpx
import msgspec

from bff.core.errors import UpstreamFailed
from bff.core.settings import Settings
from bff.meetings.vdx_auth import Service, VdxAuth
from bff.ops.outbound import calling

log = logging.getLogger("bff.vdx")

# detailed_error_code: 12 "must have status AWAITS_PROVISION or PROVISIONED_OK to be updated",
# 13 "must have status AWAITS_PROVISION to be deleted".
NOT_UPDATABLE, NOT_DELETABLE = "12", "13"


class VdxRefused(UpstreamFailed):
    """VDX answered an error status; `code` is its detailed_error_code when it gave one."""

    def __init__(self, service: str, status: int, code: str | None) -> None:
        super().__init__(f"VDX {service} answered {status}")
        self.status = status
        self.code = code


class VdxMeeting(msgspec.Struct):
    uuid: str


class VdxSchedulingInfo(msgspec.Struct):
    uriWithDomain: str
    vmrAvailableBefore: int = 0
    provisionStatus: str = "AWAITS_PROVISION"


class VdxRoom(NamedTuple):
    """A booked VDX meeting: its uuid, the room's address, and when the room exists."""

    uuid: str
    alias: str
    available_from: datetime


def _vdx_time(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _error_code(resp: httpx.Response) -> str | None:
    try:
        body = resp.json()
    except ValueError:
        return None
    code = body.get("detailed_error_code") if isinstance(body, dict) else None
    return None if code is None else str(code)


class VdxClient:
    def __init__(self, http: httpx.AsyncClient, settings: Settings, auth: VdxAuth) -> None:
        self._http = http
        self._video = settings.vdx.video_api_url
        self._sms = settings.vdx.sms_api_url
        self._template = settings.vdx.scheduling_template_id
        self._auth = auth

    async def _send(self, service: Service, method: str, url: str, **kw: Any) -> httpx.Response:
        authorization = await self._auth.authorization(service)
        headers = {} if authorization is None else {"Authorization": authorization}
        http = self._auth.http(service) or self._http
        try:
            resp = await http.request(
                method,
                url,
                headers=headers,
                timeout=15,
                extensions=calling(f"vdx-{service.lower()}"),
                **kw,
            )
        except httpx.HTTPError as exc:
            raise UpstreamFailed(f"VDX {service} unreachable ({type(exc).__name__})") from exc
        if resp.status_code == 401:
            self._auth.forget(service, authorization)
        return resp

    async def _call(self, service: Service, method: str, url: str, **kw: Any) -> httpx.Response:
        resp = await self._send(service, method, url, **kw)
        if resp.status_code == 401:  # revoked or expired early: one fresh token, one retry
            resp = await self._send(service, method, url, **kw)
        if resp.status_code >= 400:
            raise VdxRefused(service, resp.status_code, _error_code(resp))
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
    ) -> VdxRoom:
        """Create the VDX meeting; the room's address and time come from its scheduling-info
        (the `meeting` answer carries neither)."""
        body: dict[str, Any] = {
            "subject": subject,
            "startTime": _vdx_time(start),
            "endTime": _vdx_time(end),
            "hostPin": int(host_pin),
            "guestPin": int(guest_pin),
            "guestPinRequired": True,
            "externalId": external_id,
        }
        if self._template is not None:
            body["schedulingTemplateId"] = self._template
        resp = await self._call("VideoAPI", "POST", f"{self._video}/v2/meetings", json=body)
        try:
            meeting = msgspec.json.decode(resp.content, type=VdxMeeting)
        except msgspec.DecodeError as exc:
            raise UpstreamFailed("VDX VideoAPI answered without a meeting uuid") from exc
        try:
            info = await self._scheduling_info(meeting.uuid)
        except UpstreamFailed:
            await self.cancel_meeting(meeting.uuid)  # nothing half-made at VDX either
            raise
        available_from = start - timedelta(minutes=max(0, info.vmrAvailableBefore))
        return VdxRoom(meeting.uuid, info.uriWithDomain, available_from)

    async def _scheduling_info(self, uuid: str) -> VdxSchedulingInfo:
        url = f"{self._video}/v2/scheduling-info/{uuid}"
        resp = await self._call("VideoAPI", "GET", url)
        try:
            return msgspec.json.decode(resp.content, type=VdxSchedulingInfo)
        except msgspec.DecodeError as exc:
            raise UpstreamFailed("VDX VideoAPI gave no uriWithDomain for the meeting") from exc

    async def provision_status(self, uuid: str) -> str:
        """The meeting's provisionStatus (AWAITS_PROVISION until VDX's provisioning job has
        made its room; medcom-vdx-healthcheck `service/model/ProvisionStatus.java`)."""
        return (await self._scheduling_info(uuid)).provisionStatus

    async def cancel_meeting(self, uuid: str) -> None:
        """Cancel by the route VDX accepts: DELETE while the meeting awaits provisioning,
        else end it by PATCHing endTime to now (VDX then removes the room)."""
        try:
            await self._call("VideoAPI", "DELETE", f"{self._video}/v2/meetings/{uuid}")
            return
        except VdxRefused as exc:
            if exc.status == 404:  # already gone
                return
            if exc.status != 406 or exc.code not in (NOT_DELETABLE, None):
                raise
        await self._end_now(uuid)

    async def _end_now(self, uuid: str) -> None:
        body = {"endTime": _vdx_time(datetime.now(UTC).replace(microsecond=0))}
        try:
            await self._call("VideoAPI", "PATCH", f"{self._video}/v2/meetings/{uuid}", json=body)
        except VdxRefused as exc:
            if exc.status == 406 and exc.code == NOT_UPDATABLE:
                log.info("VDX meeting %s already deprovisioned", uuid)  # over: nothing to end
                return
            raise

    async def move_end(self, uuid: str, end: datetime) -> None:
        """A call running over: VDX lets a provisioned meeting's endTime move (its room then
        stays until the new end). medcom-video-api service/MeetingServiceImpl.java."""
        body = {"endTime": _vdx_time(end.astimezone(UTC).replace(microsecond=0))}
        await self._call("VideoAPI", "PATCH", f"{self._video}/v2/meetings/{uuid}", json=body)

    async def send_sms(self, uuid: str, to: str, message: str) -> None:
        """`{SMS_ENDPOINT}/v1/meeting/{uuid}`, as medcom-vdx-healthcheck's
        `client/sms/SmsClientImpl.java` posts it (its token at `{SMS_ENDPOINT}/token`)."""
        url = f"{self._sms}/v1/meeting/{uuid}"
        await self._call("SmsAPI", "POST", url, json={"message": message, "to": to})
