"""deploy/'s Prometheus alert rules and Grafana dashboard name only metrics a running BFF
exports at /metrics (promtool is not at hand: the expressions are read here)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from litestar import Litestar
from litestar.testing import AsyncTestClient

ROOT = Path(__file__).resolve().parents[2]
ALERTS = ROOT / "deploy" / "prometheus" / "borgervideo-alerts.yml"
DASHBOARD = ROOT / "deploy" / "grafana" / "borgervideo-dashboard.json"
# Series Prometheus makes itself for every scrape target, not the BFF.
PROMETHEUS_OWN = frozenset({"up", "scrape_duration_seconds", "scrape_samples_scraped"})
# PromQL words that are no series: operators and modifiers (functions and aggregations are
# told apart by the parenthesis that follows them).
KEYWORDS = frozenset(
    {
        "and",
        "or",
        "unless",
        "bool",
        "offset",
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "inf",
        "nan",
        "atan2",
    }
)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_NAME = re.compile(r"(?<![\w:.$])([A-Za-z_:][\w:]*)(\s*\()?")


def series_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects."""
    text = _STRING.sub('""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)  # label matchers (Grafana's $variables in them)
    text = re.sub(r"\[[^\]]*\]", " ", text)  # ranges, subqueries, $__rate_interval
    text = _GROUPING.sub(" ", text)
    names = set()
    for match in _NAME.finditer(text):
        name, called = match.group(1), match.group(2)
        if not called and name not in KEYWORDS:
            names.add(name)
    return names


def exported_names(exposition: str) -> set[str]:
    """Every series name /metrics offers, also of families with no labelled child yet."""
    names: set[str] = set()
    for line in exposition.splitlines():
        if line.startswith("# TYPE "):
            _, _, family, kind = line.split(" ", 3)
            base = family.removesuffix("_total")
            names |= {family}
            if kind == "histogram":
                names |= {f"{base}_bucket", f"{base}_count", f"{base}_sum"}
            if kind == "counter":
                names |= {f"{base}_total"}
        elif line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return names


def alert_rules() -> list[dict[str, Any]]:
    return [
        rule for group in yaml.safe_load(ALERTS.read_text())["groups"] for rule in group["rules"]
    ]


def dashboard_queries() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text())
    queries = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    for variable in dashboard["templating"]["list"]:
        found = re.fullmatch(r"label_values\((.*),\s*\w+\)", variable.get("query", "") or "")
        if variable["type"] == "query" and found:
            queries.append(found.group(1))
    return queries


def test_series_names_reads_promql() -> None:
    expr = (
        'sum by (le, instance) (rate(bv_x_bucket{status=~"5..", job="$job"}[5m] offset 1h))'
        " / ignoring(kind) group_left sum(bv_y_total) > 0.5 and on(instance) up == 0"
        " or vector(1e3) unless histogram_quantile(0.9, z:rule:sum[$__rate_interval])"
    )
    assert series_names(expr) == {"bv_x_bucket", "bv_y_total", "up", "z:rule:sum"}


def test_alert_rules_are_complete() -> None:
    rules = alert_rules()
    assert len({rule["alert"] for rule in rules}) == len(rules) >= 8
    for rule in rules:
        assert rule["expr"].strip() and rule["labels"]["severity"] in (
            "critical",
            "warning",
            "info",
        )
        assert rule["annotations"]["summary"], rule["alert"]


async def test_every_metric_named_in_deploy_is_exported(client: AsyncTestClient[Litestar]) -> None:
    await client.get("/healthz")  # at least one request counted
    answer = await client.get("/metrics")  # the development settings: open without a token
    assert answer.status_code == 200
    exported = exported_names(answer.text) | PROMETHEUS_OWN
    assert "bv_dependency_errors_total" in exported  # the parse sees unobserved families
    named = {
        (source, name)
        for source, queries in (
            ("alerts", [rule["expr"] for rule in alert_rules()]),
            ("dashboard", dashboard_queries()),
        )
        for query in queries
        for name in series_names(query)
    }
    assert {name for _, name in named} >= {
        "bv_dependency_request_duration_seconds_bucket",
        "bv_dependency_errors_total",
        "bv_proxy_upstream_errors_total",
        "bv_redis_errors_total",
        "bv_http_requests_total",
    }
    unknown = sorted(f"{source}: {name}" for source, name in named if name not in exported)
    assert not unknown, unknown
