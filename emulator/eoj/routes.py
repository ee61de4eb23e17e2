"""Demo EOJ page: a stand-in for a case system (e.g. KMD Nexus) that books a meeting
through the BFF and opens it for the staff member with a signed launch JWT."""

from __future__ import annotations

import secrets
import ssl
import time
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import httpx
from jinja2 import Environment, PackageLoader, select_autoescape
from joserfc import jwt
from joserfc.jwk import ECKey
from litestar import MediaType, Request, Response, Router, get, post
from litestar.response import Redirect

from emulator.settings import EmulatorSettings
from emulator.vdx.outbox import Outbox

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")
LAUNCH_TTL = 120

_env = Environment(
    loader=PackageLoader("emulator.eoj", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)
PAGE = _env.get_template("page.html")


def _settings(request: Request[Any, Any, Any]) -> EmulatorSettings:
    settings: EmulatorSettings = request.app.state.settings
    return settings


def _bff_verify(settings: EmulatorSettings) -> ssl.SSLContext | bool:
    """Trust EMU_BFF_CA_FILE (e.g. `make run LAN=1`'s self-signed certificate) when set."""
    if settings.bff_ca_file is None:
        return True
    return ssl.create_default_context(cafile=str(settings.bff_ca_file))


FIELDS = ("subject", "start", "end", "staff_name", "guest_name", "guest_phone")
LABELS = {
    "subject": "Emne",
    "start": "Start",
    "end": "Slut",
    "staff_name": "Dit navn (medarbejder)",
    "guest_name": "Borgerens navn",
    "guest_phone": "Borgerens mobilnummer",
}
# The Meetings API's field names (in its `detail`) and the form's.
API_FIELDS = {
    "subject": "subject",
    "start": "start",
    "end": "end",
    "host_name": "staff_name",
    "guests[0].display_name": "guest_name",
    "guests[0].phone": "guest_phone",
}
# The API's reasons (English, for developers) as a nurse should read them.
REASONS = (
    ("not a phone number", "er ikke et mobilnummer, vi kan sende SMS til. Skriv 8 cifre, "
     "fx 12 34 56 78, eller + og landekoden, fx +46 70 123 45 67."),
    ("cpr", "ligner et CPR-nummer. Brug en sagsreference i stedet."),
    ("control characters", "må ikke indeholde kontroltegn."),
    ("blank", "skal udfyldes."),
    ("must be after start", "skal være efter start."),
    ("must be in the future", "skal ligge i fremtiden."),
    ("at most 24 hours", "et møde må højst vare 24 timer."),
    ("366 days", "må højst ligge et år ude i fremtiden."),
    ("the same number", "er det samme nummer som en anden gæsts."),
    ("expected `str` of length", "er for langt eller for kort."),
    ("matching regex", "har et ugyldigt format."),
)  # fmt: skip


def api_problem(status: int, text: str, retry_after: str | None) -> tuple[str, dict[str, str]]:
    """A refused booking as readable Danish: a summary, and a message per form field."""
    if status == 401:
        return "Borgervideo afviste demo-nøglen (X-API-Key).", {}
    if status == 429:
        wait = f" om {retry_after} sekunder" if retry_after and retry_after.isdigit() else " senere"
        return f"Grænsen for bookinger eller SMS er nået. Prøv igen{wait}.", {}
    if status >= 500:
        return "VDX eller Borgervideo svarede ikke. Prøv igen om lidt. Intet er booket.", {}
    try:
        detail = str(httpx.Response(status, text=text).json().get("detail", ""))
    except (ValueError, AttributeError):
        detail = ""
    fields: dict[str, str] = {}
    for part in detail.split("; "):
        where, _, reason = part.partition(": ")
        field = API_FIELDS.get(where.strip())
        if field is None:
            continue
        words = next((da for en, da in REASONS if en in reason.lower()), "er ikke gyldigt.")
        fields[field] = f"{LABELS[field]} {words}"
    if fields:
        return "Bookingen blev ikke gennemført. Ret det markerede og prøv igen.", fields
    return f"Borgervideo afviste bookingen ({status}). Tjek felterne og prøv igen.", {}


def _render(request: Request[Any, Any, Any], status: int = 200, **context: Any) -> Response[str]:
    settings = _settings(request)
    outbox: Outbox = request.app.state.outbox
    now = datetime.now(LOCAL_TZ).replace(second=0, microsecond=0)
    defaults = {
        "subject": "Opfølgning på hjemmebesøg",
        "start": now.strftime("%Y-%m-%dT%H:%M"),
        "end": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "staff_name": "Sygeplejerske Hanne",
        "guest_name": "Borger Jensen",
        "guest_phone": "12 34 56 78",
    }
    typed = context.pop("form", None) or {}
    html = PAGE.render(
        key_missing=not settings.eoj_key_file.is_file(),
        key_file=str(settings.eoj_key_file),
        form=defaults | {k: v for k, v in typed.items() if k in defaults},
        field_errors=context.pop("field_errors", {}),
        labels=LABELS,
        outbox=list(reversed(outbox.list())),
        **context,
    )
    return Response(content=html, status_code=status, media_type=MediaType.HTML)


@get("/", include_in_schema=False)
async def eoj_page(request: Request[Any, Any, Any]) -> Response[str]:
    return _render(request)


def _local_iso(value: str) -> str:
    """A datetime-local value (Copenhagen time) as ISO 8601 with offset."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    return parsed.isoformat(timespec="seconds")


def _meeting_view(answer: dict[str, Any], subject: str) -> dict[str, Any]:
    """Read the BFF's answer leniently."""
    listed = answer.get("guests")
    guests: list[Any] = listed if isinstance(listed, list) else []
    return {
        "id": str(answer.get("id", "")),
        "subject": answer.get("subject", subject),
        "guests": [
            {
                "display_name": g.get("display_name", ""),
                "link": g.get("link", ""),
                "sms_sent": bool(g.get("sms_sent")),
            }
            for g in guests
            if isinstance(g, dict)
        ],
    }


@post("/book", include_in_schema=False)
async def book(request: Request[Any, Any, Any]) -> Response[str]:
    form = await request.form()
    fields = {k: str(form.get(k, "")).strip() for k in FIELDS}
    missing = {k: f"{LABELS[k]} skal udfyldes." for k, v in fields.items() if not v}
    if missing:
        return _render(
            request, 400, error="Udfyld de markerede felter.", field_errors=missing, form=fields
        )
    try:
        start, end = _local_iso(fields["start"]), _local_iso(fields["end"])
    except ValueError:
        return _render(
            request,
            400,
            error="Start og slut skal være gyldige tidspunkter.",
            field_errors={"start": "Start skal være et tidspunkt.", "end": "Slut ligeså."},
            form=fields,
        )
    settings = _settings(request)
    body = {
        "subject": fields["subject"],
        "start": start,
        "end": end,
        "host_name": fields["staff_name"],
        "guests": [{"display_name": fields["guest_name"], "phone": fields["guest_phone"]}],
    }
    try:
        # Its own client: a booking is a rare click, and it may need the BFF's certificate.
        async with httpx.AsyncClient(timeout=10, verify=_bff_verify(settings)) as http:
            res = await http.post(
                f"{settings.bff_url}/api/v1/meetings",
                json=body,
                headers={"X-API-Key": settings.demo_api_key},
            )
    except httpx.HTTPError as exc:
        return _render(
            request,
            502,
            error=f"Borgervideo svarer ikke ({settings.bff_url}): {type(exc).__name__}",
            form=fields,
        )
    if res.status_code >= 300:
        summary, field_errors = api_problem(
            res.status_code, res.text, res.headers.get("retry-after")
        )
        status = 400 if res.status_code < 500 else 502
        return _render(request, status, error=summary, field_errors=field_errors, form=fields)
    try:
        answer = res.json()
    except ValueError:
        return _render(request, 502, error="Borgervideo svarede ikke med JSON.", form=fields)
    meeting = _meeting_view(answer if isinstance(answer, dict) else {}, fields["subject"])
    launch_href = (
        f"/eoj/launch/{quote(meeting['id'], safe='')}?{urlencode({'name': fields['staff_name']})}"
    )
    return _render(request, meeting=meeting, launch_href=launch_href)


def sign_launch_jwt(settings: EmulatorSettings, meeting_id: str, name: str) -> str:
    now = int(time.time())
    claims = {
        "iss": settings.eoj_issuer,
        "aud": f"borgervideo:{settings.demo_party}",
        "iat": now,
        "exp": now + LAUNCH_TTL,
        "jti": secrets.token_urlsafe(16),
        "meeting_id": meeting_id,
        "name": name,
    }
    header = {"alg": "ES256", "kid": settings.eoj_kid, "typ": "JWT"}
    return jwt.encode(header, claims, ECKey.import_key(settings.eoj_key_file.read_bytes()))


@get("/launch/{meeting_id:str}", include_in_schema=False)
async def launch(
    request: Request[Any, Any, Any], meeting_id: str, name: str = "Medarbejder"
) -> Response[Any]:
    settings = _settings(request)
    if not settings.eoj_key_file.is_file():
        return _render(
            request,
            503,
            error=f"Demo-nøglen mangler ({settings.eoj_key_file}); kan ikke åbne mødet.",
        )
    if not meeting_id.strip() or not name.strip():
        return _render(request, 400, error="Møde-id og navn skal udfyldes.")
    token = sign_launch_jwt(settings, meeting_id, name.strip()[:100])
    public_url = settings.bff_public_url or settings.bff_url
    target = f"{public_url}/{settings.demo_party}/launch?{urlencode({'token': token})}"
    return Redirect(path=target, status_code=303)


def eoj_router() -> Router:
    return Router(path="/eoj", route_handlers=[eoj_page, book, launch])
