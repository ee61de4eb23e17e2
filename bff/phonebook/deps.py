"""The phonebook's dependencies (Litestar `Provide`)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from bff.phonebook.service import PhonebookService


def provide_phonebook(request: Request[Any, Any, Any]) -> PhonebookService:
    """The one service the app made at start (its lifespan)."""
    service: PhonebookService = request.app.state.phonebook
    return service
