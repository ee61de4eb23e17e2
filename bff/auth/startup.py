"""What start-up says about identity: static keys that are present but switched off."""

from __future__ import annotations

import logging

from bff.core.settings import Settings
from bff.parties.models import Party

log = logging.getLogger("bff.auth")


def warn_about_static_keys(settings: Settings, parties: dict[str, Party]) -> None:
    """One warning per kind of key that parties hold while this installation ignores it
    (BV_API_KEYS / BV_ADMIN_KEYS unset outside the development stack)."""
    with_api = [p.id for p in parties.values() if p.api_key_hashes]
    with_admin = [p.id for p in parties.values() if p.admin_keys]
    if with_api and not settings.api_keys_on:
        log.warning(
            "X-API-Key switched off (BV_API_KEYS=1 switches it on): the API keys of %s are "
            "ignored; case systems use OAuth2 access tokens",
            ", ".join(with_api),
        )
    if with_admin and not settings.admin_keys_on:
        log.warning(
            "X-Admin-Key switched off (BV_ADMIN_KEYS=1 switches it on): the admin keys of %s "
            "are ignored; administrators log in",
            ", ".join(with_admin),
        )
