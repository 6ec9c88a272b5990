"""The migrations the runner can run (an alembic.ini, a Django settings module), each run once per
session in ``python -m pytest_agentgates.migration_runner``, on a throwaway database in a folder the
plugin creates and deletes. The verdicts on its reports are in ``migrations_run``."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import migration_runner
from ..model import CheckCouldNotRun
from ..project.context import CheckContext
from ..project.sources import folders, python_file
from . import migrations

TIMEOUT_SECONDS = 900
_MODULE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
# Measuring the runner would credit the project's models with lines only migrations executed.
_COVERAGE_VARIABLES = ("COV_CORE_SOURCE", "COV_CORE_CONFIG", "COV_CORE_DATAFILE",
                       "COVERAGE_PROCESS_START")  # fmt: skip


@dataclass(frozen=True)
class Target:
    """One set of migrations the runner can run: an alembic.ini, or a Django settings module."""

    framework: str  # alembic | django
    where: str  # alembic.ini or the settings module, as shown to users
    cwd: Path
    args: tuple[str, ...]


@dataclass(frozen=True)
class Run:
    """A target and the runner's report on it (or why there is none)."""

    target: Target
    report: dict[str, Any]
    timed_out: bool = False


@dataclass(frozen=True)
class Runs:
    runs: tuple[Run, ...]
    not_run: tuple[str, ...]  # migrations found that no runner can run: "dbmate migrations"


def runs(ctx: CheckContext) -> Runs:
    """Every target run once per session, whichever migration check asks first."""
    return ctx.once("migrations-runs", lambda: _run_all(ctx))


def _run_all(ctx: CheckContext) -> Runs:
    found = migrations.inventory(ctx)
    declared, _ = migrations.one_way_declarations(ctx)
    one_way_args = tuple(f"--one-way={(ctx.rootdir / path).resolve()}" for path in sorted(declared))
    targets = _alembic_targets(ctx, found) + _django_targets(ctx, found)
    runnable = {migrations.ALEMBIC, migrations.DJANGO}
    not_run = [f"{kind}s" for kind in sorted({file.kind for file in found.files} - runnable)]
    not_run += [f"{framework} migrations" for framework in found.unsupported]
    database = ctx.options.get("database") or None
    return Runs(
        tuple(_run(ctx, target, one_way_args, database) for target in targets), tuple(not_run)
    )


def _alembic_targets(ctx: CheckContext, found: migrations.Inventory) -> list[Target]:
    revisions = found.of_kind(migrations.ALEMBIC)
    if not revisions:
        return []
    inis = [folder / "alembic.ini" for folder, files in folders(ctx) if "alembic.ini" in files]
    if not inis:
        raise CheckCouldNotRun(f"{len(revisions)} Alembic revision(s) found but no alembic.ini to "
                               "run them with")  # fmt: skip
    targets = []
    for ini in inis:
        args = ["--framework=alembic", f"--config={ini}"]
        pyproject = ini.parent / "pyproject.toml"
        if pyproject.is_file() and "[tool.alembic]" in pyproject.read_text(errors="replace"):
            args.append(f"--toml={pyproject}")
        cwd = ini.parent
        if _is_flask_migrate(ini.parent / "env.py"):  # run where `flask db upgrade` is run
            args.append(f"--flask={ini.parent}")
            cwd = ini.parent.parent
        targets.append(Target("alembic", ctx.relative(ini), cwd, tuple(args)))
    return targets


def _is_flask_migrate(env: Path) -> bool:
    """Flask-Migrate's env.py (beside its alembic.ini) takes the database from the Flask app."""
    try:
        text = env.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return (
        "current_app" in text
        and re.search(r"^\s*from flask import", text, re.MULTILINE) is not None
    )


def _django_targets(ctx: CheckContext, found: migrations.Inventory) -> list[Target]:
    django = found.of_kind(migrations.DJANGO)
    if not django:
        return []
    # The module the test session names (the variable, which pytest-django sets from --ds or its
    # ini key, else that ini key) wins, as in manage.py; it is imported from the rootdir.
    named = os.environ.get("DJANGO_SETTINGS_MODULE") or ctx.options.get("django_settings")
    manages = [folder for folder, files in folders(ctx) if "manage.py" in files]
    candidates = [
        (folder, _settings_module(python_file(ctx, folder / "manage.py").tree))
        for folder in manages
    ]
    if named:
        candidates = [(ctx.rootdir, named)]
    settings = [(folder, module) for folder, module in candidates if module]
    if not settings:
        raise CheckCouldNotRun(f"{len(django)} Django migration(s) found but no settings module: no "
                               "manage.py naming DJANGO_SETTINGS_MODULE, and neither the variable nor the "
                               "DJANGO_SETTINGS_MODULE ini key names one")  # fmt: skip
    for _, module in settings:
        if not _MODULE_NAME.match(module):
            raise CheckCouldNotRun(f"DJANGO_SETTINGS_MODULE {module!r} is not a module name")
    return [
        Target("django", module, folder,
               ("--framework=django", f"--settings={module}", f"--path={folder}"))
        for folder, module in settings
    ]  # fmt: skip


def _settings_module(tree: ast.Module | None) -> str | None:
    """The settings module manage.py names: ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)``."""
    if tree is None:
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setdefault"
            and len(node.args) == 2
            and all(isinstance(arg, ast.Constant) for arg in node.args)
            and node.args[0].value == "DJANGO_SETTINGS_MODULE"
            and isinstance(node.args[1].value, str)
        ):
            return node.args[1].value
    return None


def _run(
    ctx: CheckContext, target: Target, one_way_args: tuple[str, ...], database: str | None
) -> Run:
    """``python -m pytest_agentgates.migration_runner`` for one target, in a folder it may fill."""
    environment = {k: v for k, v in os.environ.items() if k not in _COVERAGE_VARIABLES}
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    environment.pop(migration_runner.DATABASE_VARIABLE, None)
    environment[migration_runner.PATH_VARIABLE] = os.pathsep.join(_session_path(ctx))
    if database:  # in the environment, off command lines
        environment[migration_runner.DATABASE_VARIABLE] = database
    with tempfile.TemporaryDirectory(
        prefix="agent-gates-migrations-", ignore_cleanup_errors=True
    ) as work:
        command = [sys.executable, "-m", migration_runner.__name__, *target.args,
                   f"--root={ctx.rootdir}", f"--workdir={work}", *one_way_args]  # fmt: skip
        try:
            done = subprocess.run(command, cwd=target.cwd, env=environment, capture_output=True,
                                  text=True, timeout=TIMEOUT_SECONDS, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            return Run(target, {}, timed_out=True)
        except OSError as error:
            raise CheckCouldNotRun(f"the migration runner could not be started: {error}") from error
    try:
        return Run(target, json.loads(done.stdout))
    except json.JSONDecodeError:
        tail = " | ".join(line for line in done.stderr.strip().splitlines()[-5:] if line.strip())
        raise CheckCouldNotRun(f"the migration runner for {target.where} stopped with code "
                               f"{done.returncode}: {tail or '(no output)'}") from None  # fmt: skip


def _session_path(ctx: CheckContext) -> list[str]:
    """This process's sys.path, the test session's (the rootdir, the ``pythonpath`` ini, conftest
    insertions), then the rootdir itself: under xdist only the workers, which collect, insert it."""
    entries = [os.path.abspath(entry) if entry else os.getcwd() for entry in sys.path]
    return list(dict.fromkeys([*entries, str(ctx.rootdir)]))
