"""Wording to check ids and parameters, through the built-in catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_agentgates.checks import builtin_checks
from pytest_agentgates.definitions import quantities
from pytest_agentgates.definitions.catalog import Catalog, CatalogError, load_rules
from pytest_agentgates.definitions.extract import extract_items
from pytest_agentgates.definitions.mapping import build_gates, slugify
from pytest_agentgates.model import AgentDefinition, ChecklistItem

ROOT = Path(__file__).resolve().parents[2]
CATALOG = Catalog.load(sorted((ROOT / "pytest_agentgates" / "gates").glob("*.yaml")))
CHECKS = {check.id: check for check in builtin_checks()}


def mapped(text: str, kind: str = "checkbox"):
    item = ChecklistItem(text, 1, "", kind)
    gates = build_gates(AgentDefinition("a", "a.md", (item,)), CATALOG.match, CHECKS)
    return (gates[0].checks, dict(gates[0].params)) if gates else None


@pytest.mark.parametrize(
    ("text", "threshold", "comparison"),
    [
        ("80%+ test coverage", 80, ">="),
        ("Test coverage > 90%", 90, ">"),
        ("at least 85 percent code coverage", 85, ">="),
        ("Test coverage: 90%", 90, ">="),
        ("Code coverage exceeding 75.5%", 75.5, ">"),
    ],
)
def test_coverage_thresholds_from_the_words(text, threshold, comparison):
    checks, params = mapped(text)
    assert checks == ("coverage",)
    assert (params["threshold"], params["comparison"]) == (threshold, comparison)


def test_latency_budgets_and_whole_number_limits():
    assert mapped("Sub-100ms p95 response time") == (
        ("performance",),
        {"p95_ms": 100.0, "comparison": "<"},
    )
    assert mapped("rollback path completing in <5 minutes")[1]["max_seconds"] == 300
    assert mapped("keep functions <40 lines")[1]["max_lines"] == 39
    assert mapped("functions of at most 40 lines")[1]["max_lines"] == 40
    assert mapped("Cyclomatic complexity < 10")[1]["max_complexity"] == 9
    assert mapped("Maximum 10 files per response") == (("change-size",), {"max_files": 10})


def test_security_severity_from_the_words():
    assert mapped("No security-scanner findings of high severity")[1]["severity"] == "high"
    assert mapped("No security-scanner warnings")[1]["severity"] == "medium"  # the default
    assert (
        mapped("No security-scanner warnings of medium or high severity")[1]["severity"] == "medium"
    )
    assert mapped("No security-scanner warnings of low severity or above")[1]["severity"] == "low"


def test_every_check_id_of_checks_md_is_reachable_from_the_builtin_catalog():
    documented = set(CHECKS)
    assert CATALOG.check_ids() == documented


def test_unmatched_items_are_manual_and_prose_needs_a_number_or_a_must():
    assert mapped("Stakeholders are delighted") == (("manual",), {})
    assert mapped("Consider caching", kind="prose") is None
    assert mapped("Integration tests for the API", kind="prose") is None
    assert mapped("Always create migrations with up() and down() functions", kind="prose")[0] == (
        "migrations-reversible",
    )


def test_coverage_that_is_not_test_coverage_is_not_the_coverage_check():
    assert mapped("100% type coverage for public APIs")[0] == ("type-hints",)
    assert mapped("Runbook coverage complete")[0] != ("coverage",)


def test_comparisons_are_honoured_exactly():
    assert quantities.satisfies(80.0, ">=", 80) and not quantities.satisfies(80.0, ">", 80)
    assert not quantities.satisfies(79.996, ">=", 80)
    assert quantities.format_percent(79.996, 80) == "79.996%"
    assert quantities.format_percent(91.234, 80) == "91.23%"


def test_slugs_are_ascii_and_stable():
    assert slugify("No ⚠ linter or security\u2011scanner warnings") == (
        "no-linter-or-security-scanner-warnings"
    )
    item = extract_items("## Definition of Done\n- Tests pass\n")[0]
    assert slugify(item.text) == "tests-pass"


def test_a_project_rule_replaces_the_builtin_rule_with_the_same_id(tmp_path):
    custom = tmp_path / "team.yaml"
    custom.write_text(
        "schema: pytest-agentgates-catalog/1\n"
        "rules:\n  - id: tests-passing\n    checks: [manual]\n    match: ['tests pass']\n",
        encoding="utf-8",
    )
    catalog = Catalog.load([custom, *sorted((ROOT / "pytest_agentgates" / "gates").glob("*.yaml"))])
    match = catalog.match(ChecklistItem("All tests pass", 1, "", "checkbox"))
    assert match.checks == ("manual",)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("rules: []\n", "schema: pytest-agentgates-catalog/1"),
        ("schema: pytest-agentgates-catalog/1\nrules:\n  - id: x\n    checks: [lint]\n    match: ['(']\n",
         "rule 'x': bad regular expression"),
        ("schema: pytest-agentgates-catalog/1\nrules:\n  - id: x\n    checks: []\n    match: [a]\n",
         "'checks' must not be empty"),
        ("schema: [\n", "catalog is not valid YAML"),
    ],
)  # fmt: skip
def test_broken_catalogs_say_what_and_where(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError, match=message.replace("(", r"\(")) as raised:
        load_rules(path)
    assert str(path) in str(raised.value)
