"""The block structures real definitions state promises in, the lines that only look like
promises, and the structure, rule or reason each reading records (issue 12)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_agentgates.checks import builtin_checks
from pytest_agentgates.definitions.catalog import Catalog
from pytest_agentgates.definitions.extract import extract
from pytest_agentgates.definitions.mapping import read_items
from pytest_agentgates.model import AgentDefinition, ChecklistItem

ROOT = Path(__file__).resolve().parents[2]
CATALOG = Catalog.load([ROOT / "pytest_agentgates" / "gates" / "builtin.yaml"])
CHECKS = {check.id: check for check in builtin_checks()}


def readings(markdown: str):
    items, left_out = extract(textwrap.dedent(markdown).lstrip())
    agent = AgentDefinition("a", "a.md", items, (), left_out)
    return read_items(agent, CATALOG.match, CHECKS), left_out


def gates(markdown: str) -> dict[str, tuple]:
    """text -> (structure, checks, params, negative) of every gate."""
    found, _ = readings(markdown)
    return {
        r.item.text: (r.item.shape, r.gate.checks, dict(r.gate.params), r.item.negative)
        for r in found
        if r.gate is not None
    }


def reasons(markdown: str) -> dict[str, str]:
    """text -> why it is left out, for every candidate that is not a gate."""
    found, left_out = readings(markdown)
    return {
        **{r.item.text: r.reason for r in found if r.gate is None},
        **{left.text: left.reason for left in left_out},
    }


def test_gate_blocks_with_bold_sub_labels_under_a_quality_gates_heading():
    found = gates(
        """
        ## CI/CD Quality Gates

        **Fast Feedback Loop (< 5 minutes):**
        - Linting and formatting checks
        - Unit test execution

        **Deployment Blockers:**
        - Coverage below threshold
        - Security vulnerabilities

        **Tooling:**
        - GitHub Actions runners
        """
    )
    assert found["Linting and formatting checks"][:2] == ("gate-block", ("lint", "format"))
    assert found["Unit test execution"][:2] == ("gate-block", ("tests-pass",))
    coverage = found["Coverage below threshold"]
    assert coverage == ("refusal-list", ("coverage",), {"threshold": 80, "comparison": ">="}, True)
    assert found["Security vulnerabilities"][1] == ("security-scan",)
    assert "GitHub Actions runners" not in found  # a topic label, not a block of conditions


@pytest.mark.parametrize(
    "heading", ["Anti-patterns (refuse to ship)", "Never", "Red flags", "Blocking issues"]
)
def test_refusal_lists_are_negative_promises_with_their_bounds_inverted(heading):
    found = gates(
        f"""
        ## {heading}
        - Generic `\\Exception`. Use typed.
        - `dd()`, `dump()` committed.
        - Functions over 50 lines
        - Test coverage below 75%
        """
    )
    assert found["Generic \\Exception. Use typed"][:2] == ("refusal-list", ("error-handling",))
    assert found["dd(), dump() committed"][1:] == (("manual",), {}, True)
    assert found["Functions over 50 lines"][2]["max_lines"] == 50  # "over 50" fails, 50 passes
    assert found["Test coverage below 75%"][2] == {"threshold": 75, "comparison": ">="}


def test_a_topic_about_anti_patterns_is_not_a_refusal_list():
    markdown = """
        ### Common Vulnerability Patterns
        **Systematic detection of security anti-patterns and vulnerabilities:**

        - **Injection Attacks**: SQL injection, XSS, command injection
        """
    assert gates(markdown) == {}


def test_terse_imperatives_without_must_or_always():
    found = gates(
        """
        ## Rules
        - Migrations reversible. Every `up()` has working `down()`.
        - Feature tests every endpoint.
        - Use type hints for all functions and classes
        - Use appropriate design patterns
        """
    )
    assert found["Migrations reversible"][:2] == ("prose", ("migrations-reversible",))
    assert "Every up() has working down()" not in found  # the same promise, on the same line
    assert found["Feature tests every endpoint"][1] == ("api-tests",)
    assert found["Use type hints for all functions and classes"][1] == ("type-hints",)
    assert "Use appropriate design patterns" not in found


def test_labelled_list_items_and_bounds_under_a_metric_heading():
    found = gates(
        """
        ## Pull requests
        - **Size Limits**: <400 lines changed (excluding tests)
        - **Security vulnerabilities**: Address before merging, escalate critical issues

        ### Cyclomatic Complexity
        - Acceptable: 1-10
        - Refactor Required: 16+ (blocking)
        """
    )
    size = found["Size Limits: <400 lines changed (excluding tests)"]
    assert (size[0], size[1], size[2]["max_lines"]) == ("labelled-item", ("change-size",), 399)
    security = found["Security vulnerabilities: Address before merging, escalate critical issues"]
    assert security[:2] == ("labelled-item", ("security-scan",))
    complexity = found["Refactor Required: 16+ (blocking)"]
    assert (complexity[1], complexity[2]["max_complexity"]) == (("function-size",), 15)
    assert "Acceptable: 1-10" not in found  # a band, not a requirement


def test_prose_rules_inside_a_paragraph_and_mandatory_labels():
    found = gates(
        """
        ## Docker
        Keep images small. Always run containers as non-root users.

        ## Output Standards

        Always provide:
        - Proper error handling
        - Database migration scripts
        """
    )
    assert found["Always run containers as non-root users"][:2] == ("prose", ("container",))
    assert "Keep images small" not in found
    assert found["Proper error handling"][:2] == ("mandatory-list", ("error-handling",))
    assert found["Database migration scripts"][1] == ("migrations-in-sync",)


def test_box_drawn_gate_lists_outside_a_fence():
    found = gates(
        """
        ┌──────────────────────────────┐
        │ Testing Types:               │
        │ • Visual regression testing  │
        │ Quality Gates:               │
        │ • 80%+ code coverage         │
        └──────────────────────────────┘
        """
    )
    assert found == {
        "80%+ code coverage": (
            "box-gate-list", ("coverage",), {"threshold": 80, "comparison": ">="}, False
        )
    }  # fmt: skip


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Lead time for changes: <1 hour", "kpi"),
        ("MTTR <30 minutes", "kpi"),
        ("Change failure rate <5%", "kpi"),
        ("Parallel execution when possible", "tooling-wish"),
        ("Cache optimization for repeated runs", "tooling-wish"),
        ("Validate requirements with stakeholders", "process-step"),
        ("Infrastructure automation 100% achieved", "kpi"),
        ("Service availability > 99.9% maintained", "kpi"),
        ("Teams trained", "people"),
        ("Extract color palette", "task-step"),
        ("All deployment inputs MUST be validated before execution", "operator-input"),
        ('Check: `helm list -q | grep -qx "$SERVICE" || exit 1`', "shell-command"),
    ],
)
def test_kpis_tooling_wishes_and_process_steps_under_a_gate_heading_are_left_out(line, reason):
    left_out = reasons(f"## Quality Gates\n- {line}\n- All tests pass\n")
    shown = line.replace("`", "")
    assert left_out[shown].startswith(f"{reason}: ")


def test_role_sentences_are_left_out_even_with_must():
    text = "You are a CI/CD Pipeline Architect who MUST be used proactively for pipelines"
    assert reasons(text + ".\n")[text].startswith("role: ")


def test_every_left_out_candidate_says_why():
    left_out = reasons(
        """
        ## Definition of Done
        - All tests pass
        - all tests pass.

        ```python
        assert coverage > 90
        ```

        <example>
        - [ ] 80% coverage
        </example>

        Consider caching.

        ## Example output
        - Achieved 88% test coverage
        """
    )
    assert left_out["all tests pass"] == "the same promise as line 2"
    assert (
        left_out["```python"].startswith("code fence: ") and "(lines 5-7)" in left_out["```python"]
    )
    assert left_out["<example>"].startswith("example block <example>")
    assert left_out["Achieved 88% test coverage"].startswith("under the example or sample heading")
    assert left_out["Consider caching"].startswith("prose without must/always/never")


def test_within_a_catalog_the_check_named_first_wins_and_manual_rules_veto():
    def checks(text: str) -> tuple[str, ...]:
        return CATALOG.match(ChecklistItem(text, 1, "", "checkbox")).checks

    assert checks("Errors handled gracefully and logged consistently") == ("error-handling",)
    assert checks("PEP 8 compliance with black formatting") == ("lint",)
    assert checks("Go code properly formatted with gofmt") == ("manual",)
    assert checks("No linter or security-scanner warnings") == ("lint", "security-scan")


def test_a_kpi_word_does_not_hide_a_coverage_promise():
    assert gates("## Quality Gates\n- Test automation > 80% coverage\n")[
        "Test automation > 80% coverage"
    ][1] == ("coverage",)


def test_labels_under_a_heading_about_setting_standards_name_topics():
    markdown = """
        ### Performance Requirements Definition
        **Setting and maintaining performance standards:**

        - **Response Time Budgets**: Clear targets for API endpoints
        - **Testing Requirements**: Coverage targets, test types, and quality expectations
        """
    assert gates(markdown) == {}


def test_a_labelled_item_is_read_by_its_value_before_its_label():
    found = gates(
        """
        ## Quality Gates & Process
        - **Comprehensive Testing:** Ensure all new logic is covered by a suite of tests.
        """
    )
    assert found["Comprehensive Testing: Ensure all new logic is covered by a suite of tests"][
        1
    ] == ("diff-coverage",)


def test_earliest_words_fall_back_past_an_unless_and_keep_backreferences(tmp_path):
    custom = tmp_path / "team.yaml"
    custom.write_text(
        "schema: pytest-agentgates-catalog/1\nrules:\n"
        "  - {id: a, checks: [lint], match: ['alpha'], unless: ['zzz']}\n"
        "  - {id: b, checks: [format], match: ['beta']}\n"
        "  - {id: c, checks: [docs], match: ['(gamma) \\1']}\n",
        encoding="utf-8",
    )
    catalog = Catalog.load([custom])

    def rule(text: str) -> str | None:
        found = catalog.match(ChecklistItem(text, 1, "", "checkbox"))
        return found.rule.id if found else None

    assert rule("alpha then beta") == "a"
    assert rule("alpha then beta, zzz") == "b"  # the earliest rule is vetoed by its unless
    assert rule("gamma gamma") == "c" and rule("gamma delta") is None
