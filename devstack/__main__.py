"""`make run`: the emulator and the BFF on their usual ports, until Ctrl-C."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from devstack.stack import DEMO_API_KEY, DEMO_PARTY, ROOT, running_stack


def main() -> None:
    host = os.environ.get("HOST", "127.0.0.1")
    bff_port = int(os.environ.get("BV_PORT", "8080"))
    emulator_port = int(os.environ.get("EMU_PORT", "8090"))
    data_dir = Path(os.environ.get("BV_DATA_DIR", ROOT / ".data"))
    with running_stack(
        emulator_port=emulator_port, bff_port=bff_port, host=host, data_dir=data_dir
    ) as stack:
        print(
            f"""
Borgervideo is running (Ctrl-C stops it).

  Demo case system (book a meeting, open it as staff, read the SMS):
      {stack.emulator_url}/eoj/
  The citizen link arrives in the SMS outbox on that page; open it in another browser.

  Borgervideo (BFF):         {stack.bff_url}/{DEMO_PARTY}/
  API documentation:         {stack.bff_url}/schema
  Demo API key ({DEMO_PARTY}): {DEMO_API_KEY}
  Emulated VDX and node:     {stack.emulator_url}
  Logs:                      {stack.workdir}
""",
            flush=True,
        )
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for service in (stack.emulator, stack.bff):
                    if service.process.poll() is not None:
                        print(f"{service.name} stopped:\n{service.log()[-4000:]}")
                        return
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
