"""Two BFF instances on one real Redis (Debian's redis-server) behind a round-robin front, as
production runs them: the citizen on one instance and the nurse on the other, an instance
killed during a call, Redis restarted and Redis gone, the node gone, and rate limits that
every instance shares."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from devstack.multi import MultiStack, running_multi_stack
from devstack.stack import DEMO_ADMIN_KEY, DEMO_API_KEY, _start, free_port
from e2e.conftest import CITIZEN_COLOUR, NURSE_COLOUR
from e2e.helpers import (
    book_meeting,
    cancel_meeting,
    launch_token,
    launch_url,
    request_token_when_ready,
)
from e2e.plugin_host_support import build_fixtures
from e2e.test_citizen_call import PHONE as PHONE_ANY_LANGUAGE
from e2e.test_citizen_call import join, press_join, wait_for_colour
from e2e.test_plugin_catalogue import fixture_zip

PHONE = {**PHONE_ANY_LANGUAGE, "locale": "da-DK"}  # the texts checked here are Danish
TOKEN_TTL = 9  # seconds a node token lives (a real node: 120): refreshes every 3 s
GUESTS_ONLY_TIMEOUT = 2
LAUNCHES_PER_MINUTE = 8
# A client address as a load balancer reports it (X-Forwarded-For; a documentation address,
# never contacted): its own rate-limit buckets, apart from the browsers' 127.0.0.1.
OTHER_CLIENT = "203.0.113.7"


@pytest.fixture(scope="module")
def stack() -> Iterator[MultiStack]:
    with running_multi_stack(
        instances=2,
        appendfsync="always",  # every acknowledged write is on disk before the answer
        extra_bff_env={
            "BV_FORWARDED_ALLOW_IPS": "127.0.0.1",
            "BV_LAUNCH_PER_MINUTE": str(LAUNCHES_PER_MINUTE),
        },
        extra_emulator_env={
            "EMU_TOKEN_TTL": str(TOKEN_TTL),
            "EMU_GUESTS_ONLY_TIMEOUT": str(GUESTS_ONLY_TIMEOUT),
        },
    ) as running:
        yield running


def pinned(browser: Browser, instance: int, **options: Any) -> BrowserContext:
    """A browser whose every request (event streams too) the front sends to `instance`
    while it lives."""
    return browser.new_context(
        extra_http_headers={"X-Bv-Backend": str(instance)}, **{"locale": "da-DK", **options}
    )


def citizen_and_nurse_in_call(
    stack: MultiStack, citizen_browser: Browser, nurse_browser: Browser
) -> tuple[str, Page, Page]:
    meeting = book_meeting(stack)  # through the front: whichever instance
    citizen = pinned(citizen_browser, 0, **PHONE).new_page()
    citizen.goto(meeting.guest_links[0])
    press_join(citizen)
    nurse = pinned(nurse_browser, 1, viewport={"width": 1280, "height": 800}).new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id)))
    join(nurse)
    expect(citizen.get_by_test_id("in-call")).to_have_attribute(
        "data-role", "guest", timeout=20_000
    )
    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)
    return meeting.id, citizen, nurse


def test_citizen_on_one_instance_nurse_on_the_other(
    stack: MultiStack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    before = stack.front_stats()
    meeting_id, citizen, nurse = citizen_and_nurse_in_call(stack, citizen_browser, nurse_browser)
    expect(nurse.get_by_test_id("participant-item")).to_have_count(2, timeout=15_000)
    stats = stack.front_stats()
    assert set(stats["by_pin"]["0"]) == {"0"}, "the citizen's requests all went to instance 0"
    assert set(stats["by_pin"]["1"]) == {"1"}, "the nurse's requests all went to instance 1"
    assert stats["streams_by_pin"]["0"]["0"] >= 1 and stats["streams_by_pin"]["1"]["1"] >= 1
    assert stats["served"] != before["served"]

    cancel_meeting(stack, meeting_id)  # through the front, by the case system
    expect(citizen.get_by_test_id("call-ended")).to_be_visible(timeout=15_000)
    expect(nurse.get_by_test_id("call-ended")).to_be_visible(timeout=15_000)
    citizen.reload()  # the cancelled meeting's grant is gone on every instance
    expect(citizen.get_by_test_id("join-button")).to_have_count(0)
    citizen.context.close()
    nurse.context.close()


def test_one_session_alternating_instances_request_by_request(stack: MultiStack) -> None:
    """Redeem on one instance, request_token on the other, the event stream on the first,
    refresh on the second: no instance keeps anything the other needs."""
    meeting = book_meeting(stack)
    first, second = stack.instance_url(0), stack.instance_url(1)
    client = httpx.Client(timeout=10)
    token_path = meeting.guest_links[0].split("/j/", 1)[1]
    assert client.get(f"{first}/kobenhavn/j/{token_path}").status_code == 200
    shell = client.get(f"{second}/kobenhavn/")
    assert '"role":"guest"' in shell.text.replace(" ", "")
    alias = shell.text.split('"conferenceAlias":"', 1)[1].split('"', 1)[0]
    base = f"/api/client/v2/conferences/{alias}"
    answer = request_token_when_ready(
        client, f"{second}{base}/request_token", json={"display_name": "x"}
    )
    assert answer.status_code == 200, answer.text
    token = answer.json()["result"]["token"]
    with client.stream("GET", f"{first}{base}/events", params={"token": token}) as events:
        assert events.status_code == 200
        assert events.headers["content-type"].startswith("text/event-stream")
        refreshed = client.post(f"{second}{base}/refresh_token", headers={"token": token})
        assert refreshed.status_code == 200, refreshed.text
    new_token = refreshed.json()["result"]["token"]
    status = client.get(f"{first}{base}/conference_status", headers={"token": new_token})
    assert status.status_code == 200
    assert client.delete(f"{second}/api/session", headers={"Origin": second}).status_code == 204
    gone = client.get(f"{first}{base}/conference_status", headers={"token": new_token})
    assert gone.status_code == 403, "the ended session's token is refused on every instance"


def test_a_plugin_installed_on_one_instance_serves_from_the_other(
    stack: MultiStack, tmp_path: Path
) -> None:
    """The catalogue's installed plugins live in the shared Redis: an upload on one instance is
    served by the other at once, and a removal on the other is gone from the first."""
    install_on_one_remove_on_the_other(stack, tmp_path)


def install_on_one_remove_on_the_other(stack: MultiStack, tmp_path: Path) -> None:
    build_fixtures()
    first, second = stack.instance_url(0), stack.instance_url(1)
    admin = {"X-Admin-Key": DEMO_ADMIN_KEY}
    zipped = fixture_zip(tmp_path, "webapp3", "7.0.0").read_bytes()
    installed = httpx.post(
        f"{first}/api/v1/parties/kobenhavn/plugins/catalogue",
        content=zipped,
        headers=admin | {"Content-Type": "application/zip"},
        timeout=20,
    )
    assert installed.status_code == 201, installed.text
    files = "/plugin-files/bv-webapp3/7.0.0/index.html"
    served = httpx.get(f"{second}{files}", timeout=10)
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/html")
    removed = httpx.delete(
        f"{second}/api/v1/parties/kobenhavn/plugins/catalogue/bv-webapp3/7.0.0",
        headers=admin,
        timeout=10,
    )
    assert removed.status_code == 204, removed.text
    assert httpx.get(f"{first}{files}", timeout=10).status_code == 404


def test_instance_killed_during_a_call(
    stack: MultiStack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    """The citizen's instance dies: media goes on (it never passed the BFF), her next token
    refresh and her event stream go through the other instance, and her grant still holds."""
    _, citizen, nurse = citizen_and_nurse_in_call(stack, citizen_browser, nurse_browser)
    try:
        streams_before = stack.front_stats()["streams_by_pin"]["0"].get("1", 0)
        stack.kill_bff(0)
        # Longer than a node token lives: without refreshes through instance 1 the node
        # would have dropped her by now.
        time.sleep(TOKEN_TTL + 3)
        expect(citizen.get_by_test_id("in-call")).to_be_visible()
        expect(nurse.get_by_test_id("participant-item")).to_have_count(2)
        wait_for_colour(citizen, NURSE_COLOUR)  # media continues
        stats = stack.front_stats()
        assert stats["by_pin"]["0"].get("1", 0) > 0, "her requests moved to instance 1"
        assert stats["streams_by_pin"]["0"].get("1", 0) > streams_before, "and her stream"
        # An event only the stream brings: the nurse leaves, the node ends the call for her.
        nurse.get_by_test_id("leave-button").click()
        expect(citizen.get_by_test_id("call-ended")).to_be_visible(
            timeout=(GUESTS_ONLY_TIMEOUT + 10) * 1000
        )
        # Her grant survived the instance: reloading brings the preflight back.
        citizen.reload()
        expect(citizen.get_by_test_id("join-button")).to_be_visible()
    finally:
        stack.start_bff(0)
        citizen.context.close()
        nurse.context.close()


def _book(stack: MultiStack) -> httpx.Response:
    now = time.time()
    body = {
        "subject": "Genoptræning",
        "start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        "end": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 3600)),
        "guests": [{"display_name": "Borger"}],
    }
    return httpx.post(
        f"{stack.bff_url}/api/v1/meetings",
        json=body,
        headers={"X-API-Key": DEMO_API_KEY},
        timeout=10,
    )


def test_redis_killed_and_restarted_loses_no_acknowledged_write(stack: MultiStack) -> None:
    """Bookings and a session acknowledged before Redis crashed (SIGKILL, appendfsync
    always) are all there after it is back; while it is away the API answers 503."""
    acknowledged = []
    for _ in range(6):
        answer = _book(stack)
        assert answer.status_code == 201, answer.text
        acknowledged.append(answer.json())
    client = httpx.Client(timeout=10)
    assert client.get(acknowledged[0]["guests"][0]["link"]).status_code == 200

    stack.redis.kill()  # type: ignore[union-attr]
    during = _book(stack)
    assert during.status_code == 503 and during.headers["retry-after"].isdigit()
    stack.redis.start()  # type: ignore[union-attr]  # same port, same append-only file

    for booked in acknowledged:
        read = httpx.get(
            f"{stack.bff_url}/api/v1/meetings/{booked['id']}",
            headers={"X-API-Key": DEMO_API_KEY},
            timeout=10,
        )
        assert read.status_code == 200 and read.json()["status"] == "scheduled", read.text
    for booked in acknowledged[1:]:
        assert httpx.get(booked["guests"][0]["link"], timeout=10).status_code == 200
    shell = client.get(f"{stack.bff_url}/kobenhavn/")  # the session from before the crash
    assert '"role":"guest"' in shell.text.replace(" ", "")


def test_redis_unreachable_answers_503_and_recovers_without_restart(
    stack: MultiStack, citizen_browser: Browser
) -> None:
    meeting = book_meeting(stack)
    page = citizen_browser.new_context(**PHONE).new_page()
    stack.redis.stop()  # type: ignore[union-attr]
    try:
        api = _book(stack)
        assert api.status_code == 503
        assert int(api.headers["retry-after"]) > 0
        assert "temporarily unavailable" in api.json()["detail"]
        proxy = httpx.get(
            f"{stack.bff_url}/api/client/v2/conferences/x/conference_status",
            headers={"token": "t", "Cookie": "bv_session=s"},
            timeout=10,
        )
        assert proxy.status_code == 503 and proxy.headers["retry-after"]
        for index in (0, 1):
            ready = httpx.get(f"{stack.instance_url(index)}/readyz", timeout=5)
            assert ready.status_code == 503
            assert ready.json()["checks"]["redis"].startswith("unreachable")
            assert httpx.get(f"{stack.instance_url(index)}/livez", timeout=5).status_code == 200
        # The citizen taps her SMS link meanwhile: a Danish page that tries again by itself.
        response = page.goto(meeting.guest_links[0])
        assert response is not None and response.status == 503
        expect(page.get_by_test_id("error-title")).to_have_text(
            "Borgervideo er midlertidigt utilgængelig"
        )
        expect(page.get_by_test_id("error-hint")).to_contain_text("prøver selv igen")
    finally:
        stack.redis.start()  # type: ignore[union-attr]
    # Back without restarting any instance: her page reloads itself into the meeting.
    expect(page.get_by_test_id("self-view")).to_be_visible(timeout=20_000)
    assert _book(stack).status_code == 201
    for index in (0, 1):
        assert httpx.get(f"{stack.instance_url(index)}/readyz", timeout=5).status_code == 200
    page.context.close()


def test_node_unreachable_shows_a_clear_state(stack: MultiStack, citizen_browser: Browser) -> None:
    """A third instance whose conference node does not answer: the citizen gets a message
    and a retry button, not a spinner."""
    dead_node = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    port = free_port()
    env = stack.bffs[0].env | {"BV_PORT": str(port), "PEXIP_NODE_URL": dead_node}
    instance = _start("bff-dead-node", "bff", env, f"http://127.0.0.1:{port}", stack.workdir)
    try:
        meeting = book_meeting(stack)
        token = meeting.guest_links[0].split("/j/", 1)[1]
        page = citizen_browser.new_context(**PHONE).new_page()
        page.goto(f"{instance.url}/kobenhavn/j/{token}")
        press_join(page)
        error = page.get_by_test_id("connection-error")
        expect(error).to_be_visible(timeout=15_000)
        expect(error).to_contain_text("Vi kunne ikke forbinde dig")
        expect(page.get_by_test_id("retry-button")).to_be_visible()
        page.context.close()
    finally:
        instance.stop()


def test_rate_limits_are_shared_by_the_instances(stack: MultiStack) -> None:
    meeting = book_meeting(stack)
    token = meeting.guest_links[0].split("/j/", 1)[1]
    forwarded = {"X-Forwarded-For": OTHER_CLIENT}
    # One link, redeemed over and over, alternating instances: 10 a minute, then 429.
    answers = [
        httpx.get(f"{stack.instance_url(i % 2)}/kobenhavn/j/{token}", headers=forwarded)
        for i in range(11)
    ]
    assert [a.status_code for a in answers[:10]] == [200] * 10
    refused = answers[10]
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "For mange forsøg" in refused.text  # a Danish page for the citizen
    # Staff launches from one address: LAUNCHES_PER_MINUTE over both instances together.
    codes = [
        httpx.get(
            f"{stack.instance_url(i % 2)}/kobenhavn/launch?token=x", headers=forwarded
        ).status_code
        for i in range(LAUNCHES_PER_MINUTE + 1)
    ]
    assert codes == [401] * LAUNCHES_PER_MINUTE + [429]
    # Another address is not held back by that one.
    assert httpx.get(f"{stack.instance_url(0)}/kobenhavn/launch?token=x").status_code == 401
