"""Emulator settings, read from the environment once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class SettingsError(ValueError):
    """An environment variable holds a value the emulator cannot use."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _ca_file(env: Mapping[str, str]) -> Path | None:
    raw = env.get("EMU_BFF_CA_FILE")
    if not raw:
        return None
    if not Path(raw).is_file():
        raise SettingsError(f"EMU_BFF_CA_FILE: no such file: {raw}")
    return Path(raw)


@dataclass(frozen=True, slots=True)
class EmulatorSettings:
    host: str = "127.0.0.1"
    port: int = 8090
    vdx_token: str = "dev-vdx-token"  # noqa: S105 (public dev default)
    bff_url: str = "http://127.0.0.1:8080"
    # Where browsers reach the BFF (the staff launch redirect); empty: bff_url.
    bff_public_url: str = ""
    # A CA or self-signed certificate to trust when calling an https bff_url.
    bff_ca_file: Path | None = None
    alias_domain: str = "vdx.localhost"
    demo_party: str = "kobenhavn"
    demo_api_key: str = "demo-kobenhavn-key"
    eoj_key_file: Path = Path("emulator/demo_keys/eoj-demo-private.pem")
    eoj_kid: str = "nexus-demo-1"
    eoj_issuer: str = "https://eoj.demo.localhost"
    # Seconds a node token lives; participants not refreshed in time are dropped.
    token_ttl: int = 120
    # Seconds between SSE keepalive comments.
    sse_keepalive: int = 10

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> EmulatorSettings:
        env = os.environ if env is None else env
        d = cls()
        bff_url = (env.get("EMU_BFF_URL") or d.bff_url).rstrip("/")
        return cls(
            host=env.get("EMU_HOST") or d.host,
            port=_int(env, "EMU_PORT", d.port),
            vdx_token=env.get("EMU_VDX_TOKEN") or d.vdx_token,
            bff_url=bff_url,
            bff_public_url=(env.get("EMU_BFF_PUBLIC_URL") or bff_url).rstrip("/"),
            bff_ca_file=_ca_file(env),
            alias_domain=env.get("EMU_ALIAS_DOMAIN") or d.alias_domain,
            demo_party=env.get("EMU_DEMO_PARTY") or d.demo_party,
            demo_api_key=env.get("EMU_DEMO_API_KEY") or d.demo_api_key,
            eoj_key_file=Path(env.get("EMU_EOJ_KEY_FILE") or d.eoj_key_file),
            eoj_kid=env.get("EMU_EOJ_KID") or d.eoj_kid,
            eoj_issuer=env.get("EMU_EOJ_ISSUER") or d.eoj_issuer,
            token_ttl=_int(env, "EMU_TOKEN_TTL", d.token_ttl),
            sse_keepalive=_int(env, "EMU_SSE_KEEPALIVE", d.sse_keepalive),
        )
