"""The phonebook's dependencies (Litestar `Provide`; its callers' guard uses them too)."""

from __future__ import annotations

from bff.core.deps import Connection, kept, provide_node_http, provide_redis, provide_sealer
from bff.phonebook.actions import Reach
from bff.phonebook.service import PhonebookService
from bff.proxy.routing import NodeRouter


def provide_phonebook(request: Connection) -> PhonebookService:
    """The one service the app made at start (its lifespan)."""
    return kept(request, "phonebook", PhonebookService)


def provide_reach(request: Connection) -> Reach:
    """What staff's actions on a result reach (bff.phonebook.actions)."""
    return Reach(
        provide_phonebook(request),
        provide_redis(request),
        provide_sealer(request),
        kept(request, "node_router", NodeRouter),
        provide_node_http(request),
    )
