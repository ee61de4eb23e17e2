"""`python -m bff.ops.envsecrets [--sink-node NAME ...] [--out FILE]`: fresh secrets for the
environment file (.env.example names every setting).

stdout (or FILE, made 0600, never overwritten) gets the lines the BFF reads: BV_DATA_KEY,
BV_METRICS_TOKEN, BV_STATS_STEERING_KEY_SHA256 and BV_EVENT_SINK_NODES (sha256 of each node's
password). The plain steering key and sink passwords go to stderr once, to be handed to the
steering group and entered in each Pexip node's event sink; only their hashes are kept.
Party API and admin keys live in party.json: `python -m bff.parties add-admin-key`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path

from bff.core.security import sha256_hex
from bff.core.settings import SINK_NODE


def new_secrets(sink_nodes: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(environment lines, plain secrets to hand over)."""
    steering_key = secrets.token_urlsafe(32)
    passwords = {node: secrets.token_urlsafe(24) for node in sink_nodes}
    env = {
        "BV_DATA_KEY": secrets.token_urlsafe(32),
        "BV_METRICS_TOKEN": secrets.token_urlsafe(32),
        "BV_STATS_STEERING_KEY_SHA256": sha256_hex(steering_key),
        "BV_EVENT_SINK_NODES": ",".join(f"{n}:{sha256_hex(p)}" for n, p in passwords.items()),
    }
    handover = {"steering group key": steering_key}
    handover |= {f"event sink password of node {n}": p for n, p in passwords.items()}
    return env, handover


def _node(name: str) -> str:
    if not SINK_NODE.match(name):
        raise argparse.ArgumentTypeError(f"{name!r}: letters, digits, . _ - (at most 63)")
    return name


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bff.ops.envsecrets", description=__doc__)
    parser.add_argument(
        "--sink-node",
        type=_node,
        action="append",
        default=[],
        metavar="NAME",
        help="a Pexip node that posts to the event sink (repeat per node)",
    )
    parser.add_argument("--out", type=Path, help="write here (0600) instead of stdout")
    args = parser.parse_args(argv)
    if len(set(args.sink_node)) != len(args.sink_node):
        parser.error("--sink-node: a node is named twice")
    env, handover = new_secrets(args.sink_node)
    text = "".join(f"{name}={value}\n" for name, value in env.items())
    if args.out is None:
        sys.stdout.write(text)
    else:
        try:
            fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            parser.error(f"--out: {args.out} exists; not overwriting secrets")
        with os.fdopen(fd, "w") as out:
            out.write(text)
    for what, value in handover.items():
        print(f"{what} (shown once, only its sha256 is kept): {value}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
