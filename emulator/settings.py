"""Emulator settings, read from the environment once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.node.eventsink import SinkTarget, parse_sinks
from emulator.node.rooms import AllowListEntry


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


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _ca_file(env: Mapping[str, str]) -> Path | None:
    raw = env.get("EMU_BFF_CA_FILE")
    if not raw:
        return None
    if not Path(raw).is_file():
        raise SettingsError(f"EMU_BFF_CA_FILE: no such file: {raw}")
    return Path(raw)


def _sinks(env: Mapping[str, str]) -> tuple[SinkTarget, ...]:
    try:
        return parse_sinks(env.get("EMU_EVENT_SINKS", ""))
    except ValueError as exc:
        raise SettingsError(str(exc)) from exc


def _speed(env: Mapping[str, str]) -> float:
    raw = (env.get("EMU_CLOCK_SPEED") or "").strip()
    if not raw:
        return 1.0
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"EMU_CLOCK_SPEED must be a number, got {raw!r}") from exc
    if not 1 <= value <= 1000:
        raise SettingsError(f"EMU_CLOCK_SPEED must be 1..1000, got {value}")
    return value


def _seconds(env: Mapping[str, str], name: str) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return 0.0
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}") from exc
    if not 0 <= value <= 3600:
        raise SettingsError(f"{name} must be 0..3600 seconds, got {value}")
    return value


def _allow_list(env: Mapping[str, str]) -> tuple[AllowListEntry, ...]:
    entries = [e for e in env.get("EMU_BDPM_ALLOW_LIST", "").split(",") if e.strip()]
    try:
        return tuple(AllowListEntry.parse(entry) for entry in entries)
    except ValueError as exc:
        raise SettingsError(f"EMU_BDPM_ALLOW_LIST: {exc}") from exc


MTLS_FILES = ("EMU_VDX_MTLS_CERT", "EMU_VDX_MTLS_KEY", "EMU_VDX_MTLS_CLIENT_CA")


def _mtls(env: Mapping[str, str]) -> dict[str, Any]:
    """EMU_VDX_MTLS_PORT with its three files, or none of them."""
    if not env.get("EMU_VDX_MTLS_PORT"):
        return {}
    files: dict[str, object] = {}
    for name in MTLS_FILES:
        raw = env.get(name, "")
        if not raw or not Path(raw).is_file():
            raise SettingsError(f"{name}: must name a file with EMU_VDX_MTLS_PORT, got {raw!r}")
        files[name.removeprefix("EMU_").lower()] = Path(raw)
    return files | {"vdx_mtls_port": _int(env, "EMU_VDX_MTLS_PORT", 0)}


@dataclass(frozen=True, slots=True)
class EmulatorSettings:
    host: str = "127.0.0.1"
    port: int = 8090
    # VDX-API access: the Keycloak client (client-credentials grant) and the STS assertion
    # the certificate proxy's /token accepts; both public development values.
    vdx_client_id: str = "borgervideo"
    vdx_client_secret: str = "dev-vdx-secret"  # noqa: S105 (public dev default)
    vdx_sts_token: str = '<saml:Assertion ID="dev">emulator</saml:Assertion>'  # noqa: S105
    vdx_organisation: str = "demo-kommune"
    # The email and role claims the Keycloak client's JWTs carry (EMU_VDX_CLIENT_EMAIL set
    # empty: a client without the email mapper, which VideoAPI refuses).
    vdx_client_email: str = "borgervideo@demo-kommune.vdx.localhost"
    vdx_client_role: str = "meeting-user"
    # Seconds after creation before VDX's provisioning job makes a meeting's room (real VDX
    # provisions in a separate job; 0: in the create call's own round, as before).
    vdx_provision_delay: float = 0.0
    # The organisation's key for VDX's History API (X-API-KEY; organisation-v2 historyApiKey).
    vdx_history_api_key: str = "dev-history-key"
    # The certificate route (SmsAPI): a second listener on `vdx_mtls_port` that demands a
    # client certificate signed by `vdx_mtls_client_ca`, with this server certificate.
    vdx_mtls_port: int | None = None
    vdx_mtls_cert: Path | None = None
    vdx_mtls_key: Path | None = None
    vdx_mtls_client_ca: Path | None = None
    # Seconds a VDX access token lives (Keycloak's default is 300).
    vdx_token_lifetime: int = 300
    # Minutes before the start a room exists on the node (the scheduling template's
    # vMRAvailableBefore; MedCom's reference setup uses 15).
    vdx_available_before: int = 15
    # Seconds between rounds of VDX's deprovisioning job, which removes the room of every
    # meeting whose endTime has passed (EMU_VDX_DEPROVISION_INTERVAL; tests make it short).
    vdx_deprovision_interval: int = 10
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
    # Whether rooms allow direct media (peer to peer between two WebRTC participants) when
    # their creator does not say (VDX `directMedia` omitted). VDX's own default is `never`.
    direct_media: bool = False
    # Hosted rooms (Pexip's global settings of the same names): seconds guests may stay
    # after the last host left, and seconds a guest waits for a host (or admission).
    guests_only_timeout: int = 60
    waiting_for_chair_timeout: int = 900
    # PIN brute-force resistance (Pexip's Break-in Defense): more than this many wrong
    # PINs for one room within the window block new joins to that room for `bdpm_block`
    # seconds; addresses in `bdpm_trusted` are exempt (Pexip's allow list).
    bdpm_max_pin_failures: int = 20
    bdpm_window: int = 600
    bdpm_block: int = 600
    bdpm_trusted: frozenset[str] = frozenset()
    # By source address (Pexip's break-in defence also counts per address): wrong PINs, and
    # calls to unknown aliases (scanning), from one address within the window quarantine it.
    # The allow list (EMU_BDPM_ALLOW_LIST, `<address>[/<prefix>][=pins+aliases]`, comma
    # separated) exempts an address from the counts it names (go-infinity-sdk
    # break_in_allow_list_address_model.go `ignore_incorrect_pins`, `ignore_incorrect_aliases`).
    bdpm_max_address_pin_failures: int = 20
    bdpm_max_scan_attempts: int = 20
    bdpm_allow_list: tuple[AllowListEntry, ...] = ()
    # Event sinks (EMU_EVENT_SINKS: URLs with Basic credentials in the user part), how many
    # events one POST may carry (EMU_EVENT_SINK_BULK; 1: one object per POST, more: a JSON
    # array, Pexip's bulk support), and how much faster than real time the times in events
    # run (EMU_CLOCK_SPEED, tests only). See emulator/node/eventsink.py.
    event_sinks: tuple[SinkTarget, ...] = ()
    event_sink_bulk: int = 1
    clock_speed: float = 1.0
    # Where the emulated VDX keeps its meetings and SMS outbox across restarts (EMU_STATE_DIR;
    # `make run` sets .data/emulator); None: in memory only.
    state_dir: Path | None = None
    # Controls only tests may use (EMU_TEST_CONTROLS): cutting a participant's media path
    # (`POST /emulator/rooms/{alias}/participants/{uuid}/cut-media`).
    test_controls: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> EmulatorSettings:
        env = os.environ if env is None else env
        d = cls()
        bff_url = (env.get("EMU_BFF_URL") or d.bff_url).rstrip("/")
        return cls(
            host=env.get("EMU_HOST") or d.host,
            port=_int(env, "EMU_PORT", d.port),
            vdx_client_id=env.get("EMU_VDX_CLIENT_ID") or d.vdx_client_id,
            vdx_client_secret=env.get("EMU_VDX_CLIENT_SECRET") or d.vdx_client_secret,
            vdx_sts_token=env.get("EMU_VDX_STS_TOKEN") or d.vdx_sts_token,
            vdx_organisation=env.get("EMU_VDX_ORGANISATION") or d.vdx_organisation,
            vdx_client_email=env.get("EMU_VDX_CLIENT_EMAIL", d.vdx_client_email),
            vdx_client_role=env.get("EMU_VDX_CLIENT_ROLE") or d.vdx_client_role,
            vdx_provision_delay=_seconds(env, "EMU_VDX_PROVISION_DELAY"),
            vdx_history_api_key=env.get("EMU_VDX_HISTORY_API_KEY") or d.vdx_history_api_key,
            **_mtls(env),
            vdx_token_lifetime=_int(env, "EMU_VDX_TOKEN_LIFETIME", d.vdx_token_lifetime),
            vdx_available_before=_int(
                env, "EMU_VDX_AVAILABLE_BEFORE", d.vdx_available_before, minimum=0
            ),
            vdx_deprovision_interval=_int(
                env, "EMU_VDX_DEPROVISION_INTERVAL", d.vdx_deprovision_interval
            ),
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
            direct_media=_bool(env, "EMU_DIRECT_MEDIA", d.direct_media),
            guests_only_timeout=_int(
                env, "EMU_GUESTS_ONLY_TIMEOUT", d.guests_only_timeout, minimum=0
            ),
            waiting_for_chair_timeout=_int(
                env, "EMU_WAITING_FOR_CHAIR_TIMEOUT", d.waiting_for_chair_timeout, minimum=0
            ),
            bdpm_max_pin_failures=_int(env, "EMU_BDPM_MAX_PIN_FAILURES", d.bdpm_max_pin_failures),
            bdpm_window=_int(env, "EMU_BDPM_WINDOW", d.bdpm_window),
            bdpm_block=_int(env, "EMU_BDPM_BLOCK", d.bdpm_block),
            state_dir=Path(env["EMU_STATE_DIR"]) if env.get("EMU_STATE_DIR") else None,
            test_controls=_bool(env, "EMU_TEST_CONTROLS", d.test_controls),
            event_sinks=_sinks(env),
            event_sink_bulk=_int(env, "EMU_EVENT_SINK_BULK", d.event_sink_bulk),
            clock_speed=_speed(env),
            bdpm_max_address_pin_failures=_int(
                env, "EMU_BDPM_MAX_ADDRESS_PIN_FAILURES", d.bdpm_max_address_pin_failures
            ),
            bdpm_max_scan_attempts=_int(
                env, "EMU_BDPM_MAX_SCAN_ATTEMPTS", d.bdpm_max_scan_attempts
            ),
            bdpm_allow_list=_allow_list(env),
            bdpm_trusted=frozenset(
                a.strip() for a in env.get("EMU_BDPM_TRUSTED", "").split(",") if a.strip()
            ),
        )
