"""The development stack's OpenID provider: the npm package `oidc-provider`
(devstack/oidc_provider.mjs) in a Node process, standing where a party's broker (Keycloak in
front of Context Handler) stands in production. Configured from here: signing keys (the tests
make their own, so they can also sign tokens the provider never would: expired, for another
audience), clients for the BFF's staff login and for case systems, accounts with roles,
resource servers.

Used by `make run` (`running_demo_login`: a fixed port, the key kept in `.data/oidc/`, the
demo parties' `oidc` sections in a copy of the branding folder), bff/tests/test_identity.py
(the BFF in-process), e2e/test_staff_portal.py and e2e/test_admin_login.py (the stack and
Chromium) on free ports.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey

from bff.core.store import die_with_parent
from devstack.stack import ROOT, Stack, free_port, running_stack, wait_port_free

SCRIPT = ROOT / "devstack" / "oidc_provider.mjs"
CLIENT_SECRET = "test-oidc-client-secret"  # noqa: S105 - the tests' own provider
PARTY = "kobenhavn"


def secret_env(party: str) -> str:
    """The BFF's variable holding `party`'s client secret: BV_OIDC_SECRET_REGION_MIDT."""
    return "BV_OIDC_SECRET_" + party.upper().replace("-", "_")


def client_id(party: str) -> str:
    return f"borgervideo-{party}"


def api_audience(party: str) -> str:
    return f"borgervideo:{party}:api"


SECRET_ENV = secret_env(PARTY)
CLIENT_ID = client_id(PARTY)
API_AUDIENCE = api_audience(PARTY)
ALL_SCOPES = "meetings:read meetings:write stats:read devices:read devices:write"
# Accounts the login page knows (the id is what a test types), with the broker's roles.
ACCOUNTS: dict[str, dict[str, Any]] = {
    "hanne": {"name": "Hanne Sygeplejerske", "roles": ["sygeplejerske"], "groups": ["nord"]},
    "mette": {"name": "Mette Sygeplejerske", "roles": ["sygeplejerske"], "groups": ["nord"]},
    "lise": {
        "name": "Lise Planlægger",
        "roles": ["sygeplejerske", "planlaegger"],
        "groups": ["visitation"],
    },
    "ida": {"name": "Ida Administrator", "roles": ["it-admin"]},
    "sofie": {"name": "Sofie Styregruppe", "roles": ["styregruppe"]},
    "bo": {"name": "Bo Uden Rolle", "roles": ["kantine"]},
}
# What the login page says of each account (Danish, for a person trying the demo).
ACCOUNT_LABELS = {
    "hanne": "sygeplejerske i team nord, til medarbejderportalen",
    "mette": "sygeplejerske i team nord, hendes kollega",
    "lise": "planlægger, ser hele kommunens dag i medarbejderportalen",
    "ida": "kommunens administrator, til administrationssiderne",
    "sofie": "styregruppen, til statistik for alle parter",
    "bo": "ingen rolle i Borgervideo, bliver afvist",
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
    if not (ROOT / "node_modules" / "oidc-provider" / "package.json").exists():
        raise RuntimeError("npm package oidc-provider missing: `make install` installs it")
    return found


def new_signing_key(kid: str) -> dict[str, Any]:
    key = ECKey.generate_key("P-256", parameters={"kid": kid, "alg": "ES256", "use": "sig"})
    return dict(key.as_dict(private=True))


def party_oidc(issuer: str, party: str = PARTY) -> dict[str, Any]:
    """The `oidc` section of a party's party.json for this provider."""
    return {
        "issuer": issuer,
        "client_id": client_id(party),
        "client_secret_env": secret_env(party),
        "scopes": ["openid", "profile", "roles"],
        "roles_claim": "roles",
        "teams_claim": "groups",
        "roles": {
            "staff": ["sygeplejerske"],
            "scheduler": ["planlaegger"],
            "party_admin": ["it-admin"],
            "steering_group": ["styregruppe"],
        },
        "api_audience": api_audience(party),
    }


def add_oidc_to_branding(branding: Path, issuer: str, parties: tuple[str, ...] = (PARTY,)) -> None:
    """The parties' party.json in a copied branding folder get the provider."""
    for party in parties:
        file = branding / party / "party.json"
        data = json.loads(file.read_text())
        data["oidc"] = party_oidc(issuer, party)
        file.write_text(json.dumps(data, indent=2))


@dataclass
class OidcProvider:
    """`bff_urls`: where browsers reach the BFF (its redirect and logout URIs); the first
    also takes the back-channel logout. `test_hooks`: POST /test/tamper (tests only).
    `ca_file`: a certificate Node trusts besides its own (the BFF's self-signed one)."""

    port: int
    bff_urls: list[str]
    workdir: Path
    keys: list[dict[str, Any]] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None
    parties: tuple[str, ...] = (PARTY,)
    client_secret: str = CLIENT_SECRET
    test_hooks: bool = True
    ca_file: Path | None = None

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
            "testHooks": self.test_hooks,
            "jwks": {"keys": self.keys},
            "accounts": ACCOUNTS,
            "accountLabels": ACCOUNT_LABELS,
            "clients": [
                *(
                    {
                        "client_id": client_id(party),
                        "client_name": f"Borgervideo ({party})",  # on the login page
                        "client_secret": self.client_secret,
                        "redirect_uris": [f"{url}/{party}/staff/callback" for url in self.bff_urls],
                        "post_logout_redirect_uris": [
                            f"{url}/{party}/staff" for url in self.bff_urls
                        ],
                        "backchannel_logout_uri": f"{bff}/{party}/staff/backchannel-logout",
                        "backchannel_logout_session_required": True,
                        "grant_types": ["authorization_code"],
                        "response_types": ["code"],
                        "id_token_signed_response_alg": "ES256",
                        "scope": "openid profile roles",
                    }
                    for party in self.parties
                ),
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
            "resources": {api_audience(party): {"scope": ALL_SCOPES} for party in self.parties},
        }

    def start(self) -> OidcProvider:
        if not self.keys:
            self.keys = [new_signing_key("key-1")]
        wait_port_free("oidc-provider", self.issuer)
        config_path = self.workdir / "oidc-provider.json"
        # Holds the private keys and client secrets: the owner's only.
        config_path.touch(mode=0o600)
        config_path.write_text(json.dumps(self.config()))
        log = self.log_path.open("ab")
        extra_ca = {"NODE_EXTRA_CA_CERTS": str(self.ca_file)} if self.ca_file else {}
        self.process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
            [node_path(), str(SCRIPT), str(config_path)],
            cwd=ROOT,
            env={**os.environ, **extra_ca},
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,  # no provider left if devstack is killed
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


@contextlib.contextmanager
def running_stack_with_login(prefix: str) -> Iterator[tuple[Stack, OidcProvider]]:
    """A stack whose demo party logs its staff in at a provider of its own (a copy of the
    branding with the party's `oidc` section), and that provider."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    bff_port = free_port()
    branding = workdir / "branding"
    shutil.copytree(ROOT / "branding", branding)
    try:
        with running_oidc_provider([f"http://127.0.0.1:{bff_port}"], workdir) as idp:
            add_oidc_to_branding(branding, idp.issuer)
            env = {"BV_BRANDING_DIR": str(branding), SECRET_ENV: CLIENT_SECRET}
            with running_stack(bff_port=bff_port, extra_bff_env=env) as stack:
                yield stack, idp
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# `make run`: the demo parties that get a login at the provider (when in the branding folder
# and without an `oidc` section of their own).
DEMO_LOGIN_PARTIES = ("kobenhavn", "region-midt")


@dataclass
class DemoLogin:
    """`make run`'s provider, the branding folder the BFF reads (a copy with the demo
    parties' `oidc` sections) and the BFF's settings for it (that folder, client secrets)."""

    provider: OidcProvider
    branding: Path
    parties: tuple[str, ...]

    @property
    def bff_env(self) -> dict[str, str]:
        return {
            "BV_BRANDING_DIR": str(self.branding),
            **{secret_env(party): self.provider.client_secret for party in self.parties},
        }


def _private_folder(folder: Path) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def demo_signing_key(folder: Path) -> dict[str, Any]:
    """The provider's signing key for `make run`: made once into `folder` (0600) and reused,
    so a restart keeps the keys the BFF has fetched."""
    file = _private_folder(folder) / "signing-key.json"
    with contextlib.suppress(OSError, ValueError, KeyError):
        key = json.loads(file.read_text())
        ECKey.import_key(key)  # still a usable private key
        if key.get("d"):
            return dict(key)
    key = new_signing_key(f"demo-{secrets.token_hex(4)}")
    descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump(key, out)
    return key


def demo_branding(source: Path, target: Path, issuer: str) -> tuple[str, ...]:
    """A fresh copy of the branding folder `source` at `target` (the repository's folder is
    never changed) in which the demo parties log in at `issuer`; the parties that do."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    parties = tuple(
        party
        for party in DEMO_LOGIN_PARTIES
        if (target / party / "party.json").is_file()
        and "oidc" not in json.loads((target / party / "party.json").read_text())
    )
    add_oidc_to_branding(target, issuer, parties)
    return parties


@contextlib.contextmanager
def running_demo_login(
    *, port: int, bff_urls: list[str], data_dir: Path, branding: Path, ca_file: Path | None = None
) -> Iterator[DemoLogin]:
    """`make run`'s login: the provider on `port` (127.0.0.1) with the key kept under
    `data_dir/oidc/`, a client secret made per start, and `data_dir/branding/` (a copy of
    `branding`) for the BFF. `bff_urls`: where browsers reach the BFF, loopback first."""
    workdir = _private_folder(data_dir / "oidc")
    issuer = f"http://127.0.0.1:{port}"
    parties = demo_branding(branding, data_dir / "branding", issuer)
    provider = OidcProvider(
        port,
        bff_urls,
        workdir,
        keys=[demo_signing_key(workdir)],
        parties=parties,
        client_secret=secrets.token_urlsafe(32),
        test_hooks=False,
        ca_file=ca_file,
    ).start()
    try:
        yield DemoLogin(provider, data_dir / "branding", parties)
    finally:
        provider.stop()
