"""Borgervideo backend-for-frontend."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("borgervideo")  # pyproject.toml's [project] version, once installed
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
