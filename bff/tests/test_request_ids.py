"""Request ids on every answer, log line and outbound call; the outbound calls' metrics."""

from __future__ import annotations

import json
import logging
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from prometheus_client import REGISTRY

from bff.ops.logs import JsonFormatter
from bff.ops.outbound import RequestIdLogFilter, calling, observed, operation_of
from bff.tests.conftest import booking
from bff.tests.test_integration import API, guest_session, request_token, room

Client = AsyncTestClient[Litestar]


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.setFormatter(JsonFormatter())
        self.addFilter(RequestIdLogFilter())  # as bff.ops.logs.configure_logging sets it up

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines() -> Iterator[Lines]:
    handler = Lines()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)  # as configure_logging sets it
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_answer_takes_a_well_formed_id_and_makes_one_otherwise(client: Client) -> None:
    given = "caddy-" + secrets.token_hex(8)
    assert (await client.get("/healthz", headers={"X-Request-ID": given})).headers[
        "x-request-id"
    ] == given
    made = (await client.get("/healthz")).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert made != (await client.get("/healthz")).headers["x-request-id"]
    for bad in ("short", "has spaces in it", "x" * 129, "semi;colon-abc"):
        answer = await client.get("/nowhere", headers={"X-Request-ID": bad})
        assert answer.status_code == 404 and re.fullmatch(
            r"[0-9a-f]{32}", answer.headers["x-request-id"]
        )


async def test_id_in_log_lines_and_calls_to_vdx_and_sms(
    client: Client, emulator_url: str, log_lines: Lines
) -> None:
    request_id = "rid-" + secrets.token_hex(8)
    phone = "+4522" + str(int(time.time() * 1000))[-6:]
    before_video = sample(
        "bv_dependency_request_duration_seconds_count",
        dependency="vdx-videoapi",
        operation="POST /videoapi/v2/meetings",
    )
    body = booking(guests=[{"display_name": "Borger Jensen", "phone": phone}])
    answer = await client.post(
        "/api/v1/meetings", json=body, headers=API | {"X-Request-ID": request_id}
    )
    assert answer.status_code == 201, answer.text
    assert answer.headers["x-request-id"] == request_id

    booked = [line for line in log_lines.lines if "meeting booked" in line]
    assert booked and all(json.loads(line)["request_id"] == request_id for line in booked)
    async with httpx.AsyncClient() as http:
        outbox = (await http.get(f"{emulator_url}/outbox", params={"to": phone})).json()
    assert [m["request_id"] for m in outbox] == [request_id]  # the SMS gateway saw it

    after_video = sample(
        "bv_dependency_request_duration_seconds_count",
        dependency="vdx-videoapi",
        operation="POST /videoapi/v2/meetings",
    )
    assert after_video == before_video + 1
    metrics = (await client.get("/metrics")).text
    assert 'bv_dependency_request_duration_seconds_count{dependency="vdx-smsapi"' in metrics


async def test_a_made_id_goes_to_the_conference_node(
    client: Client, app: Litestar, emulator_url: str
) -> None:
    meeting = await guest_session(client, app)
    joined = await request_token(client, meeting.alias)  # no X-Request-ID of its own
    assert joined.status_code == 200, joined.text
    made = joined.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    participants = (await room(emulator_url, meeting.alias))["participants"]
    assert [p["request_id"] for p in participants] == [made]


async def test_failed_calls_are_counted_by_kind() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/down":
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(503)

    labels = {"dependency": "identity-provider", "operation": "GET keys"}
    unreachable = sample("bv_dependency_errors_total", kind="unreachable", **labels)
    failing = sample("bv_dependency_errors_total", kind="5xx", **labels)
    async with httpx.AsyncClient(transport=observed(httpx.MockTransport(answer))) as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(
                "http://idp.test/down", extensions=calling("identity-provider", "GET keys")
            )
        await http.get("http://idp.test/up", extensions=calling("identity-provider", "GET keys"))
    assert sample("bv_dependency_errors_total", kind="unreachable", **labels) == unreachable + 1
    assert sample("bv_dependency_errors_total", kind="5xx", **labels) == failing + 1


def test_operation_names_hide_ids() -> None:
    request = httpx.Request("GET", "https://vdx.test/videoapi/meetings/3f2a9c1e-77aa-4c1b/x")
    assert operation_of(request) == "GET /videoapi/meetings/{id}/x"


def test_the_configured_log_lines_carry_the_request_id() -> None:
    """bff.ops.logs.configure_logging, as `python -m bff` sets it up, in a process of its own."""
    script = (
        "import logging\n"
        "from bff.ops.logs import configure_logging\n"
        "from bff.ops.outbound import REQUEST_ID\n"
        "configure_logging('json')\n"
        "logging.getLogger('bff.x').warning('outside')\n"
        "REQUEST_ID.set('rid-0123456789')\n"
        "logging.getLogger('bff.x').warning('inside')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    outside, inside = (json.loads(line) for line in done.stderr.splitlines())
    assert "request_id" not in outside
    assert inside["request_id"] == "rid-0123456789" and inside["msg"] == "inside"
