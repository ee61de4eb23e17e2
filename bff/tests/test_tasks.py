"""Background tasks end when the app stops, even when a cancel is lost on the way."""

from __future__ import annotations

import asyncio
import contextlib

from bff.core.tasks import running, stop


async def stubborn(started: asyncio.Event) -> None:
    """Loses the first cancel, as a library awaited inside a loop once did."""
    started.set()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.sleep(60)
    await asyncio.sleep(60)


async def test_a_task_that_loses_a_cancel_is_still_stopped() -> None:
    started = asyncio.Event()
    task = asyncio.create_task(stubborn(started))
    await started.wait()
    await asyncio.wait_for(stop(task), timeout=10)
    assert task.cancelled()


async def test_running_stops_every_loop_when_the_block_ends() -> None:
    started = asyncio.Event()
    async with running(stubborn(started), asyncio.sleep(60)) as tasks:
        await started.wait()
        assert not any(task.done() for task in tasks)
    assert all(task.cancelled() for task in tasks)


async def test_a_loop_that_failed_is_collected_without_raising() -> None:
    async def fails() -> None:
        raise RuntimeError("boom")

    task = asyncio.create_task(fails())
    await asyncio.sleep(0)
    await stop(task)
    assert isinstance(task.exception(), RuntimeError)
