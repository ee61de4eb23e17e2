"""axe-core (from npm, injected by Playwright) on the page as it is now: WCAG 2.1 A and AA
and best practices. The page's context needs `bypass_csp=True` (the script is injected)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from devstack.stack import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async (rules) => {
          const result = await axe.run(document, {runOnly: {type: 'tag', values: rules}});
          return result.violations.map((v) => ({id: v.id, help: v.help,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}));
        }""",
        RULES,
    )
    return found


def assert_axe_clean(page: Page, state: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{state}: {violations}"


def assert_translated(page: Page) -> None:
    """No message key was asked for that the message files lack."""
    missing = page.evaluate("() => window.__bvMissingTranslations ?? []")
    assert missing == [], missing
