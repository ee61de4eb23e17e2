"""A connected party is data: `branding/<party>/party.json` + a Webapp3 branding package."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec

Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
HexColour = Annotated[str, msgspec.Meta(pattern=r"^#[0-9a-fA-F]{6}$")]
Sha256Hex = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
HttpUrl = Annotated[str, msgspec.Meta(pattern=r"^https?://[^\s]+$")]
NonEmpty = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]

SIGNING_ALGS = ("ES256", "RS256")


class VdxSettings(msgspec.Struct, forbid_unknown_fields=True):
    organisation_code: NonEmpty
    sms_sender_name: Annotated[str, msgspec.Meta(min_length=1, max_length=11)]


class EojKey(msgspec.Struct, forbid_unknown_fields=True):
    """A case system's (EOJ's) public key for staff launch JWTs.

    `demo`: a development credential (its private half is public); trusted only when the
    BFF runs as the development stack (`BV_DEMO=1`).
    """

    kid: NonEmpty
    issuer: NonEmpty
    alg: str
    public_key_file: NonEmpty
    demo: bool = False


class ApiKey(msgspec.Struct, forbid_unknown_fields=True):
    """Meetings API key; only its sha256 is stored. `demo`: as for EojKey."""

    id: NonEmpty
    sha256: Sha256Hex
    demo: bool = False


class PartyOptions(msgspec.Struct, forbid_unknown_fields=True):
    pexip_node_url: HttpUrl | None = None
    link_opens_minutes_before: Annotated[int, msgspec.Meta(ge=0, le=240)] = 30
    accessibility_statement_url: HttpUrl | None = None
    bookings_per_hour: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 200
    sms_per_hour: Annotated[int, msgspec.Meta(ge=0, le=100_000)] = 400


class PartyFile(msgspec.Struct, forbid_unknown_fields=True):
    name: NonEmpty
    kind: Literal["municipality", "region"]
    vdx: VdxSettings
    eoj_keys: list[EojKey]
    # May be empty: a party without an (active) API key cannot use the Meetings API.
    api_keys: list[ApiKey]
    options: PartyOptions = msgspec.field(default_factory=PartyOptions)


class ManifestImages(msgspec.Struct):
    logo: str | None = None
    jumbotron: str | None = None
    background: str | None = None


class ManifestPlugin(msgspec.Struct):
    id: NonEmpty
    src: NonEmpty
    sandboxValues: list[str] | None = None


class BrandingManifest(msgspec.Struct):
    """Webapp3-style public branding manifest (fields known from real manifests)."""

    version: Literal[0]
    meta: dict[str, Any]
    brandName: NonEmpty
    colorPalette: Annotated[list[HexColour], msgspec.Meta(min_length=11, max_length=11)]
    images: ManifestImages = msgspec.field(default_factory=ManifestImages)
    applicationConfig: dict[str, Any] = msgspec.field(default_factory=dict)
    defaultUserConfig: dict[str, Any] = msgspec.field(default_factory=dict)
    plugins: list[ManifestPlugin] = msgspec.field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LoadedKey:
    kid: str
    issuer: str
    alg: str
    public_pem: bytes


@dataclass(frozen=True, slots=True)
class Party:
    """A validated connected party as the rest of the BFF sees it."""

    id: str
    name: str
    kind: str
    vdx: VdxSettings
    eoj_keys: dict[str, LoadedKey]
    api_key_hashes: tuple[str, ...]
    options: PartyOptions
    manifest: dict[str, Any]  # public: rendered into the app shell as-is
    branding_dir: Any  # pathlib.Path of webapp3/branding
    # Credentials marked demo in party.json ("API key 'demo'", ...); the keys above include
    # them only when the BFF runs as the development stack (BV_DEMO=1).
    demo_credentials: tuple[str, ...] = ()

    @property
    def audience(self) -> str:
        return f"borgervideo:{self.id}"
