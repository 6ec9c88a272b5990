"""container, health-check and ci-pipeline against real Dockerfiles, manifests and CI files."""

from __future__ import annotations

import pytest

CONTAINER = "## Deployment\n- [ ] Docker multi-stage builds for container images\n"
HEALTH = "## Deployment\n- [ ] Health checks and monitoring configured\n"
CI = "## Deployment\n- [ ] Deployment pipeline functional\n"

MULTI_STAGE = r"""
# syntax=docker/dockerfile:1
ARG PYTHON=3.12
FROM python:${PYTHON}-slim AS builder
# the builder may run as root: it is not what ships
USER root
ENV PASSWORD_FILE=/run/secrets/db \
    TOKENIZERS_PARALLELISM=false
RUN pip wheel --wheel-dir /wheels .

FROM builder AS test
RUN pytest

FROM python:3.12-slim@sha256:0b3e4ff4d2bd4e2a1d1b0c1e5c3a8f3c1bd1b3d2b0c7a1e1d3c1e2b0a9f8e7d6 AS final
COPY --from=builder /wheels /wheels
RUN <<EOF
pip install /wheels/*
echo "USER root"
EOF
USER 10001:10001
HEALTHCHECK --interval=30s CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health')"
"""


def test_container_passes_a_multi_stage_build_whose_builder_runs_as_root(pytester, project):
    project(CONTAINER, {"Dockerfile": MULTI_STAGE})
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["*Dockerfile: non-root USER, pinned base images, HEALTHCHECK, no secret in ENV/ARG*"]
    )


def test_container_finds_root_unpinned_bases_no_healthcheck_and_masks_secrets(pytester, project):
    project(CONTAINER, {
        "Dockerfile": """
            FROM python AS build
            ENV API_KEY=sk-live-0123456789abcdef
            RUN pip wheel .
            FROM nginx:latest
            COPY --from=build /x /y
            USER root
            HEALTHCHECK NONE
            """,
        "deploy/worker.Dockerfile": "ARG BASE\nFROM ${BASE}\nCMD [\"worker\"]\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*container: failed - 8 problem(s) in Dockerfile, deploy/worker.Dockerfile*",
            "*Dockerfile:1 DOCKER002 base image python has no tag (it means latest)*",
            "*Dockerfile:2 DOCKER004 ENV API_KEY holds a literal secret (****, 24 characters)*",
            "*Dockerfile:4 DOCKER002 base image nginx:latest is pinned to latest*",
            "*Dockerfile:6 DOCKER001 the final stage runs as root (USER root)",
            "*Dockerfile:7 DOCKER003 HEALTHCHECK NONE disables the health check",
            "*deploy/worker.Dockerfile:2 DOCKER001 the final stage (FROM ${BASE}) sets no USER*",
            "*deploy/worker.Dockerfile:2 DOCKER002 base image ${BASE} depends on build argument(s) "
            "BASE with no default",
            "*deploy/worker.Dockerfile:2 DOCKER003 the final stage (FROM ${BASE}) has no HEALTHCHECK",
        ]
    )
    result.stdout.no_fnmatch_line("*sk-live*")


def test_container_final_stage_inherits_user_and_healthcheck_from_its_stage(pytester, project):
    project(CONTAINER, {"Containerfile": """
        FROM python:3.12-slim AS base
        RUN useradd app
        USER app
        HEALTHCHECK CMD ["true"]
        FROM base AS final
        COPY . /app
        """})  # fmt: skip
    pytester.runpytest("--agent-gates").assert_outcomes(passed=1)


def test_container_uid_zero_is_root(pytester, project):
    project(CONTAINER, {"Dockerfile": 'FROM alpine:3.20\nUSER 0:0\nHEALTHCHECK CMD ["true"]\n'})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Dockerfile:2 DOCKER001 the final stage runs as root (USER 0:0)"])


def test_container_skipped_without_a_dockerfile_and_test_fixtures_do_not_count(pytester, project):
    project(CONTAINER, {"tests/fixtures/Dockerfile": "FROM python\n", "app.py": "X = 1\n"})
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["*no Dockerfile (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile)"]
    )


FLASK_APP = """
from flask import Flask

app = Flask(__name__)


@app.get("/notes")
def notes():
    return []


@app.get("/orders/<int:order_id>/status")
def order_status(order_id):
    return {}
"""


def test_health_check_counts_a_status_route(pytester, project):
    project(
        HEALTH,
        {"web.py": FLASK_APP + '\n\n@app.get("/api/v1/status")\ndef status():\n    return {}\n'},
    )
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*health checked by GET /api/v1/status (web.py:17)"])


def test_health_check_fails_when_no_route_or_image_checks_health(pytester, project):
    project(HEALTH, {"web.py": FLASK_APP, "Dockerfile": "FROM python:3.12\nUSER app\n"})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*health-check: failed - no health route, Dockerfile HEALTHCHECK, compose healthcheck or "
            "Kubernetes probe found",
            "*web.py:7 HEALTH001 none of the app's 2 route(s) is a health route*",
            "*Dockerfile:1 HEALTH002 no HEALTHCHECK in the final stage of the image",
        ]
    )


@pytest.mark.parametrize(
    ("files", "evidence"),
    [
        ({"Dockerfile": "FROM python:3.12\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"},
         "HEALTHCHECK (Dockerfile:2)"),
        ({"compose.yaml": "services:\n  web:\n    image: web:1\n    healthcheck:\n"
                          "      test: [CMD, curl, -f, http://localhost/]\n"
                          "  db:\n    image: postgres:16\n    healthcheck:\n      disable: true\n"},
         "compose healthcheck of service web (compose.yaml:5)"),
        ({"deploy/app.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
                             "      containers:\n        - name: web\n          image: web:1\n"
                             "          readinessProbe:\n            httpGet: {path: /ready, port: 80}\n"},
         "readinessProbe (deploy/app.yaml:10)"),
        ({"chart/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n"
                                             "  replicas: {{ .Values.replicas }}\n"
                                             "  livenessProbe:\n    {{- toYaml .Values.probe | nindent 4 }}\n"},
         "livenessProbe (chart/templates/deployment.yaml:5)"),
    ],
    ids=["dockerfile", "compose", "kubernetes", "helm-template"],
)  # fmt: skip
def test_health_check_from_deployment_files(pytester, project, files, evidence):
    project(HEALTH, files)
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"*health checked by {evidence}"])


def test_health_check_fails_for_unchecked_compose_services_and_healthcheck_none(pytester, project):
    project(HEALTH, {
        "compose.yaml": "services:\n  web:\n    image: web:1\n",
        "Dockerfile": "FROM python:3.12 AS base\nHEALTHCHECK CMD true\nFROM base\nHEALTHCHECK none\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*health-check: failed - no health route, Dockerfile HEALTHCHECK, compose healthcheck or "
            "Kubernetes probe found",
            "*Dockerfile:4 HEALTH002 HEALTHCHECK NONE in the final stage of the image",
        ]
    )
    (pytester.path / "Dockerfile").unlink()
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)  # a compose file runs a service: not "nothing to check"


def test_health_check_skipped_for_a_library(pytester, project):
    project(HEALTH, {"lib/__init__.py": "def add(a, b):\n    return a + b\n"})
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*not a deployable service: no Dockerfile*"])


LIBRARY_VIEWS = """
from django.http import JsonResponse
from django.urls import path


def feed(request):
    return JsonResponse({})


urlpatterns = [path("feed/", feed)]
"""


def test_health_check_skipped_for_a_reusable_library_with_url_patterns(pytester, project):
    """Symptom 6 of issue 11: a Django app meant to be included elsewhere deploys nothing."""
    project(HEALTH, {"feeds/__init__.py": "", "feeds/urls.py": LIBRARY_VIEWS})
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*not a deployable service*a library has no health to check"])
    # The same routes in a project that runs as a service: the promise applies, and fails.
    (pytester.path / "manage.py").write_text("import sys\n")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)


WORKFLOW = """
name: CI
on:
  pull_request:
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Tests
        run: ruff check .
  checks:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        include:
          - command: mypy .
          - command: python -m pytest -q
    steps:
      - uses: actions/checkout@v4
      - name: Run ${{ matrix.command }}
        run: |
          pip install -e .[dev]
          ${{ matrix.command }}
"""


def test_ci_pipeline_finds_pytest_in_a_matrix_step(pytester, project):
    project(CI, {".github/workflows/ci.yml": WORKFLOW})
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*Deployment pipeline functional: the tests run in .github/workflows/ci.yml:21 "
            "(jobs.checks.steps[[]Run ${{ matrix.command }}[]].run: python -m pytest -q)"
        ]
    )


def test_ci_pipeline_fails_on_lint_only_commented_disabled_and_ignored_test_runs(pytester, project):
    project(CI, {
        ".github/workflows/lint.yml": """
            on: [push]
            jobs:
              lint:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      pip install pytest ruff
                      # pytest -q
                      ruff check .
                  # - run: pytest
            """,
        ".github/workflows/tests.yml": """
            on: [push]
            jobs:
              off:
                if: ${{ false }}
                runs-on: ubuntu-latest
                steps:
                  - run: pytest
              flaky:
                runs-on: ubuntu-latest
                continue-on-error: true
                steps:
                  - run: pytest
                  - run: python -m pytest || true
            """,
        ".gitlab-ci.yml": """
            .pytest:
              script:
                - pytest
            test:
              extends: .pytest
              allow_failure: true
            """,
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*no CI step runs the test suite so that failing tests fail the pipeline",
            "*.github/workflows/lint.yml:1 CI002 runs no test command (it runs: pip install pytest "
            "ruff; ruff check .)",
            "*.github/workflows/tests.yml:7 CI003 jobs.off.steps[[]1[]].run runs the tests (pytest) but "
            "it is disabled (if: false)",
            "*.github/workflows/tests.yml:12 CI003 jobs.flaky.steps[[]1[]].run runs the tests (pytest) "
            "but its failure is ignored (continue-on-error)",
            "*.github/workflows/tests.yml:13 CI003 jobs.flaky.steps[[]2[]].run runs the tests "
            "(python -m pytest) but its failure is ignored (continue-on-error)",
            "*.gitlab-ci.yml:3 CI003 test.script runs the tests (pytest) but its failure is ignored "
            "(allow_failure)",
        ]
    )


def test_ci_pipeline_broken_yaml_fails_even_beside_a_good_workflow(pytester, project):
    project(CI, {
        ".github/workflows/ci.yml": WORKFLOW,
        ".github/workflows/release.yml": "on: [push]\njobs:\n  release:\n    steps: [\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*1 CI file(s) cannot be read", "*.github/workflows/release.yml:5 CI001 not valid YAML*"]
    )


def test_ci_pipeline_follows_make_targets_and_reads_jenkinsfiles(pytester, project):
    project(CI, {
        "Makefile": "lint:\n\truff check .\ncheck: lint\n\t$(PYTHON) -m pytest\n",
        "Jenkinsfile": """
            pipeline {
              stages {
                stage('Lint') { steps { sh 'make lint' } }
                // stage('Test') { steps { sh 'pytest' } }
                stage('Test') { steps { sh(script: "make check") } }
              }
            }
            """,
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*the tests run in Jenkinsfile:5 (sh step: make check)"])


def test_ci_pipeline_fails_without_any_ci_configuration(pytester, project):
    project(CI, {"tox.ini": "[tox]\nenvlist = py312\n", "noxfile.py": "import nox\n"})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*ci-pipeline: failed - no CI configuration found (looked for GitHub Actions*"]
    )
