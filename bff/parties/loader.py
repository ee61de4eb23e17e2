"""Load and validate every party folder at start; a bad file stops start-up.

Credentials marked `"demo": true` in party.json are trusted only when the BFF runs as the
development stack (`BV_DEMO=1`); otherwise they are left out of the loaded party and one
warning per party says so. The repository's own demo credentials must carry that mark.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Any, TypeVar

import msgspec
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_public_key,
)

from bff.parties.models import (
    SIGNING_ALGS,
    ApiKey,
    BrandingManifest,
    EojKey,
    LoadedKey,
    Party,
    PartyFile,
)

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
# The BFF's own first path segments (bff/app.py): a party there would be shadowed.
RESERVED_IDS = frozenset({"api", "api-docs-assets", "assets", "schema", "healthz", "static"})
T = TypeVar("T")
_AT = re.compile(r"^(?P<msg>.*) - at `\$(?P<path>[^`]*)`$")
log = logging.getLogger("bff.parties")

# The repository's public demo credentials: sha256 of the demo API keys (their plain text is in
# README and devstack) and of the demo EOJ public key (SubjectPublicKeyInfo DER; its private half
# is emulator/demo_keys/). A party.json that trusts one of them without `"demo": true` is refused,
# so a copied demo folder can never trust them in production.
KNOWN_DEMO_API_KEYS = frozenset(
    {
        "4d06cba638ab8169ceee19be9d84b5a6d25d9f921f6b29fc32d4ca9efd6a35c3",  # demo-kobenhavn-key
        "e4d50d9db392b186db0fe3f81aac1ec85f6664da965a8c88926cd3ac4b57cbc6",  # demo-region-midt-key
    }
)
KNOWN_DEMO_EOJ_KEYS = frozenset(
    {"d0d07235386cfaeb0c41d4da2211cbcd08c1522d0c6131b7db43713039bd8e88"}
)


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
    spki = public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    if not key.demo and hashlib.sha256(spki).hexdigest() in KNOWN_DEMO_EOJ_KEYS:
        raise PartyConfigError(
            f"{where}.public_key_file: the repository's demo key (its private half is public); "
            'mark it "demo": true or use the case system\'s own key'
        )
    return LoadedKey(key.kid, key.issuer, key.alg, pem_path.read_bytes())


def _check_api_keys(folder: Path, root: Path, api_keys: list[ApiKey]) -> None:
    where = f"{_where(folder / 'party.json', root)}: api_keys"
    ids = [k.id for k in api_keys]
    if len(set(ids)) != len(ids):
        raise PartyConfigError(f"{where}: id repeated")
    for index, key in enumerate(api_keys):
        if not key.demo and key.sha256 in KNOWN_DEMO_API_KEYS:
            raise PartyConfigError(
                f'{where}[{index}].sha256: a public demo API key; mark it "demo": true or '
                "make a fresh one (python -m bff.parties add-api-key)"
            )


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


def load_party(folder: Path, root: Path, *, demo: bool = False) -> Party:
    """Validate every credential (demo ones too); keep demo ones only when `demo`."""
    if not SLUG.match(folder.name):
        raise PartyConfigError(f"{_where(folder, root)}: folder name must be a lowercase slug")
    if folder.name in RESERVED_IDS:
        raise PartyConfigError(f"{_where(folder, root)}: folder name is reserved for the BFF")
    data = _decode(folder / "party.json", root, PartyFile)
    keys = [_load_key(folder, root, i, key) for i, key in enumerate(data.eoj_keys)]
    kids = [k.kid for k in keys]
    if len(set(kids)) != len(kids):
        raise PartyConfigError(f"{_where(folder / 'party.json', root)}: eoj_keys: kid repeated")
    _check_api_keys(folder, root, data.api_keys)
    manifest, branding = _load_manifest(folder, root)
    demo_credentials = (
        *(f"API key {k.id!r}" for k in data.api_keys if k.demo),
        *(f"EOJ key {k.kid!r}" for k in data.eoj_keys if k.demo),
    )
    return Party(
        id=folder.name,
        name=data.name,
        kind=data.kind,
        vdx=data.vdx,
        eoj_keys={
            loaded.kid: loaded
            for loaded, key in zip(keys, data.eoj_keys, strict=True)
            if demo or not key.demo
        },
        api_key_hashes=tuple(k.sha256 for k in data.api_keys if demo or not k.demo),
        options=data.options,
        manifest=manifest,
        branding_dir=branding,
        demo_credentials=demo_credentials,
    )


def party_folders(root: Path) -> list[Path]:
    """Folders holding a party.json; hidden ones (a command's staging area) are not parties."""
    return sorted(
        p for p in root.iterdir() if not p.name.startswith(".") and (p / "party.json").is_file()
    )


def load_parties(root: Path, *, demo: bool = False) -> dict[str, Party]:
    """Every party under `root`. `demo`: trust credentials marked demo (development stack)."""
    if not root.is_dir():
        raise PartyConfigError(f"{root}: branding folder not found (BV_BRANDING_DIR)")
    folders = party_folders(root)
    if not folders:
        raise PartyConfigError(f"{root}: no party folders with a party.json")
    parties = {folder.name: load_party(folder, root, demo=demo) for folder in folders}
    _check_unique_api_keys(root, folders)
    with_demo = [party for party in parties.values() if party.demo_credentials]
    if demo and with_demo:
        log.warning(
            "BV_DEMO=1: demo credentials of %s are trusted (their keys are public); "
            "the development stack only",
            ", ".join(party.id for party in with_demo),
        )
    for party in [] if demo else with_demo:
        log.warning(
            "party %s: demo credentials inactive (%s); they are trusted only in the "
            "development stack (BV_DEMO=1)",
            party.id,
            ", ".join(party.demo_credentials),
        )
    return parties


def _check_unique_api_keys(root: Path, folders: list[Path]) -> None:
    """One API key names one party: the same hash in two files stops start-up."""
    seen: dict[str, str] = {}
    for folder in folders:
        file = folder / "party.json"
        for index, key in enumerate(_decode(file, root, PartyFile).api_keys):
            where = f"{_where(file, root)}: api_keys[{index}].sha256"
            if key.sha256 in seen and seen[key.sha256] != folder.name:
                raise PartyConfigError(f"{where}: the same key as party {seen[key.sha256]}")
            seen[key.sha256] = folder.name
