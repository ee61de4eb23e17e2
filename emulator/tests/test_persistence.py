"""EMU_STATE_DIR: the emulated VDX keeps its meetings across a restart and gives provisioned
meetings their rooms back, so links booked before a `make run` restart keep working."""

from __future__ import annotations

import stat
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from devstack.stack import vdx_certificate_route
from emulator.tests.conftest import _start
from emulator.tests.helpers import auth, book, join, rooms, scheduling_info, sms_session


def test_meetings_and_rooms_survive_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state"
    later = datetime.now(UTC) + timedelta(days=2)
    (tmp_path / "run1").mkdir()
    (tmp_path / "run2").mkdir()
    route = vdx_certificate_route(tmp_path / "pki")
    runs = _start(tmp_path / "run1", EMU_STATE_DIR=str(state), **route.emulator_env())
    base = next(runs)
    with_room = book(base)
    awaiting = httpx.post(
        f"{base}/videoapi/v2/meetings",
        json={
            "subject": "Senere",
            "startTime": later.isoformat(timespec="seconds"),
            "endTime": (later + timedelta(hours=1)).isoformat(timespec="seconds"),
        },
        headers=auth(base),
    ).json()["uuid"]
    with closing(sms_session(route)) as client:
        sms = client.post(
            f"/v1/meeting/{with_room.uuid}",
            json={"message": "Link: http://x/j/abc", "to": "+4512345678"},
        )
    assert sms.status_code == 201, sms.text
    runs.close()  # the emulator stops

    assert stat.S_IMODE((state / "vdx-state.json").stat().st_mode) == 0o600
    runs = _start(tmp_path / "run2", EMU_STATE_DIR=str(state))
    base = next(runs)
    try:
        info = scheduling_info(base, with_room.uuid)
        assert info["provisionStatus"] == "PROVISIONED_OK"
        assert info["uriWithDomain"] == with_room.alias
        assert with_room.alias in rooms(base), "the provisioned meeting's room is back"
        assert join(base, with_room.alias, with_room.host_pin).role == "HOST"
        assert scheduling_info(base, awaiting)["provisionStatus"] == "AWAITS_PROVISION"
        outbox = httpx.get(f"{base}/outbox", params={"to": "+4512345678"}).json()
        assert [m["meeting_uuid"] for m in outbox] == [with_room.uuid]
    finally:
        runs.close()
