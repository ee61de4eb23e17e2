"""The emulated VDX keeps its meetings (and the SMS outbox) on disk when EMU_STATE_DIR is set,
so `make run` can be restarted without losing a sandbox user's booked meetings: on start the
meetings are read back and every provisioned one gets its room on the node again, as the
real VDX and its conference nodes would still have them. Participants are not kept (their
calls ended with the process).

The file holds PINs: it is written 0600 in a 0700 folder, and it is a development tool.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from emulator.vdx.outbox import Outbox, OutboxMessage
from emulator.vdx.videoapi import PROVISIONED_OK, Meeting, MeetingStore

log = logging.getLogger(__name__)
FILE_NAME = "vdx-state.json"
VERSION = 1
_TIMES = ("start", "end", "created", "provisioned", "updated")


def _meeting_json(meeting: Meeting) -> dict[str, Any]:
    data = asdict(meeting)
    for name in _TIMES:
        value = data.get(name)
        data[name] = value.isoformat() if isinstance(value, datetime) else None
    return data


def _meeting(data: dict[str, Any]) -> Meeting:
    for name in _TIMES:
        if data.get(name) is not None:
            data[name] = datetime.fromisoformat(data[name])
    return Meeting(**data)


class StateFile:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
        self.path = folder / FILE_NAME

    def save(self, meetings: MeetingStore, outbox: Outbox) -> None:
        """Atomically: a crash mid-write leaves the previous file."""
        state = {
            "version": VERSION,
            "meetings": [_meeting_json(m) for m in meetings.meetings.values()],
            "outbox": [asdict(m) for m in outbox.list()],
        }
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".vdx-state-")
        try:
            with os.fdopen(fd, "w") as out:
                json.dump(state, out)
            os.replace(temp, self.path)  # mkstemp made it 0600
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def restore(self, meetings: MeetingStore, outbox: Outbox, now: datetime) -> int:
        """Read the meetings back and re-provision the rooms they had; the count restored."""
        if not self.path.exists():
            return 0
        try:
            state = json.loads(self.path.read_text())
            loaded = [_meeting(m) for m in state.get("meetings", [])]
            messages = [OutboxMessage(**m) for m in state.get("outbox", [])]
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("ignoring unreadable %s: %s", self.path, exc)
            return 0
        for meeting in loaded:
            meetings.meetings[meeting.uuid] = meeting
            if meeting.provision_status == PROVISIONED_OK and now < meeting.end:
                meetings.reprovision(meeting)
        outbox.restore(messages)
        log.info("restored %d VDX meetings from %s", len(loaded), self.path)
        return len(loaded)
