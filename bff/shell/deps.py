"""The shell's dependencies (Litestar `Provide`): the built webapp, read once at start."""

from __future__ import annotations

from bff.core.deps import Connection, kept
from bff.shell.assets import BuiltAsset
from bff.shell.renderer import ShellRenderer


def provide_assets(request: Connection) -> dict[str, BuiltAsset]:
    """The webapp build's hashed files by name (each also gzipped)."""
    return kept(request, "assets", dict[str, BuiltAsset])


def provide_shell(request: Connection) -> ShellRenderer:
    """index.html, ready to take a page's nonce and configuration."""
    return kept(request, "shell", ShellRenderer)
