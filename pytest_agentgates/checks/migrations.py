"""The migrations-reversible check: Alembic and Django migrations read with ``ast`` (never imported),
SQL up/down migrations, and migrations declared one-way with a reason."""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import FAILED, PASSED, SKIPPED, Finding, Outcome
from ..project.context import CheckContext
from ..project.layout import Folders
from ..project.project_index import argument, callee
from ..project.sources import folders, python_file
from . import one_way, sql_migrations
from .one_way import MigrationFile

ALEMBIC, DJANGO = "Alembic revision", "Django migration"


@dataclass(frozen=True)
class Inventory:
    """Every migration of the project and what the static reading found against them."""

    files: tuple[MigrationFile, ...]
    findings: tuple[Finding, ...]  # before one-way declarations are applied
    notes: tuple[str, ...]
    unsupported: tuple[str, ...]  # frameworks recognised but not read

    def of_kind(self, kind: str) -> list[MigrationFile]:
        return [file for file in self.files if file.kind == kind]


def inventory(ctx: CheckContext) -> Inventory:
    return ctx.once("migrations-inventory", lambda: _take_inventory(ctx))


def one_way_declarations(ctx: CheckContext) -> tuple[dict[str, one_way.Declaration], list[Finding]]:
    """The inventory's migrations declared one-way, and the declarations that are findings."""
    return ctx.once("migrations-one-way", lambda: one_way.declarations(ctx, inventory(ctx).files))


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    found = inventory(ctx)
    declared, problems = one_way_declarations(ctx)
    # A marker without a reason stands for the file's findings: the declaration is what to mend.
    unreasoned = {problem.path for problem in problems if problem.code == "MIG030"}
    findings = [f for f in found.findings if f.path not in declared and f.path not in unreasoned]
    findings += problems
    excused = dict.fromkeys(f.path for f in found.findings if f.path in declared)
    notes = [*found.notes, *(declared[path].note() for path in excused)]
    counts = Counter(file.kind for file in found.files)
    counted = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(counts.items())) or "none readable"
    if findings:
        wrong = sum(finding.code in one_way.ENTRY_CODES for finding in findings)
        summary = f"{len(findings) - wrong} migration(s) cannot be rolled back ({counted})"
        if wrong:
            summary += f"; {wrong} one-way declaration(s) in the config file are wrong"
        return Outcome(FAILED, summary, len(findings), 0, tuple(findings), tuple(notes))
    if found.unsupported:
        return Outcome(SKIPPED, f"migrations of framework {', '.join(found.unsupported)} are not "
                       f"supported yet ({counted} checked)", notes=tuple(notes))  # fmt: skip
    if not counts:
        return Outcome(SKIPPED, "no migrations found (Alembic, Django or SQL up/down migrations)")
    return Outcome(
        PASSED, f"every migration has a real down path ({counted})", 0, 0, (), tuple(notes)
    )


def _take_inventory(ctx: CheckContext) -> Inventory:
    files: list[MigrationFile] = []
    findings: list[Finding] = []
    notes: list[str] = []
    walked = folders(ctx)
    for path, tree in _python_migrations(ctx, walked):
        shown = ctx.relative(path)
        if isinstance(tree, SyntaxError):
            message = f"cannot be read, so its down path cannot be checked: {tree.msg}"
            findings.append(Finding(shown, tree.lineno or 1, "MIG000", message))
        elif _is_alembic(tree):
            revision = _assigned(tree, "revision")
            names = (revision.value,) if isinstance(revision, ast.Constant) else ()
            files.append(MigrationFile(shown, ALEMBIC, tuple(str(name) for name in names)))
            findings += _alembic_findings(shown, tree)
        elif _django_migration(tree) is not None:
            files.append(MigrationFile(shown, DJANGO, (f"{path.parent.parent.name}.{path.stem}",)))
            found, informational = _django_findings(shown, tree)
            findings += found
            notes += informational
    sql_files, sql_findings = sql_migrations.check(walked, ctx.relative)
    files += [MigrationFile(path, kind) for path, kind in sql_files]
    return Inventory(
        tuple(files),
        tuple(findings + sql_findings),
        tuple(notes),
        tuple(sql_migrations.unsupported(walked)),
    )


def _python_migrations(
    ctx: CheckContext, folders: Folders
) -> Iterator[tuple[Path, ast.Module | SyntaxError]]:
    """Python files in a ``versions/`` or ``migrations/`` folder, parsed (or why not)."""
    for folder, files in folders:
        if folder.name not in ("versions", "migrations"):
            continue
        for name in files:
            if name.endswith(".py") and name != "__init__.py":
                path = folder / name
                file = python_file(ctx, path)
                yield path, file.tree if file.tree is not None else _syntax_error(file.error)


def _syntax_error(error: str) -> SyntaxError:
    """The reason ``python_file`` gives ("line 3: invalid syntax") as a SyntaxError."""
    line, _, message = error.partition(": ")
    found = SyntaxError(message if line.startswith("line ") else error)
    found.lineno = int(line[5:]) if line.startswith("line ") and line[5:].isdigit() else None
    return found


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def _assigned(tree: ast.Module, name: str) -> ast.expr | None:
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else []
        )  # fmt: skip
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return node.value
    return None


def _is_alembic(tree: ast.Module) -> bool:
    return _assigned(tree, "revision") is not None and "upgrade" in _functions(tree)


def _does_nothing(body: list[ast.stmt]) -> bool:
    """Only ``pass``, ``...`` or a docstring."""
    return all(
        isinstance(stmt, ast.Pass)
        or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))
        for stmt in body
    )


def _only_raises(body: list[ast.stmt]) -> bool:
    meaningful = [stmt for stmt in body if not _does_nothing([stmt])]
    return bool(meaningful) and all(isinstance(stmt, ast.Raise) for stmt in meaningful)


def _alembic_findings(path: str, tree: ast.Module) -> list[Finding]:
    functions = _functions(tree)
    revision = _literal(_assigned(tree, "revision"))
    down_revision = _assigned(tree, "down_revision")
    upgrade, downgrade = functions["upgrade"], functions.get("downgrade")
    is_merge = isinstance(down_revision, (ast.Tuple, ast.List)) and len(down_revision.elts) > 1
    if downgrade is None:
        return [Finding(path, upgrade.lineno, "MIG001", f"revision {revision}: no downgrade()")]
    if _does_nothing(downgrade.body):
        if is_merge and _does_nothing(upgrade.body):
            return []
        return [
            Finding(path, downgrade.lineno, "MIG002", f"revision {revision}: downgrade() is empty")
        ]
    if _only_raises(downgrade.body):
        return [
            Finding(
                path, downgrade.lineno, "MIG003", f"revision {revision}: downgrade() only raises"
            )
        ]
    return []


def _django_migration(tree: ast.Module) -> ast.ClassDef | None:
    return next(
        (node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Migration"),
        None,
    )


def _django_findings(path: str, tree: ast.Module) -> tuple[list[Finding], list[str]]:
    functions = _functions(tree)
    name = Path(path).stem
    findings: list[Finding] = []
    notes: list[str] = []
    calls = (node for part in _operation_sources(tree) for node in ast.walk(part))
    for call in sorted(set(calls), key=_position):  # a statement may bind two names
        if not isinstance(call, ast.Call):
            continue
        operation = callee(call.func)
        if operation not in ("RunPython", "RunSQL"):
            continue
        keyword = "reverse_code" if operation == "RunPython" else "reverse_sql"
        reverse = argument(call, 1, keyword)
        where = f"migration {name}: {operation}"
        if reverse is None or (isinstance(reverse, ast.Constant) and reverse.value is None):
            findings.append(Finding(path, call.lineno, "MIG010", f"{where} without {keyword}"))
        elif callee(reverse) == "noop":
            notes.append(
                f"{path}:{call.lineno} {where} reverses with noop (reversible, does nothing)"
            )
        elif (
            isinstance(reverse, ast.Name)
            and reverse.id in functions
            and _only_raises(functions[reverse.id].body)
        ):
            findings.append(Finding(path, call.lineno, "MIG011", f"{where}: {keyword} only raises"))
    return findings, notes


def _operation_sources(tree: ast.Module) -> list[ast.AST]:
    """The Migration class and every module-level statement its operations are built from:
    ``operations = PREPARE + [...]`` with ``PREPARE = [migrations.RunPython(f)]``, helpers called."""
    migration = _django_migration(tree)
    sources: list[ast.AST] = [migration]
    defined: dict[str, list[ast.stmt]] = {}
    for node in tree.body:
        for name in _defines(node):
            defined.setdefault(name, []).append(node)
    pending = [migration]
    seen: set[str] = set()
    while pending:
        for node in ast.walk(pending.pop()):
            if isinstance(node, ast.Name) and node.id in defined and node.id not in seen:
                seen.add(node.id)
                sources += defined[node.id]
                pending += defined[node.id]
    return sources


def _defines(node: ast.stmt) -> list[str]:
    """The module-level names a statement binds: assignments (also ``+=``) and functions."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return [node.name]
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    else:
        return []
    return [
        name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)
    ]


def _position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def _literal(node: ast.expr | None) -> str:
    if isinstance(node, ast.Constant):
        return repr(node.value)
    return "?"
