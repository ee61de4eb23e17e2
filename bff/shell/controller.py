"""App shell per party and the party's public branding files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from litestar import Controller, MediaType, Request, Response, route
from litestar.params import FromPath
from litestar.response import File

from bff import store
from bff.errors import NotFound
from bff.joins.controller import require_party
from bff.joins.models import Session
from bff.joins.sessions import cookie_sid, load_session
from bff.meetings.keys import open_meeting_key
from bff.meetings.service import get_meeting
from bff.parties.models import Party
from bff.sealing import Sealer, SealError
from bff.security import new_nonce, page_headers

RESERVED = {"j", "launch", "branding"}
GET_HEAD = ["GET", "HEAD"]  # HEAD answers like GET without a body (uvicorn drops it)
BRANDING_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"


async def grant_config(
    redis: store.Redis, sealer: Sealer, party: Party, sid: str | None
) -> dict[str, Any] | None:
    session: Session | None = await load_session(redis, sid)
    if session is None or session.party != party.id:
        return None
    meeting = await get_meeting(redis, session.grant.meeting_id)
    if meeting is None or meeting.status_at(datetime.now(UTC)) != "scheduled":
        return None
    cipher = await open_meeting_key(redis, sealer, meeting.id)
    try:
        name = session.grant.display_name(cipher) if cipher else None
    except SealError:  # sealed under another key: the grant no longer holds
        name = None
    if name is None:
        return None
    return {
        "role": session.grant.role,
        "displayName": name,
        "conferenceAlias": meeting.alias,
        "meeting": {
            "subject": meeting.subject,
            "start": meeting.start.isoformat(),
            "end": meeting.end.isoformat(),
        },
    }


def branding_file(party: Party, rel: str) -> Path:
    base: Path = party.branding_dir.resolve()
    target = (base / rel).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        raise NotFound("Filen findes ikke.")
    return target


class ShellController(Controller):
    include_in_schema = False

    @route("/", http_method=GET_HEAD, operation_id="NoParty")
    async def no_party(self) -> Response[str]:
        raise NotFound(
            "Denne adresse fører ikke til et møde.",
            title="Borgervideo",
            hint="Brug linket fra din SMS eller fra dit fagsystem.",
        )

    @route("/{party_id:str}", http_method=GET_HEAD, operation_id="AppShellRoot")
    async def app_shell_root(self, request: Request, party_id: FromPath[str]) -> Response[str]:
        return await render_shell(request, require_party(request, party_id))

    @route("/{party_id:str}/{rest:path}", http_method=GET_HEAD, operation_id="AppShell")
    async def app_shell(
        self, request: Request, party_id: FromPath[str], rest: FromPath[str]
    ) -> Response[str]:
        party = require_party(request, party_id)
        if rest.strip("/").split("/", 1)[0] in RESERVED:
            raise NotFound("Siden findes ikke. Tjek adressen.")
        return await render_shell(request, party)

    @route("/{party_id:str}/branding/{file:path}", http_method=GET_HEAD, operation_id="Branding")
    async def branding(
        self, request: Request, party_id: FromPath[str], file: FromPath[str]
    ) -> File:
        party = require_party(request, party_id)
        path = branding_file(party, file.lstrip("/"))
        return File(
            path,
            filename=path.name,
            content_disposition_type="inline",
            headers={
                "Cache-Control": "public, max-age=300",
                "X-Content-Type-Options": "nosniff",
                # An SVG or HTML file opened directly must not run script on our origin.
                "Content-Security-Policy": BRANDING_CSP,
            },
        )


async def render_shell(request: Request, party: Party) -> Response[str]:
    state = request.app.state
    config = {
        "party": {"id": party.id, "name": party.name},
        "basePath": f"/{party.id}/",
        "brandingBase": f"/{party.id}/branding/",
        "manifest": party.manifest,
        "accessibilityStatementUrl": party.options.accessibility_statement_url,
        "grant": await grant_config(
            state.redis, state.sealer, party, cookie_sid(request, state.settings)
        ),
    }
    nonce = new_nonce()
    html = state.shell.render(nonce=nonce, config=config, title=party.name)
    return Response(html, media_type=MediaType.HTML, headers=page_headers(nonce))
