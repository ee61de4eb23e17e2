"""VDX-API access tokens, as real deployments issue them: short-lived, never a fixed secret.

Two routes, as on real VDX:
- Keycloak's OAuth2 client-credentials grant (`keycloakOIDC` in the public OpenAPI): a signed
  JWT (RS256) carrying the organisation and the video role, the claims VideoAPI maps
  (`dk:medcom:organisation_id`, `dk:medcom:email`, `dk:medcom:video:role`);
- MedCom's certificate proxy: `POST {service}/token` with form field `saml-token` (the
  base64 STS assertion) answers an opaque `{access_token, token_type, expires_in}` used as
  `Authorization: Holder-of-key <token>` on that service only.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from litestar import Request, Response, Router, get, post
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler

from emulator.settings import EmulatorSettings
from emulator.vdx.errors import VdxError

REALM = "vdx"
REALM_PATH = f"/auth/realms/{REALM}"
ORGANISATION_CLAIM = "dk:medcom:organisation_id"
EMAIL_CLAIM = "dk:medcom:email"
ROLE_CLAIM = "dk:medcom:video:role"
ROLE = "meeting-user"
KID = "emulator-vdx-1"


@dataclass
class TokenIssuer:
    """The emulated Keycloak realm and certificate proxy: issues and checks access tokens."""

    settings: EmulatorSettings
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, private=True))
    # opaque holder-of-key token -> (service it was exchanged at, expiry on time.time())
    exchanged: dict[str, tuple[str, float]] = field(default_factory=dict)

    def issue_jwt(self, issuer: str) -> str:
        now = int(time.time())
        settings = self.settings
        claims = {
            "iss": issuer,
            "sub": f"service-account-{settings.vdx_client_id}",
            "azp": settings.vdx_client_id,
            "typ": "Bearer",
            "iat": now,
            "exp": now + settings.vdx_token_lifetime,
            "jti": str(uuid.uuid4()),
            ORGANISATION_CLAIM: settings.vdx_organisation,
            EMAIL_CLAIM: f"{settings.vdx_client_id}@{settings.vdx_organisation}.vdx.localhost",
            ROLE_CLAIM: [ROLE],
        }
        return jwt.encode({"alg": "RS256", "kid": KID, "typ": "JWT"}, claims, self.key)

    def jwt_valid(self, token: str) -> bool:
        try:
            decoded = jwt.decode(token, self.key, algorithms=["RS256"])
        except (JoseError, ValueError):
            return False
        claims = decoded.claims
        exp = claims.get("exp")
        return (
            isinstance(exp, int)
            and exp > time.time()
            and bool(claims.get(ORGANISATION_CLAIM))
            and ROLE in (claims.get(ROLE_CLAIM) or [])
        )

    def exchange(self, service: str) -> str:
        self._forget_expired()
        token = str(uuid.uuid4())
        self.exchanged[token] = (service, time.time() + self.settings.vdx_token_lifetime)
        return token

    def exchanged_valid(self, token: str, service: str) -> bool:
        entry = self.exchanged.get(token)
        return entry is not None and entry[0] == service and entry[1] > time.time()

    def _forget_expired(self) -> None:
        now = time.time()
        for token in [t for t, (_, exp) in self.exchanged.items() if exp <= now]:
            del self.exchanged[token]


def _issuer(request: Request[Any, Any, Any]) -> TokenIssuer:
    issuer: TokenIssuer = request.app.state.vdx_tokens
    return issuer


def _oauth_error(error: str, description: str, status: int) -> Response[Any]:
    return Response(
        content={"error": error, "error_description": description},
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def _client_credentials(request: Request[Any, Any, Any], form: Any) -> tuple[str, str]:
    """client_secret_basic (authlib's default) or client_secret_post, as Keycloak takes."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(value).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        return client_id, secret
    return str(form.get("client_id", "")), str(form.get("client_secret", ""))


@post(f"{REALM_PATH}/protocol/openid-connect/token", status_code=200)
async def keycloak_token(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await request.form()
    if form.get("grant_type") != "client_credentials":
        return _oauth_error("unsupported_grant_type", "Only client_credentials", 400)
    client_id, secret = _client_credentials(request, form)
    settings = _issuer(request).settings
    if not (
        secrets.compare_digest(client_id, settings.vdx_client_id)
        and secrets.compare_digest(secret, settings.vdx_client_secret)
    ):
        return _oauth_error("unauthorized_client", "Invalid client credentials", 401)
    issuer = str(request.base_url).rstrip("/") + REALM_PATH
    body = {
        "access_token": _issuer(request).issue_jwt(issuer),
        "expires_in": settings.vdx_token_lifetime,
        "refresh_expires_in": 0,
        "token_type": "Bearer",
        "not-before-policy": 0,
        "scope": "profile email",
    }
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


@get(f"{REALM_PATH}/protocol/openid-connect/certs")
async def keycloak_certs(request: Request[Any, Any, Any]) -> dict[str, Any]:
    public = _issuer(request).key.as_dict(private=False)
    return {"keys": [public | {"kid": KID, "use": "sig", "alg": "RS256"}]}


def keycloak_router() -> Router:
    return Router(path="/", route_handlers=[keycloak_token, keycloak_certs], tags=["Keycloak"])


async def exchange_sts_token(request: Request[Any, Any, Any]) -> Response[Any]:
    """The certificate proxy's token endpoint: STS assertion in, opaque token out."""
    form = await request.form()
    settings = _issuer(request).settings
    try:
        assertion = base64.b64decode(str(form.get("saml-token", "")), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        assertion = ""
    if not assertion or not secrets.compare_digest(assertion, settings.vdx_sts_token):
        raise VdxError(401, "saml-token is not a valid STS token for this service", code=11)
    service = request.scope["path"].rsplit("/token", 1)[0]
    body = {
        "access_token": _issuer(request).exchange(service),
        "token_type": "Holder-of-key",
        "expires_in": settings.vdx_token_lifetime,
    }
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


def sts_token_route() -> HTTPRouteHandler:
    """`POST /token` for one service router (VideoAPI, SmsAPI): each has its own."""
    return post("/token", status_code=200, operation_id=None)(exchange_sts_token)


def requires_vdx_token(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """A live Keycloak JWT, or a holder-of-key token exchanged at this service's /token."""
    if connection.scope["path"].endswith("/token"):
        return
    issuer: TokenIssuer = connection.app.state.vdx_tokens
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    token = token.strip()
    service = "/" + connection.scope["path"].lstrip("/").split("/", 1)[0]
    if scheme.lower() == "bearer" and issuer.jwt_valid(token):
        return
    if scheme.lower() == "holder-of-key" and issuer.exchanged_valid(token, service):
        return
    raise VdxError(401)
