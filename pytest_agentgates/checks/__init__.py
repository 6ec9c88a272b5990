"""The built-in checks of CHECKS.md; ids whose check arrives later are registered as pending."""

from __future__ import annotations

from ..model import Check
from . import coverage, lint, migrations, security, session

_PENDING = {
    "api-tests": ("testing", {}),
    "error-path-tests": ("testing", {"threshold": 100.0, "comparison": ">="}),
    "performance": ("testing", {}),
    "format": ("implementation", {}),
    "type-hints": ("implementation", {}),
    "injection": ("implementation", {}),
    "secrets": ("implementation", {}),
    "config-externalized": ("deployment", {}),
    "error-handling": ("implementation", {}),
    "logging": ("implementation", {}),
    "function-size": ("implementation", {"max_lines": 50, "max_complexity": 10}),
    "stubs": ("implementation", {}),
    "import-cycles": ("design", {}),
    "docs": ("deployment", {"threshold": 80.0, "comparison": ">="}),
    "openapi": ("implementation", {}),
    "dependencies": ("implementation", {}),
    "migrations-roundtrip": ("deployment", {"max_seconds": 300.0, "comparison": "<="}),
    "migrations-in-sync": ("deployment", {}),
    "health-check": ("deployment", {}),
    "ci-pipeline": ("deployment", {}),
    "container": ("deployment", {}),
    "change-size": ("implementation", {}),
    "tests-for-changes": ("testing", {}),
    "report": ("done", {}),
}


def builtin_checks() -> list[Check]:
    available = [
        Check("tests-pass", "testing", session.tests_pass, {}, "every collected test passed"),
        Check("coverage", "testing", coverage.line_coverage, {"threshold": 80.0, "comparison": ">="},
              "line coverage of the measured source, with optional per-file floors"),
        Check("branch-coverage", "testing", coverage.branch_coverage,
              {"threshold": 80.0, "comparison": ">="}, "branch coverage of the measured source"),
        Check("diff-coverage", "testing", coverage.diff_coverage,
              {"threshold": 80.0, "comparison": ">="},
              "coverage of the statements changed against the base ref"),
        Check("lint", "implementation", lint.evaluate, {}, "ruff check under the project's config"),
        Check("security-scan", "implementation", security.evaluate,
              {"severity": "medium", "confidence": "medium"}, "bandit, at or above a severity"),
        Check("migrations-reversible", "deployment", migrations.evaluate, {},
              "every migration has a real down path"),
        Check("manual", "done", None, {}, "no repository evidence can prove this"),
    ]  # fmt: skip
    pending = [
        Check(check_id, phase, None, defaults) for check_id, (phase, defaults) in _PENDING.items()
    ]
    return available + pending
