"""The party a request is for: one rule for every route, guard and page."""

from __future__ import annotations

from bff.core.deps import Connection, kept, provide
from bff.core.errors import NotFound, wants_json
from bff.parties.models import Party


def provide_parties(request: Connection) -> dict[str, Party]:
    """Every party the installation serves, by id (loaded at start)."""
    return kept(request, "parties", dict[str, Party])


def provide_party(request: Connection) -> Party:
    """The party the route's guard admitted: every party-scoped guard sets `state.party`."""
    party: Party = request.state.party
    return party


# Given by the party-scoped controllers only, not app-wide: Litestar takes a failed check of a
# body field that bears a dependency's name for a fault of the dependency (500, not 400), and
# the device's enrolment body has a field `party`.
PARTY = {"party": provide(provide_party)}


def require_party(connection: Connection, party_id: str | None = None) -> Party:
    """The party named by `party_id` (by default the path's `party_id`); 404 without one: a
    page in the citizen's language, or the API's problem details."""
    if party_id is None:
        party_id = connection.path_params.get("party_id", "")
    party = provide_parties(connection).get(party_id)
    if party is None:
        if wants_json(connection.url.path):
            raise NotFound("No such party")
        raise NotFound("Siden findes ikke. Tjek adressen.", key="notFound")
    return party


def party_of_page(connection: Connection) -> Party | None:
    """The party whose path a page is under (its first segment), if any."""
    first = connection.url.path.strip("/").split("/", 1)[0]
    parties = getattr(connection.app.state, "parties", None) or {}
    return parties.get(first) if first else None
