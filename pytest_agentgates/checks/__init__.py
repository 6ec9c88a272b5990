"""The built-in checks of CHECKS.md, registered through the same hook a third party uses: one
module per family (and helpers they share), plus ``verdict`` (an outcome explained for a promise)
and ``attestations`` (agent-gates.yaml attestations and waivers applied to verdicts).

Imports ``model``, ``definitions``, ``project`` and ``migration_runner`` (which it starts as a
child process); never pytest, never ``reports`` or ``session``."""

from __future__ import annotations

from dataclasses import replace

from ..model import Check
from . import (
    api,
    change,
    ci,
    config,
    container,
    coverage,
    dependencies,
    docs,
    error_handling,
    function_size,
    health,
    import_cycles,
    injection,
    lint,
    log_rules,
    migrations,
    migrations_run,
    openapi,
    performance,
    report,
    secrets,
    security,
    session,
    stubs,
    type_hints,
)

# Checks that read files only. Left out: the test-session evidence, the report, migration runs
# and OpenAPI (both import the project), and dependencies (reads the installed distributions).
STATIC = frozenset({
    "lint", "format", "security-scan", "type-hints", "injection", "secrets", "error-handling",
    "logging", "migrations-reversible", "change-size", "tests-for-changes", "config-externalized",
    "health-check", "ci-pipeline", "container", "function-size", "stubs", "import-cycles", "docs",
    "manual",
})  # fmt: skip


def builtin_checks() -> list[Check]:
    return [replace(check, static=check.id in STATIC) for check in _checks()]


def _checks() -> list[Check]:
    return [
        Check("tests-pass", "testing", session.tests_pass, {}, "every collected test passed"),
        Check("coverage", "testing", coverage.line_coverage, {"threshold": 80.0, "comparison": ">="},
              "line coverage of the measured source, with optional per-file floors"),
        Check("branch-coverage", "testing", coverage.branch_coverage,
              {"threshold": 80.0, "comparison": ">="}, "branch coverage of the measured source"),
        Check("diff-coverage", "testing", coverage.diff_coverage,
              {"threshold": 80.0, "comparison": ">="},
              "coverage of the statements changed against the base ref"),
        Check("api-tests", "testing", api.api_tests, {}, "every HTTP route handler ran in a test"),
        Check("error-path-tests", "testing", api.error_path_tests,
              {"threshold": api.ERROR_PATH_DEFAULT, "comparison": ">="},
              "except handlers and HTTP errors ran"),
        Check("performance", "testing", performance.evaluate, {"comparison": "<="},
              "benchmarks of this session meet the latency budget"),
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
