"""The built-in checks of CHECKS.md; ids whose check arrives later are registered as pending."""

from __future__ import annotations

from ..model import Check
from . import (
    api,
    change,
    ci,
    config,
    container,
    dependencies,
    docs,
    function_size,
    health,
    import_cycles,
    lint,
    migrations,
    migrations_run,
    openapi,
    performance,
    report,
    security,
    session,
    stubs,
)

_PENDING = {
    "branch-coverage": ("testing", {"threshold": 80.0, "comparison": ">="}),
    "diff-coverage": ("testing", {"threshold": 80.0, "comparison": ">="}),
    "format": ("implementation", {}),
    "type-hints": ("implementation", {}),
    "injection": ("implementation", {}),
    "secrets": ("implementation", {}),
    "error-handling": ("implementation", {}),
    "logging": ("implementation", {}),
}


def builtin_checks() -> list[Check]:
    available = [
        Check("tests-pass", "testing", session.tests_pass, {}, "every collected test passed"),
        Check("coverage", "testing", session.line_coverage, {"threshold": 80.0, "comparison": ">="},
              "line coverage of the measured source"),
        Check("api-tests", "testing", api.api_tests, {}, "every HTTP route handler ran in a test"),
        Check("error-path-tests", "testing", api.error_path_tests,
              {"threshold": 100.0, "comparison": ">="}, "except handlers and HTTP errors ran"),
        Check("performance", "testing", performance.evaluate, {"comparison": "<="},
              "benchmarks of this session meet the latency budget"),
        Check("lint", "implementation", lint.evaluate, {}, "ruff check under the project's config"),
        Check("security-scan", "implementation", security.evaluate,
              {"severity": "medium", "confidence": "medium"}, "bandit, at or above a severity"),
        Check("migrations-reversible", "deployment", migrations.evaluate, {},
              "every migration has a real down path"),
        Check("migrations-roundtrip", "deployment", migrations_run.roundtrip,
              {"max_seconds": 300.0, "comparison": "<="},
              "upgrade, downgrade to base, upgrade again on a throwaway database, within a budget"),
        Check("migrations-in-sync", "deployment", migrations_run.in_sync, {},
              "the models and the migrations agree (alembic check, makemigrations --check)"),
        Check("report", "done", report.evaluate, {},
              "the Implementation Report of this run was written"),
        Check("change-size", "implementation", change.change_size,
              {"max_files": change.DEFAULT_MAX_FILES}, "files changed against the base ref"),
        Check("tests-for-changes", "testing", change.tests_for_changes, {},
              "every changed source module comes with a changed test"),
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
