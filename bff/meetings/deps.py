"""The meetings domain's dependencies (Litestar `Provide`)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from bff.meetings.service import MeetingService
from bff.meetings.vdx import VdxClient
from bff.parties.models import Party


def provide_party(request: Request[Any, Any, Any]) -> Party:
    """The party the guard found (`state.party`)."""
    party: Party = request.state.party
    return party


def provide_meetings(request: Request[Any, Any, Any]) -> MeetingService:
    state = request.app.state
    vdx = VdxClient(state.http, state.settings, state.vdx_auth)
    return MeetingService(state.redis, vdx, state.settings, state.sealer, state.pseudonyms)
