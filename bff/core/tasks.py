"""Background tasks that end when asked.

One cancel is not always enough: a cancel can be lost inside a library the task is awaiting
(seen in the unit tests, about once in 60 app shutdowns: `StatsService.run_counter` marked
"cancelling" yet asleep in its next `asyncio.sleep`, after the cancel landed in a Redis call
that then returned normally), and the app's shutdown waited for it for ever. So a task is
cancelled again until it has ended, and a task that needed it is logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine
from typing import Any

RECANCEL_EVERY = 0.5
log = logging.getLogger("bff.tasks")


def _names(tasks: set[asyncio.Future[Any]]) -> str:
    names = (t.get_name() if isinstance(t, asyncio.Task) else repr(t) for t in tasks)
    return ", ".join(sorted(names))


async def stop(*tasks: asyncio.Future[Any]) -> None:
    """Cancel every task and wait until each has ended, cancelling again while one lives."""
    pending = {task for task in tasks if not task.done()}
    rounds = 0
    while pending:
        if rounds == 1:
            log.warning("background task needed another cancel: %s", _names(pending))
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=RECANCEL_EVERY)
        rounds += 1
    for task in tasks:  # collected, so none is reported as "exception never retrieved"
        if not task.cancelled():
            task.exception()


@contextlib.asynccontextmanager
async def running(*loops: Coroutine[Any, Any, Any]) -> AsyncIterator[list[asyncio.Task[Any]]]:
    """Run each coroutine as a task while the block runs; stop them all when it ends."""
    tasks = [asyncio.create_task(loop, name=getattr(loop, "__qualname__", None)) for loop in loops]
    try:
        yield tasks
    finally:
        await stop(*tasks)
