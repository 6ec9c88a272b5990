"""The built-in checks of CHECKS.md; ids whose check arrives later are registered as pending."""

from __future__ import annotations

from ..model import Check
from . import ci, config, container, health, lint, migrations, openapi, security, session

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
    "error-handling": ("implementation", {}),
    "logging": ("implementation", {}),
    "function-size": ("implementation", {"max_lines": 50, "max_complexity": 10}),
    "stubs": ("implementation", {}),
    "import-cycles": ("design", {}),
    "docs": ("deployment", {"threshold": 80.0, "comparison": ">="}),
    "dependencies": ("implementation", {}),
    "migrations-roundtrip": ("deployment", {"max_seconds": 300.0, "comparison": "<="}),
    "migrations-in-sync": ("deployment", {}),
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
        Check("config-externalized", "deployment", config.evaluate, {},
              "settings from the environment; no hard-coded DSN, service URL or DEBUG"),
        Check("openapi", "implementation", openapi.evaluate, {},
              "OpenAPI documents valid, FastAPI apps generate theirs"),
        Check("health-check", "deployment", health.evaluate, {},
              "a health route, HEALTHCHECK, compose healthcheck or Kubernetes probe"),
        Check("ci-pipeline", "deployment", ci.evaluate, {},
              "a CI configuration that parses and runs the tests"),
        Check("container", "deployment", container.evaluate, {},
              "Dockerfiles: non-root, pinned bases, HEALTHCHECK, no secrets"),
        Check("manual", "done", None, {}, "no repository evidence can prove this"),
    ]  # fmt: skip
    pending = [
        Check(check_id, phase, None, defaults) for check_id, (phase, defaults) in _PENDING.items()
    ]
    return available + pending
