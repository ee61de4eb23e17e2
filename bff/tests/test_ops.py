"""Operations: REDIS_URL forms, readiness and liveness, metrics, JSON logs without secrets,
answers while Redis is away, OPTIONS, and an OpenAPI that tells what the server enforces."""

from __future__ import annotations

import json
import logging
import re

import pytest
import redis.asyncio as aioredis
from litestar import Litestar
from litestar.testing import AsyncTestClient
from redis.asyncio.cluster import RedisCluster

from bff.core import store
from bff.core.settings import SettingsError, load_settings
from bff.core.text import CPR_LIKE, SAFE_TEXT, UNSAFE_TEXT
from bff.ops.logs import JsonFormatter, redact
from bff.tests.conftest import KOBENHAVN_KEY, booking
from devstack.stack import free_port

Client = AsyncTestClient[Litestar]
API = {"X-API-Key": KOBENHAVN_KEY}
KEY = {"BV_DATA_KEY": "x" * 43}


@pytest.mark.parametrize(
    "url",
    [
        "redis://10.0.0.5:6379/0",
        "rediss://user:pw@redis.example:6380/1",
        "unix:///run/redis.sock",
        "redis+cluster://10.0.0.1:6379,10.0.0.2:6379",
        "rediss+cluster://10.0.0.1:6379",
        "redis+sentinel://10.0.0.1:26379,10.0.0.2:26379/bv-primary",
    ],
)
def test_redis_url_forms_are_accepted(url: str) -> None:
    assert load_settings({"REDIS_URL": url, **KEY}).data.redis_url == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("memcached://x", "must start with"),
        ("redis+sentinel://10.0.0.1:26379", "service-name"),
    ],
)
def test_bad_redis_urls_are_refused(url: str, reason: str) -> None:
    with pytest.raises(SettingsError, match=reason):
        load_settings({"REDIS_URL": url, **KEY})


def test_serving_settings_are_validated() -> None:
    settings = load_settings(
        {"BV_WORKERS": "4", "BV_LOG_FORMAT": "text", "REDIS_URL": "redis://r:6379/0", **KEY}
    )
    assert (settings.serving.workers, settings.serving.log_format) == (4, "text")
    for env in (
        {"BV_WORKERS": "0"},
        {"BV_WORKERS": "100"},
        {"BV_LOG_FORMAT": "xml"},
        {"BV_WORKERS": "2"},  # the embedded Redis belongs to one process
        {"BV_REDEEM_PER_MINUTE": "-1"},
    ):
        with pytest.raises(SettingsError):
            load_settings(env)


async def test_cluster_and_sentinel_clients_are_made_without_connecting() -> None:
    cluster = store.connect("redis+cluster://127.0.0.1:7000,127.0.0.1:7001")
    assert isinstance(cluster, RedisCluster) and store.is_cluster(cluster)
    primary = store.connect("redis+sentinel://127.0.0.1:26379/bv/2")
    assert isinstance(primary, aioredis.Redis)
    assert primary.connection_pool.connection_kwargs["db"] == 2
    await primary.aclose()


def test_logs_are_json_lines_without_secrets() -> None:
    record = logging.makeLogRecord(
        {
            "name": "bff.test",
            "levelno": logging.INFO,
            "levelname": "INFO",
            "msg": "GET /kobenhavn/j/AbCdEfGhIjKlMnOpQrStUv to +4512345678 pin=12345678 "
            "token=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.sig",
        }
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "info" and line["logger"] == "bff.test"
    for secret in ("AbCdEfGhIjKlMnOpQrStUv", "+4512345678", "12345678", "eyJhbGci"):
        assert secret not in line["msg"], line["msg"]
    assert redact('{"hostPin": 47110815}') == '{"hostPin": [masked]}'


def test_published_text_rule_is_the_enforced_one() -> None:
    pattern = re.compile(SAFE_TEXT)
    for text in (
        "Karen Jensen",
        "Ølse Å",
        "010190-1234",
        "x0101901234",
        " ",
        "a\tb",
        "a\u202eb",
        "12345-67890",
        "Opfølgning 2026",
    ):
        served = not (CPR_LIKE.search(text) or UNSAFE_TEXT.search(text) or not text.strip())
        assert bool(pattern.match(text)) == served, text


async def test_health_endpoints_say_what_they_checked(client: Client) -> None:
    live = await client.get("/livez")
    assert live.status_code == 200
    assert live.json()["checks"] == {"startup": "ok", "event_loop": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"redis": "ok", "webapp": "ok", "shutdown": "ok"}


async def test_metrics_name_routes_not_paths(client: Client) -> None:
    token = "AbCdEfGhIjKlMnOpQrStUvWx"
    assert (await client.get(f"/kobenhavn/j/{token}")).status_code == 404
    await client.get("/api/client/v2/conferences/x/conference_status")
    text = (await client.get("/metrics")).text
    assert 'route="/{party_id}/j/{token}",status="404"' in text
    assert token not in text
    assert "bv_sse_streams_active" in text and "bv_redis_errors_total" in text
    assert "bv_http_request_duration_seconds_bucket" in text


async def test_options_allow_lists_every_method_of_the_path(client: Client) -> None:
    answer = await client.options("/api/v1/meetings/" + "0" * 32, headers=API)
    assert answer.status_code == 204
    assert answer.headers["allow"] == "DELETE, GET, OPTIONS"


async def test_openapi_refuses_unknown_fields_as_the_server_does(client: Client) -> None:
    doc = (await client.get("/schema/openapi.json")).json()
    schemas = doc["components"]["schemas"]
    assert schemas["MeetingCreate"]["additionalProperties"] is False
    assert schemas["GuestInvite"]["additionalProperties"] is False
    assert schemas["GuestInvite"]["properties"]["display_name"]["pattern"] == SAFE_TEXT
    for struct in ("EnrolmentCreate", "DevicePatch"):  # a device's label: checked the same way
        assert schemas[struct]["properties"]["label"]["pattern"] == SAFE_TEXT, struct
    extra = await client.post("/api/v1/meetings", json=booking(note="x"), headers=API)
    assert extra.status_code == 400


async def test_openapi_names_if_match_on_every_write_that_requires_it(client: Client) -> None:
    doc = (await client.get("/schema/openapi.json")).json()
    needing = {
        op["operationId"]
        for item in doc["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
        and any(p["in"] == "header" and p["name"] == "If-Match" for p in op.get("parameters", []))
    }
    assert needing == {
        "UploadPartyBranding",
        "ActivatePartyBranding",
        "PutPartyPlugins",
        "RollbackPartyPlugins",
    }


async def test_a_cancelled_meeting_is_gone_from_the_api(client: Client) -> None:
    created = (await client.post("/api/v1/meetings", json=booking(), headers=API)).json()
    deleted = await client.delete(f"/api/v1/meetings/{created['id']}", headers=API)
    assert deleted.status_code == 204
    assert (await client.get(f"/api/v1/meetings/{created['id']}", headers=API)).status_code == 404


async def test_redis_away_answers_503_and_a_danish_page(app: Litestar, client: Client) -> None:
    working = app.state.redis
    nowhere = aioredis.Redis(port=free_port(), socket_connect_timeout=1, socket_timeout=1)
    app.state.redis = nowhere  # a real client to an address where no Redis listens
    try:
        api = await client.post("/api/v1/meetings", json=booking(), headers=API)
        assert api.status_code == 503 and api.headers["retry-after"] == "5"
        assert "temporarily unavailable" in api.json()["detail"]
        page = await client.get("/kobenhavn/j/AbCdEfGhIjKlMnOpQrStUvWx")
        assert page.status_code == 503 and page.headers["retry-after"] == "5"
        assert "midlertidigt utilgængelig" in page.text
        assert '<meta http-equiv="refresh" content="10">' in page.text
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["redis"].startswith("unreachable: ")
        assert (await client.get("/livez")).status_code == 200
        metrics = (await client.get("/metrics")).text
        assert re.search(r'bv_redis_errors_total\{kind="ConnectionError"\} [1-9]', metrics)
    finally:
        app.state.redis = working
        await nowhere.aclose()
    assert (await client.post("/api/v1/meetings", json=booking(), headers=API)).status_code == 201
