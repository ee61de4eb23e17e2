"""The auth domain's dependencies (Litestar `Provide`; guards call them with the connection)."""

from __future__ import annotations

from bff.auth.idp import Issuers
from bff.auth.sessions import StaffLogin
from bff.core.deps import Connection, kept, provide
from bff.parties.deps import PARTY


def provide_issuers(request: Connection) -> Issuers:
    """The parties' OIDC brokers: discovery and JWKS cached per process."""
    return kept(request, "issuers", Issuers)


def provide_staff_login(request: Connection) -> StaffLogin:
    """The staff login the route's guard admitted (`requires_staff`, `requires_staff_login`)."""
    login: StaffLogin = request.state.staff
    return login


STAFF_LOGIN = {"login": provide(provide_staff_login)}


def provide_admin(request: Connection) -> str:
    """Who acts as the party's administrator (`requires_party_admin` admitted them): the admin
    key's id, or `admin:` and a pseudonym of the login's subject. Recorded with each change."""
    admin: str = request.state.admin
    return admin


# The party and its administrator, for the routes of a PartyAdminController.
PARTY_ADMIN = PARTY | {"admin": provide(provide_admin)}
