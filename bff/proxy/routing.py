"""Which conference node serves a conference alias.

Most set-ups have one node (PEXIP_NODE_URL) and never touch Redis here. When a party's
options.pexip_node_url overrides it, the alias → party index written at booking decides,
with one Redis GET per alias per BFF instance (hits are cached in memory).
"""

from __future__ import annotations

from urllib.parse import unquote

from bff.core import store
from bff.core.settings import Settings
from bff.parties.models import Party

MAX_CACHED = 10_000


def conference_alias(path: str) -> str | None:
    """`/api/client/v2/conferences/<alias>/...` → the URL-decoded alias."""
    parts = path.split("?", 1)[0].split("/")
    if len(parts) > 5 and parts[4] == "conferences":
        return unquote(parts[5])
    return None


class NodeRouter:
    def __init__(self, settings: Settings, parties: dict[str, Party]) -> None:
        self.default = settings.vdx.node_url
        self.overrides = {
            pid: p.options.pexip_node_url for pid, p in parties.items() if p.options.pexip_node_url
        }
        self._cache: dict[str, str] = {}

    def for_party(self, party_id: str) -> str:
        return self.overrides.get(party_id, self.default)

    async def for_alias(self, redis: store.Redis, alias: str | None) -> str:
        if not self.overrides or alias is None:
            return self.default
        cached = self._cache.get(alias)
        if cached is not None:
            return cached
        party_id = await redis.get(store.ALIAS + alias)
        if party_id is None:
            return self.default  # not cached: the alias may be booked later
        if len(self._cache) >= MAX_CACHED:
            self._cache.clear()
        node = self._cache[alias] = self.for_party(store.as_text(party_id))
        return node
