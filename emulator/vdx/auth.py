"""VDX-API access tokens, as real deployments issue them: short-lived, never a fixed secret.

Two routes, each as strict as its public source:
- VideoAPI `/v2/**`: only a Keycloak JWT as `Bearer` (medcom-video-api
  `configuration/SecurityConfiguration.java` matches every `/v2/` path to the JWT resource
  server). The claims are mapped by `interceptor/OauthInterceptor.java`
  (`dk:medcom:organisation_id`, `dk:medcom:email`, `dk:medcom:video:role`, the names in
  `documentation/docker/compose/docker-compose.yml`); `interceptor/UserSecurityInterceptor.java`
  answers 401 when a `meeting-user` has no email or no organisation, 403 for an unknown
  organisation.
- SmsAPI: MedCom's certificate proxy (kitcaddy with gooioidwsrest): `POST {SMS}/token` with form
  field `saml-token` (the base64 STS assertion) over mutual TLS answers
  `{access_token, token_type, expires_in}`; every call then carries
  `Authorization: Holder-of-key <token>` over the same client certificate (gooioidwsrest
  `oioidwsrestwsp.go` `HandleService` and `validateHoK`: no client certificate 400, another
  certificate than the token was issued to 401). medcom-vdx-healthcheck
  `client/sms/SmsClientImpl.java` and `configuration/HealthcheckConfiguration.java` call it so.
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
    # opaque holder-of-key token -> (client certificate's sha256, expiry on time.time())
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
            ROLE_CLAIM: [settings.vdx_client_role],
        }
        if settings.vdx_client_email:  # a Keycloak client without the email mapper has none
            claims[EMAIL_CLAIM] = settings.vdx_client_email
        return jwt.encode({"alg": "RS256", "kid": KID, "typ": "JWT"}, claims, self.key)

    def check_jwt(self, token: str) -> None:
        """Raise the VdxError VideoAPI answers for this Bearer token; None when it passes."""
        try:
            claims = jwt.decode(token, self.key, algorithms=["RS256"]).claims
        except (JoseError, ValueError):
            raise VdxError(401) from None
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp <= time.time():
            raise VdxError(401)
        roles = claims.get(ROLE_CLAIM) or []
        if ROLE not in roles:  # UserSecurityInterceptor: hasNoLegalRoles -> 401
            raise VdxError(401)
        organisation = claims.get(ORGANISATION_CLAIM)
        if not claims.get(EMAIL_CLAIM) or not organisation:  # a meeting-user needs both
            raise VdxError(401)
        if organisation != self.settings.vdx_organisation:  # not in OrganisationRepository
            raise VdxError(403)

    def exchange(self, client_cert: str) -> str:
        self._forget_expired()
        token = str(uuid.uuid4())
        self.exchanged[token] = (client_cert, time.time() + self.settings.vdx_token_lifetime)
        return token

    def exchanged_for(self, token: str) -> str | None:
        """The client certificate (sha256) a live holder-of-key token was issued to."""
        entry = self.exchanged.get(token)
        return entry[0] if entry is not None and entry[1] > time.time() else None

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


CLIENT_CERT = "emulator.client_cert_sha256"  # set by emulator.mtls for mutual-TLS connections


def client_cert(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The sha256 of the connection's verified client certificate (gooioidwsrest: HoK
    needs one, else 400 "SSL Client Certificate must be supplied (HoK)")."""
    digest = connection.scope.get(CLIENT_CERT)  # type: ignore[typeddict-item]
    if not isinstance(digest, str):
        raise VdxError(400, "SSL Client Certificate must be supplied (HoK)")
    return digest


async def exchange_sts_token(request: Request[Any, Any, Any]) -> Response[Any]:
    """The certificate proxy's token endpoint: STS assertion in, holder-of-key token out,
    bound to the client certificate it came over (gooioidwsrest `tokenauthenticator.go`)."""
    certificate = client_cert(request)
    form = await request.form()
    settings = _issuer(request).settings
    try:
        assertion = base64.b64decode(str(form.get("saml-token", "")), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        assertion = ""
    if not assertion or not secrets.compare_digest(assertion, settings.vdx_sts_token):
        raise VdxError(401, "saml-token is not a valid STS token for this service", code=11)
    body = {
        "access_token": _issuer(request).exchange(certificate),
        # oioidwsrestmessage.go calculateTokenType: Holder-of-key unless the session is bearer
        "token_type": "Holder-of-key",
        "expires_in": settings.vdx_token_lifetime,
    }
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


def sts_token_route() -> HTTPRouteHandler:
    """`POST /token` on the certificate route's service (SmsAPI)."""
    return post("/token", status_code=200, operation_id=None)(exchange_sts_token)


def requires_keycloak_jwt(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """VideoAPI `/v2/**`: a live Keycloak JWT with organisation, email and role; nothing else."""
    scheme, _sep, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        raise VdxError(401)
    _issuer_of(connection).check_jwt(token.strip())


def requires_holder_of_key(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """SmsAPI: a holder-of-key token over the client certificate it was issued to."""
    certificate = client_cert(connection)
    if connection.scope["path"].endswith("/token"):
        return
    scheme, _sep, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "holder-of-key":
        raise VdxError(401)
    issued_to = _issuer_of(connection).exchanged_for(token.strip())
    if issued_to is None:
        raise VdxError(401)
    if not secrets.compare_digest(issued_to, certificate):  # validateHoK
        raise VdxError(401, "Client certificate not HoK")


def _issuer_of(connection: ASGIConnection[Any, Any, Any, Any]) -> TokenIssuer:
    issuer: TokenIssuer = connection.app.state.vdx_tokens
    return issuer
