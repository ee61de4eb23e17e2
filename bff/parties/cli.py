"""`python -m bff.parties`: a new party folder with fresh credentials; add or remove keys.

Every change is staged in a hidden folder inside the branding folder, validated with the
loader the BFF itself uses, then moved into place with one rename, so nothing half-written
is ever a party. A new API key is printed once (alone on stdout) and only its sha256 is
written. The BFF reads parties at start: restart it to pick a change up.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from bff.core.sealing import DataSealer
from bff.core.security import sha256_hex
from bff.core.settings import parse_data_key, parse_data_keys
from bff.devices.models import webhook_purpose  # the devices domain names the purpose
from bff.parties.loader import RESERVED_IDS, SLUG, PartyConfigError, load_party

TEMPLATE = Path(__file__).resolve().parent / "template"
API_KEY_PREFIX = "bv_"  # makes a leaked key easy to recognise (secret scanners, logs)


class CommandError(Exception):
    """What went wrong, for the operator; exit code 2."""


def new_api_key() -> str:
    """256 random bits; the sha256 of the whole string is what party.json stores."""
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _check_new_id(party_id: str) -> None:
    if not SLUG.match(party_id):
        raise CommandError(
            f"{party_id!r}: a party id is a lowercase slug (a-z, 0-9 and '-', starting with a "
            "letter or digit, at most 63 characters), e.g. aarhus or region-nord"
        )
    if party_id in RESERVED_IDS:
        raise CommandError(
            f"{party_id!r}: reserved for the BFF's own paths ({', '.join(sorted(RESERVED_IDS))})"
        )


@contextlib.contextmanager
def _staging(root: Path) -> Iterator[Path]:
    """A hidden scratch branding folder on the same file system (the loader skips it)."""
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
    try:
        staged_root = stage / root.resolve().name  # messages then read "branding/<id>/..."
        staged_root.mkdir()
        yield staged_root
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _validate(folder: Path, staged_root: Path) -> None:
    # The BFF's own checks, demo entries included; OIDC client secrets live elsewhere.
    load_party(folder, staged_root, demo=True, secrets=False)


OPTION_OF_FIELD = {
    ": name:": "--name",
    ": vdx.organisation_code:": "--organisation-code",
    ": vdx.sms_sender_name:": "--sms-sender",
    ": api_keys[0].id:": "--api-key-id",
    ": options.accessibility_statement_url:": "--accessibility-statement-url",
}


def _with_option(message: str) -> str:
    """The loader names party.json's field; say which option of `new` filled it."""
    for field, option in OPTION_OF_FIELD.items():
        if field in message:
            return f"{option}: {message}"
    return message


def _eoj_key(source: Path, kid: str, issuer: str, folder: Path) -> dict[str, str]:
    """Copy a case system's public key into `folder`; the entry for party.json."""
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise CommandError(f"{source}: cannot read ({exc.strerror})") from exc
    if b"PRIVATE KEY" in raw:
        raise CommandError(
            f"{source}: a private key; give the public half (the private key stays with the "
            "case system)"
        )
    try:
        public = load_pem_public_key(raw)
    except ValueError as exc:
        raise CommandError(f"{source}: not a PEM public key") from exc
    if isinstance(public, ec.EllipticCurvePublicKey) and public.curve.name == "secp256r1":
        alg = "ES256"
    elif isinstance(public, rsa.RSAPublicKey) and public.key_size >= 2048:
        alg = "RS256"
    else:
        raise CommandError(f"{source}: must be an EC P-256 (ES256) or RSA 2048+ (RS256) key")
    stem = "eoj-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", kid).strip("-")[:60] or "key")
    name = f"{stem}.pem"
    index = 1
    while (folder / name).exists():
        index += 1
        name = f"{stem}-{index}.pem"
    (folder / name).write_bytes(raw)
    return {"kid": kid, "issuer": issuer, "alg": alg, "public_key_file": name}


def _eoj_triples(args: argparse.Namespace) -> list[tuple[Path, str, str]]:
    files, kids, issuers = args.eoj_key or [], args.eoj_kid or [], args.eoj_issuer or []
    if not len(files) == len(kids) == len(issuers):
        raise CommandError(
            "--eoj-key, --eoj-kid and --eoj-issuer go together: give each once per key"
        )
    return list(zip(files, kids, issuers, strict=True))


def cmd_new(root: Path, args: argparse.Namespace) -> int:
    party_id = args.party_id
    _check_new_id(party_id)
    eoj = _eoj_triples(args)
    root.mkdir(parents=True, exist_ok=True)
    target = root / party_id
    try:
        target.mkdir()  # claims the id; empty, it is no party (the loader needs party.json)
    except FileExistsError:
        raise CommandError(
            f"{target}: already exists; a new party needs a new id "
            f"(a new API key for it: python -m bff.parties add-api-key {party_id} --id ...)"
        ) from None
    key = new_api_key()
    try:
        with _staging(root) as staged_root:
            folder = staged_root / party_id
            shutil.copytree(TEMPLATE, folder)
            manifest_file = folder / "webapp3" / "branding" / "manifest.json"
            manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
            manifest["brandName"] = args.name
            manifest["meta"]["name"] = f"borgervideo-{party_id}"
            _write_json(manifest_file, manifest)
            options: dict[str, Any] = {"link_opens_minutes_before": 30}
            if args.accessibility_statement_url:
                options["accessibility_statement_url"] = args.accessibility_statement_url
            party = {
                "name": args.name,
                "kind": args.kind,
                "vdx": {
                    "organisation_code": args.organisation_code,
                    "sms_sender_name": args.sms_sender,
                },
                "eoj_keys": [_eoj_key(*triple, folder) for triple in eoj],
                "api_keys": [{"id": args.api_key_id, "sha256": sha256_hex(key)}],
                "options": options,
            }
            _write_json(folder / "party.json", party)
            try:
                _validate(folder, staged_root)
            except PartyConfigError as exc:
                raise CommandError(_with_option(str(exc))) from exc
            os.replace(folder, target)  # onto the empty claimed folder: one rename
    except BaseException:
        with contextlib.suppress(OSError):
            target.rmdir()  # only ever empty here
        raise
    _say(f"Made {target}/ for {args.name} ({args.kind}).")
    if not eoj:
        _say(
            "It trusts no case system (EOJ) key yet: "
            f"python -m bff.parties add-eoj-key {party_id} --public-key FILE --kid ... --issuer ..."
        )
    _print_key(party_id, args.api_key_id, key)
    return 0


def _update(root: Path, party_id: str, change: Callable[[dict[str, Any], Path], None]) -> None:
    """Change an existing party.json: staged, validated, then renamed over the old one."""
    folder = root / party_id
    if not SLUG.match(party_id) or not (folder / "party.json").is_file():
        raise CommandError(f"{folder}: no such party (no party.json)")
    with _staging(root) as staged_root:
        staged = staged_root / party_id
        shutil.copytree(folder, staged)
        before = {p.name for p in staged.iterdir()}
        data = json.loads((staged / "party.json").read_text(encoding="utf-8"))
        change(data, staged)
        _write_json(staged / "party.json", data)
        _validate(staged, staged_root)
        for new_file in sorted({p.name for p in staged.iterdir()} - before):
            shutil.copy2(staged / new_file, folder / new_file)  # unreferenced until below
        os.replace(staged / "party.json", folder / "party.json")


def _add_key(root: Path, party_id: str, field: str, key_id: str) -> str:
    """A fresh key, its sha256 added to `field` (api_keys, admin_keys) as `key_id`."""
    key = new_api_key()

    def add(data: dict[str, Any], _: Path) -> None:
        if any(entry.get("id") == key_id for entry in data.get(field, [])):
            raise CommandError(f"{party_id}: already has an {ENTRY_NAMES[field]} {key_id!r}")
        data.setdefault(field, []).append({"id": key_id, "sha256": sha256_hex(key)})

    _update(root, party_id, add)
    return key


def cmd_add_api_key(root: Path, args: argparse.Namespace) -> int:
    key = _add_key(root, args.party_id, "api_keys", args.id)
    _say(f"Added API key {args.id!r} to {root / args.party_id}/party.json.")
    _print_key(args.party_id, args.id, key)
    _say(
        "To retire the old key once the case system uses this one: "
        f"python -m bff.parties remove-api-key {args.party_id} --id OLD-ID"
    )
    return 0


def cmd_add_admin_key(root: Path, args: argparse.Namespace) -> int:
    key = _add_key(root, args.party_id, "admin_keys", args.id)
    _say(f"Added admin key {args.id!r} to {root / args.party_id}/party.json.")
    _say(
        f"Admin key {args.id!r} of {args.party_id} (header X-Admin-Key; the admin page "
        f"/{args.party_id}/admin/plugins asks for it) follows. It is shown only now and only "
        "its sha256 is stored: hand it to the party's administrator over a secure channel. "
        "Restart the BFF to use it."
    )
    print(key, flush=True)
    return 0


def cmd_remove_admin_key(root: Path, args: argparse.Namespace) -> int:
    _remove_entry(root, args.party_id, "admin_keys", "id", args.id)
    _say(f"Removed admin key {args.id!r} from {root / args.party_id}/party.json.")
    return 0


ENTRY_NAMES = {
    "api_keys": "API key with id",
    "admin_keys": "admin key with id",
    "eoj_keys": "EOJ key with kid",
}


def _remove_entry(root: Path, party_id: str, field: str, name: str, value: str) -> None:
    """Drop the entry of `field` (api_keys, admin_keys, eoj_keys) whose `name` is `value`."""

    def remove(data: dict[str, Any], _: Path) -> None:
        entries = data.get(field, [])
        kept = [entry for entry in entries if entry.get(name) != value]
        if len(kept) == len(entries):
            raise CommandError(f"{party_id}: no {ENTRY_NAMES[field]} {value!r}")
        data[field] = kept

    _update(root, party_id, remove)


def cmd_remove_api_key(root: Path, args: argparse.Namespace) -> int:
    _remove_entry(root, args.party_id, "api_keys", "id", args.id)
    _say(f"Removed API key {args.id!r} from {root / args.party_id}/party.json.")
    return 0


def cmd_add_eoj_key(root: Path, args: argparse.Namespace) -> int:
    def add(data: dict[str, Any], staged: Path) -> None:
        if any(entry.get("kid") == args.kid for entry in data.get("eoj_keys", [])):
            raise CommandError(f"{args.party_id}: already trusts an EOJ key with kid {args.kid!r}")
        entry = _eoj_key(args.public_key, args.kid, args.issuer, staged)
        data.setdefault("eoj_keys", []).append(entry)

    _update(root, args.party_id, add)
    _say(f"{root / args.party_id}/party.json now trusts EOJ key {args.kid!r} ({args.issuer}).")
    return 0


def cmd_remove_eoj_key(root: Path, args: argparse.Namespace) -> int:
    _remove_entry(root, args.party_id, "eoj_keys", "kid", args.kid)
    _say(f"{root / args.party_id}/party.json no longer trusts EOJ key {args.kid!r}.")
    return 0


def _data_keys() -> tuple[bytes, ...]:
    """The BFF's data key ring (sealing the webhook secret under its first key): BV_DATA_KEY,
    or the embedded mode's BV_DATA_DIR/data.key."""
    raw = os.environ.get("BV_DATA_KEY", "").strip()
    if raw:
        return parse_data_keys(raw, "BV_DATA_KEY")
    path = Path(os.environ.get("BV_DATA_DIR", ".data")) / "data.key"
    if not path.is_file():
        raise CommandError(
            "no data key: set BV_DATA_KEY as the BFF has it (or start the BFF once, so it "
            "makes BV_DATA_DIR/data.key)"
        )
    return (parse_data_key(path.read_text(), str(path)),)


def cmd_set_device_webhook(root: Path, args: argparse.Namespace) -> int:
    """Where the party's devices' documents go, with a fresh signing secret (sealed)."""
    if args.off:

        def off(data: dict[str, Any], _: Path) -> None:
            options = data.setdefault("options", {})
            options.pop("device_webhook_url", None)
            options.pop("device_webhook_secret_sealed", None)

        _update(root, args.party_id, off)
        _say(f"Device webhook of {args.party_id} removed. Restart the BFF to use it.")
        return 0
    if not args.url or not args.url.startswith(("https://", "http://")):
        raise CommandError("--url: an https:// URL (or --off)")
    secret = secrets.token_urlsafe(32)
    sealed = DataSealer(_data_keys()).seal(secret, webhook_purpose(args.party_id))

    def set_hook(data: dict[str, Any], _: Path) -> None:
        options = data.setdefault("options", {})
        options["device_webhook_url"] = args.url
        options["device_webhook_secret_sealed"] = sealed

    _update(root, args.party_id, set_hook)
    _say(
        f"Device webhook of {args.party_id}: {args.url}. Its signing secret follows, shown only "
        "now (party.json holds it sealed under the BFF's data key): the receiver checks "
        "X-Borgervideo-Signature with it (see docs/interfaces.md). Restart the BFF to use it."
    )
    print(secret, flush=True)
    return 0


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _print_key(party_id: str, key_id: str, key: str) -> None:
    _say(
        f"Meetings API key {key_id!r} of {party_id} (header X-API-Key) follows. It is shown "
        "only now and only its sha256 is stored: hand it to the case system over a secure "
        "channel. Restart the BFF to use it."
    )
    print(key, flush=True)


Command = Callable[[Path, argparse.Namespace], int]  # a subcommand: branding folder, its args


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--branding-dir",
        type=Path,
        default=Path(os.environ.get("BV_BRANDING_DIR", "branding")),
        help="the folder of party folders (default: BV_BRANDING_DIR or ./branding)",
    )
    parser = argparse.ArgumentParser(
        prog="python -m bff.parties",
        description="Connected parties: make a new one with fresh credentials, manage its keys.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    new = sub.add_parser(
        "new", parents=[common], help="a new party folder with a fresh API key and neutral look"
    )
    new.add_argument("party_id", help="lowercase slug, the first part of its URLs (/<id>/)")
    new.add_argument("--name", required=True, help='e.g. "Aarhus Kommune"')
    new.add_argument("--kind", required=True, choices=("municipality", "region"))
    new.add_argument("--organisation-code", required=True, help="its VDX organisation code")
    new.add_argument("--sms-sender", required=True, help="SMS sender name, at most 11 characters")
    new.add_argument("--api-key-id", default="main", help="a name for the API key (default main)")
    new.add_argument("--accessibility-statement-url", help="its was.digst.dk statement")
    new.add_argument(
        "--eoj-key",
        type=Path,
        action="append",
        metavar="PEM",
        help="a case system's public key file for staff launch JWTs (repeatable, with "
        "--eoj-kid and --eoj-issuer each time)",
    )
    new.add_argument("--eoj-kid", action="append", metavar="KID", help="that key's JWT kid")
    new.add_argument("--eoj-issuer", action="append", metavar="ISS", help="that key's JWT iss")
    new.set_defaults(run=cmd_new)

    def party_command(name: str, run: Command, help: str) -> argparse.ArgumentParser:
        """A command on one existing party, named by its first argument."""
        command = sub.add_parser(name, parents=[common], help=help)
        command.add_argument("party_id")
        command.set_defaults(run=run)
        return command

    def key_command(
        name: str, run: Command, help: str, key: str = "--id", key_help: str | None = None
    ) -> None:
        """A command on one of a party's keys, named by the option `key`."""
        party_command(name, run, help).add_argument(key, required=True, help=key_help)

    key_command(
        "add-api-key",
        cmd_add_api_key,
        "add a fresh API key (rotation: add, then remove)",
        key_help="a name for the new key, e.g. 2026-01",
    )
    key_command("remove-api-key", cmd_remove_api_key, "stop trusting a key")

    key_command(
        "add-admin-key",
        cmd_add_admin_key,
        "add a fresh admin key (the plugin configuration API and admin page)",
        key_help="a name for the key, e.g. it-afdeling",
    )
    key_command("remove-admin-key", cmd_remove_admin_key, "stop trusting an admin key")

    add_eoj = party_command(
        "add-eoj-key", cmd_add_eoj_key, "trust a case system's key for staff launches"
    )
    add_eoj.add_argument("--public-key", type=Path, required=True, metavar="PEM")
    add_eoj.add_argument("--kid", required=True)
    add_eoj.add_argument("--issuer", required=True)
    key_command("remove-eoj-key", cmd_remove_eoj_key, "stop trusting a key", "--kid")

    webhook = party_command(
        "set-device-webhook",
        cmd_set_device_webhook,
        "where documents from the party's devices are POSTed, with a fresh secret",
    )
    webhook.add_argument("--url", help="the party's receiver, e.g. https://eoj.example/hook")
    webhook.add_argument("--off", action="store_true", help="remove the webhook")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        status: int = args.run(args.branding_dir, args)
        return status
    except (CommandError, PartyConfigError) as exc:
        print(f"python -m bff.parties {args.command}: {exc}", file=sys.stderr)
        return 2
