"""The runner's command line: fixed arguments chosen by the plugin in, one JSON report out."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import DATABASE_VARIABLE, PATH_VARIABLE
from .steps import versions


def main(argv: list[str] | None = None) -> int:
    report_to = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # what the project prints goes to stderr; stdout carries only the report
    sys.stdout = sys.stderr
    args = _parser().parse_args(argv)
    # ``python -m`` put the working directory first on sys.path; the tools' own commands do not,
    # and a project folder named like a library (``alembic/``) must not shadow it. What the test
    # session imports from (rootdir, ``pythonpath``, conftest insertions) comes first.
    cwd = os.getcwd()
    own = [entry for entry in sys.path if entry not in ("", cwd)]
    session = [entry for entry in os.environ.get(PATH_VARIABLE, "").split(os.pathsep) if entry]
    sys.path[:] = list(dict.fromkeys([*session, *own]))
    if args.framework == "alembic":
        from .alembic_project import run
    else:
        from .django_project import run
    report = run(args, os.environ.get(DATABASE_VARIABLE) or None)
    report["versions"] = versions()
    json.dump(report, report_to)
    report_to.close()
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pytest_agentgates.migration_runner")
    parser.add_argument("--framework", choices=("alembic", "django"), required=True)
    parser.add_argument("--root", type=Path, required=True, help="the project's rootdir")
    parser.add_argument("--workdir", type=Path, required=True, help="for throwaway databases")
    parser.add_argument("--config", type=Path, help="alembic.ini")
    parser.add_argument("--toml", type=Path, help="pyproject.toml with [tool.alembic]")
    parser.add_argument("--flask", type=Path, help="Flask-Migrate's migrations folder (Alembic)")
    parser.add_argument("--settings", help="Django settings module")
    parser.add_argument("--path", type=Path, help="folder put first on sys.path (Django)")
    parser.add_argument("--one-way", type=Path, action="append", default=[], dest="one_way",
                        help="a migration file declared one-way: the downgrade stops there")  # fmt: skip
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
