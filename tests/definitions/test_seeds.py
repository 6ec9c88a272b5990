"""Acceptance on the five reference definitions of ../shared/seeds (read there, never copied)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not available")

SEED_000 = {
    "design": [
        ("Requirements clearly defined and understood", ["manual"]),
        ("Technology stack appropriate for requirements", ["manual"]),
        ("Architecture aligns with system design", ["import-cycles"]),
        ("Security requirements identified", ["manual"]),
        ("Performance requirements specified", ["manual"]),
        ("Testing strategy planned", ["manual"]),
    ],
    "implementation": [
        ("Code follows project conventions and style guides", ["lint"]),
        ("All business logic properly implemented", ["stubs"]),
        ("Error handling comprehensive and appropriate", ["error-handling"]),
        ("Input validation prevents security vulnerabilities", ["injection"]),
        ("Database interactions optimized", ["manual"]),
        ("Logging and monitoring instrumented", ["logging"]),
    ],
    "testing": [
        ("Unit tests cover all business logic", ["coverage"]),
        ("Integration tests validate API contracts", ["api-tests"]),
        ("Security tests prevent common vulnerabilities", ["security-scan"]),
        ("Performance tests meet requirements", ["performance"]),
        ("Error scenarios properly handled", ["error-path-tests"]),
        ("Edge cases thoroughly tested", ["branch-coverage"]),
    ],
    "deployment": [
        ("Configuration management properly implemented", ["config-externalized"]),
        ("Environment-specific settings externalized", ["config-externalized"]),
        ("Health checks and monitoring configured", ["health-check"]),
        ("Deployment pipeline functional", ["ci-pipeline"]),
        ("Rollback procedures tested", ["migrations-roundtrip"]),
        ("Documentation complete and accurate", ["docs"]),
    ],
    "done": [
        ("All acceptance criteria satisfied & tests passing", ["tests-pass"]),
        ("No ⚠ linter or security\u2011scanner warnings", ["lint", "security-scan"]),
        ("Implementation Report delivered", ["report"]),
    ],
}


@pytest.fixture
def mapping(pytester, seed):
    """The JSON report of ``--collect-only`` over one seed installed as .claude/agents/*.md."""

    def run(number: str) -> list[dict]:
        pytester.makefile(".toml", pyproject="[tool.pytest.ini_options]\n")
        agents = pytester.path / ".claude" / "agents"
        agents.mkdir(parents=True, exist_ok=True)
        agents.joinpath("backend-developer.md").write_text(seed(number), encoding="utf-8")
        result = pytester.runpytest(
            "--agent-gates", "--collect-only", "--agent-gates-json=gates.json"
        )
        assert result.ret in (0, 5), result.stdout.str()  # 5: a seed without promises
        report = json.loads((pytester.path / "gates.json").read_text(encoding="utf-8"))
        assert report["schema"] == "pytest-agentgates/1"
        assert {item["status"] for item in report["agents"][0]["items"]} <= {"not-run"}
        return report["agents"][0]["items"]

    return run


def test_seed_000_phase_checklists_and_definition_of_done(mapping):
    items = mapping("000")
    checklist = [
        i
        for i in items
        if i["heading"].endswith("Validation") or i["heading"] == "Definition of Done"
    ]
    for phase, expected in SEED_000.items():
        found = [(i["text"], i["checks"]) for i in checklist if i["phase"] == phase]
        assert found == [(text, checks) for text, checks in expected], phase
    functions = next(i for i in items if "functions <40 lines" in i["text"])
    assert functions["checks"] == ["function-size"] and functions["params"]["max_lines"] == 39
    assert functions["line"] == 92


def test_seed_003_prose_requirements_with_thresholds(mapping):
    items = {item["text"]: item for item in mapping("003")}
    coverage = items["80%+ test coverage"]
    assert (coverage["checks"], coverage["params"]) == (
        ["coverage"],
        {"threshold": 80.0, "comparison": ">="},
    )
    latency = items["Sub-100ms p95 response time"]
    assert (latency["checks"], latency["params"]) == (
        ["performance"],
        {"p95_ms": 100.0, "comparison": "<"},
    )
    migrations = items["Always create migrations with up() and down() functions"]
    assert migrations["checks"] == ["migrations-reversible"]
    rollback = items["All operations MUST have a rollback path completing in <5 minutes"]
    assert (
        rollback["checks"] == ["migrations-roundtrip"] and rollback["params"]["max_seconds"] == 300
    )
    assert not [text for text in items if "88%" in text or "Achieved" in text]


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_no_item_comes_from_a_code_fence_or_a_sample(mapping, seed, number):
    lines = seed(number).splitlines()
    fenced, inside = set(), False
    for index, line in enumerate(lines, start=1):
        if re.match(r"\s{0,3}(```|~~~)", line):
            inside = not inside
            fenced.add(index)
        elif inside:
            fenced.add(index)
    items = mapping(number)
    assert not [item for item in items if item["line"] in fenced]
    assert not [item for item in items if "notification" in lines[item["line"] - 1].lower()]
    nodeids = [item["nodeid"] for item in items]
    assert len(nodeids) == len(set(nodeids))


def test_seed_001_and_002_promises(mapping):
    items_001 = {item["text"]: item for item in mapping("001")}
    assert items_001["Maximum 10 files per response"]["params"] == {"max_files": 10}
    assert not [
        t for t in mapping("002") if "90%" in t["text"]
    ]  # "Test coverage: 90%" is in the example


def test_the_seed_promises_the_parser_used_to_lose(mapping):
    """Issue 12: an 'Always provide:' list, labelled list items and an 'Ensure' rule."""
    provided = {
        item["text"]: item["checks"] for item in mapping("001") if item["line"] in range(263, 271)
    }
    assert provided["Proper error handling"] == ["error-handling"]
    assert provided["Comprehensive API documentation"] == ["docs"]
    assert provided["Database migration scripts"] == ["migrations-in-sync"]
    assert len(provided) == 8  # every item of the list is a promise, manual where nothing checks it
    by_line = {item["line"]: item for item in mapping("002")}
    assert by_line[65]["checks"] == [
        "security-scan"
    ]  # Security vulnerabilities: Address before merging
    sql = next(item for item in mapping("003") if item["line"] == 98)
    assert sql["text"].startswith("SQL Inputs: Use parameterized queries exclusively")
    assert sql["checks"] == ["injection"]
    logging = next(
        i for i in mapping("004") if i["text"] == "Ensure logging doesn't expose sensitive data"
    )
    assert logging["checks"] == ["logging"]
