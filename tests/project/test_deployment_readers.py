"""The readers behind the deployment checks: Dockerfiles, shell scripts in CI files, YAML with lines."""

from __future__ import annotations

import textwrap

import pytest

from pytest_agentgates.checks.container import secret_name, unpinned
from pytest_agentgates.project import dockerfile
from pytest_agentgates.project.suite_commands import find_test_run, parse_makefile
from pytest_agentgates.project.yamlmarks import YamlError, load_all

DOCKERFILE = r"""
# syntax=docker/dockerfile:1
# escape=\
ARG PYTHON=3.12
ARG REGISTRY
FROM --platform=$BUILDPLATFORM python:${PYTHON}-slim AS Builder
RUN pip install \
    # a comment inside a continuation is dropped
    flask \

    gunicorn
RUN <<EOF
echo "FROM scratch"
USER root
EOF
FROM builder AS test
FROM ${REGISTRY}/base:1.0
USER app
"""


def test_dockerfile_instructions_keep_their_first_line_and_skip_heredoc_bodies():
    found = [(i.keyword, i.value, i.line) for i in dockerfile.instructions(DOCKERFILE)]
    assert found == [
        ("ARG", "PYTHON=3.12", 4),
        ("ARG", "REGISTRY", 5),
        ("FROM", "--platform=$BUILDPLATFORM python:${PYTHON}-slim AS Builder", 6),
        ("RUN", "pip install flask gunicorn", 7),
        ("RUN", "<<EOF", 12),
        ("FROM", "builder AS test", 16),
        ("FROM", "${REGISTRY}/base:1.0", 17),
        ("USER", "app", 18),
    ]


def test_dockerfile_stages_resolve_build_arguments_and_stage_references():
    parsed = dockerfile.parse(DOCKERFILE)
    builder, test, final = parsed.stages
    assert (builder.image, builder.name, builder.parent) == ("python:3.12-slim", "builder", None)
    assert (test.image, test.parent) == ("builder", 0)  # a stage, not an image
    assert (final.image, final.unresolved) == ("/base:1.0", ("REGISTRY",))
    assert parsed.inherited(test, "RUN").line == 12  # from the stage it is built on
    assert parsed.inherited(final, "RUN") is None


def test_dockerfile_escape_directive_changes_the_continuation_character():
    text = "# escape=`\nFROM mcr.microsoft.com/windows:ltsc2022\nRUN dir `\n    C:\\\nUSER app\n"
    assert [(i.keyword, i.line) for i in dockerfile.instructions(text)] == [
        ("FROM", 2),
        ("RUN", 3),
        ("USER", 5),
    ]


@pytest.mark.parametrize(
    ("image", "pinned"),
    [
        ("python:3.12-slim", True),
        ("python@sha256:" + "a" * 64, True),
        ("python:latest@sha256:" + "a" * 64, True),
        ("registry.example.com:5000/team/app:1.4", True),
        ("scratch", True),
        ("python", False),
        ("python:latest", False),
        ("registry.example.com:5000/team/app", False),  # the port is not a tag
    ],
)
def test_base_image_pinning(image, pinned):
    assert (unpinned(image) == "") is pinned


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("DB_PASSWORD", True),
        ("API_KEY", True),
        ("DJANGO_SECRET_KEY", True),
        ("GITHUB_TOKEN", True),
        ("AWS_SECRET_ACCESS_KEY", True),
        ("PASSWORD_FILE", False),
        ("TOKEN_URL", False),
        ("AWS_ACCESS_KEY_ID", False),
        ("TOKENIZERS_PARALLELISM", False),
        ("PWD", False),
        ("KEYBOARD_LAYOUT", False),
    ],
)
def test_secret_looking_names(name, secret):
    assert secret_name(name) is secret


@pytest.mark.parametrize(
    ("script", "runs"),
    [
        ("pytest -q", "pytest -q"),
        ("python -m pytest -W error tests/", "python -m pytest -W error tests/"),
        ("pip install pytest pytest-cov\nruff check .", None),
        ("# pytest\nruff check .", None),
        ("ruff check .  # then pytest", None),
        ("echo pytest", None),
        ("pytest --version", None),
        ("pytest --collect-only -q", None),
        ("uv run --extra dev pytest", "uv run --extra dev pytest"),
        ("uv run --with pytest ruff check .", None),  # pytest is a value of --with
        ("poetry run pytest tests/", "poetry run pytest tests/"),
        ("coverage run -m pytest && coverage report", "coverage run -m pytest"),
        ("cd service && FOO=1 timeout 600 pytest", "FOO=1 timeout 600 pytest"),
        ("tox -e lint,type", None),
        ("tox -e py312,lint", "tox -e py312,lint"),
        ("nox -s tests", "nox -s tests"),
        ("hatch test", "hatch test"),
        ("hatch run dev:pytest", "hatch run dev:pytest"),
        ("python manage.py test", "python manage.py test"),
        ("python -m unittest discover", "python -m unittest discover"),
        ("docker compose run --rm web pytest", "docker compose run --rm web pytest"),
        ("pytest \\\n  --cov=app", "pytest --cov=app"),
        ("$PYTHON -m pytest", "$PYTHON -m pytest"),
    ],
)
def test_test_commands_in_scripts(script, runs):
    found = find_test_run(script)
    assert (found.command if found else None) == runs


def test_failure_ignored_only_when_something_else_is():
    assert find_test_run("pytest || true").failure_ignored
    assert not find_test_run("pytest || (cat log; exit 1)").failure_ignored
    assert not find_test_run("pytest || true\npytest -x").failure_ignored  # a checked run wins


MAKEFILE = """\
PY := python
VENV ?= .venv
.PHONY: test lint ci
test: ## only lints, despite its name
\truff check .
lint:
\truff check .
ci: lint
\t$(MAKE) unit
unit:
\t@$(PY) -m pytest
venv:
\t$(VENV)/bin/pytest
loop:
\t$(MAKE) loop
"""


@pytest.mark.parametrize(
    ("command", "runs"),
    [("make test", False), ("make ci", True), ("make", False), ("make -j2 venv", True),
     ("make loop", False), ("make lint", False), ("make -C sub all", True)],
)  # fmt: skip
def test_make_targets_are_followed_into_the_makefile(tmp_path, command, runs):
    (tmp_path / "Makefile").write_text(MAKEFILE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "Makefile").write_text("all:\n\tpytest\n")
    assert (find_test_run(command, tmp_path) is not None) is runs


def test_make_without_a_makefile_trusts_a_test_target():
    assert find_test_run("make test") is not None
    assert find_test_run("make lint") is None


def test_makefile_rules_variables_and_recipes():
    rules = parse_makefile(MAKEFILE)
    assert rules["ci"] == (["lint"], ["make unit"])
    assert rules["unit"] == ([], ["python -m pytest"])
    assert rules["venv"] == ([], [".venv/bin/pytest"])
    assert "PY" not in rules


def test_yaml_keeps_lines_and_reads_on_and_off_as_strings():
    text = textwrap.dedent("""\
        on: [push]
        jobs:
          off:
            steps:
              - run: pytest
        """)
    (doc,) = load_all(text)
    assert list(doc) == ["on", "jobs"]
    step = doc["jobs"]["off"]["steps"][0]
    assert (step.line, step["run"].line, doc["jobs"].line) == (5, 5, 3)


def test_yaml_error_names_the_line():
    error = load_all("jobs:\n  test:\n    steps: [\n")
    assert isinstance(error, YamlError)
    assert error.line == 4
    assert error.message.startswith("not valid YAML")


def _places(tmp_path, files):
    from pytest_agentgates.checks import ci

    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    found = []
    for path in ci.ci_files(tmp_path):
        places, problems = ci.read_places(path, path.relative_to(tmp_path).as_posix(), tmp_path)
        assert not problems
        for place in places:
            run = find_test_run(place.script, tmp_path)
            found.append((place.path, place.where, run.command if run else None, place.not_gating))
    return found


def test_ci_places_of_other_providers(tmp_path):
    assert _places(tmp_path, {
        ".circleci/config.yml": """
            jobs:
              test:
                steps:
                  - checkout
                  - run: {name: Unit tests, command: pytest}
            """,
        "azure-pipelines.yml": "steps:\n  - script: python -m pytest\n    continueOnError: true\n",
        ".travis.yml": "script:\n  - tox\n",
        "bitbucket-pipelines.yml": "pipelines:\n  default:\n    - step:\n        script: [make test]\n",
    }) == [
        ("azure-pipelines.yml", "steps[1].script", "python -m pytest",
         "its failure is ignored (continueOnError)"),
        (".circleci/config.yml", "jobs.test.steps[2].run.command", "pytest", ""),
        ("bitbucket-pipelines.yml", "pipelines.default[1].step.script", "make test", ""),
        (".travis.yml", "script", "tox", ""),
    ]  # fmt: skip


def test_ci_places_manual_workflows_composite_actions_and_gitlab_templates(tmp_path):
    assert _places(tmp_path, {
        ".github/workflows/manual.yml": "on: workflow_dispatch\njobs:\n  t:\n    steps:\n      - run: pytest\n",
        ".github/workflows/ci.yml": "on: [push]\njobs:\n  t:\n    steps:\n      - uses: ./.github/actions/test\n",
        ".github/actions/test/action.yml": "runs:\n  using: composite\n  steps:\n    - run: nox\n      shell: bash\n",
        ".gitlab-ci.yml": """
            default:
              before_script: [pip install -e .]
            .tests:
              script: [pytest]
            unit:
              extends: .tests
            manual:
              script: [pytest -m slow]
              when: manual
            """,
    }) == [
        (".github/actions/test/action.yml",
         "jobs.t.steps[1].uses(./.github/actions/test).runs.steps[1].run", "nox", ""),
        (".github/workflows/manual.yml", "jobs.t.steps[1].run", "pytest",
         "the workflow only runs when started by hand (on: workflow_dispatch)"),
        (".gitlab-ci.yml", "default.before_script", None, ""),
        (".gitlab-ci.yml", "unit.script", "pytest", ""),
        (".gitlab-ci.yml", "manual.script", "pytest -m slow", "it only runs when started by hand (when: manual)"),
    ]  # fmt: skip


def test_deployment_files_and_migrations_share_one_walk_of_the_project(tmp_path, monkeypatch):
    from pytest_agentgates.project import deployfiles, layout, sources
    from pytest_agentgates.project.context import CheckContext, TestRecord

    walks = []

    def counted(rootdir):
        walks.append(rootdir)
        return layout.project_folders(rootdir)

    monkeypatch.setattr(sources, "project_folders", counted)
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "Dockerfile").write_text("FROM python:3.12\n")
    (tmp_path / "compose.yaml").write_text("services: {}\n")
    ctx = CheckContext(tmp_path, [], TestRecord(), lambda: None)
    assert sources.folders(ctx)
    assert deployfiles.dockerfiles(ctx) == [tmp_path / "deploy" / "Dockerfile"]
    assert deployfiles.compose_files(ctx) == [tmp_path / "compose.yaml"]
    assert walks == [tmp_path]
