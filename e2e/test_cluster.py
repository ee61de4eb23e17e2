"""The call flow on a three-master Redis Cluster (Debian's redis-server on loopback ports),
two BFF instances behind the front: every key layout and multi-key step is cluster-safe.
And the BFF on a Sentinel-managed primary."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from playwright.sync_api import Browser, expect

from devstack.multi import MultiStack, running_multi_stack
from devstack.redis import RedisCluster, running_redis_sentinel
from devstack.stack import free_port, running_stack
from e2e.helpers import book_meeting, cancel_meeting
from e2e.test_instances import citizen_and_nurse_in_call, install_on_one_remove_on_the_other


@pytest.fixture(scope="module")
def stack() -> Iterator[MultiStack]:
    with running_multi_stack(instances=2, cluster=True) as running:
        yield running


def test_call_flow_on_a_redis_cluster(
    stack: MultiStack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    assert isinstance(stack.redis, RedisCluster)
    meeting_id, citizen, nurse = citizen_and_nurse_in_call(stack, citizen_browser, nurse_browser)
    expect(nurse.get_by_test_id("participant-item")).to_have_count(2, timeout=15_000)
    # The keys really are spread over the three masters.
    counts = [redis.Redis(port=master.port).dbsize() for master in stack.redis.masters]
    assert sum(1 for count in counts if count) >= 2, counts
    for index in (0, 1):
        ready = httpx.get(f"{stack.instance_url(index)}/readyz", timeout=5).json()
        assert ready["checks"]["redis"] == "ok"
    cancel_meeting(stack, meeting_id)
    expect(citizen.get_by_test_id("call-ended")).to_be_visible(timeout=15_000)
    citizen.context.close()
    nurse.context.close()


def test_plugin_catalogue_on_a_redis_cluster(stack: MultiStack, tmp_path: Path) -> None:
    """Installed plugins (one hash slot, Lua scripts) on the cluster, seen by both instances."""
    install_on_one_remove_on_the_other(stack, tmp_path)


def test_bff_on_a_sentinel_managed_primary(tmp_path: Path) -> None:
    """REDIS_URL=redis+sentinel://...: the BFF asks Sentinel for the primary and serves."""
    with contextlib.ExitStack() as running:
        sentinel = running.enter_context(
            running_redis_sentinel(tmp_path / "redis", free_port(), free_port())
        )
        env = {"REDIS_URL": sentinel.url, "BV_DATA_KEY": secrets.token_urlsafe(32)}
        stack = running.enter_context(running_stack(extra_bff_env=env))
        ready = httpx.get(f"{stack.bff_url}/readyz", timeout=5).json()
        assert ready["checks"]["redis"] == "ok", ready
        meeting = book_meeting(stack)
        assert httpx.get(meeting.guest_links[0], timeout=10).status_code == 200
        primary = redis.Redis(port=sentinel.primary.port)
        assert primary.dbsize() > 0, "the data went to the primary Sentinel named"
