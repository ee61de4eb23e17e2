"""VDX-API access: each service by the route MedCom offers for it, with short-lived tokens
the BFF obtains, caches in this process and renews itself.

VDX_VIDEO_API_ROUTE and VDX_SMS_API_ROUTE pick the route per service:
- `jwt`: OAuth2 client-credentials grant at MedCom's Keycloak realm; the JWT goes as
  `Bearer`. VideoAPI v2 accepts nothing else (medcom-video-api
  `configuration/SecurityConfiguration.java`), and needs the organisation, email and role
  claims (`interceptor/OauthInterceptor.java`, `interceptor/UserSecurityInterceptor.java`).
- `certificate`: MedCom's certificate proxy (kitcaddy with gooioidwsrest). Over mutual TLS
  with the organisation's client certificate, the STS assertion (SAML, kept fresh in a file by
  the organisation's STS client) is exchanged at `{service base}/token` (form field
  `saml-token`); the answer's `token_type` and `access_token` then go as `Authorization` on
  every call over the same certificate (gooioidwsrest `oioidwsrestwsc.go`; medcom-vdx-healthcheck
  `client/security/AuthorizationClientImpl.java`, `client/sms/SmsClientImpl.java`).
- `gateway`: a local proxy (such as MedCom's kitcaddy run as a client-side proxy) adds the
  credentials; the BFF sends none.
Tokens never reach a log line.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import ssl
from collections.abc import Mapping
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import Literal, Protocol

import httpx
from authlib.oauth2.rfc6749 import OAuth2Token
from authlib.oauth2.rfc6749.parameters import prepare_token_request

from bff.core.errors import UpstreamFailed
from bff.core.settings import Settings
from bff.core.upstream import json_object
from bff.ops.outbound import calling, observed

log = logging.getLogger("bff.vdx")

Service = Literal["VideoAPI", "SmsAPI"]
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
# Renew this long before expiry (at most a fifth of the lifetime for very short tokens).
RENEW_BEFORE = 30


class Route(Protocol):
    """How one service is reached: the Authorization value (None: send none) and the HTTP
    client to use (None: the shared one)."""

    http: httpx.AsyncClient | None

    async def authorization(self) -> str | None: ...

    def forget(self, authorization: str | None) -> None:
        """VDX refused this value (401): the next call fetches a fresh token."""
        ...


class Gateway:
    """A local proxy adds the credentials: the BFF sends none."""

    http: httpx.AsyncClient | None = None

    async def authorization(self) -> str | None:
        return None

    def forget(self, authorization: str | None) -> None:
        return None


class Unconfigured:
    """The certificate route without its files (a test app): every call fails saying so."""

    http: httpx.AsyncClient | None = None

    def __init__(self, service: str) -> None:
        self._service = service

    async def authorization(self) -> str | None:
        raise UpstreamFailed(
            f"VDX {self._service}: the certificate route needs VDX_SMS_CLIENT_CERT, "
            "VDX_SMS_CLIENT_KEY and VDX_STS_TOKEN_FILE"
        )

    def forget(self, authorization: str | None) -> None:
        return None


class _RenewingToken:
    """One cached token; renewed before expiry, one fetch at a time."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._token_http = http
        self._token: OAuth2Token | None = None
        self._lock = asyncio.Lock()

    async def _fetch(self) -> OAuth2Token:
        raise NotImplementedError

    async def authorization(self) -> str | None:
        token = self._token
        if token is None or _due(token):
            async with self._lock:
                token = self._token
                if token is None or _due(token):
                    token = self._token = await self._fetch()
        return _header(token)

    def forget(self, authorization: str | None) -> None:
        if self._token is not None and _header(self._token) == authorization:
            self._token = None

    async def _post(self, what: str, url: str, **kw: object) -> OAuth2Token:
        answer = self._token_http.post(
            url,
            headers=FORM,
            timeout=15,
            extensions=calling("vdx-token"),
            **kw,  # type: ignore[arg-type]
        )
        body = await json_object(answer, f"VDX {what}")
        if not isinstance(body.get("access_token"), str):
            raise UpstreamFailed(f"VDX {what} answered without an access_token")
        token = OAuth2Token.from_dict(body)
        log.info("VDX token renewed at %s (expires in %s s)", what, body.get("expires_in"))
        return token


def _header(token: OAuth2Token) -> str:
    """`{token_type} {access_token}` as the answer gave it (gooioidwsrest
    `oioidwsrestmessage.go`: Holder-of-key, or Bearer for a bearer session)."""
    return f"{token.get('token_type') or 'Bearer'} {token['access_token']}"


def _due(token: OAuth2Token) -> bool:
    lifetime = int(token.get("expires_in") or 0)
    return bool(token.is_expired(leeway=min(RENEW_BEFORE, lifetime // 5)))


class KeycloakJwt(_RenewingToken):
    """OAuth2 client-credentials grant (client_secret_basic, as authlib and Keycloak default)."""

    http: httpx.AsyncClient | None = None

    def __init__(self, http: httpx.AsyncClient, url: str, client_id: str, secret: str) -> None:
        super().__init__(http)
        self._url = url
        self._client = (client_id, secret)

    async def _fetch(self) -> OAuth2Token:
        body = prepare_token_request("client_credentials")
        token = await self._post("token endpoint", self._url, content=body, auth=self._client)
        token["token_type"] = "Bearer"  # noqa: S105 (Keycloak answers "Bearer" or "bearer")
        return token


class CertificateExchange(_RenewingToken):
    """The certificate proxy's `{base}/token`: STS assertion in, token out; every call over the
    client certificate's own connection pool (holder-of-key binds the token to it)."""

    def __init__(self, http: httpx.AsyncClient, base: str, sts_file: Path, service: str) -> None:
        super().__init__(http)
        self.http: httpx.AsyncClient | None = http
        self._url = f"{base}/token"
        self._sts_file = sts_file
        self._service = service

    def _assertion(self) -> str:
        """Read on every exchange: the organisation's STS client renews the file in place."""
        try:
            raw = self._sts_file.read_text().strip()
        except OSError as exc:
            raise UpstreamFailed(f"VDX_STS_TOKEN_FILE unreadable ({type(exc).__name__})") from exc
        # The assertion as the STS issued it (XML) is sent base64-encoded; base64 as is.
        return base64.b64encode(raw.encode()).decode() if raw.startswith("<") else raw

    async def _fetch(self) -> OAuth2Token:
        data = {"saml-token": self._assertion()}
        return await self._post(f"{self._service} token exchange", self._url, data=data)


def client_certificate_http(cert: Path, key: Path, ca_file: Path | None) -> httpx.AsyncClient:
    """An HTTP client presenting the organisation's certificate (mutual TLS); it trusts
    `ca_file` when given (the development stack's throwaway CA), else the system's CAs."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    context.load_cert_chain(str(cert), str(key))
    return httpx.AsyncClient(
        transport=observed(httpx.AsyncHTTPTransport(verify=context)),
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        follow_redirects=False,
        trust_env=False,
    )


class VdxAuth:
    """The route of each VDX service."""

    def __init__(self, routes: Mapping[Service, Route]) -> None:
        self.routes = dict(routes)

    async def authorization(self, service: Service) -> str | None:
        """The Authorization header value for a call to `service` (None: send none)."""
        return await self.routes[service].authorization()

    def forget(self, service: Service, authorization: str | None) -> None:
        self.routes[service].forget(authorization)

    def http(self, service: Service) -> httpx.AsyncClient | None:
        """The route's own HTTP client (mutual TLS), or None for the shared one."""
        return self.routes[service].http

    async def aclose(self) -> None:
        for route in self.routes.values():
            if route.http is not None:
                await route.http.aclose()


def new_vdx_auth(settings: Settings, http: httpx.AsyncClient) -> VdxAuth:
    routes: dict[Service, Route] = {}
    bases: dict[Service, str] = {
        "VideoAPI": settings.vdx.video_api_url,
        "SmsAPI": settings.vdx.sms_api_url,
    }
    chosen: dict[Service, str] = {
        "VideoAPI": settings.vdx.video_api_route,
        "SmsAPI": settings.vdx.sms_api_route,
    }
    for service, route in chosen.items():
        if route == "jwt":
            routes[service] = KeycloakJwt(
                http, settings.vdx.token_url, settings.vdx.client_id, settings.vdx.client_secret
            )
        elif route == "certificate":
            cert, key = settings.vdx.sms_client_cert, settings.vdx.sms_client_key
            sts_file = settings.vdx.sts_token_file
            if cert is None or key is None or sts_file is None:  # `python -m bff` refuses this
                routes[service] = Unconfigured(service)
                continue
            mtls = client_certificate_http(cert, key, settings.vdx.sms_ca_file)
            routes[service] = CertificateExchange(mtls, bases[service], sts_file, service)
        else:
            routes[service] = Gateway()
    return VdxAuth(routes)
