"""An EOJ vendor's developer reads the API in the browser, with no CDN reachable."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, expect

from devstack.stack import Stack

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def test_api_docs_show_every_operation_of_the_schema(stack: Stack, nurse_browser: Browser) -> None:
    schema = httpx.get(f"{stack.bff_url}/schema/openapi.json", timeout=10).json()
    operations = sum(1 for item in schema["paths"].values() for method in item if method in METHODS)
    assert operations > 3  # meetings, devices, statistics, ... all documented
    context = nurse_browser.new_context()
    page = context.new_page()
    page.goto(f"{stack.bff_url}/schema")
    expect(page.locator(".opblock-summary-path")).to_have_count(operations)
    meetings = page.locator(".opblock-summary-path", has_text="/api/v1/meetings")
    expect(meetings.first).to_be_visible()
    context.close()
