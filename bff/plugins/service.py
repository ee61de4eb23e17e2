"""Each party's plugin set, versioned in Redis; the runtime manifest; plugin tokens.

Layout per party (one Redis Cluster hash slot through the `{party}` tag):
`bv:plugins:{party}:head` the current version number, `...:v:<n>` each version (the last
MAX_VERSIONS are kept), `...:log` the history (`{version, at, by}`, newest last).
Every BFF instance reads the set at each page load: a change shows at the next load.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import msgspec
from jsonschema.exceptions import best_match

from bff.core import store
from bff.core.errors import NotFound, PreconditionFailed, Unprocessable
from bff.core.security import new_token, sha256_hex
from bff.joins.models import Session
from bff.plugins.catalogue import SAME_ORIGIN, SANDBOX_VALUES, Catalogue, CatalogueEntry
from bff.plugins.installed import LiveCatalogue
from bff.plugins.models import (
    HistoryEntry,
    PartyPlugin,
    PartyPluginIn,
    PluginSet,
    Role,
    TokenRecord,
)

log = logging.getLogger("bff.plugins")

MAX_VERSIONS = 100
REGISTRATIONS = "/api/v1/plugin-registrations"
TOKEN_FRAGMENT = "bv-plugin-token"  # noqa: S105 (a name)

# KEYS: head, new version, log, version to forget. ARGV: expected head, new version's JSON,
# its log entry, MAX_VERSIONS. Answers the new version, or -1 when the head moved on.
_WRITE = """
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
if head ~= tonumber(ARGV[1]) then return -1 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[1], head + 1)
redis.call('RPUSH', KEYS[3], ARGV[3])
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[4]), -1)
redis.call('DEL', KEYS[4])
return head + 1
"""


def _keys(party_id: str) -> str:
    return f"{store.PLUGINS}{{{party_id}}}:"


def _path(parts: Any) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def settings_problem(entry: CatalogueEntry, settings: dict[str, Any]) -> str | None:
    """The first schema violation as `.field: reason` (the field named), or None."""
    error = best_match(entry.validator.iter_errors(settings))
    if error is None:
        return None
    where = _path(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [p for p in error.validator_value if p not in error.instance]
        if missing:
            return f"{where}.{missing[0]}: required"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extra = [p for p in error.instance if p not in known]
        if extra:
            return f"{where}.{extra[0]}: not a setting of this plugin"
    return f"{where}: {error.message}"


class PluginService:
    def __init__(
        self,
        redis: store.Redis,
        live: LiveCatalogue,
        *,
        separate_origin: bool,
        branding_plugins: Callable[[str], Awaitable[list[dict[str, Any]]]] | None = None,
    ) -> None:
        self.redis = redis
        self.live = live
        self.separate_origin = separate_origin
        # The party's active branding package's `plugins` ([{id, sandboxValues?}]), merged
        # after the party's own set (bff.branding).
        self.branding_plugins = branding_plugins

    @property
    def catalogue(self) -> Catalogue:
        """As last read (`refresh` reads it again when a plugin was installed or removed)."""
        return self.live.snapshot

    async def refresh(self) -> Catalogue:
        return await self.live.refresh(self.redis)

    async def parties_using(self, entry: CatalogueEntry, party_ids: Sequence[str]) -> list[str]:
        """The parties whose current set names this version (or the id without a version,
        when it is the newest)."""
        newest = self.catalogue.get(entry.id)
        out = []
        for party_id in party_ids:
            for plugin in (await self.current(party_id)).plugins:
                chosen = plugin.version or (newest.version if newest else None)
                if plugin.id == entry.id and chosen == entry.version:
                    out.append(party_id)
                    break
        return out

    @property
    def allowed_sandbox(self) -> tuple[str, ...]:
        """`allow-same-origin` only where plugins have an origin of their own."""
        if self.separate_origin:
            return SANDBOX_VALUES
        return tuple(v for v in SANDBOX_VALUES if v != SAME_ORIGIN)

    # -- the party's set ------------------------------------------------------------------
    async def current(self, party_id: str) -> PluginSet:
        prefix = _keys(party_id)
        head = await self.redis.get(prefix + "head")
        if head is None:
            return PluginSet(version=0)
        return await self.version(party_id, int(head))

    async def version(self, party_id: str, number: int) -> PluginSet:
        raw = await self.redis.get(f"{_keys(party_id)}v:{number}")
        if raw is None:
            raise NotFound(f"No version {number} (the last {MAX_VERSIONS} are kept)")
        return msgspec.json.decode(raw, type=PluginSet)

    async def history(self, party_id: str) -> list[HistoryEntry]:
        raw = await self.redis.lrange(_keys(party_id) + "log", 0, -1)
        return [msgspec.json.decode(item, type=HistoryEntry) for item in raw]

    def validate(
        self, plugins: list[PartyPluginIn], shared_origin_accepted: bool = False
    ) -> list[PartyPlugin]:
        """The set as it will be stored (defaults filled in); Unprocessable naming the field.
        A second plugin granted allow-same-origin only when the operator accepted that such
        plugins share one origin (`shared_origin_accepted`)."""
        out: list[PartyPlugin] = []
        seen: set[str] = set()
        allowed = self.allowed_sandbox
        for index, item in enumerate(plugins):
            where = f"plugins[{index}]"
            entry = self.catalogue.get(item.id, item.version)
            if entry is None and item.id in self.catalogue:
                have = ", ".join(e.version for e in self.catalogue.versions(item.id))
                raise Unprocessable(
                    f"{where}.version: no version {item.version!r} of {item.id!r} in the "
                    f"catalogue (it has {have})"
                )
            if entry is None:
                raise Unprocessable(f"{where}.id: no plugin {item.id!r} in the catalogue")
            if item.id in seen:
                raise Unprocessable(f"{where}.id: {item.id!r} is in the set twice")
            seen.add(item.id)
            problem = settings_problem(entry, entry.defaults() | item.settings)
            if problem is not None:
                raise Unprocessable(f"{where}.settings{problem}")
            sandbox = list(
                entry.default_sandbox if item.sandboxValues is None else item.sandboxValues
            )
            for position, value in enumerate(sandbox):
                if value == SAME_ORIGIN and value not in allowed:
                    raise Unprocessable(
                        f"{where}.sandboxValues[{position}]: allow-same-origin is refused: "
                        "plugins are served from the app's own origin (set BV_PLUGIN_ORIGIN "
                        "to a host name of their own)"
                    )
                if value not in allowed:
                    raise Unprocessable(
                        f"{where}.sandboxValues[{position}]: {value!r} is not one of "
                        + ", ".join(allowed)
                    )
            roles = list(entry.default_roles if item.roles is None else item.roles)
            for position, value in enumerate(item.allow or []):
                if value not in entry.allow:
                    uses = ", ".join(entry.allow) or "none"
                    raise Unprocessable(
                        f"{where}.allow[{position}]: {value!r} is not a permission "
                        f"{entry.id!r} uses (its plugin.json allow: {uses})"
                    )
            out.append(
                PartyPlugin(
                    id=item.id,
                    enabled=item.enabled,
                    settings=item.settings,
                    sandboxValues=list(dict.fromkeys(sandbox)),
                    roles=list(dict.fromkeys(roles)),
                    allow=list(dict.fromkeys(item.allow or [])),
                    version=entry.version,
                )
            )
        shared = [i for i, p in enumerate(out) if SAME_ORIGIN in p.sandboxValues]
        if len(shared) > 1 and not shared_origin_accepted:
            first, second = out[shared[0]].id, out[shared[1]].id
            raise Unprocessable(
                f"plugins[{shared[1]}].sandboxValues: allow-same-origin for a second plugin "
                f"({first!r} has it): plugins granted it share one plugin origin, so "
                f"{first!r} and {second!r} could read each other's frames, storage and plugin "
                'tokens. Send "sharedOriginAccepted": true to accept that'
            )
        return out

    async def replace(
        self,
        party_id: str,
        expected: int,
        plugins: list[PartyPluginIn],
        by: str,
        shared_origin_accepted: bool = False,
    ) -> PluginSet:
        await self.refresh()
        chosen = self.validate(plugins, shared_origin_accepted)
        return await self._write(party_id, expected, chosen, by, shared_origin_accepted)

    async def rollback(self, party_id: str, expected: int, number: int, by: str) -> PluginSet:
        old = await self.version(party_id, number)
        await self.refresh()
        # Checked against today's catalogue: a plugin gone or a schema changed is named.
        again = [
            PartyPluginIn(p.id, p.version, p.enabled, p.settings, p.sandboxValues, p.roles, p.allow)
            for p in old.plugins
        ]
        accepted = old.sharedOriginAccepted
        return await self._write(party_id, expected, self.validate(again, accepted), by, accepted)

    async def _write(
        self,
        party_id: str,
        expected: int,
        plugins: list[PartyPlugin],
        by: str,
        shared_origin_accepted: bool = False,
    ) -> PluginSet:
        prefix = _keys(party_id)
        number = expected + 1
        at = datetime.now(UTC).isoformat(timespec="seconds")
        record = PluginSet(
            version=number,
            at=at,
            by=by,
            plugins=plugins,
            sharedOriginAccepted=shared_origin_accepted,
        )
        entry = HistoryEntry(version=number, at=at, by=by)
        written = await self.redis.eval(
            _WRITE,
            4,
            prefix + "head",
            f"{prefix}v:{number}",
            prefix + "log",
            f"{prefix}v:{number - MAX_VERSIONS}",
            expected,
            msgspec.json.encode(record),
            msgspec.json.encode(entry),
            MAX_VERSIONS,
        )
        if int(written) < 0:
            current = await self.redis.get(prefix + "head")
            raise PreconditionFailed(
                f"The set changed since version {expected} (now {int(current or 0)}): "
                "read it again, then make your change"
            )
        log.info("plugin set party=%s version=%d by=%s", party_id, number, by)
        return record

    # -- what a page loads ----------------------------------------------------------------
    def from_branding(self, refs: Sequence[dict[str, Any]]) -> list[PartyPlugin]:
        """A branding package's `plugins` as set entries with the catalogue's defaults: each
        must name a catalogue plugin (its code never comes from the package). Entries no
        longer valid (the catalogue changed since the upload) are left out."""
        out = []
        for ref in refs:
            try:
                item = PartyPluginIn(ref["id"], sandboxValues=ref.get("sandboxValues"))
                out += self.validate([item])
            except Unprocessable:
                log.warning(
                    "branding plugin %r no longer fits the catalogue; left out", ref.get("id")
                )
        return out

    def effective_settings(
        self, entry: CatalogueEntry, chosen: PartyPlugin | None
    ) -> dict[str, Any]:
        return entry.defaults() | (chosen.settings if chosen else {})

    async def page_plugins(
        self, party_id: str, role: Role, branding: Sequence[dict[str, Any]] | None = None
    ) -> list[tuple[CatalogueEntry, PartyPlugin]]:
        """The enabled plugins for `role`, in the set's order (ones gone from the catalogue
        are left out), then the branding package's plugins the set does not name (the set
        decides about a plugin it names, on or off). `branding`: that package's `plugins`
        (None: the active package's)."""
        await self.refresh()
        chosen = await self.current(party_id)
        if branding is None and self.branding_plugins is not None:
            branding = await self.branding_plugins(party_id)
        named = {plugin.id for plugin in chosen.plugins}
        extra = [p for p in self.from_branding(branding or []) if p.id not in named]
        if not chosen.sharedOriginAccepted:
            extra = _one_same_origin(chosen.plugins, extra)
        out = []
        for plugin in [*chosen.plugins, *extra]:
            entry = self.catalogue.get(plugin.id, plugin.version)
            # A plugin registering under another id than its plugin.json's is not started
            # (the host would refuse it; the admin page shows why).
            if entry is None or entry.mismatch:
                continue
            if plugin.enabled and role in plugin.roles:
                out.append((entry, plugin))
        return out

    async def runtime_manifest(
        self,
        party_id: str,
        role: Role,
        files_base: str,
        api_base: str,
        session: tuple[str, int] | None,
        branding: Sequence[dict[str, Any]] | None = None,
    ) -> list[dict[str, Any]]:
        """`manifest.plugins`: `[{id, version, src, sandboxValues, allow, check}]` (`allow`: the
        permissions granted that the catalogue entry still declares; `check`: where the host
        reports the id the plugin registers with, while the catalogue does not know it).
        `session` (its ref and seconds left): plugins that use the plugin API get a token in
        their `src` fragment."""
        manifest = []
        for entry, plugin in await self.page_plugins(party_id, role, branding):
            fragment = {"bv-party": party_id, "bv-api": api_base}
            if session is not None and entry.api:
                fragment[TOKEN_FRAGMENT] = await self.issue_token(party_id, entry.id, *session)
            sandbox = [v for v in plugin.sandboxValues if v in self.allowed_sandbox]
            src = (
                f"{files_base}/plugin-files/{quote(entry.id)}/{quote(entry.version)}/"
                f"{quote(entry.entry_file)}#"
                + "&".join(f"{k}={quote(v, safe='')}" for k, v in fragment.items())
            )
            allow = [v for v in plugin.allow if v in entry.allow]
            item = {
                "id": entry.id,
                "version": entry.version,
                "src": src,
                "sandboxValues": sandbox,
                "allow": allow,
            }
            if entry.registered_id is None:
                item["check"] = REGISTRATIONS
            manifest.append(item)
        return manifest

    # -- plugin tokens ----------------------------------------------------------------------
    async def issue_token(self, party_id: str, plugin_id: str, session_ref: str, ttl: int) -> str:
        """One token per (session, plugin): a new page load's token replaces the last one."""
        token = new_token()
        digest = sha256_hex(token)
        record = msgspec.json.encode(TokenRecord(party_id, session_ref, plugin_id))
        current = f"{store.PLUGIN_TOKEN}of:{session_ref}:{plugin_id}"
        previous = await self.redis.set(current, digest, ex=ttl, get=True)
        async with self.redis.pipeline(transaction=False) as pipe:  # two slots in a cluster
            pipe.set(store.PLUGIN_TOKEN + digest, record, ex=ttl)
            if isinstance(previous, bytes | str) and previous:  # SET ... GET: the old digest
                pipe.delete(store.PLUGIN_TOKEN + store.as_text(previous))
            await pipe.execute()
        return token

    async def token_holder(
        self, token: str, api: str
    ) -> tuple[TokenRecord, Session, CatalogueEntry] | None:
        """Who holds `token`, if it still stands: its session lives, its plugin is in the
        catalogue with `api` and still enabled for the session's party and role."""
        if not 16 <= len(token) <= 64:
            return None
        raw = await self.redis.get(store.PLUGIN_TOKEN + sha256_hex(token))
        if raw is None:
            return None
        record = msgspec.json.decode(raw, type=TokenRecord)
        await self.refresh()
        raw_session = await self.redis.get(store.SESSION + record.session)
        if raw_session is None:
            return None
        try:
            session = msgspec.json.decode(raw_session, type=Session)
        except msgspec.ValidationError:
            return None
        enabled = await self.page_plugins(record.party, session.grant.role)
        entry = next((e for e, _ in enabled if e.id == record.plugin), None)
        if session.party != record.party or entry is None or api not in entry.api:
            return None
        return record, session, entry


def _one_same_origin(chosen: list[PartyPlugin], extra: list[PartyPlugin]) -> list[PartyPlugin]:
    """A branding package's plugins lose allow-same-origin where the party's set (not
    accepting a shared origin) already grants it to one: never two on one origin unasked."""
    taken = any(SAME_ORIGIN in p.sandboxValues for p in chosen)
    out = []
    for plugin in extra:
        if SAME_ORIGIN in plugin.sandboxValues:
            if taken:
                sandbox = [v for v in plugin.sandboxValues if v != SAME_ORIGIN]
                plugin = msgspec.structs.replace(plugin, sandboxValues=sandbox)
            taken = True
        out.append(plugin)
    return out
