"""The tests' OpenID provider: the npm package `oidc-provider` (e2e/oidc_provider.mjs) in a
Node process on a free port, configured by the fixtures: signing keys they make (so the
tests can also sign tokens the provider never would: expired, for another audience), clients
for the BFF's staff login and for case systems, accounts with roles, resource servers.

Used by bff/tests/test_identity.py (the BFF in-process) and e2e/test_staff_portal.py (the
stack and Chromium).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey

from devstack.stack import ROOT, free_port

SCRIPT = ROOT / "e2e" / "oidc_provider.mjs"
CLIENT_SECRET = "test-oidc-client-secret"
SECRET_ENV = "BV_OIDC_SECRET_KOBENHAVN"
PARTY = "kobenhavn"
CLIENT_ID = "borgervideo-kobenhavn"
API_AUDIENCE = "borgervideo:kobenhavn:api"
ALL_SCOPES = "meetings:read meetings:write stats:read devices:read devices:write"
# Accounts the login page knows (the id is what a test types), with the broker's roles.
ACCOUNTS: dict[str, dict[str, Any]] = {
    "hanne": {"name": "Hanne Sygeplejerske", "roles": ["sygeplejerske"]},
    "ida": {"name": "Ida Administrator", "roles": ["it-admin"]},
    "sofie": {"name": "Sofie Styregruppe", "roles": ["styregruppe"]},
    "bo": {"name": "Bo Uden Rolle", "roles": ["kantine"]},
}
# Machine clients (client credentials): all scopes, and one that may only read meetings.
MACHINE_CLIENTS = {
    "eoj-nexus": ("eoj-nexus-secret", ALL_SCOPES),
    "eoj-reader": ("eoj-reader-secret", "meetings:read"),
}


def node_path() -> str:
    found = shutil.which("node")
    if found is None:
        raise RuntimeError("node not found: the OIDC provider of the tests runs on Node 20+")
    return found


def new_signing_key(kid: str) -> dict[str, Any]:
    key = ECKey.generate_key("P-256", parameters={"kid": kid, "alg": "ES256", "use": "sig"})
    return dict(key.as_dict(private=True))


def party_oidc(issuer: str) -> dict[str, Any]:
    """The `oidc` section of kobenhavn's party.json for this provider."""
    return {
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret_env": SECRET_ENV,
        "scopes": ["openid", "profile", "roles"],
        "roles_claim": "roles",
        "roles": {
            "staff": ["sygeplejerske"],
            "party_admin": ["it-admin"],
            "steering_group": ["styregruppe"],
        },
        "api_audience": API_AUDIENCE,
    }


def add_oidc_to_branding(branding: Path, issuer: str) -> None:
    """kobenhavn's party.json in a copied branding folder gets the provider."""
    file = branding / PARTY / "party.json"
    data = json.loads(file.read_text())
    data["oidc"] = party_oidc(issuer)
    file.write_text(json.dumps(data, indent=2))


@dataclass
class OidcProvider:
    port: int
    bff_urls: list[str]
    workdir: Path
    keys: list[dict[str, Any]] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "oidc-provider.log"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def config(self) -> dict[str, Any]:
        bff = self.bff_urls[0]
        return {
            "issuer": self.issuer,
            "port": self.port,
            "jwks": {"keys": self.keys},
            "accounts": ACCOUNTS,
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{url}/{PARTY}/staff/callback" for url in self.bff_urls],
                    "post_logout_redirect_uris": [f"{url}/{PARTY}/staff" for url in self.bff_urls],
                    "backchannel_logout_uri": f"{bff}/{PARTY}/staff/backchannel-logout",
                    "backchannel_logout_session_required": True,
                    "grant_types": ["authorization_code"],
                    "response_types": ["code"],
                    "id_token_signed_response_alg": "ES256",
                    "scope": "openid profile roles",
                },
                *(
                    {
                        "client_id": client_id,
                        "client_secret": secret,
                        "grant_types": ["client_credentials"],
                        "redirect_uris": [],
                        "response_types": [],
                        "scope": scope,
                    }
                    for client_id, (secret, scope) in MACHINE_CLIENTS.items()
                ),
            ],
            "resources": {API_AUDIENCE: {"scope": ALL_SCOPES}},
        }

    def start(self) -> OidcProvider:
        if not self.keys:
            self.keys = [new_signing_key("key-1")]
        config_path = self.workdir / "oidc-provider.json"
        config_path.write_text(json.dumps(self.config()))
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [node_path(), str(SCRIPT), str(config_path)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oidc-provider exited at start:\n{self.log()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.issuer}/healthz", timeout=1).status_code == 200:
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"oidc-provider did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def rotate(self, keys: list[dict[str, Any]]) -> None:
        """The provider again (same issuer and port) with another key set: the first key
        signs from now on."""
        self.stop()
        self.keys = keys
        self.start()

    def tamper(self, claims: dict[str, Any] | None = None, break_signature: bool = False) -> None:
        """The next ID token the token endpoint answers is re-signed with `claims` changed
        (None removes one), or its signature is broken."""
        answer = httpx.post(
            f"{self.issuer}/test/tamper",
            json={"claims": claims or {}, "breakSignature": break_signature},
            timeout=5,
        )
        assert answer.status_code == 204

    def machine_token(self, client_id: str = "eoj-nexus", scope: str | None = None) -> str:
        """An access token (JWT) by the client credentials grant, for the BFF's API."""
        secret, allowed = MACHINE_CLIENTS[client_id]
        answer = httpx.post(
            f"{self.issuer}/token",
            data={
                "grant_type": "client_credentials",
                "resource": API_AUDIENCE,
                "scope": scope or allowed,
            },
            auth=(client_id, secret),
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    def sign(self, claims: dict[str, Any], kid: str | None = None) -> str:
        """A JWT signed with one of the provider's own keys (claims as the test wants)."""
        jwk = next(k for k in self.keys if kid is None or k["kid"] == kid)
        key = ECKey.import_key(jwk)
        return jwt.encode({"alg": "ES256", "kid": jwk["kid"], "typ": "JWT"}, claims, key)


@contextlib.contextmanager
def running_oidc_provider(
    bff_urls: list[str], workdir: Path, port: int | None = None
) -> Iterator[OidcProvider]:
    provider = OidcProvider(port or free_port(), bff_urls, workdir).start()
    try:
        yield provider
    finally:
        provider.stop()
