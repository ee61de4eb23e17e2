"""Pure logic: party config validation, booking rules, launch JWT checks, escaping."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from bff.core.errors import STATUSES, InvalidInput, NotFound, Unauthenticated, problem_for
from bff.core.settings import SettingsError, load_settings
from bff.joins.launch import verify_launch
from bff.meetings.models import GuestInvite, MeetingCreate
from bff.meetings.service import cancellation_text, sms_text, validate_booking
from bff.meetings.vdx import VdxRefused
from bff.parties.loader import PartyConfigError, load_parties
from bff.parties.models import LoadedKey, Party, PartyOptions, VdxSettings
from bff.shell.renderer import script_json
from bff.tests.conftest import ROOT, new_ec_key, token_claims

KeyPair = tuple[bytes, bytes]
KEY_TYPES = {"ES256": ECKey, "RS256": RSAKey}  # the key a launch JWT's alg signs with


# --- party config -------------------------------------------------------------------------


@pytest.fixture
def branding_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "branding"
    shutil.copytree(ROOT / "branding", folder)
    return folder


def edit_json(file: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = json.loads(file.read_text())
    change(data)
    file.write_text(json.dumps(data))


def test_shipped_parties_load() -> None:
    parties = load_parties(ROOT / "branding")
    assert set(parties) == {"kobenhavn", "region-midt"}
    assert parties["kobenhavn"].name == "Københavns Kommune"
    assert parties["region-midt"].manifest["brandName"] == "Region Midtjylland"
    assert len(parties["kobenhavn"].manifest["colorPalette"]) == 11


def test_bad_alg_names_file_and_field(branding_copy: Path) -> None:
    edit_json(
        branding_copy / "kobenhavn/party.json",
        lambda d: d["eoj_keys"][0].__setitem__("alg", "HS256"),
    )
    with pytest.raises(PartyConfigError) as err:
        load_parties(branding_copy)
    assert str(err.value) == (
        "branding/kobenhavn/party.json: eoj_keys[0].alg: must be one of ES256, RS256"
    )


def test_bad_api_key_hash_names_field(branding_copy: Path) -> None:
    edit_json(
        branding_copy / "region-midt/party.json",
        lambda d: d["api_keys"][0].__setitem__("sha256", "demo-region-midt-key"),
    )
    with pytest.raises(
        PartyConfigError,
        match=r"^branding/region-midt/party.json: "
        r"api_keys\[0\].sha256: ",
    ):
        load_parties(branding_copy)


def test_unknown_field_and_missing_field(branding_copy: Path) -> None:
    edit_json(branding_copy / "kobenhavn/party.json", lambda d: d.pop("vdx"))
    with pytest.raises(PartyConfigError, match=r"party.json: .*vdx"):
        load_parties(branding_copy)


def test_key_that_does_not_fit_alg(branding_copy: Path) -> None:
    edit_json(
        branding_copy / "kobenhavn/party.json",
        lambda d: d["eoj_keys"][0].__setitem__("alg", "RS256"),
    )
    with pytest.raises(PartyConfigError, match=r"eoj_keys\[0\].public_key_file: key does not fit"):
        load_parties(branding_copy)


def test_manifest_palette_and_logo(branding_copy: Path) -> None:
    manifest = branding_copy / "kobenhavn/webapp3/branding/manifest.json"
    edit_json(manifest, lambda d: d["colorPalette"].__setitem__(3, "blue"))
    with pytest.raises(PartyConfigError, match=r"manifest.json: colorPalette\[3\]: "):
        load_parties(branding_copy)
    edit_json(manifest, lambda d: d["colorPalette"].__setitem__(3, "#000000"))
    (manifest.parent / "logo.svg").unlink()
    with pytest.raises(PartyConfigError, match=r"manifest.json: images.logo: no file"):
        load_parties(branding_copy)
    # A package's file, as in an uploaded package (bff.parties.models.ManifestImages).
    edit_json(manifest, lambda d: d["images"].__setitem__("logo", ""))
    with pytest.raises(PartyConfigError, match=r"manifest.json: images.logo: .*length >= 1"):
        load_parties(branding_copy)


def test_a_kind_of_error_answers_its_status_and_a_kind_of_a_kind_its_parents() -> None:
    assert problem_for(NotFound("No such meeting")).status_code == 404
    refused = VdxRefused("scheduling", 400, None)  # VDX's own status, not the BFF's answer
    assert problem_for(refused).status_code == 502 and refused.status == 400
    assert STATUSES[0] == 400 and STATUSES[-1] == 503 and len(STATUSES) == len(set(STATUSES))


def test_settings_error_names_variable() -> None:
    with pytest.raises(SettingsError, match=r"^BV_PORT: "):
        load_settings({"BV_PORT": "eighty"})
    with pytest.raises(SettingsError, match=r"^PEXIP_NODE_URL: "):
        load_settings({"PEXIP_NODE_URL": "ftp://node"})
    assert load_settings({}).serving.port == 8080


# --- booking rules --------------------------------------------------------------------------

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def meeting(
    subject: str = "Samtale",
    start: timedelta = timedelta(hours=1),
    length: timedelta = timedelta(hours=1),
) -> MeetingCreate:
    return MeetingCreate(
        subject=subject,
        start=NOW + start,
        end=NOW + start + length,
        guests=[GuestInvite(display_name="Borger")],
    )


@pytest.mark.parametrize("subject", ["Sag 010190-1234", "0101901234 opfølgning"])
def test_cpr_like_subject_rejected(subject: str) -> None:
    with pytest.raises(InvalidInput, match=r"^subject: looks like a CPR number"):
        validate_booking(meeting(subject), NOW)


def test_time_rules() -> None:
    validate_booking(meeting(), NOW)
    with pytest.raises(InvalidInput, match=r"^end: must be after start"):
        validate_booking(meeting(length=timedelta(0)), NOW)
    within_a_second = meeting(
        start=timedelta(hours=1, microseconds=300), length=timedelta(milliseconds=500)
    )
    with pytest.raises(InvalidInput, match=r"^end: must be after start"):  # VDX: whole seconds
        validate_booking(within_a_second, NOW)
    with pytest.raises(InvalidInput, match=r"^end: must be in the future"):
        validate_booking(meeting(start=timedelta(hours=-3)), NOW)
    with pytest.raises(InvalidInput, match=r"^end: a meeting may last at most 24 hours"):
        validate_booking(meeting(length=timedelta(hours=25)), NOW)


def test_sms_text_is_danish_local_time_without_names() -> None:
    party = load_parties(ROOT / "branding")["kobenhavn"]
    text = sms_text(party, datetime(2026, 7, 1, 8, 30, tzinfo=UTC), "https://x/j/abc")
    assert text.startswith("Københavns Kommune har inviteret dig til et videomøde 01.07.2026")
    assert "kl. 10.30" in text  # CEST, UTC+2
    assert text.endswith("https://x/j/abc")
    assert "Linket virker" not in text


def test_sms_text_says_from_when_the_link_works() -> None:
    party = load_parties(ROOT / "branding")["kobenhavn"]
    start = datetime(2026, 7, 1, 8, 30, tzinfo=UTC)
    same_day = sms_text(party, start, "https://x/j/abc", start - timedelta(minutes=30))
    assert "videomøde 01.07.2026 kl. 10.30. Linket virker fra kl. 10.00. Tryk på" in same_day
    just_after_midnight = datetime(2026, 6, 30, 22, 15, tzinfo=UTC)  # 00.15 CEST on 1 July
    night = sms_text(
        party, just_after_midnight, "https://x/j/abc", just_after_midnight - timedelta(minutes=30)
    )
    assert "videomøde 01.07.2026 kl. 00.15. Linket virker fra 30.06.2026 kl. 23.45." in night


def test_sms_in_the_guests_language() -> None:
    party = load_parties(ROOT / "branding")["kobenhavn"]
    start = datetime(2026, 7, 1, 8, 30, tzinfo=UTC)
    english = sms_text(party, start, "https://x/j/abc", start - timedelta(minutes=30), "en")
    assert english == (
        "Københavns Kommune has invited you to a video meeting on 01.07.2026 at 10.30. "
        "The link works from 10.00. Tap the link to join: https://x/j/abc"
    )
    cancelled = cancellation_text(party, start, "en")
    assert cancelled.startswith("Your video meeting with Københavns Kommune on 01.07.2026 at")
    assert "If you have questions, call 33 66 33 66." in cancelled
    assert cancellation_text(party, start).startswith("Dit videomøde med Københavns Kommune")


def test_script_json_cannot_close_the_script_element() -> None:
    value = {"name": "</script><script>alert(1)</script>&", "line": "a\u2028b\u2029c Æøå"}
    out = str(script_json(value))
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert "Æøå" in out  # other text as it is, not escaped
    assert json.loads(out) == value


# --- launch JWT -----------------------------------------------------------------------------


def party_with(keys: list[LoadedKey]) -> Party:
    return Party(
        id="kobenhavn",
        name="Københavns Kommune",
        kind="municipality",
        vdx=VdxSettings("101", "KbhKommune"),
        eoj_keys={k.kid: k for k in keys},
        api_key_hashes=(),
        options=PartyOptions(),
        manifest={},
        branding_dir=Path(),
    )


@pytest.fixture(scope="module")
def ec_pair() -> tuple[bytes, bytes]:
    return new_ec_key()


@pytest.fixture(scope="module")
def rsa_pair() -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return (
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )


@pytest.fixture
def party(ec_pair: tuple[bytes, bytes], rsa_pair: tuple[bytes, bytes]) -> Party:
    return party_with(
        [
            LoadedKey("ec1", "https://eoj", "ES256", ec_pair[1]),
            LoadedKey("rsa1", "https://eoj-rsa", "RS256", rsa_pair[1]),
        ]
    )


def claims(**over: object) -> dict[str, object]:
    launch = {"jti": "j-1", "meeting_id": "m" * 32, "name": "Sygeplejerske Hansen"}
    return token_claims("https://eoj", "borgervideo:kobenhavn", 120, launch, over)


def sign(private: bytes, payload: dict[str, object], kid: str = "ec1", alg: str = "ES256") -> str:
    key = KEY_TYPES[alg].import_key(private)
    return jwt.encode({"alg": alg, "kid": kid}, payload, key)


def now_utc() -> datetime:
    return datetime.now(UTC)


def test_good_es256_and_rs256(party: Party, ec_pair: KeyPair, rsa_pair: KeyPair) -> None:
    got = verify_launch(party, sign(ec_pair[0], claims()), now_utc())
    assert (got.meeting_id, got.name, got.jti) == ("m" * 32, "Sygeplejerske Hansen", "j-1")
    token = sign(rsa_pair[0], claims(iss="https://eoj-rsa"), kid="rsa1", alg="RS256")
    assert verify_launch(party, token, now_utc()).jti == "j-1"


@pytest.mark.parametrize(
    ("over", "reason"),
    [
        ({"aud": "borgervideo:region-midt"}, "forkert modtager"),
        ({"iss": "https://evil"}, "forkert udsteder"),
        ({"exp": None}, "'exp' mangler"),
        ({"exp": int(time.time()) - 5}, "udløbet"),
        ({"exp": int(time.time()) + 900}, "gælder for længe"),
        ({"iat": int(time.time()) + 600}, "'iat' ligger i fremtiden"),
        ({"jti": None}, "'jti' mangler"),
        ({"meeting_id": None}, "'meeting_id' mangler"),
        ({"name": "x" * 81}, "'name' mangler eller er ugyldigt"),
    ],
)
def test_claim_checks(party: Party, ec_pair: KeyPair, over: dict[str, object], reason: str) -> None:
    with pytest.raises(Unauthenticated, match=reason):
        verify_launch(party, sign(ec_pair[0], claims(**over)), now_utc())


def test_forged_signature_unknown_kid_and_wrong_alg(party: Party, rsa_pair: KeyPair) -> None:
    other_private, _ = new_ec_key()
    with pytest.raises(Unauthenticated, match="signaturen"):
        verify_launch(party, sign(other_private, claims()), now_utc())
    with pytest.raises(Unauthenticated, match="ukendt nøgle"):
        verify_launch(party, sign(other_private, claims(), kid="nope"), now_utc())
    with pytest.raises(Unauthenticated, match="kræver algoritmen ES256"):
        verify_launch(party, sign(rsa_pair[0], claims(), kid="ec1", alg="RS256"), now_utc())


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256(header: dict[str, object], payload: dict[str, object], key: bytes) -> str:
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    mac = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"


def test_hmac_and_none_refused(party: Party, ec_pair: KeyPair) -> None:
    # HS256 keyed with the public PEM: the classic algorithm-confusion forgery.
    forged = hs256({"alg": "HS256", "kid": "ec1"}, claims(), ec_pair[1])
    with pytest.raises(Unauthenticated):
        verify_launch(party, forged, now_utc())
    head, body, _ = sign(ec_pair[0], claims()).split(".")
    with pytest.raises(Unauthenticated):
        verify_launch(party, "eyJhbGciOiJub25lIiwia2lkIjoiZWMxIn0." + body + ".", now_utc())
    with pytest.raises(Unauthenticated):
        verify_launch(party, "not-a-jwt", now_utc())
    assert head


def test_conference_alias_from_raw_path() -> None:
    from bff.proxy.routing import conference_alias

    path = "/api/client/v2/conferences/4718203%40vdx.localhost/events?token=x"
    assert conference_alias(path) == "4718203@vdx.localhost"
    assert conference_alias("/api/client/v2/registrations/x") is None


def test_shared_http_client_keeps_no_upstream_cookies() -> None:
    import httpx

    from bff.app import new_http_client

    client = new_http_client()
    answer = httpx.Response(
        200,
        headers={"set-cookie": "lb=node-a; Path=/"},
        request=httpx.Request("GET", "http://127.0.0.1:8090/api/client/v2/x"),
    )
    client.cookies.extract_cookies(answer)
    assert len(client.cookies) == 0
    plain = httpx.Cookies()
    plain.extract_cookies(answer)
    assert len(plain) == 1  # the same answer is stored by an ordinary jar
