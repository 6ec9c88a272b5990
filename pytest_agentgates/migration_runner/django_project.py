"""Django in the runner: the project's settings with every database replaced before setup, then
``migrate`` forwards, back to zero for the project's apps, forwards again, and ``makemigrations --check``."""

from __future__ import annotations

import argparse
import copy
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .steps import (
    NAMED,
    THROWAWAY,
    Locate,
    Report,
    describe,
    has_tables,
    in_project,
    message_of,
    project_frames,
    relative,
    watch,
)
from .steps import timed as timed_step

_ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
    "mariadb": "django.db.backends.mysql",
    "oracle": "django.db.backends.oracle",
}


def run(args: argparse.Namespace, named_url: str | None) -> dict[str, Any]:
    database = NAMED if named_url else THROWAWAY
    sys.path.insert(0, str(args.path.resolve()))
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    try:
        import django
        from django.conf import settings

        configured = copy.deepcopy(settings.DATABASES)  # imports the settings module, nothing more
        changed = watch(map(_sqlite_file, configured.values()))  # before the apps are set up
        settings.DATABASES = _replacement(configured, named_url, args.workdir)
        django.setup()
        project = DjangoProject(args, named_url is None)
    except Exception as error:  # the project's settings or apps, whatever went wrong in them
        problem = f"Django could not load the project with {args.settings}: {message_of(error)}"
        return Report(database, problem=problem).to_dict()
    report = project.roundtrip(database)
    if report.problem is None:
        report.sync = project.sync()
    report.problem = changed() or report.problem
    return report.to_dict()


class DjangoProject:
    """The project's apps with migrations, and the steps of the round trip."""

    def __init__(self, args: argparse.Namespace, throwaway: bool) -> None:
        from django.apps import apps
        from django.db.migrations.loader import MigrationLoader

        self.root = args.root.resolve()
        self.throwaway = throwaway
        self.default = Path(args.workdir) / "default.sqlite3"
        loader = MigrationLoader(None, ignore_no_migrations=True)
        self.apps = sorted(
            config.label for config in apps.get_app_configs()
            if config.label in loader.migrated_apps and in_project(Path(config.path), self.root)
        )  # fmt: skip
        if not self.apps:
            raise LookupError("no installed app has migrations inside the project")
        self.files = {_file_of(migration): key for key, migration in loader.disk_migrations.items()}
        declared = [
            self.files[path] for path in map(Path.resolve, args.one_way) if path in self.files
        ]
        self.stops = _newest(declared, loader.graph)

    def roundtrip(self, database: str) -> Report:
        report = Report(database)
        down = [(app, self.stops.get(app, "zero")) for app in self.apps]
        label = "downgrade to base" + "".join(
            f", stopping at {app}.{name} (declared one-way)" for app, name in down if name != "zero"
        )
        steps: list[tuple[str, Callable[[], object], list[tuple[str, str | None]]]] = [
            ("upgrade to head", _migrate, []),
            (label, lambda: [_migrate(app, name) for app, name in down], down),
            ("upgrade to head again", _migrate, []),
        ]
        for label, action, targets in steps:
            report.steps.append(self._timed(label, action, targets))
            if report.steps[-1]["error"]:
                break
            if len(report.steps) == 1 and self.throwaway and not has_tables(self.default):
                report.problem = (
                    "migrate did not create the throwaway database the plugin configured"
                )
                break
        return report

    def sync(self) -> dict[str, Any]:
        """``makemigrations --check --dry-run``: the changes it would write, per model."""
        from django.core.management import call_command
        from django.core.management.commands.makemigrations import Command

        class Recording(Command):
            """makemigrations, keeping the changes it would write instead of printing them."""

            changes: dict[str, list[Any]]

            def write_migration_files(
                self, changes: dict[str, list[Any]], *_: Any, **__: Any
            ) -> None:
                self.changes = changes

        command = Recording()
        command.changes = {}
        try:
            call_command(command, check_changes=True, dry_run=True, interactive=False, verbosity=0)
        except SystemExit as stop:  # --check exits 1 after recording the changes
            if stop.code not in (None, 0, 1):
                return {"error": describe(stop, self.locate(None), False)}
        except Exception as error:  # conflicting migrations, a broken model, ...
            return {"error": describe(error, self.locate(None), False)}
        differences = [
            {
                **_model_location(app, operation, self.root),
                "message": f"{app}: {operation.describe()}",
            }
            for app, migrations in sorted(command.changes.items())
            for migration in migrations
            for operation in migration.operations
        ]
        return {"differences": differences}

    def locate(self, plan: list[tuple[Any, bool]] | None) -> Locate:
        """Where a failed step broke: the first migration of its plan that did not get done."""

        def place(error: BaseException) -> tuple[str | None, int, str]:
            frames = project_frames(error, self.root)
            culprit = _unfinished(plan) if plan else None
            if culprit is not None:
                path = _file_of(culprit)
                line = next((line for frame, line in reversed(frames) if frame == path), 1)
                return (
                    relative(path, self.root),
                    line,
                    f"migration {culprit.app_label}.{culprit.name}",
                )
            if frames:
                return relative(frames[-1][0], self.root), frames[-1][1], ""
            return None, 1, ""

        return place

    def _timed(
        self, label: str, action: Callable[[], object], targets: list[tuple[str, str | None]]
    ) -> dict[str, Any]:
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        wanted = [(app, None if name == "zero" else name) for app, name in targets]
        plan = executor.migration_plan(wanted or executor.loader.graph.leaf_nodes())
        return timed_step(label, action, self.locate(plan), self.throwaway)


def _migrate(*target: str) -> None:
    from django.core.management import call_command

    call_command("migrate", *target, interactive=False, verbosity=0)


def _unfinished(plan: list[tuple[Any, bool]]) -> Any:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder(connection).applied_migrations()
    for migration, backwards in plan:
        if ((migration.app_label, migration.name) in applied) == backwards:
            return migration
    return None


def _newest(declared: list[tuple[str, str]], graph: Any) -> dict[str, str]:
    """Per app, the declared one-way migration no other declared one depends on."""
    stops: dict[str, str] = {}
    for key in declared:
        later = [other for other in declared if other != key and key in graph.forwards_plan(other)]
        if not later:
            stops.setdefault(key[0], key[1])
    return stops


def _file_of(migration: Any) -> Path:
    return Path(sys.modules[type(migration).__module__].__file__).resolve()


def _model_location(app: str, operation: Any, root: Path) -> dict[str, Any]:
    """The model an operation is about (file and line of its class), else the app's models module."""
    from django.apps import apps

    config = apps.get_app_config(app)
    name = getattr(operation, "model_name", None) or getattr(operation, "name", None)
    try:
        model = config.get_model(name) if name else None
        source = Path(inspect.getsourcefile(model)) if model else None
        line = inspect.getsourcelines(model)[1] if model else 1
    except (LookupError, OSError, TypeError):  # a deleted model, or no source to point at
        source, line = None, 1
    module = getattr(config.models_module, "__file__", None)
    path = source or (Path(module) if module else Path(config.path))
    return {"path": relative(path, root), "line": line}


def _replacement(
    configured: dict[str, Any], named_url: str | None, workdir: Path
) -> dict[str, Any]:
    """Every configured alias becomes a SQLite file in the plugin's folder (default: the named one)."""
    databases = {
        alias: {"ENGINE": _ENGINES["sqlite"], "NAME": str(workdir / f"{alias}.sqlite3")}
        for alias in configured or {"default": {}}
    }
    if named_url:
        databases["default"] = _from_url(named_url)
    return databases


def _from_url(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    if scheme not in _ENGINES:
        raise ValueError(f"--agent-gates-database: no Django backend for {scheme!r} URLs")
    if scheme == "sqlite":
        return {"ENGINE": _ENGINES[scheme], "NAME": unquote(parts.path[1:])}
    return {
        "ENGINE": _ENGINES[scheme],
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }


def _sqlite_file(database: dict[str, Any]) -> Path | None:
    name = str(database.get("NAME") or "")
    if not str(database.get("ENGINE", "")).endswith("sqlite3") or name in ("", ":memory:"):
        return None
    return None if name.startswith("file:") else Path(name).resolve()
