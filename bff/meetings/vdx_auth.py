"""VDX-API access tokens: obtained, cached in this process and renewed by the BFF itself.

Real VDX accepts only short-lived tokens (Keycloak's default lifetime is 5 minutes), by one of
two routes, chosen by VDX_AUTH:
- `client_credentials`: OAuth2 client-credentials grant at the Keycloak realm's token endpoint;
  one Bearer JWT serves VideoAPI and SmsAPI.
- `sts_exchange`: behind MedCom's certificate proxy, an STS assertion (SAML, kept fresh in a
  file by the organisation's STS client) is exchanged at each service's `{base}/token` for a
  token sent as `Holder-of-key <token>` to that service only.
`static` sends a fixed Bearer token (a gateway that adds its own; never real VDX directly).
Tokens never reach a log line.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from pathlib import Path
from typing import Literal, Protocol

import httpx
from authlib.oauth2.rfc6749 import OAuth2Token
from authlib.oauth2.rfc6749.parameters import prepare_token_request

from bff.errors import UpstreamFailed
from bff.settings import Settings

log = logging.getLogger("bff.vdx")

Service = Literal["VideoAPI", "SmsAPI"]
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
# Renew this long before expiry (at most a fifth of the lifetime for very short tokens).
RENEW_BEFORE = 30


class VdxAuth(Protocol):
    async def authorization(self, service: Service) -> str:
        """The Authorization header value for a call to `service`."""
        ...

    def forget(self, service: Service, authorization: str) -> None:
        """VDX refused this value (401): the next call fetches a fresh token."""
        ...


class StaticToken:
    def __init__(self, token: str) -> None:
        self._value = f"Bearer {token}"

    async def authorization(self, service: Service) -> str:
        return self._value

    def forget(self, service: Service, authorization: str) -> None:
        return None


class _RenewingTokens:
    """One cached token per key; renewed before expiry, one fetch at a time per key."""

    scheme = "Bearer"

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http
        self._tokens: dict[str, OAuth2Token] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def _key(self, service: Service) -> str:
        return service

    async def _fetch(self, service: Service) -> OAuth2Token:
        raise NotImplementedError

    async def authorization(self, service: Service) -> str:
        key = self._key(service)
        token = self._tokens.get(key)
        if token is None or _due(token):
            async with self._locks.setdefault(key, asyncio.Lock()):
                token = self._tokens.get(key)
                if token is None or _due(token):
                    token = self._tokens[key] = await self._fetch(service)
        return f"{self.scheme} {token['access_token']}"

    def forget(self, service: Service, authorization: str) -> None:
        key = self._key(service)
        token = self._tokens.get(key)
        if token is not None and f"{self.scheme} {token['access_token']}" == authorization:
            del self._tokens[key]

    async def _post(self, what: str, url: str, **kw: object) -> OAuth2Token:
        try:
            resp = await self._http.post(url, headers=FORM, timeout=15, **kw)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            raise UpstreamFailed(f"VDX {what} unreachable ({type(exc).__name__})") from exc
        if resp.status_code != 200:
            raise UpstreamFailed(f"VDX {what} answered {resp.status_code}")
        try:
            body = resp.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            raise UpstreamFailed(f"VDX {what} answered without an access_token")
        token = OAuth2Token.from_dict(body)
        log.info("VDX token renewed at %s (expires in %s s)", what, body.get("expires_in"))
        return token


def _due(token: OAuth2Token) -> bool:
    lifetime = int(token.get("expires_in") or 0)
    return bool(token.is_expired(leeway=min(RENEW_BEFORE, lifetime // 5)))


class ClientCredentials(_RenewingTokens):
    """OAuth2 client-credentials grant (client_secret_basic, as authlib and Keycloak default)."""

    def __init__(self, http: httpx.AsyncClient, url: str, client_id: str, secret: str) -> None:
        super().__init__(http)
        self._url = url
        self._client = (client_id, secret)

    def _key(self, service: Service) -> str:
        return "keycloak"  # one JWT for every VDX service

    async def _fetch(self, service: Service) -> OAuth2Token:
        body = prepare_token_request("client_credentials")
        return await self._post("token endpoint", self._url, content=body, auth=self._client)


class StsExchange(_RenewingTokens):
    """The certificate proxy's `{service base}/token`: STS assertion in, holder-of-key out."""

    scheme = "Holder-of-key"

    def __init__(self, http: httpx.AsyncClient, bases: dict[Service, str], sts_file: Path) -> None:
        super().__init__(http)
        self._bases = bases
        self._sts_file = sts_file

    def _assertion(self) -> str:
        """Read on every exchange: the organisation's STS client renews the file in place."""
        try:
            raw = self._sts_file.read_text().strip()
        except OSError as exc:
            raise UpstreamFailed(f"VDX_STS_TOKEN_FILE unreadable ({type(exc).__name__})") from exc
        # The assertion as the STS issued it (XML) is sent base64-encoded; base64 as is.
        return base64.b64encode(raw.encode()).decode() if raw.startswith("<") else raw

    async def _fetch(self, service: Service) -> OAuth2Token:
        url = f"{self._bases[service]}/token"
        data = {"saml-token": self._assertion()}
        return await self._post(f"{service} token exchange", url, data=data)


def new_vdx_auth(settings: Settings, http: httpx.AsyncClient) -> VdxAuth:
    if settings.vdx_auth == "static":
        return StaticToken(settings.vdx_api_token)
    if settings.vdx_auth == "sts_exchange":
        assert settings.vdx_sts_token_file is not None  # load_settings checked it
        bases: dict[Service, str] = {
            "VideoAPI": settings.vdx_video_api_url,
            "SmsAPI": settings.vdx_sms_api_url,
        }
        return StsExchange(http, bases, settings.vdx_sts_token_file)
    return ClientCredentials(
        http, settings.vdx_token_url, settings.vdx_client_id, settings.vdx_client_secret
    )
