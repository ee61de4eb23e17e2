"""The auth domain's dependencies (Litestar `Provide`; guards call them with the connection)."""

from __future__ import annotations

from bff.auth.idp import Issuers
from bff.core.deps import Connection, kept


def provide_issuers(request: Connection) -> Issuers:
    """The parties' OIDC brokers: discovery and JWKS cached per process."""
    return kept(request, "issuers", Issuers)
