"""The emulator's front page (`GET /`): what it stands in for and where, with links to the
helpers a person uses with `make run` (demo case system, SMS outbox, rooms)."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Response

SERVICES = (
    ("/api/client/v2/conferences/{alias}/…", "Pexip Infinity: Client REST API (and media)"),
    ("/videoapi/…", "VDX VideoAPI (meetings)"),
    ("/smsapi/…", "VDX SmsAPI (SMS to guests; they land in the outbox)"),
    ("/auth/realms/vdx/…", "VDX's Keycloak realm (access tokens for the BFF)"),
)
HELPERS = (
    ("/eoj/", "Demo case system (EOJ): book a meeting, open it as staff"),
    ("/outbox", "SMS outbox: the links the citizens would get (JSON)"),
    ("/emulator/rooms", "Rooms on the emulated node (JSON)"),
)


@get("/", include_in_schema=False)
async def emulator_index(request: Request) -> Response[str]:
    helpers = "".join(f'<li><a href="{path}">{path}</a>: {what}</li>' for path, what in HELPERS)
    services = "".join(f"<li><code>{path}</code>: {what}</li>" for path, what in SERVICES)
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Borgervideo emulator</title></head><body><main>
<h1>Borgervideo emulator</h1>
<p>Stands in for Pexip Infinity and VDX on this machine, so Borgervideo runs and is tested
without them.</p>
<h2>For you</h2><ul data-testid="emulator-helpers">{helpers}</ul>
<h2>What it emulates</h2><ul>{services}</ul>
</main></body></html>"""
    return Response(page, media_type="text/html; charset=utf-8")
