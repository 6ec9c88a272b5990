"""change-size and tests-for-changes: the change against the base ref, read from git."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..model import FAILED, PASSED, SKIPPED, Finding, Outcome
from ..project import gitdiff
from ..project.context import CheckContext
from ..project.sources import SourceFile, python_file, python_files

DEFAULT_MAX_FILES = 10
TEST_FOLDERS = frozenset({"tests", "test"})


@dataclass(frozen=True)
class ChangedFile:
    """A file of the project (under the rootdir) that the change adds, modifies or deletes."""

    relative: str  # to the rootdir, posix
    path: Path  # absolute
    plus: int
    minus: int
    state: str  # added | modified | deleted
    first_line: int  # first added or changed line, 1 when there is none

    def describe(self) -> str:
        return f"{self.state}, +{self.plus} -{self.minus} lines"


def change_size(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    """At most ``max_files`` files (and ``max_lines`` lines, when promised) changed."""
    change, files = _changed(ctx)
    max_files = int(params.get("max_files") or DEFAULT_MAX_FILES)
    max_lines = params.get("max_lines")
    lines = sum(file.plus + file.minus for file in files)
    against = _against(change, ctx)
    measured = f"{len(files)} files, {lines} lines"
    required = f"at most {max_files} files" + (f", {max_lines} lines" if max_lines else "")
    notes = _notes(change, ctx)
    over = [f"{len(files)} files"] if len(files) > max_files else []
    if max_lines is not None and lines > int(max_lines):
        over.append(f"{lines} lines")
    if over:
        findings = tuple(
            Finding(file.relative, file.first_line, "CHG001", file.describe()) for file in files
        )
        return Outcome(FAILED, f"{' and '.join(over)} changed against {against}, over the "
                       f"promised {required}", measured, required, findings, notes)  # fmt: skip
    return Outcome(PASSED, f"{len(files)} file(s), {lines} line(s) changed against {against}; "
                   f"{required}", measured, required, notes=notes)  # fmt: skip


def tests_for_changes(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    """Every changed source module comes with an added or changed test that names or imports it."""
    change, files = _changed(ctx)
    against = _against(change, ctx)
    present = {file.path: file for file in files if file.state != "deleted"}
    modules = [(source, present[source.path]) for source in python_files(ctx)
               if source.path in present]  # fmt: skip
    if not modules:
        return Outcome(SKIPPED, f"no source module changed against {against}")
    tests = [file for file in present.values() if is_test(file.relative)]
    imports = {file.relative: imported_modules(ctx, file.path) for file in tests}
    findings = []
    for source, file in modules:
        if not any(_covers(test.relative, imports[test.relative], source) for test in tests):
            stem = _stem(source)
            findings.append(Finding(
                source.relative, file.first_line, "TFC001",
                f"{source.module} changed ({file.describe()}) with no added or changed test: "
                f"no test_{stem}.py or {stem}_test.py, no changed test imports it",
            ))  # fmt: skip
    notes = _notes(change, ctx)
    if findings:
        return Outcome(FAILED, f"{len(findings)} of {len(modules)} changed module(s) come without "
                       f"a test in the change against {against}", len(findings), 0,
                       tuple(findings), notes)  # fmt: skip
    return Outcome(PASSED, f"{len(modules)} changed module(s), each with an added or changed "
                   f"test, against {against}", 0, 0, notes=notes)  # fmt: skip


def is_test(relative: str) -> bool:
    """A Python test file: test_*.py, *_test.py, or any .py file under a tests/ or test/ folder."""
    path = PurePosixPath(relative)
    if path.suffix != ".py":
        return False
    name = path.name
    return (name.startswith("test_") or name.endswith("_test.py")
            or any(part in TEST_FOLDERS for part in path.parts[:-1]))  # fmt: skip


def imported_modules(ctx: CheckContext, path: Path) -> frozenset[str]:
    """The absolute module names a file imports (``from a import b`` gives a and a.b); () if unparsable."""
    tree = python_file(ctx, path).tree
    if tree is None:
        return frozenset()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(names)


def _covers(test: str, imports: frozenset[str], source: SourceFile) -> bool:
    """``test`` is named for the module, or imports it (a package counts as imported with any of
    its modules, since importing one runs its ``__init__``)."""
    stem = _stem(source)
    if PurePosixPath(test).name in (f"test_{stem}.py", f"{stem}_test.py"):
        return True
    is_package = source.path.name == "__init__.py"
    return any(name == source.module or (is_package and name.startswith(source.module + "."))
               for name in imports)  # fmt: skip


def _stem(source: SourceFile) -> str:
    return source.path.parent.name if source.path.name == "__init__.py" else source.path.stem


def _changed(ctx: CheckContext) -> tuple[gitdiff.Change, list[ChangedFile]]:
    """The change (read once per session) and its files under the rootdir, caches left out."""
    change = gitdiff.session_change(ctx)
    rootdir = ctx.rootdir.resolve()
    files = []
    for name, (plus, minus) in sorted(change.counts.items()):
        path = (change.root / name).resolve()
        if "__pycache__" in PurePosixPath(name).parts or name.endswith(".pyc"):
            continue  # byte code the test run itself wrote, when .gitignore does not say so
        try:
            relative = path.relative_to(rootdir).as_posix()
        except ValueError:
            continue  # elsewhere in a repository that holds more than this project
        state = ("deleted" if name in change.deleted
                 else "added" if name in change.added else "modified")  # fmt: skip
        lines = change.files.get(name) or {1}
        files.append(ChangedFile(relative, path, plus, minus, state, min(lines)))
    return change, files


def _against(change: gitdiff.Change, ctx: CheckContext) -> str:
    if ctx.options.get("base"):
        return str(ctx.options["base"])
    if change.base == "HEAD":
        return "HEAD (uncommitted changes only)"
    if change.base == "the working tree":
        return "an empty history (no commit yet: every file is new)"
    return f"the merge-base {gitdiff.shown_ref(change.base)} with the default branch"


def _notes(change: gitdiff.Change, ctx: CheckContext) -> tuple[str, ...]:
    if change.base == "HEAD" and not ctx.options.get("base"):
        return ("HEAD has no commits of its own beyond a default branch (or there is none), so "
                "only uncommitted changes count; set --agent-gates-base (e.g. origin/main) to "
                "measure committed work too",)  # fmt: skip
    return ()
