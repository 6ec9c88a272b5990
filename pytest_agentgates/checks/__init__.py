"""The built-in checks of CHECKS.md; ids whose check arrives later are registered as pending."""

from __future__ import annotations

from ..model import Check
from . import (
    dependencies,
    docs,
    function_size,
    import_cycles,
    lint,
    migrations,
    security,
    session,
    stubs,
)

_PENDING = {
    "branch-coverage": ("testing", {"threshold": 80.0, "comparison": ">="}),
    "diff-coverage": ("testing", {"threshold": 80.0, "comparison": ">="}),
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
    "openapi": ("implementation", {}),
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
        Check("migrations-reversible", "deployment", migrations.evaluate, {},
              "every migration has a real down path"),
        Check("function-size", "implementation", function_size.evaluate,
              {"max_lines": 50, "max_complexity": 10},
              "lines of code and McCabe complexity of every function"),
        Check("stubs", "implementation", stubs.evaluate, {},
              "no NotImplementedError, empty function or TODO left in the source"),
        Check("import-cycles", "design", import_cycles.evaluate, {},
              "no import cycle among the project's modules; layer rules hold"),
        Check("docs", "deployment", docs.evaluate, {"threshold": 80.0, "comparison": ">="},
              "README sections and docstring coverage of the public API"),
        Check("dependencies", "implementation", dependencies.evaluate, {},
              "third-party imports declared; dependencies pinned or locked"),
        Check("manual", "done", None, {}, "no repository evidence can prove this"),
    ]  # fmt: skip
    pending = [
        Check(check_id, phase, None, defaults) for check_id, (phase, defaults) in _PENDING.items()
    ]
    return available + pending
