"""Alembic in the runner: the project's alembic.ini and env.py, with ``sqlalchemy.url`` replaced (for
Flask-Migrate, the app's database: ``flask_app``) and every other database refused before a
connection is opened."""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Dialect, Engine, make_url

from .steps import (
    NAMED,
    THROWAWAY,
    Report,
    describe,
    has_tables,
    message_of,
    project_frames,
    relative,
    timed,
    watch,
)

if TYPE_CHECKING:
    from .flask_app import FlaskMigrateApp

# The driver arguments that say which database a connection goes to.
_IDENTITY = frozenset(
    ("host", "hostaddr", "port", "database", "dbname", "db", "user", "username", "dsn",
     "service_name", "unix_socket", "path")
)  # fmt: skip


class ForeignDatabase(Exception):
    """env.py tried to connect somewhere else than the database the plugin gave it."""


class ConnectionGuard:
    """Refuses, before the driver connects, every database but the allowed one."""

    def __init__(self, url: str) -> None:
        self.allowed = make_url(url)
        self.refused: list[str] = []
        event.listen(Engine, "do_connect", self._check)

    def _check(self, dialect: Dialect, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        if dialect.name == self.allowed.get_backend_name():
            expected_args, expected_params = dialect.create_connect_args(self.allowed)
            if list(cargs) == list(expected_args) and all(
                cparams.get(key) == value
                for key, value in expected_params.items()
                if key in _IDENTITY  # options such as timeouts may differ; the database may not
            ):
                return
        target = cargs[0] if cargs else cparams.get("database") or cparams.get("dbname") or "?"
        self.refused.append(f"{dialect.name} database {target}")
        raise ForeignDatabase(f"refused to connect to {self.refused[-1]}")


def run(args: argparse.Namespace, named_url: str | None) -> dict[str, Any]:
    if args.flask is None:
        from alembic.config import Config

        config = Config(str(args.config), stdout=sys.stderr, **_toml_argument(Config, args.toml))
        return _run(config, args, named_url, None)
    from .flask_app import FlaskMigrateApp, NotAFlaskMigrateApp

    database = NAMED if named_url else THROWAWAY
    url = named_url or _sqlite_url(args.workdir / "roundtrip.sqlite3", None)
    try:
        flask = FlaskMigrateApp(args.flask, url)
    except Exception as error:  # the project's app, whatever went wrong in finding or creating it
        problem = (f"the Flask app could not be loaded: {message_of(error)} (the migrations "
                   "are Flask-Migrate's: set FLASK_APP as for `flask db upgrade`)")  # fmt: skip
        return Report(database, problem=problem).to_dict()
    try:
        with flask.context() as config:
            return _run(config, args, named_url, flask)
    except NotAFlaskMigrateApp as error:
        return Report(database, problem=str(error)).to_dict()


def _run(
    config: Any, args: argparse.Namespace, named_url: str | None, flask: FlaskMigrateApp | None
) -> dict[str, Any]:
    try:
        project = AlembicProject(config, args, named_url, flask)
    except Exception as error:  # the project's configuration, whatever went wrong in it
        problem = f"the Alembic configuration could not be used: {message_of(error)}"
        return Report(NAMED if named_url else THROWAWAY, problem=problem).to_dict()
    changed = watch([_sqlite_file(flask.configured if flask else project.configured)])
    guard = ConnectionGuard(project.url)
    report = project.roundtrip(guard)
    if report.problem is None:
        report.sync = project.sync(guard, all(step["error"] is None for step in report.steps))
    if guard.refused and report.problem is None:
        report.problem = _foreign(guard)
    report.problem = changed() or report.problem
    return report.to_dict()


class AlembicProject:
    """One alembic.ini: its revisions by file, the database it is given, the steps it runs."""

    def __init__(
        self,
        config: Any,
        args: argparse.Namespace,
        named_url: str | None,
        flask: FlaskMigrateApp | None = None,
    ) -> None:
        from alembic.script import ScriptDirectory

        self.config = config
        self.root = args.root.resolve()
        self.configured = config.get_main_option("sqlalchemy.url")
        self.workdir = None if named_url else args.workdir
        self.flask = flask  # Flask-Migrate's env.py takes the app's database, not sqlalchemy.url
        self.url = self._give(flask.url if flask else named_url or self._throwaway("roundtrip"))
        self.script = ScriptDirectory.from_config(config)
        self.revisions = {Path(s.path).resolve(): s.revision for s in self.script.walk_revisions()}
        declared = [path.resolve() for path in args.one_way]
        self.one_way = [self.revisions[path] for path in declared if path in self.revisions]

    def roundtrip(self, guard: ConnectionGuard) -> Report:
        from alembic import command

        report = Report(NAMED if self.workdir is None else THROWAWAY)
        steps: list[tuple[str, Callable[[], object]]] = [
            ("upgrade to head", lambda: command.upgrade(self.config, "heads"))
        ]
        stops = self._downgrade_stops()
        for stop in stops:
            label = (
                "downgrade to base" if stop == "base" else f"downgrade to {stop} (declared one-way)"
            )
            steps.append((label, lambda stop=stop: command.downgrade(self.config, stop)))
        steps.append(("upgrade to head again", lambda: command.upgrade(self.config, "heads")))
        for label, action in steps:
            report.steps.append(timed(label, action, self.locate, self.workdir is not None))
            if guard.refused:
                report.problem = _foreign(guard)
            elif len(report.steps) == 1 and not report.steps[0]["error"] and not self._migrated():
                report.problem = ("env.py did not migrate the throwaway database the plugin set as "
                                  "sqlalchemy.url. " + _URL_ADVICE)  # fmt: skip
            if report.problem or report.steps[-1]["error"]:
                break
        return report

    def sync(self, guard: ConnectionGuard, at_head: bool) -> dict[str, Any]:
        """Alembic's ``check`` on a database at head: what autogenerate would still write."""
        if not at_head and (failed := self._to_head(guard)):
            return {"error": failed}
        try:
            differences = _autogenerate_differences(self.config)
        except Exception as error:  # env.py without target_metadata, a broken model, ...
            return {"error": describe(error, self.locate, False)}
        path, line = self._env_location()
        return {"differences": [{"path": path, "line": line, "message": _diff(diff)}
                                for diff in differences]}  # fmt: skip

    def locate(self, error: BaseException) -> tuple[str | None, int, str]:
        frames = project_frames(error, self.root)
        for path, line in reversed(frames):
            if path in self.revisions:
                return relative(path, self.root), line, f"revision {self.revisions[path]}"
        if frames:
            return relative(frames[-1][0], self.root), frames[-1][1], ""
        return None, 1, ""

    def _throwaway(self, name: str) -> str:
        """The URL of a new SQLite file in the folder the plugin created for this run."""
        return _sqlite_url(self.workdir / f"{name}.sqlite3", self.configured)

    def _give(self, url: str) -> str:
        """Make ``url`` the sqlalchemy.url env.py reads."""
        self.config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ini interpolation
        return url

    def _migrated(self) -> bool:
        return self.workdir is None or has_tables(self.workdir / "roundtrip.sqlite3")

    def _to_head(self, guard: ConnectionGuard) -> dict[str, Any] | None:
        """After a failed round trip: a fresh throwaway database (or the named one) at head."""
        from alembic import command

        if self.workdir is not None and self.flask is not None:
            self.flask.fresh()  # the app's engines keep their URL: the same file, emptied
        elif self.workdir is not None:
            guard.allowed = make_url(self._give(self._throwaway("in-sync")))
        upgrade = lambda: command.upgrade(self.config, "heads")  # noqa: E731
        step = timed("upgrade", upgrade, self.locate, self.workdir is not None)
        if step["error"] is None:
            return None
        return {
            **step["error"],
            "message": f"could not upgrade to head: {step['error']['message']}",
        }

    def _downgrade_stops(self) -> list[str]:
        """``base``, or the newest revisions declared one-way: a downgrade cannot pass them."""
        ancestors = {rev: self._ancestors(rev) for rev in self.one_way}
        newest = [rev for rev in self.one_way if not any(rev in a for a in ancestors.values())]
        return sorted(newest) or ["base"]

    def _ancestors(self, revision: str) -> set[str]:
        found: set[str] = set()
        pending = [revision]
        while pending:
            script = self.script.get_revision(pending.pop())
            down = script.down_revision if script else None
            for parent in (down,) if isinstance(down, str) else down or ():
                if parent not in found:
                    found.add(parent)
                    pending.append(parent)
        return found

    def _env_location(self) -> tuple[str, int]:
        env = Path(self.script.dir) / "env.py"
        text = env.read_text(encoding="utf-8", errors="replace") if env.is_file() else ""
        match = re.search(r"^\s*target_metadata\s*=", text, re.MULTILINE)
        return relative(env, self.root), text.count("\n", 0, match.start()) + 1 if match else 1


def _autogenerate_differences(config: Any) -> list[Any]:
    """What ``alembic check`` compares (it exists from Alembic 1.9), built from the parts every
    Alembic since 1.7 has: autogenerate against the database at head, no file written."""
    from alembic.autogenerate import RevisionContext
    from alembic.runtime.environment import EnvironmentContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(config)
    arguments = {"message": None, "autogenerate": True, "sql": False, "head": "head",
                 "splice": False, "branch_label": None, "version_path": None, "rev_id": None,
                 "depends_on": None}  # fmt: skip
    revision = RevisionContext(config, script, arguments)

    def compare(rev: Any, context: Any) -> list[Any]:
        revision.run_autogenerate(rev, context)
        return []  # nothing to migrate: the comparison is all that is wanted

    with EnvironmentContext(config, script, fn=compare, as_sql=False,
                            template_args=revision.template_args, revision_context=revision):  # fmt: skip
        script.run_env()
    generated = revision.generated_revisions  # env.py's own hook may have emptied it
    return generated[-1].upgrade_ops.as_diffs() if generated else []


def _toml_argument(config_type: type, toml: Path | None) -> dict[str, str]:
    """``toml_file=`` for pyproject.toml's [tool.alembic], where Alembic reads it (1.16 and later);
    an older Alembic ignores that table, as the project's own ``alembic`` command does."""
    if toml is None or "toml_file" not in inspect.signature(config_type).parameters:
        return {}
    return {"toml_file": str(toml)}


def _sqlite_url(path: Path, configured: str | None) -> str:
    """A SQLite URL for ``path``, async when the project's env.py drives an async driver."""
    return f"{'sqlite+aiosqlite' if _is_async(configured) else 'sqlite'}:///{path.resolve()}"


def _is_async(url: str | None) -> bool:
    try:
        return bool(url) and make_url(url).get_dialect().is_async
    except Exception:  # a placeholder such as driver://user:pass@localhost/dbname: not async
        return False


def _sqlite_file(configured: str | None) -> Path | None:
    """The file of the configured SQLite database, watched so the run provably leaves it alone."""
    try:
        url = make_url(configured) if configured else None
    except Exception:  # not a URL at all; nothing on disk to watch
        return None
    if url is None or url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).resolve()


def _foreign(guard: ConnectionGuard) -> str:
    return (f"env.py connected to another database ({guard.refused[0]}) instead of the one the "
            "plugin set as sqlalchemy.url; the connection was refused and nothing ran there. "
            + _URL_ADVICE)  # fmt: skip


_URL_ADVICE = (
    "Make env.py take its URL from config.get_main_option('sqlalchemy.url') (or "
    "engine_from_config(config.get_section(...))) so the round trip can run on a throwaway database"
)


def _diff(diff: Any) -> str:
    """One autogenerate difference in words: ``add_column notes.tag``."""
    if isinstance(diff, list):  # modify_* differences come grouped per column
        return "; ".join(_diff(inner) for inner in diff)
    operation, *rest = diff
    if operation.startswith("modify_"):
        _, table, column, _, old, new = rest
        return f"{operation} {table}.{column}: {old!r} in the database, {new!r} in the models"
    if operation in ("add_column", "remove_column"):
        _, table, column = rest
        return f"{operation} {table}.{column.name}"
    subject = rest[0] if rest else None
    name = getattr(subject, "name", None) or "(unnamed)"
    table = getattr(getattr(subject, "table", None), "name", None)
    return f"{operation} {name} on table {table}" if table else f"{operation} {name}"
