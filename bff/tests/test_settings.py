"""bff.core.settings: one struct per concern, each field read from the variable it names,
every refusal naming that variable and what it must be."""

from __future__ import annotations

import base64
from pathlib import Path

import msgspec
import msgspec.inspect as mi
import pytest

from bff.core.settings import (
    DEFAULTS,
    Settings,
    SettingsError,
    load_settings,
    value_of,
    variables,
)

KEY = "k" * 43  # 32 bytes, base64url


def test_each_field_is_read_from_exactly_one_variable() -> None:
    concerns = {f.name: f.type for f in msgspec.structs.fields(Settings) if f.name != "demo"}
    assert set(concerns) == {
        "serving",
        "data",
        "vdx",
        "identity",
        "statistics",
        "devices",
        "meetings",
        "plugins",
    }
    fields = {
        (name, field.name)
        for name, kind in concerns.items()
        for field in msgspec.structs.fields(kind)
    }
    read = {(v.concern, v.field) for v in variables().values() if v.concern}
    assert read == fields
    assert len(read) == len(variables()) - 1  # and BV_DEMO, Settings' own
    for concern in concerns.values():
        assert concern.__struct_config__.frozen


def test_an_empty_environment_gives_the_defaults() -> None:
    assert load_settings({}) == Settings() == DEFAULTS


def test_values_are_read_into_their_concerns(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "BV_PUBLIC_URL": "https://video.example.dk/",
            "REDIS_URL": "redis://r:6379/0",
            "BV_DATA_KEY": KEY,
            "BV_WORKERS": "4",
            "BV_LOG_FORMAT": "TEXT",
            "BV_WEBHOOK_ALLOW_HOSTS": "B.example, a.example,a.example",
            "BV_STATS_OBSERVE": "off",
            "BV_API_KEYS": "yes",
            "BV_PLUGINS_DIR": f"{tmp_path}:plugins",
            "BV_DEVICE_HEARTBEAT": "5",
            "BV_PLUGIN_ORIGIN": "https://Plugins.example.dk:8443/",
            "VDX_SCHEDULING_TEMPLATE_ID": "7",
            "BV_EVENT_SINK_NODES": f"node2:{'B' * 64} node1:{'a' * 64}",
            "BV_OVERRUN_STEP": "60",
        }
    )
    assert settings.serving.public_url == "https://video.example.dk"
    assert settings.serving.cookie_name == "__Host-bv_session"
    assert (settings.serving.workers, settings.serving.log_format) == (4, "text")
    assert settings.data.data_key == base64.urlsafe_b64decode(KEY + "=")
    assert settings.data.old_data_keys == ()
    assert settings.devices == type(settings.devices)(
        heartbeat=5, webhook_allow_hosts=("a.example", "b.example")
    )
    assert settings.statistics.observe is False
    assert settings.api_keys_on and not settings.admin_keys_on
    assert settings.plugins.dirs == (tmp_path, Path("plugins"))
    assert settings.plugins.origin == "https://plugins.example.dk:8443"
    assert settings.vdx.scheduling_template_id == 7
    assert settings.statistics.event_sink_nodes == (("node1", "a" * 64), ("node2", "b" * 64))
    assert settings.meetings.overrun_step == 60
    assert value_of(settings, "BV_OVERRUN_STEP") == 60


def _numbers() -> list[tuple[str, int | None]]:
    """(variable, its upper bound) of every whole-number setting."""
    found = []
    for name, variable in variables().items():
        info = variable.type
        for option in info.types if isinstance(info, mi.UnionType) else (info,):
            if isinstance(option, mi.IntType):
                found.append((name, option.le))
    return found


@pytest.mark.parametrize(("name", "most"), _numbers())
def test_every_number_names_its_variable_and_what_it_must_be(name: str, most: int | None) -> None:
    for raw in ["x", "0", "1.5", "-3", *([str(most + 1)] if most else [])]:
        with pytest.raises(SettingsError, match=rf"^{name}: must be ") as refused:
            settings = load_settings({name: raw})
            pytest.fail(f"{name}={raw} taken as {value_of(settings, name)!r}")
        assert str(refused.value).endswith(f", got {raw!r}"), refused.value


@pytest.mark.parametrize(
    "name", [name for name, v in variables().items() if "BoolType" in repr(v.type)]
)
def test_every_flag_takes_1_or_0_and_names_itself(name: str) -> None:
    with pytest.raises(SettingsError, match=rf"^{name}: must be 1 or 0, got 'maybe'$"):
        load_settings({name: "maybe"})
    assert value_of(load_settings({name: "0"}), name) is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BV_PUBLIC_URL": "video.example.dk"},
         "BV_PUBLIC_URL: must be an http:// or https:// URL, got 'video.example.dk'"),
        ({"BV_LOG_FORMAT": "xml"}, "BV_LOG_FORMAT: must be one of json, text, got 'xml'"),
        ({"VDX_SMS_API_ROUTE": "sms"},
         "VDX_SMS_API_ROUTE: must be certificate or gateway, got 'sms'"),
        ({"BV_WEBHOOK_ALLOW_HOSTS": "ok.example,not ok!"},
         "BV_WEBHOOK_ALLOW_HOSTS: host names separated by commas, got 'not ok!'"),
        ({"BV_STATS_STEERING_KEY_SHA256": "abc"},
         "BV_STATS_STEERING_KEY_SHA256: must be 64 hex digits (sha256), got 'abc'"),
        ({"BV_PLUGIN_ORIGIN": "https://p.example/path"}, "BV_PLUGIN_ORIGIN: must be an origin"),
        ({"BV_PLUGIN_PORT": "8080"}, "BV_PLUGIN_PORT: must differ from BV_PORT (8080)"),
        ({"BV_EVENT_SINK_NODES": "node1"}, "BV_EVENT_SINK_NODES: each entry is"),
        ({"BV_DATA_KEY": "short"}, "BV_DATA_KEY: must be 32 random bytes"),
        ({"REDIS_URL": "redis://r:6379"}, "BV_DATA_KEY: must be set when REDIS_URL is set"),
        ({"REDIS_URL": "http://r"}, "REDIS_URL: must start with"),
        ({"BV_WORKERS": "2"}, "BV_WORKERS: more than 1 needs REDIS_URL"),
        ({"BV_TLS_CERT": "cert.pem"}, "BV_TLS_KEY: must be set too"),
        ({"BV_TLS_CERT": "no-cert.pem", "BV_TLS_KEY": "no-key.pem"},
         "BV_TLS_CERT: no such file: no-cert.pem"),
        ({"BV_STAFF_IDLE_TIMEOUT": "40000"},
         "BV_STAFF_IDLE_TIMEOUT: must not exceed BV_STAFF_MAX_SESSION"),
        ({"VDX_HISTORY_API_URL": "https://h.example"}, "VDX_HISTORY_API_KEY: must be set too"),
        ({"BV_STATS_MIN_SECONDS": "5"}, "BV_STATS_MIN_SECONDS: a consultation is over 60"),
        ({"VDX_AUTH": "jwt"}, "VDX_AUTH: replaced by VDX_VIDEO_API_ROUTE"),
    ],
)  # fmt: skip
def test_bad_values_are_refused_naming_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(env)
    assert str(refused.value).startswith(message)


def test_blank_values_are_unset() -> None:
    blank = dict.fromkeys(variables(), "  ")
    assert load_settings(blank) == DEFAULTS
    assert load_settings({"BV_PLUGINS_DIR": ":"}).plugins.dirs == DEFAULTS.plugins.dirs
