"""Settings read from the environment once, validated, then passed in."""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import msgspec


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


VdxRoute = Literal["jwt", "certificate", "gateway"]
VDX_ROUTES: tuple[VdxRoute, ...] = ("jwt", "certificate", "gateway")
# The development stack's emulator (BV_DEMO only; production names every one of these).
EMULATOR_URL = "http://127.0.0.1:8090"
EMULATOR_TOKEN_URL = f"{EMULATOR_URL}/auth/realms/vdx/protocol/openid-connect/token"
EMULATOR_CLIENT_SECRET = "dev-vdx-secret"  # noqa: S105 (the emulator's public development client)


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = "http://127.0.0.1:8080"
    redis_url: str | None = None
    data_dir: Path = Path(".data")
    branding_dir: Path = Path("branding")
    webapp_dist: Path = Path("webapp/dist")
    # The node and VDX: empty unless set (load_settings fills the emulator's only with BV_DEMO;
    # `python -m bff` refuses to start without them: missing_live_settings).
    pexip_node_url: str = ""
    vdx_video_api_url: str = ""
    vdx_sms_api_url: str = ""
    # VDX-API access per service (bff.meetings.vdx_auth): jwt, certificate or gateway.
    vdx_video_api_route: VdxRoute = "jwt"
    vdx_sms_api_route: VdxRoute = "certificate"
    vdx_token_url: str = ""
    vdx_client_id: str = ""
    vdx_client_secret: str = ""
    # The certificate route: the organisation's client certificate and key (PEM), the CA to
    # trust for the service (empty: the system's), and the STS assertion file.
    vdx_sms_client_cert: Path | None = None
    vdx_sms_client_key: Path | None = None
    vdx_sms_ca_file: Path | None = None
    vdx_sts_token_file: Path | None = None
    # The scheduling template to book with (its vMRAvailableBefore sets when rooms exist).
    vdx_scheduling_template_id: int | None = None
    # HTTPS straight from uvicorn (e.g. `make run LAN=1`); both or neither.
    tls_cert: Path | None = None
    tls_key: Path | None = None
    # Production serving (bff.__main__, bff.ops): worker processes, log format, the load
    # balancers whose X-Forwarded-For is believed, per-address rate limits, shutdown grace.
    workers: int = 1
    log_format: Literal["json", "text"] = "json"
    forwarded_allow_ips: str = ""
    redeem_per_minute: int = 300
    launch_per_minute: int = 120
    shutdown_grace: int = 10
    metrics_token: str = ""
    # Host names a device webhook may reach over http or on a loopback, link-local or private
    # address (BV_WEBHOOK_ALLOW_HOSTS, comma-separated); every other webhook: https, public.
    webhook_allow_hosts: tuple[str, ...] = ()
    # AES-GCM key for names at rest; None: embedded mode keeps one in data_dir/data.key.
    data_key: bytes | None = None
    # BV_DATA_KEY's further keys during a rotation ("new,old"): still opened, never sealed with.
    old_data_keys: tuple[bytes, ...] = ()
    # The development stack (`make run`, tests, bench): party credentials marked "demo" count.
    demo: bool = False
    # SMS to one phone number per day, over every party (the number itself is not stored).
    sms_per_number_per_day: int = 5
    # The plugin catalogue: folders whose sub-folders hold a plugin.json (BV_PLUGINS_DIR, ':').
    plugins_dirs: tuple[Path, ...] = (Path("plugins"),)
    # Where plugin files are served from (scheme://host:port); None: the app's own origin.
    plugin_origin: str | None = None
    # A second port the BFF listens on (BV_PLUGIN_PORT), for a plugin origin on the app's own
    # host name (development: http://127.0.0.1:<it>, same-site with the app); None: one port.
    plugin_port: int | None = None
    # Statistics (bff.stats): the event sink's nodes (Basic user name -> sha256 hex of its
    # password), the steering group's key (sha256 hex), and when a conference is counted:
    # `stats_settle` s after its end, `stats_idle` s after any other event.
    event_sink_nodes: tuple[tuple[str, str], ...] = ()
    stats_steering_key_sha256: str | None = None
    stats_settle: int = 30
    stats_idle: int = 14400
    # The rule's "over a minute together" (seconds); only the development stack's tests lower
    # it (BV_STATS_MIN_SECONDS, with BV_DEMO), so a real call through the BFF counts in seconds.
    stats_min_seconds: int = 60
    # The BFF's own observation as a statistics source (bff.stats.observed; BV_STATS_OBSERVE,
    # default on): off where the event sink or the History API is to be the only one.
    stats_observe: bool = True
    # VDX's History API as a statistics source (bff.stats.history): its base (`/history/v1/
    # conference` appended), the organisation's X-API-KEY, and seconds between reads.
    vdx_history_api_url: str = ""
    vdx_history_api_key: str = ""
    stats_history_interval: int = 300
    # Devices (bff.devices): seconds between a device's heartbeats (3 missed: offline).
    device_heartbeat: int = 15
    # The webapp's reconnection: seconds of lost connection after which "Prøv igen" is offered
    # beside the automatic retries (BV_RECONNECT_LONG_OUTAGE; tests make it short).
    reconnect_long_outage: int = 30
    # Running over (bff.meetings.overrun): while someone is in the call and its end is this
    # near (seconds), the end moves this much further (tests make both short).
    overrun_lead: int = 300
    overrun_step: int = 900
    # Identity (bff.auth): static keys are options, on by default only in the development
    # stack (None: as `demo`): X-API-Key (Meetings, devices, statistics) and X-Admin-Key.
    api_keys: bool | None = None
    admin_keys: bool | None = None
    # Staff login sessions: idle and absolute timeouts (seconds); JWKS refetch on an
    # unknown kid at most once per `jwks_min_refresh` seconds per issuer.
    staff_idle_timeout: int = 1800
    staff_max_session: int = 36000
    jwks_min_refresh: int = 60

    @property
    def api_keys_on(self) -> bool:
        return self.demo if self.api_keys is None else self.api_keys

    @property
    def admin_keys_on(self) -> bool:
        return self.demo if self.admin_keys is None else self.admin_keys

    @property
    def staff_cookie_name(self) -> str:
        """The staff login's own cookie (a meeting's join cookie is another)."""
        return "__Host-bv_staff" if self.secure_cookies else "bv_staff"

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def cookie_name(self) -> str:
        """`__Host-` binds the cookie to this exact origin over https (no Domain, Path=/)."""
        return "__Host-bv_session" if self.secure_cookies else "bv_session"


DEFAULTS = Settings()  # every default, written once: in the struct above


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, default).strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise SettingsError(f"{name}: must be an http:// or https:// URL, got {value!r}")
    return value


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, str(default))
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(f"{name}: must be a TCP port number 1..65535, got {raw!r}")
    return int(raw)


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, str(default)).strip()
    if not raw.isdigit() or not 0 < int(raw) <= 100_000:
        raise SettingsError(f"{name}: must be a whole number 1..100000, got {raw!r}")
    return int(raw)


def _plugin_origin(env: Mapping[str, str]) -> str | None:
    raw = env.get("BV_PLUGIN_ORIGIN", "").strip().rstrip("/")
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise SettingsError(
            f"BV_PLUGIN_ORIGIN: must be an origin like https://plugins.example:443, got {raw!r}"
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


def _plugin_port(env: Mapping[str, str]) -> int | None:
    if not env.get("BV_PLUGIN_PORT", "").strip():
        return None
    port = _port(env, "BV_PLUGIN_PORT", 0)
    if port == _port(env, "BV_PORT", DEFAULTS.port):
        raise SettingsError(f"BV_PLUGIN_PORT: must differ from BV_PORT ({port})")
    return port


def _plugins_dirs(env: Mapping[str, str]) -> tuple[Path, ...]:
    raw = env.get("BV_PLUGINS_DIR", "")
    dirs = tuple(Path(part) for part in raw.split(":") if part.strip())
    return dirs or DEFAULTS.plugins_dirs


def _redis_url(env: Mapping[str, str]) -> str | None:
    value = env.get("REDIS_URL", "").strip()
    if not value:
        return None
    if not value.startswith(REDIS_SCHEMES):
        raise SettingsError(
            "REDIS_URL: must start with redis://, rediss://, unix:// (one Redis), "
            "redis+cluster:// or rediss+cluster:// (a Redis Cluster: host:port,host:port...), "
            "redis+sentinel:// or rediss+sentinel:// (host:port,.../<service-name>)"
        )
    sentinel = value.startswith(("redis+sentinel://", "rediss+sentinel://"))
    if sentinel and not value.split("://", 1)[1].partition("/")[2].strip("/"):
        raise SettingsError("REDIS_URL: redis+sentinel:// needs /<service-name> after the hosts")
    return value


REDIS_SCHEMES = (
    "redis://", "rediss://", "unix://", "redis+cluster://", "rediss+cluster://",
    "redis+sentinel://", "rediss+sentinel://",
)  # fmt: skip


def _serving(env: Mapping[str, str]) -> dict[str, Any]:
    """How `python -m bff` serves: BV_WORKERS, BV_LOG_FORMAT, BV_FORWARDED_ALLOW_IPS,
    BV_REDEEM_PER_MINUTE, BV_LAUNCH_PER_MINUTE, BV_SHUTDOWN_GRACE, BV_METRICS_TOKEN,
    BV_WEBHOOK_ALLOW_HOSTS."""
    log_format = env.get("BV_LOG_FORMAT", DEFAULTS.log_format).strip().lower()
    if log_format not in ("json", "text"):
        raise SettingsError(f"BV_LOG_FORMAT: must be json or text, got {log_format!r}")
    workers = _count(env, "BV_WORKERS", DEFAULTS.workers)
    if workers > 64:
        raise SettingsError(f"BV_WORKERS: at most 64, got {workers}")
    if workers > 1 and not env.get("REDIS_URL", "").strip():
        raise SettingsError(
            "BV_WORKERS: more than 1 needs REDIS_URL (the embedded Redis belongs to one process)"
        )
    return {
        "workers": workers,
        "log_format": log_format,
        "forwarded_allow_ips": env.get("BV_FORWARDED_ALLOW_IPS", "").strip(),
        "redeem_per_minute": _count(env, "BV_REDEEM_PER_MINUTE", DEFAULTS.redeem_per_minute),
        "launch_per_minute": _count(env, "BV_LAUNCH_PER_MINUTE", DEFAULTS.launch_per_minute),
        "shutdown_grace": _count(env, "BV_SHUTDOWN_GRACE", DEFAULTS.shutdown_grace),
        "metrics_token": env.get("BV_METRICS_TOKEN", "").strip(),
        "webhook_allow_hosts": _host_names(env, "BV_WEBHOOK_ALLOW_HOSTS"),
    }


def _host_names(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    found = {h.strip().lower() for h in env.get(name, "").split(",") if h.strip()}
    for host in found:
        if not re.fullmatch(r"[a-z0-9.\-]{1,253}|\[[0-9a-f:.]{2,45}\]", host):
            raise SettingsError(f"{name}: host names separated by commas, got {host[:80]!r}")
    return tuple(sorted(found))


SINK_NODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# sha256 of "demo-steering-key", the development stack's steering-group key (devstack):
# honoured only with BV_DEMO.
DEMO_STEERING_KEY_SHA256 = "c50b30bad50054296095dd30d6eb0b5856e689120e9dded4f741f6cd322e6a6a"


def _statistics(env: Mapping[str, str]) -> dict[str, Any]:
    """BV_EVENT_SINK_NODES (`node:sha256hex,...`), BV_STATS_STEERING_KEY_SHA256,
    BV_STATS_SETTLE, BV_STATS_IDLE, BV_STATS_MIN_SECONDS, BV_STATS_OBSERVE,
    VDX_HISTORY_API_URL/KEY."""
    nodes: dict[str, str] = {}
    for entry in env.get("BV_EVENT_SINK_NODES", "").replace(" ", ",").split(","):
        if not entry.strip():
            continue
        name, _, digest = entry.strip().rpartition(":")
        if not SINK_NODE.match(name) or not SHA256_HEX.match(digest.lower()):
            raise SettingsError(
                "BV_EVENT_SINK_NODES: each entry is <node>:<sha256 hex of its password> "
                f"(node: letters, digits, . _ -), got {entry.strip()[:80]!r}"
            )
        if name in nodes:
            raise SettingsError(f"BV_EVENT_SINK_NODES: node {name!r} given twice")
        nodes[name] = digest.lower()
    steering = env.get("BV_STATS_STEERING_KEY_SHA256", "").strip().lower() or None
    if steering is not None and not SHA256_HEX.match(steering):
        raise SettingsError("BV_STATS_STEERING_KEY_SHA256: must be 64 hex digits (sha256)")
    if steering == DEMO_STEERING_KEY_SHA256 and not _flag(env, "BV_DEMO"):
        raise SettingsError(
            "BV_STATS_STEERING_KEY_SHA256: the development stack's public demo key; "
            "make a fresh one (python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    min_seconds = _count(env, "BV_STATS_MIN_SECONDS", DEFAULTS.stats_min_seconds)
    if min_seconds != DEFAULTS.stats_min_seconds and not _flag(env, "BV_DEMO"):
        raise SettingsError(
            "BV_STATS_MIN_SECONDS: a consultation is over 60 seconds together; another value is "
            "for the development stack's tests only (BV_DEMO)"
        )
    history_url = env.get("VDX_HISTORY_API_URL", "").strip()
    history_key = env.get("VDX_HISTORY_API_KEY", "").strip()
    if bool(history_url) != bool(history_key):
        missing = "VDX_HISTORY_API_KEY" if history_url else "VDX_HISTORY_API_URL"
        raise SettingsError(
            f"{missing}: must be set too (the History API's base and key go together)"
        )
    return {
        "vdx_history_api_url": _url(env, "VDX_HISTORY_API_URL", "") if history_url else "",
        "vdx_history_api_key": history_key,
        "stats_history_interval": _count(
            env, "BV_STATS_HISTORY_INTERVAL", DEFAULTS.stats_history_interval
        ),
        "event_sink_nodes": tuple(sorted(nodes.items())),
        "stats_steering_key_sha256": steering,
        "stats_settle": _count(env, "BV_STATS_SETTLE", DEFAULTS.stats_settle),
        "stats_idle": _count(env, "BV_STATS_IDLE", DEFAULTS.stats_idle),
        "stats_min_seconds": min_seconds,
        "stats_observe": _flag(env, "BV_STATS_OBSERVE")
        if env.get("BV_STATS_OBSERVE", "").strip()
        else DEFAULTS.stats_observe,
    }


def _tls_files(env: Mapping[str, str]) -> tuple[Path | None, Path | None]:
    cert = env.get("BV_TLS_CERT", "").strip()
    key = env.get("BV_TLS_KEY", "").strip()
    if bool(cert) != bool(key):
        missing = "BV_TLS_KEY" if cert else "BV_TLS_CERT"
        raise SettingsError(f"{missing}: must be set too (BV_TLS_CERT and BV_TLS_KEY go together)")
    if not cert:
        return None, None
    for name, value in (("BV_TLS_CERT", cert), ("BV_TLS_KEY", key)):
        if not Path(value).is_file():
            raise SettingsError(f"{name}: no such file: {value}")
    return Path(cert), Path(key)


def parse_data_key(raw: str, source: str) -> bytes:
    """32 bytes, base64url (padding optional); the message names where it came from."""
    text = raw.strip()
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise SettingsError(
            f"{source}: must be 32 random bytes, base64url "
            "(python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return key


def parse_data_keys(raw: str, source: str) -> tuple[bytes, ...]:
    """A key ring: keys separated by commas, the first seals, every one opens."""
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not parts:
        raise SettingsError(f"{source}: no key")
    keys = tuple(
        parse_data_key(part, f"{source} (key {n})" if len(parts) > 1 else source)
        for n, part in enumerate(parts, 1)
    )
    if len(set(keys)) != len(keys):
        raise SettingsError(f"{source}: the same key twice")
    return keys


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name}: must be 1 or 0, got {raw!r}")


def _optional_flag(env: Mapping[str, str], name: str) -> bool | None:
    return _flag(env, name) if env.get(name, "").strip() else None


def _identity(env: Mapping[str, str]) -> dict[str, Any]:
    """BV_API_KEYS, BV_ADMIN_KEYS (unset: on only with BV_DEMO), BV_STAFF_IDLE_TIMEOUT,
    BV_STAFF_MAX_SESSION, BV_JWKS_MIN_REFRESH."""
    idle = _count(env, "BV_STAFF_IDLE_TIMEOUT", DEFAULTS.staff_idle_timeout)
    longest = _count(env, "BV_STAFF_MAX_SESSION", DEFAULTS.staff_max_session)
    if idle > longest:
        raise SettingsError("BV_STAFF_IDLE_TIMEOUT: must not exceed BV_STAFF_MAX_SESSION")
    return {
        "api_keys": _optional_flag(env, "BV_API_KEYS"),
        "admin_keys": _optional_flag(env, "BV_ADMIN_KEYS"),
        "staff_idle_timeout": idle,
        "staff_max_session": longest,
        "jwks_min_refresh": _count(env, "BV_JWKS_MIN_REFRESH", DEFAULTS.jwks_min_refresh),
    }


def _data_keys(env: Mapping[str, str], redis_url: str | None) -> dict[str, Any]:
    """data_key and old_data_keys from BV_DATA_KEY ("key" or, rotating, "new,old")."""
    raw = env.get("BV_DATA_KEY", "").strip()
    if raw:
        first, *older = parse_data_keys(raw, "BV_DATA_KEY")
        return {"data_key": first, "old_data_keys": tuple(older)}
    if redis_url:
        raise SettingsError(
            "BV_DATA_KEY: must be set when REDIS_URL is set "
            "(every BFF instance on that Redis needs the same key)"
        )
    return {"data_key": None}


def resolve_data_key(settings: Settings) -> bytes:
    """The data key: BV_DATA_KEY, or (embedded Redis only) data_dir/data.key, made once."""
    if settings.data_key is not None:
        return settings.data_key
    if settings.redis_url:
        raise SettingsError("BV_DATA_KEY: must be set when REDIS_URL is set")
    # Beside the Redis folder (data_dir/redis), not in it: a copy of the Redis files alone
    # opens nothing. The folder is 0700, the file 0600.
    path = settings.data_dir / "data.key"
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(settings.data_dir, 0o700)
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            return parse_data_key(path.read_text(), str(path))
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32) + "\n")
    return parse_data_key(path.read_text(), str(path))


# --- VDX-API access ---------------------------------------------------------------------


def _required(env: Mapping[str, str], name: str, why: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise SettingsError(f"{name}: must be set {why}")
    return value


def _file(env: Mapping[str, str], name: str, why: str) -> Path:
    path = Path(_required(env, name, why))
    if not path.is_file():
        raise SettingsError(f"{name}: no such file: {path}")
    return path


def _template_id(env: Mapping[str, str]) -> int | None:
    raw = env.get("VDX_SCHEDULING_TEMPLATE_ID", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"VDX_SCHEDULING_TEMPLATE_ID: must be a positive integer, got {raw!r}")
    return int(raw)


# Which routes each service takes, from the sources: VideoAPI v2 only a Keycloak JWT
# (medcom-video-api SecurityConfiguration.java); SmsAPI the certificate route
# (medcom-vdx-healthcheck SmsClientImpl.java). `gateway` for either.
ROUTES_OF: dict[str, tuple[VdxRoute, ...]] = {
    "VDX_VIDEO_API_ROUTE": ("jwt", "gateway"),
    "VDX_SMS_API_ROUTE": ("certificate", "gateway"),
}
WHY_NOT = {
    "VDX_VIDEO_API_ROUTE": "VideoAPI v2 takes only a Keycloak JWT "
    "(medcom-video-api configuration/SecurityConfiguration.java)",
    "VDX_SMS_API_ROUTE": "MedCom's SmsAPI is reached by the certificate route "
    "(medcom-vdx-healthcheck client/sms/SmsClientImpl.java); no source shows it taking a JWT",
}


def _route(env: Mapping[str, str], name: str) -> VdxRoute:
    allowed = ROUTES_OF[name]
    raw = env.get(name, "").strip() or allowed[0]
    if raw not in VDX_ROUTES:
        raise SettingsError(f"{name}: must be one of {', '.join(allowed)}, got {raw!r}")
    if raw not in allowed:
        raise SettingsError(
            f"{name}: {raw} is not offered: {WHY_NOT[name]}; use {' or '.join(allowed)}"
        )
    return raw


def _vdx_access(env: Mapping[str, str], demo: bool) -> dict[str, Any]:
    """VDX_VIDEO_API_ROUTE and VDX_SMS_API_ROUTE, and what each route needs: checked when
    given (a partial set names what is missing); when not given, `missing_live_settings`
    stops `python -m bff`. Only with BV_DEMO do unset URLs and the Keycloak client default to
    the emulator's."""
    if env.get("VDX_AUTH", "").strip():
        raise SettingsError(
            "VDX_AUTH: replaced by VDX_VIDEO_API_ROUTE (jwt or gateway) and VDX_SMS_API_ROUTE "
            "(certificate or gateway); see the README's 'Going live on VDX'"
        )
    video, sms = _route(env, "VDX_VIDEO_API_ROUTE"), _route(env, "VDX_SMS_API_ROUTE")
    access: dict[str, Any] = {
        "vdx_video_api_route": video,
        "vdx_sms_api_route": sms,
        "vdx_scheduling_template_id": _template_id(env),
    }
    for name, key, demo_default in (
        ("PEXIP_NODE_URL", "pexip_node_url", EMULATOR_URL),
        ("VDX_VIDEO_API_URL", "vdx_video_api_url", f"{EMULATOR_URL}/videoapi"),
        ("VDX_SMS_API_URL", "vdx_sms_api_url", f"{EMULATOR_URL}/smsapi"),
        ("VDX_TOKEN_URL", "vdx_token_url", EMULATOR_TOKEN_URL),
    ):
        if env.get(name, "").strip() or demo:
            access[key] = _url(env, name, demo_default)
    if video == "jwt" and env.get("VDX_TOKEN_URL", "").strip():
        why = "with VDX_TOKEN_URL (MedCom's Keycloak client for VideoAPI)"
        access["vdx_client_id"] = _required(env, "VDX_CLIENT_ID", why)
        access["vdx_client_secret"] = _required(env, "VDX_CLIENT_SECRET", why)
    elif video == "jwt" and demo:  # the emulator's realm and its public development client
        access |= {"vdx_client_id": "borgervideo", "vdx_client_secret": EMULATOR_CLIENT_SECRET}
    if sms == "certificate" and any(env.get(n, "").strip() for n, _ in CERTIFICATE_FILES):
        why = "for VDX_SMS_API_ROUTE=certificate"
        access |= {key: _file(env, name, why) for name, key in CERTIFICATE_FILES}
        ca = env.get("VDX_SMS_CA_FILE", "").strip()
        access["vdx_sms_ca_file"] = _file(env, "VDX_SMS_CA_FILE", why) if ca else None
    return access


CERTIFICATE_FILES = (
    ("VDX_SMS_CLIENT_CERT", "vdx_sms_client_cert"),
    ("VDX_SMS_CLIENT_KEY", "vdx_sms_client_key"),
    ("VDX_STS_TOKEN_FILE", "vdx_sts_token_file"),
)
JWT_SETTINGS = (
    ("VDX_TOKEN_URL", "vdx_token_url"),
    ("VDX_CLIENT_ID", "vdx_client_id"),
    ("VDX_CLIENT_SECRET", "vdx_client_secret"),
)
LIVE_SETTINGS = (
    ("PEXIP_NODE_URL", "pexip_node_url"),
    ("VDX_VIDEO_API_URL", "vdx_video_api_url"),
    ("VDX_SMS_API_URL", "vdx_sms_api_url"),
)


def missing_live_settings(settings: Settings) -> list[str]:
    """The variables `python -m bff` needs and does not have: the node, VDX's services and
    each route's credentials. Nothing defaults to the emulator outside BV_DEMO."""
    needed = list(LIVE_SETTINGS)
    if settings.vdx_video_api_route == "jwt":
        needed += JWT_SETTINGS
    if settings.vdx_sms_api_route == "certificate":
        needed += CERTIFICATE_FILES
    return [name for name, key in needed if not getattr(settings, key)]


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    tls_cert, tls_key = _tls_files(env)
    redis_url = _redis_url(env)
    return Settings(
        host=env.get("BV_HOST", DEFAULTS.host),
        port=_port(env, "BV_PORT", DEFAULTS.port),
        public_url=_url(env, "BV_PUBLIC_URL", DEFAULTS.public_url),
        redis_url=redis_url,
        data_dir=Path(env.get("BV_DATA_DIR", DEFAULTS.data_dir)),
        branding_dir=Path(env.get("BV_BRANDING_DIR", DEFAULTS.branding_dir)),
        webapp_dist=Path(env.get("BV_WEBAPP_DIST", DEFAULTS.webapp_dist)),
        **_vdx_access(env, _flag(env, "BV_DEMO")),
        tls_cert=tls_cert,
        tls_key=tls_key,
        **_serving(env),
        **_data_keys(env, redis_url),
        demo=_flag(env, "BV_DEMO"),
        sms_per_number_per_day=_count(
            env, "BV_SMS_PER_NUMBER_PER_DAY", DEFAULTS.sms_per_number_per_day
        ),
        plugins_dirs=_plugins_dirs(env),
        plugin_origin=_plugin_origin(env),
        plugin_port=_plugin_port(env),
        **_statistics(env),
        device_heartbeat=_count(env, "BV_DEVICE_HEARTBEAT", DEFAULTS.device_heartbeat),
        reconnect_long_outage=_count(
            env, "BV_RECONNECT_LONG_OUTAGE", DEFAULTS.reconnect_long_outage
        ),
        overrun_lead=_count(env, "BV_OVERRUN_LEAD", DEFAULTS.overrun_lead),
        overrun_step=_count(env, "BV_OVERRUN_STEP", DEFAULTS.overrun_step),
        **_identity(env),
    )
