"""A connected party is data: `branding/<party>/party.json` + a Webapp3 branding package."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import msgspec

Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
HexColour = Annotated[str, msgspec.Meta(pattern=r"^#[0-9a-fA-F]{6}$")]
# A Webapp3 branding manifest's palette: eleven colours, lightest to darkest.
Palette = Annotated[list[HexColour], msgspec.Meta(min_length=11, max_length=11)]
# A file of a branding package, as its manifest names it (relative to the manifest).
RelPath = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
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
    # A call in progress may run this long past its booked end (bff.meetings.overrun).
    overrun_limit_minutes: Annotated[int, msgspec.Meta(ge=0, le=720)] = 120
    accessibility_statement_url: HttpUrl | None = None
    bookings_per_hour: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 200
    sms_per_hour: Annotated[int, msgspec.Meta(ge=0, le=100_000)] = 400
    # Devices (bff.devices): messages from the party's devices are POSTed here, signed with
    # HMAC-SHA256 under the secret, which is kept only sealed under BV_DATA_KEY
    # (python -m bff.parties set-device-webhook makes both).
    device_webhook_url: HttpUrl | None = None
    device_webhook_secret_sealed: NonEmpty | None = None
    # A called device answers by itself (no "Tag opkaldet" press); how long a call rings.
    device_auto_answer: bool = False
    device_ring_seconds: Annotated[int, msgspec.Meta(ge=10, le=300)] = 45
    # Citizens see the meeting's chat (false: only staff; the staff view says so).
    citizen_chat: bool = True


class OidcRoles(msgspec.Struct, forbid_unknown_fields=True):
    """Which values of the roles claim give which Borgervideo role (staff login)."""

    staff: list[NonEmpty] = msgspec.field(default_factory=list)
    # sees and manages the whole party's day in the staff portal (with `staff`)
    scheduler: list[NonEmpty] = msgspec.field(default_factory=list)
    party_admin: list[NonEmpty] = msgspec.field(default_factory=list)
    steering_group: list[NonEmpty] = msgspec.field(default_factory=list)


class OidcSettings(msgspec.Struct, forbid_unknown_fields=True):
    """Staff login and machine clients through the party's OIDC broker (bff.auth).

    The client secret is read from the environment variable named here, never the file.
    """

    issuer: HttpUrl
    client_id: NonEmpty
    client_secret_env: Annotated[str, msgspec.Meta(pattern=r"^[A-Z][A-Z0-9_]{0,99}$")]
    roles: OidcRoles
    scopes: list[NonEmpty] = msgspec.field(default_factory=lambda: ["openid", "profile"])
    roles_claim: NonEmpty = "roles"  # a dotted path into the ID token: realm_access.roles
    name_claim: NonEmpty = "name"
    # A dotted path to the login's teams (a list or one string, e.g. `groups`): the staff
    # portal's "my team" filter. None: no team filter.
    teams_claim: NonEmpty | None = None
    # Machine clients (EOJ backends): the `aud` their access tokens carry, default
    # borgervideo:<party>:api, and the client ids (azp/client_id) allowed; empty: any.
    api_audience: NonEmpty | None = None
    api_clients: list[NonEmpty] = msgspec.field(default_factory=list)


Hours = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class OpeningHours(msgspec.Struct, forbid_unknown_fields=True):
    """When the phone is answered, as citizens read it: Danish, and English if given."""

    da: Hours
    en: Hours | None = None


class Contact(msgspec.Struct, forbid_unknown_fields=True):
    """How a citizen reaches the party: shown on every citizen page and in a cancellation SMS.

    `phone` as written ("+45 33 66 33 66", "33 66 33 66"); the loader checks it with
    `phonenumbers` and keeps it as E.164.
    """

    phone: Annotated[str, msgspec.Meta(min_length=4, max_length=32)]
    opening_hours: OpeningHours


class StaffSupport(msgspec.Struct, forbid_unknown_fields=True):
    """Where the party's own staff get help with Borgervideo (its IT support), shown in the
    admin pages' footer; never the citizens' `contact`. At least a phone or an e-mail."""

    phone: Annotated[str, msgspec.Meta(min_length=4, max_length=32)] | None = None
    email: (
        Annotated[
            str, msgspec.Meta(max_length=254, pattern=r"^[^@\s<>\"]+@[^@\s<>\"]+\.[a-z]{2,}$")
        ]
        | None
    ) = None
    # "hverdage kl. 8–15" (Danish), or Danish and English as `contact.opening_hours`.
    hours: Hours | OpeningHours | None = None


class PartyFile(msgspec.Struct, forbid_unknown_fields=True):
    name: NonEmpty
    kind: Literal["municipality", "region"]
    vdx: VdxSettings
    eoj_keys: list[EojKey]
    # May be empty: a party without an (active) API key cannot use the Meetings API.
    api_keys: list[ApiKey]
    # The party's admin keys (plugin configuration API, header X-Admin-Key); like api_keys.
    admin_keys: list[ApiKey] = msgspec.field(default_factory=list)
    options: PartyOptions = msgspec.field(default_factory=PartyOptions)
    oidc: OidcSettings | None = None
    contact: Contact | None = None
    staff_support: StaffSupport | None = None


class ManifestImages(msgspec.Struct):
    """A branding manifest's `images` (a party's own and an uploaded package's)."""

    logo: RelPath | None = None
    jumbotron: RelPath | None = None
    background: RelPath | None = None


class ManifestPlugin(msgspec.Struct):
    id: NonEmpty
    src: NonEmpty
    sandboxValues: list[str] | None = None


class BrandingManifest(msgspec.Struct):
    """Webapp3-style public branding manifest (fields known from real manifests)."""

    version: Literal[0]
    meta: dict[str, Any]
    brandName: NonEmpty
    colorPalette: Palette
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
class LoadedOidc:
    """A party's validated OIDC settings, its client secret read from the environment."""

    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    scopes: tuple[str, ...]
    roles_claim: str
    name_claim: str
    roles: dict[str, tuple[str, ...]]  # Borgervideo role -> claim values that give it
    api_audience: str
    api_clients: tuple[str, ...]
    teams_claim: str | None = None


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
    # (id, sha256) of each admin key (X-Admin-Key); demo ones only with BV_DEMO=1.
    admin_keys: tuple[tuple[str, str], ...] = ()
    # Staff login and machine clients through the party's OIDC broker; None: neither.
    oidc: LoadedOidc | None = None
    # The phone number citizens may call (E.164) and its opening hours; None: not given.
    contact: Contact | None = None
    # The staff's own support (admin pages' footer), its phone as E.164; None: not given.
    staff_support: StaffSupport | None = None

    @property
    def audience(self) -> str:
        return f"borgervideo:{self.id}"
