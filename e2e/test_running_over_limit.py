"""Running over, to the party's limit: the call ends for good when the limit is reached, and
the nurse was told beforehand. A file of its own so it runs beside test_running_over.py (each
holds a call for minutes)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, expect

from devstack.stack import ROOT, Stack, running_stack
from e2e.helpers import book_meeting
from e2e.test_citizen_call import PHONE
from e2e.test_hosted_room import nurse_joins, press_join
from e2e.test_running_over import BFF_ENV, BOOKED_LENGTH, EMULATOR_ENV


@pytest.fixture(scope="module")
def limited_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """kobenhavn lets a call run at most one minute past its booking."""
    branding = tmp_path_factory.mktemp("overrun") / "branding"
    shutil.copytree(ROOT / "branding", branding)
    party_file = branding / "kobenhavn" / "party.json"
    party = json.loads(party_file.read_text())
    party.setdefault("options", {})["overrun_limit_minutes"] = 1
    party_file.write_text(json.dumps(party, indent=2))
    env = BFF_ENV | {"BV_BRANDING_DIR": str(branding)}
    with running_stack(extra_emulator_env=EMULATOR_ENV, extra_bff_env=env) as running:
        yield running


def test_the_call_ends_at_the_partys_limit_and_the_nurse_was_told(
    limited_stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    stack = limited_stack
    booked_end = datetime.now(UTC).replace(microsecond=0) + BOOKED_LENGTH
    meeting = book_meeting(stack, end=booked_end)
    citizen = citizen_browser.new_context(**PHONE).new_page()
    citizen.goto(meeting.guest_links[0])
    press_join(citizen)
    nurse = nurse_joins(nurse_browser, stack, meeting.id)
    expect(citizen.get_by_test_id("in-call")).to_have_attribute(
        "data-role", "guest", timeout=20_000
    )
    # Within five minutes of the limit: when it ends, for good.
    clock = nurse.get_by_test_id("meeting-clock")
    expect(clock).to_have_attribute("data-kind", "final", timeout=30_000)
    expect(clock).to_contain_text("Mødet slutter kl.")
    expect(clock).to_contain_text("Det kan ikke forlænges mere.")

    # It ran over by the one minute allowed, then VDX removed the room: over for both, in
    # words, with no PIN prompt and no way back in.
    for page in (citizen, nurse):
        ended = page.get_by_test_id("call-ended")
        expect(ended).to_have_attribute("data-reason", "over", timeout=180_000)
        expect(ended).to_contain_text("Mødet er slut")
        expect(page.get_by_test_id("pin-input")).to_have_count(0)
        expect(page.get_by_test_id("rejoin-button")).to_have_count(0)
    assert datetime.now(UTC) > booked_end + timedelta(minutes=1), "it did run over first"
    again = citizen.context.new_page()
    response = again.goto(meeting.guest_links[0])
    assert response is not None and response.status == 410
    nurse.context.close()
    citizen.context.close()
