"""The built-in checks of CHECKS.md; ids whose check arrives later are registered as pending."""

from __future__ import annotations

from ..model import Check
from . import (
    error_handling,
    injection,
    lint,
    log_rules,
    migrations,
    secrets,
    security,
    session,
    type_hints,
)

_PENDING = {
    "branch-coverage": ("testing", {"threshold": 80.0, "comparison": ">="}),
    "diff-coverage": ("testing", {"threshold": 80.0, "comparison": ">="}),
    "api-tests": ("testing", {}),
    "error-path-tests": ("testing", {"threshold": 100.0, "comparison": ">="}),
    "performance": ("testing", {}),
    "config-externalized": ("deployment", {}),
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
        Check("coverage", "testing", session.line_coverage, {"threshold": 80.0, "comparison": ">="},
              "line coverage of the measured source"),
        Check("lint", "implementation", lint.evaluate, {}, "ruff check under the project's config"),
        Check("security-scan", "implementation", security.evaluate,
              {"severity": "medium", "confidence": "medium"}, "bandit, at or above a severity"),
        Check("format", "implementation", lint.evaluate_format, {}, "ruff format --check"),
        Check("type-hints", "implementation", type_hints.evaluate,
              {"threshold": 100.0, "comparison": ">="}, "public functions annotated (ruff ANN)"),
        Check("injection", "implementation", injection.evaluate, {},
              "no SQL/shell/code injection or unsafe deserialisation (bandit, ruff S)"),
        Check("secrets", "implementation", secrets.evaluate, {},
              "no hard-coded secret, no committed .env"),
        Check("error-handling", "implementation", error_handling.evaluate, {},
              "no bare, blind or swallowed except; raise ... from"),
        Check("logging", "implementation", log_rules.evaluate, {},
              "no print, handlers log, no secrets in log calls"),
        Check("migrations-reversible", "deployment", migrations.evaluate, {},
              "every migration has a real down path"),
        Check("manual", "done", None, {}, "no repository evidence can prove this"),
    ]  # fmt: skip
    pending = [
        Check(check_id, phase, None, defaults) for check_id, (phase, defaults) in _PENDING.items()
    ]
    return available + pending
