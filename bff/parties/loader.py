"""Load and validate every party folder at start; a bad file stops start-up.

Credentials marked `"demo": true` in party.json are trusted only when the BFF runs as the
development stack (`BV_DEMO=1`); otherwise they are left out of the loaded party and one
warning per party says so. The repository's own demo credentials must carry that mark.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import msgspec
import phonenumbers
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_public_key,
)

from bff.core.i18n import inline_translations
from bff.core.phones import parse_phone
from bff.core.text import file_field_problem
from bff.parties.models import (
    SIGNING_ALGS,
    ApiKey,
    BrandingManifest,
    Contact,
    EojKey,
    LoadedKey,
    LoadedOidc,
    OidcSettings,
    Party,
    PartyFile,
    StaffSupport,
)

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
# The BFF's own first path segments (bff/app.py): a party there would be shadowed.
RESERVED_IDS = frozenset(
    {"api", "api-docs-assets", "assets", "schema", "healthz", "static", "plugin-files", "eventsink"}
)
T = TypeVar("T")
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
KNOWN_DEMO_ADMIN_KEYS = frozenset(
    {
        # demo-kobenhavn-admin-key, demo-region-midt-admin-key
        "5f2e8b121b87e373c63031b34568270deeff8dc868bc41ab41fde8c8f4a5a855",
        "856c3eff262c6f6c98bc69a2ba6b3a33f4439b4f2bd2fb55082ed1be5f8e78fa",
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
        raise PartyConfigError(file_field_problem(where, exc)) from exc
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


def _check_api_keys(
    folder: Path, root: Path, api_keys: list[ApiKey], field: str = "api_keys"
) -> None:
    where = f"{_where(folder / 'party.json', root)}: {field}"
    ids = [k.id for k in api_keys]
    if len(set(ids)) != len(ids):
        raise PartyConfigError(f"{where}: id repeated")
    known, command = (
        (KNOWN_DEMO_API_KEYS, "add-api-key")
        if field == "api_keys"
        else (KNOWN_DEMO_ADMIN_KEYS, "add-admin-key")
    )
    what = "API key" if field == "api_keys" else "admin key"
    for index, key in enumerate(api_keys):
        if not key.demo and key.sha256 in known:
            raise PartyConfigError(
                f'{where}[{index}].sha256: a public demo {what}; mark it "demo": true or '
                f"make a fresh one (python -m bff.parties {command})"
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
    try:  # a party's own wording, inlined into the manifest (see bff.core.i18n)
        manifest = inline_translations(manifest, branding)
    except ValueError as exc:
        raise PartyConfigError(f"{_where(file, root)}: {exc}") from exc
    return manifest, branding


def _check_staff_support(
    folder: Path, root: Path, support: StaffSupport | None
) -> StaffSupport | None:
    """A phone or an e-mail at least; the phone checked and kept as E.164, as `contact`'s."""
    if support is None:
        return None
    where = f"{_where(folder / 'party.json', root)}: staff_support"
    if support.phone is None and support.email is None:
        raise PartyConfigError(f"{where}: give a phone or an email (or leave it out)")
    if support.phone is None:
        return support
    number = parse_phone(support.phone)
    if number is None or not phonenumbers.is_valid_number(number):
        raise PartyConfigError(
            f"{where}.phone: not a valid phone number ({support.phone!r}); "
            "write it as +45 33 66 33 66"
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return msgspec.structs.replace(support, phone=e164)


def _check_contact(folder: Path, root: Path, contact: Contact | None) -> Contact | None:
    """The phone number must be one (libphonenumber's metadata); kept as E.164."""
    if contact is None:
        return None
    number = parse_phone(contact.phone)
    if number is None or not phonenumbers.is_valid_number(number):
        raise PartyConfigError(
            f"{_where(folder / 'party.json', root)}: contact.phone: not a valid phone number "
            f"({contact.phone!r}); write it as +45 33 66 33 66"
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return msgspec.structs.replace(contact, phone=e164)


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Context Handler's CPR attribute (and anything like it) is never asked for.
CPR_SCOPE = re.compile(r"cpr", re.IGNORECASE)


def _load_oidc(
    folder: Path, root: Path, slug: str, oidc: OidcSettings | None, env: Mapping[str, str] | None
) -> LoadedOidc | None:
    """The party's OIDC broker: https (http only on this machine, for the tests), `openid`
    asked, never a CPR attribute, a role mapping, the client secret in its variable."""
    if oidc is None:
        return None
    where = f"{_where(folder / 'party.json', root)}: oidc"
    issuer = urlsplit(oidc.issuer)
    if issuer.scheme != "https" and issuer.hostname not in LOOPBACK_HOSTS:
        raise PartyConfigError(f"{where}.issuer: must be https://")
    if issuer.query or issuer.fragment:
        raise PartyConfigError(f"{where}.issuer: no query or fragment")
    if "openid" not in oidc.scopes:
        raise PartyConfigError(f"{where}.scopes: must include openid")
    for index, scope in enumerate(oidc.scopes):
        if CPR_SCOPE.search(scope) or " " in scope:
            raise PartyConfigError(
                f"{where}.scopes[{index}]: never request cprNumber (or any CPR attribute); "
                "one scope per entry"
            )
    claims = (oidc.roles_claim, oidc.name_claim, oidc.teams_claim or "")
    if any(CPR_SCOPE.search(claim) for claim in claims):
        raise PartyConfigError(f"{where}: a CPR attribute is never read")
    roles = {
        "staff": tuple(oidc.roles.staff),
        "scheduler": tuple(oidc.roles.scheduler),
        "party_admin": tuple(oidc.roles.party_admin),
        "steering_group": tuple(oidc.roles.steering_group),
    }
    if not any(roles.values()):
        raise PartyConfigError(f"{where}.roles: map at least one claim value to a role")
    # env None: checking the file only (the parties command), the secret is not needed.
    secret = "-" if env is None else env.get(oidc.client_secret_env, "").strip()
    if not secret:
        raise PartyConfigError(
            f"{where}.client_secret_env: environment variable {oidc.client_secret_env} "
            "is not set (it holds the client secret)"
        )
    audience = oidc.api_audience or f"borgervideo:{slug}:api"
    if audience == oidc.client_id:
        raise PartyConfigError(
            f"{where}.api_audience: must differ from client_id (an ID token is no access token)"
        )
    return LoadedOidc(
        issuer=oidc.issuer,
        client_id=oidc.client_id,
        client_secret=secret,
        scopes=tuple(oidc.scopes),
        roles_claim=oidc.roles_claim,
        name_claim=oidc.name_claim,
        roles=roles,
        api_audience=audience,
        api_clients=tuple(oidc.api_clients),
        teams_claim=oidc.teams_claim,
    )


def load_party(
    folder: Path,
    root: Path,
    *,
    demo: bool = False,
    env: Mapping[str, str] | None = None,
    secrets: bool = True,
) -> Party:
    """Validate every credential (demo ones too); keep demo ones only when `demo`. `env`:
    where OIDC client secrets are read (default the process environment); `secrets=False`
    checks the file without them (the parties command, run where the secrets are not)."""
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
    _check_api_keys(folder, root, data.admin_keys, "admin_keys")
    manifest, branding = _load_manifest(folder, root)
    contact = _check_contact(folder, root, data.contact)
    secrets_from = (os.environ if env is None else env) if secrets else None
    oidc = _load_oidc(folder, root, folder.name, data.oidc, secrets_from)
    demo_credentials = (
        *(f"API key {k.id!r}" for k in data.api_keys if k.demo),
        *(f"EOJ key {k.kid!r}" for k in data.eoj_keys if k.demo),
        *(f"admin key {k.id!r}" for k in data.admin_keys if k.demo),
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
        admin_keys=tuple((k.id, k.sha256) for k in data.admin_keys if demo or not k.demo),
        oidc=oidc,
        contact=contact,
        staff_support=_check_staff_support(folder, root, data.staff_support),
    )


def party_folders(root: Path) -> list[Path]:
    """Folders holding a party.json; hidden ones (a command's staging area) are not parties."""
    return sorted(
        p for p in root.iterdir() if not p.name.startswith(".") and (p / "party.json").is_file()
    )


def load_parties(
    root: Path, *, demo: bool = False, env: Mapping[str, str] | None = None
) -> dict[str, Party]:
    """Every party under `root`. `demo`: trust credentials marked demo (development stack).
    `env`: where OIDC client secrets are read (default the process environment)."""
    if not root.is_dir():
        raise PartyConfigError(f"{root}: branding folder not found (BV_BRANDING_DIR)")
    folders = party_folders(root)
    if not folders:
        raise PartyConfigError(f"{root}: no party folders with a party.json")
    parties = {folder.name: load_party(folder, root, demo=demo, env=env) for folder in folders}
    _check_unique_api_keys(root, folders)
    audiences: dict[tuple[str, str], str] = {}
    for party in parties.values():  # a machine token names its party by issuer and audience
        if party.oidc is not None:
            pair = (party.oidc.issuer, party.oidc.api_audience)
            if pair in audiences:
                raise PartyConfigError(
                    f"{root / party.id / 'party.json'}: oidc.api_audience: the same issuer and "
                    f"audience as party {audiences[pair]}"
                )
            audiences[pair] = party.id
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
    """One key names one party and one use: the same hash in two files, or as both an API
    key and an admin key, stops start-up."""
    seen: dict[str, tuple[str, str]] = {}
    for folder in folders:
        file = folder / "party.json"
        data = _decode(file, root, PartyFile)
        for field, keys in (("api_keys", data.api_keys), ("admin_keys", data.admin_keys)):
            for index, key in enumerate(keys):
                where = f"{_where(file, root)}: {field}[{index}].sha256"
                owner = seen.get(key.sha256)
                if owner is not None and owner[0] != folder.name:
                    raise PartyConfigError(f"{where}: the same key as party {owner[0]}")
                if owner is not None and owner[1] != field:
                    raise PartyConfigError(f"{where}: the same key as one of its {owner[1]}")
                seen[key.sha256] = (folder.name, field)
