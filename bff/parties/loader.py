"""Load and validate every party folder at start; a bad file stops start-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

import msgspec
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from bff.parties.models import (
    SIGNING_ALGS,
    BrandingManifest,
    EojKey,
    LoadedKey,
    Party,
    PartyFile,
)

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
RESERVED_IDS = frozenset({"api", "assets", "schema", "healthz", "static"})  # BFF's own paths
T = TypeVar("T")
_AT = re.compile(r"^(?P<msg>.*) - at `\$(?P<path>[^`]*)`$")


class PartyConfigError(Exception):
    """Names the file and the field that is wrong."""


def _where(file: Path, root: Path) -> str:
    try:
        return str(file.relative_to(root.parent))
    except ValueError:
        return str(file)


def _decode(file: Path, root: Path, kind: type[T]) -> T:
    where = _where(file, root)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise PartyConfigError(f"{where}: cannot read ({exc.strerror})") from exc
    try:
        return msgspec.json.decode(raw, type=kind)
    except msgspec.ValidationError as exc:
        match = _AT.match(str(exc))
        if match:
            field = match["path"].lstrip(".") or "(top level)"
            raise PartyConfigError(f"{where}: {field}: {match['msg']}") from exc
        raise PartyConfigError(f"{where}: {exc}") from exc
    except msgspec.DecodeError as exc:
        raise PartyConfigError(f"{where}: not valid JSON ({exc})") from exc


def _load_key(folder: Path, root: Path, index: int, key: EojKey) -> LoadedKey:
    where = f"{_where(folder / 'party.json', root)}: eoj_keys[{index}]"
    if key.alg not in SIGNING_ALGS:
        raise PartyConfigError(f"{where}.alg: must be one of {', '.join(SIGNING_ALGS)}")
    pem_path = (folder / key.public_key_file).resolve()
    if not pem_path.is_relative_to(folder.resolve()) or not pem_path.is_file():
        raise PartyConfigError(f"{where}.public_key_file: no such file in the party folder")
    try:
        public = load_pem_public_key(pem_path.read_bytes())
    except ValueError as exc:
        raise PartyConfigError(f"{where}.public_key_file: not a PEM public key") from exc
    ok = (
        key.alg == "ES256"
        and isinstance(public, ec.EllipticCurvePublicKey)
        and public.curve.name == "secp256r1"
    ) or (key.alg == "RS256" and isinstance(public, rsa.RSAPublicKey) and public.key_size >= 2048)
    if not ok:
        raise PartyConfigError(f"{where}.public_key_file: key does not fit alg {key.alg}")
    return LoadedKey(key.kid, key.issuer, key.alg, pem_path.read_bytes())


def _load_manifest(folder: Path, root: Path) -> tuple[dict[str, Any], Path]:
    branding = folder / "webapp3" / "branding"
    file = branding / "manifest.json"
    _decode(file, root, BrandingManifest)
    manifest = msgspec.json.decode(file.read_bytes())
    for name, rel in (manifest.get("images") or {}).items():
        target = (branding / rel).resolve()
        if not target.is_relative_to(branding.resolve()) or not target.is_file():
            raise PartyConfigError(f"{_where(file, root)}: images.{name}: no file {rel!r}")
    return manifest, branding


def load_party(folder: Path, root: Path) -> Party:
    if not SLUG.match(folder.name):
        raise PartyConfigError(f"{_where(folder, root)}: folder name must be a lowercase slug")
    if folder.name in RESERVED_IDS:
        raise PartyConfigError(f"{_where(folder, root)}: folder name is reserved for the BFF")
    data = _decode(folder / "party.json", root, PartyFile)
    keys = [_load_key(folder, root, i, key) for i, key in enumerate(data.eoj_keys)]
    kids = [k.kid for k in keys]
    if len(set(kids)) != len(kids):
        raise PartyConfigError(f"{_where(folder / 'party.json', root)}: eoj_keys: kid repeated")
    manifest, branding = _load_manifest(folder, root)
    return Party(
        id=folder.name,
        name=data.name,
        kind=data.kind,
        vdx=data.vdx,
        eoj_keys={k.kid: k for k in keys},
        api_key_hashes=tuple(k.sha256 for k in data.api_keys),
        options=data.options,
        manifest=manifest,
        branding_dir=branding,
    )


def load_parties(root: Path) -> dict[str, Party]:
    if not root.is_dir():
        raise PartyConfigError(f"{root}: branding folder not found (BV_BRANDING_DIR)")
    folders = sorted(p for p in root.iterdir() if (p / "party.json").is_file())
    if not folders:
        raise PartyConfigError(f"{root}: no party folders with a party.json")
    return {folder.name: load_party(folder, root) for folder in folders}
