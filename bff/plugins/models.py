"""Plugin configuration API structs (OpenAPI) and the records kept in Redis."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

Role = Literal["host", "guest"]
Settings = dict[str, Any]


class PartyPluginIn(msgspec.Struct, forbid_unknown_fields=True):
    """One plugin in a party's set. Left out: the catalogue's defaults."""

    id: Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["sms-invite"])]
    # Which of the catalogue's versions of `id`; left out: the newest (recorded as chosen).
    version: Annotated[str, msgspec.Meta(max_length=40, examples=["1.0.0"])] | None = None
    enabled: bool = True
    settings: Settings = msgspec.field(default_factory=dict)
    sandboxValues: list[str] | None = None
    roles: list[Role] | None = None
    # The permissions granted (each one the catalogue entry's `allow` declares); left out:
    # none. Put on the plugin's iframe as its `allow` attribute.
    allow: list[str] | None = None


class PluginSetIn(msgspec.Struct, forbid_unknown_fields=True):
    """The whole set: its order is the load order; plugins left out are off."""

    plugins: Annotated[list[PartyPluginIn], msgspec.Meta(max_length=50)]
    # Plugins granted allow-same-origin share the one plugin origin: each can read the
    # others' frames, storage and plugin tokens. A second such plugin only with this true.
    sharedOriginAccepted: bool = False


class PartyPlugin(msgspec.Struct):
    id: str
    enabled: bool
    settings: Settings
    sandboxValues: list[str]
    roles: list[Role]
    allow: list[str] = msgspec.field(default_factory=list)
    # The catalogue version chosen (None in sets saved before versions: the newest).
    version: str | None = None


class PluginSet(msgspec.Struct):
    """A version of a party's set, as stored (and answered)."""

    version: int
    at: str | None = None  # ISO 8601, UTC; None for version 0 (nothing chosen yet)
    by: str | None = None  # the admin key's id
    plugins: list[PartyPlugin] = msgspec.field(default_factory=list)
    sharedOriginAccepted: bool = False


class HistoryEntry(msgspec.Struct):
    version: int
    at: str
    by: str


class CatalogueEntryOut(msgspec.Struct):
    """A plugin version of the catalogue, as the administrator's page shows it."""

    id: str
    version: str
    title: str
    description: str
    defaultSandboxValues: list[str]
    defaultRoles: list[Literal["host", "guest"]]
    settingsSchema: Annotated[
        dict[str, Any], msgspec.Meta(description="Its settings' JSON Schema (its plugin.json)")
    ]
    api: list[str]
    allow: Annotated[list[str], msgspec.Meta(description="The browser permissions it uses")]
    registeredId: Annotated[
        str | None, msgspec.Meta(description="The id it registers with; null: not known yet")
    ]
    registeredFrom: Annotated[
        str | None,
        msgspec.Meta(description="`build` (read from its build), `load` (seen at its first load)"),
    ]
    mismatch: Annotated[
        bool, msgspec.Meta(description="It registers under another id: it is not started")
    ]
    installed: Annotated[bool, msgspec.Meta(description="Installed while running (InstallPlugin)")]
    installedAt: str | None
    installedBy: str | None


class PluginSetOut(msgspec.Struct):
    version: int
    at: str | None
    by: str | None
    plugins: list[PartyPlugin]
    catalogue: list[CatalogueEntryOut]
    allowedSandboxValues: list[str]
    sharedOriginAccepted: bool = False


class RegistrationIn(msgspec.Struct, forbid_unknown_fields=True):
    """What the plugin host saw: the id a plugin of the page's manifest registered with."""

    id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    version: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    registeredId: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]


class RollbackIn(msgspec.Struct, forbid_unknown_fields=True):
    version: Annotated[int, msgspec.Meta(ge=1)]


class TokenRecord(msgspec.Struct):
    """A plugin token's holder: the session (its ref) and the plugin, of one party."""

    party: str
    session: str
    plugin: str


class InviteIn(msgspec.Struct, forbid_unknown_fields=True):
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    phone: Annotated[str, msgspec.Meta(pattern=r"^\+[1-9][0-9]{7,14}$")]


class InviteOut(msgspec.Struct, omit_defaults=True):
    sms_sent: bool
    sms_error: str | None = None
