"""An EOJ vendor's developer reads the API in the browser, with no CDN reachable."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from devstack.stack import Stack


def test_api_docs_show_the_meetings_operations(stack: Stack, nurse_browser: Browser) -> None:
    context = nurse_browser.new_context()
    page = context.new_page()
    page.goto(f"{stack.bff_url}/schema")
    operations = page.locator(".opblock-summary-path")
    expect(operations).to_have_count(3)
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/meetings").first).to_be_visible()
    context.close()
