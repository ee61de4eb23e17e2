"""App shell per party (also as the page a citizen's SMS link answers) and the party's public
branding files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get, route
from litestar.params import FromPath
from litestar.response import File

from bff.branding.pages import page_branding, preview_config, start_preview, version_file
from bff.core import store
from bff.core.deps import provide_redis, provide_sealer, provide_settings
from bff.core.errors import ErrorPage, NotFound
from bff.core.http import GET_HEAD, files_origin, separate_origin
from bff.core.phones import display_phone
from bff.core.sealing import Sealer, SealError
from bff.core.security import new_nonce, origin_of, page_headers
from bff.joins.models import Session
from bff.joins.service import Redemption, redeem_guest_link
from bff.joins.sessions import (
    cookie_sid,
    decode_session,
    load_join_records,
    session_cookie,
    session_ref,
)
from bff.meetings.keys import unwrap_meeting_key
from bff.meetings.models import Meeting
from bff.parties.deps import require_party
from bff.parties.models import OpeningHours, Party
from bff.plugins.deps import provide_plugins
from bff.shell.deps import provide_shell
from bff.shell.pages import render_page

RESERVED = {"j", "launch", "branding", "plugins", "preview"}
NO_PLUGINS = {"admin", "device", "staff"}  # never load plugins: admin pages, the device
# kiosk, the staff portal
BRANDING_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"


async def grant_config(
    redis: store.Redis, sealer: Sealer, party: Party, sid: str | None
) -> tuple[dict[str, Any] | None, int]:
    """The page's grant, if the session holds one, and the session's seconds left (one round
    trip for a session this process made, else two: the session with its TTL, the meeting
    with its key). The records read are the ones the proxy's request_token starts from."""
    records, ttl = await load_join_records(redis, sid)
    session = None if records is None else decode_session(records.session)
    if records is None or session is None or session.party != party.id:
        return None, ttl
    meeting = msgspec.json.decode(records.meeting, type=Meeting)
    cipher = unwrap_meeting_key(sealer, meeting.id, records.meeting_key)
    return page_grant(party, session, meeting, cipher), ttl


def page_grant(
    party: Party, session: Session, meeting: Meeting, cipher: Sealer | None
) -> dict[str, Any] | None:
    """What the page is told of its session's grant; None when the session is another
    party's, the meeting is no longer open, or its key (or the grant's name) cannot be
    opened."""
    if session.party != party.id or meeting.status_at(datetime.now(UTC)) != "scheduled":
        return None
    try:
        name = session.grant.display_name(cipher) if cipher else None
    except SealError:  # sealed under another key: the grant no longer holds
        name = None
    if name is None or cipher is None:
        return None
    try:
        host = meeting.host_name(cipher)
    except SealError:
        host = None
    return {
        "role": session.grant.role,
        "displayName": name,
        "conferenceAlias": meeting.alias,
        "meeting": meeting.info(host),
    }


def _hours(hours: str | OpeningHours | None) -> dict[str, str] | None:
    """Opening hours per language (`da`, and `en` where given)."""
    if hours is None:
        return None
    if isinstance(hours, str):
        return {"da": hours}
    return {"da": hours.da, **({"en": hours.en} if hours.en else {})}


def _staff_support(party: Party) -> dict[str, Any] | None:
    """The staff's own support line (the admin pages' footer), never the citizens'."""
    support = party.staff_support
    if support is None:
        return None
    return {
        "phone": support.phone,
        "phoneDisplay": display_phone(support.phone) if support.phone else None,
        "email": support.email,
        "hours": _hours(support.hours),
    }


def citizen_config(party: Party, settings: Any) -> dict[str, Any]:
    """The party's phone number, what it switched on for citizens, and reconnection timing."""
    contact = party.contact
    return {
        "contact": {
            "phone": contact.phone,
            "phoneDisplay": display_phone(contact.phone),
            "openingHours": {
                lang: hours
                for lang, hours in (
                    ("da", contact.opening_hours.da),
                    ("en", contact.opening_hours.en),
                )
                if hours
            },
        }
        if contact
        else None,
        "staffSupport": _staff_support(party),
        "features": {"citizenChat": party.options.citizen_chat},
        "reconnect": {"longOutageSeconds": settings.meetings.reconnect_long_outage},
    }


def branding_file(party: Party, rel: str) -> Path:
    base: Path = party.branding_dir.resolve()
    target = (base / rel).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        raise NotFound("Filen findes ikke.", key="fileNotFound")
    return target


class ShellController(Controller):
    include_in_schema = False

    @route("/", http_method=GET_HEAD, operation_id="NoParty")
    async def no_party(self) -> Response[str]:
        raise NotFound(
            "Denne adresse fører ikke til et møde.",
            title="Borgervideo",
            hint="Brug linket fra din SMS eller fra dit fagsystem.",
            key="noParty",
        )

    @get("/{party_id:str}/j/{token:str}", operation_id="RedeemGuestLink")
    async def guest_link(
        self, request: Request[Any, Any, Any], party_id: FromPath[str], token: FromPath[str]
    ) -> Response[str]:
        """A citizen's SMS link (bff.joins.service): answered with her meeting's page itself
        and its session cookie, not a redirect to it, so a phone makes one round trip fewer
        before she sees herself. The page puts its own address in the bar at once (`showAt`),
        so the link is not what a reload or the history opens."""
        party = require_party(request, party_id)
        redeemed = await redeem_guest_link(request, party, token)
        page = await render_shell(request, party, "", redeemed)
        page.cookies.append(
            session_cookie(provide_settings(request), redeemed.sid, redeemed.cookie_ttl)
        )
        return page

    @route("/{party_id:str}", http_method=GET_HEAD, operation_id="AppShellRoot")
    async def app_shell_root(
        self, request: Request[Any, Any, Any], party_id: FromPath[str]
    ) -> Response[str]:
        return await render_shell(request, require_party(request, party_id), "")

    @route("/{party_id:str}/{rest:path}", http_method=GET_HEAD, operation_id="AppShell")
    async def app_shell(
        self, request: Request[Any, Any, Any], party_id: FromPath[str], rest: FromPath[str]
    ) -> Response[str]:
        party = require_party(request, party_id)
        if rest.strip("/").split("/", 1)[0] in RESERVED:
            raise NotFound("Siden findes ikke. Tjek adressen.", key="notFound")
        return await render_shell(request, party, rest)

    @route("/{party_id:str}/branding/{file:path}", http_method=GET_HEAD, operation_id="Branding")
    async def branding(
        self, request: Request[Any, Any, Any], party_id: FromPath[str], file: FromPath[str]
    ) -> Response[Any]:
        party = require_party(request, party_id)
        if file.lstrip("/").startswith("@"):  # an uploaded version's file (bff.branding)
            return await version_file(request, party, file.lstrip("/"))
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


async def page_plugins(
    request: Request[Any, Any, Any],
    party: Party,
    sid: str | None,
    grant: dict[str, Any] | None,
    rest: str,
    branding: list[dict[str, Any]],
    session_ttl: int,
) -> list[dict[str, Any]]:
    """The runtime manifest's plugins: the party's enabled set for the session's role (a
    page without a grant gets the guest ones, without tokens; admin pages none), then the
    page's branding package's (`branding`) that the set does not name."""
    if rest.strip("/").split("/", 1)[0] in NO_PLUGINS:
        return []
    settings = provide_settings(request)
    session = None
    if grant is not None and sid is not None:
        session = (session_ref(sid), session_ttl) if session_ttl > 0 else None
    return await provide_plugins(request).runtime_manifest(
        party.id,
        grant["role"] if grant else "guest",
        files_base=files_origin(settings) if separate_origin(settings) else "",
        api_base=origin_of(settings.serving.public_url),
        session=session,
        branding=branding,
    )


async def render_shell(
    request: Request[Any, Any, Any],
    party: Party,
    rest: str,
    redeemed: Redemption | None = None,
) -> Response[str]:
    """The app shell for `rest` below the party's path, with the grant of the browser's
    session; or, for `redeemed` (a guest link just redeemed), of its new session, drawn from
    the records the redemption wrote (not read back), and the party's own address put in the
    address bar."""
    settings = provide_settings(request)
    if redeemed is None:
        sid = cookie_sid(request, settings)
        grant, session_ttl = await grant_config(
            provide_redis(request), provide_sealer(request), party, sid
        )
    else:
        sid, session_ttl = redeemed.sid, redeemed.session_ttl
        grant = page_grant(party, redeemed.session, redeemed.meeting, redeemed.cipher)
    admin = rest.strip("/").split("/", 1)[0] == "admin"
    # An uploaded branding version (bff.branding), a preview of one, or the party folder's;
    # admin pages always show the live one.
    branding = await page_branding(request, party, preview=not admin)
    uploaded = list(branding.manifest.get("plugins") or []) if branding.version else []
    config = {
        "party": {"id": party.id, "name": party.name},
        "basePath": f"/{party.id}/",
        "brandingBase": branding.base,
        "manifest": branding.manifest
        | {"plugins": await page_plugins(request, party, sid, grant, rest, uploaded, session_ttl)},
        "accessibilityStatementUrl": party.options.accessibility_statement_url,
        "grant": grant,
        "brandingPreview": preview_config(branding, party),
        **citizen_config(party, settings),
    }
    if redeemed is not None:
        config["showAt"] = f"/{party.id}/"
    nonce = new_nonce()
    html = provide_shell(request).render(
        nonce=nonce, config=config, title=branding.title or party.name
    )
    # Admin pages frame the app itself (the branding preview); other pages only plugins.
    separate = separate_origin(settings) and not admin
    frames = settings.plugins.origin if separate else None
    headers = page_headers(nonce, frames, plugin_popups=not admin)
    return Response(html, media_type=MediaType.HTML, headers=headers)


@route("/{party_id:str}/staff", http_method=GET_HEAD, include_in_schema=False)
async def portal_page(request: Request[Any, Any, Any], party_id: FromPath[str]) -> Response[str]:
    """The portal's app shell. Its own route: the router does not fall back from the static
    `staff` segment of the routes below to the shell's catch-all."""
    return await render_shell(request, require_party(request, party_id), "staff")


@route("/{party_id:str}/preview/{token:str}/fejl", http_method=GET_HEAD, include_in_schema=False)
async def preview_error_page(
    request: Request[Any, Any, Any], party_id: FromPath[str], token: FromPath[str]
) -> Response[str]:
    """An example error page (a meeting's link after the meeting) as the previewed branding
    shows it, in the browser's language."""
    party = require_party(request, party_id)
    cookie = await start_preview(request, party, token)
    await page_branding(request, party, token=token)  # what the error page draws with
    example = ErrorPage(
        200,
        "Mødet er slut",
        "Linket er udløbet, fordi mødet er slut.",
        "Kontakt dem, der har inviteret dig, for at få et nyt link.",
        key="link.ended",
    )
    response = render_page(example, request)
    response.headers["Cache-Control"] = "no-store"
    response.set_cookie(cookie)
    return response
