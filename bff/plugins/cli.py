"""`python -m bff.plugins`: install, replace or remove a plugin on running BFF instances.

Writes to the Redis they share (REDIS_URL, or the embedded one of the BFF running on
BV_DATA_DIR): every instance serves the change at its next request, no restart. The build is
checked as an admin's upload is (bff.plugins.installed); a version a party uses is not
removed (the parties are named). Exit code 2 with the reason on stderr when refused.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from redis.exceptions import RedisError

from bff.core.errors import DomainError
from bff.core.settings import SettingsError, load_settings
from bff.core.store import EmbeddedRedisError, open_running
from bff.parties.loader import PartyConfigError, load_parties
from bff.plugins.catalogue import CatalogueError, load_catalogue
from bff.plugins.installed import (
    InstalledPlugins,
    LiveCatalogue,
    read_plugin_folder,
    read_plugin_zip,
)
from bff.plugins.service import PluginService

BY = "operator"


def _read(source: Path) -> dict[str, bytes]:
    if source.is_dir():
        return read_plugin_folder(source)
    if source.is_file():
        return read_plugin_zip(source.read_bytes())
    raise CommandError(f"{source}: no such folder or zip")


class CommandError(Exception):
    """What went wrong, for the operator; exit code 2."""


async def _run(args: argparse.Namespace) -> str:
    settings = load_settings(os.environ)
    live = LiveCatalogue(load_catalogue(settings.plugins.dirs))
    redis = await open_running(settings)
    try:
        installed = InstalledPlugins(redis, live)
        service = PluginService(redis, live, separate_origin=False)
        catalogue = await live.refresh(redis)
        if args.command == "install":
            entry = await installed.install(_read(Path(args.source)), BY)
            registered = entry.registered_id or "checked at its first load"
            note = " (MISMATCH: not started)" if entry.mismatch else ""
            return f"installed {entry.id} {entry.version}; registers as: {registered}{note}"
        if args.command == "remove":
            found = catalogue.get(args.id, args.version)
            if found is None:
                raise CommandError(f"no plugin {args.id} {args.version} in the catalogue")
            parties = load_parties(settings.data.branding_dir, demo=settings.demo)
            in_use = await service.parties_using(found, list(parties))
            await installed.remove(args.id, args.version, in_use)
            return f"removed {args.id} {args.version}"
        return "\n".join(
            f"{e.id}\t{e.version}\t{'installed' if e.stored is not None else 'folder'}\t"
            f"registers as {e.registered_id or '?'}{' (MISMATCH)' if e.mismatch else ''}"
            for e in catalogue.values()
        )
    finally:
        await redis.aclose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bff.plugins", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    install = commands.add_parser("install", help="install or replace a built plugin")
    install.add_argument("source", help="a folder or zip holding plugin.json beside its build")
    remove = commands.add_parser("remove", help="remove an installed version no party uses")
    remove.add_argument("id")
    remove.add_argument("version")
    commands.add_parser("list", help="the catalogue: folder and installed plugins")
    args = parser.parse_args(argv)
    try:
        print(asyncio.run(_run(args)))
    except DomainError as exc:
        print(f"refused: {exc.reason}", file=sys.stderr)
        return 2
    except (
        CommandError,
        CatalogueError,
        PartyConfigError,
        SettingsError,
        EmbeddedRedisError,
        RedisError,
    ) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    return 0
