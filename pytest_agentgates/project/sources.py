"""The project's own Python source, read and parsed once per session for the checks that read code."""

from __future__ import annotations

import ast
import contextlib
import io
import tokenize
import warnings
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from .context import CheckContext
from .layout import NOT_SOURCE, Folders, is_source_module, project_folders


@dataclass(frozen=True)
class SourceFile:
    """One module of the project: where it is, its text, and its syntax tree (None if unparsable)."""

    path: Path  # absolute
    relative: str  # to the rootdir, posix; what findings show
    module: str  # dotted name, from the source root it was found under
    text: str
    tree: ast.Module | None
    error: str = ""  # why it could not be read or parsed

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def nodes(self) -> tuple[ast.AST, ...]:
        """Every node of the tree in ``ast.walk`` order, walked once for every check that scans."""
        return tuple(ast.walk(self.tree)) if self.tree is not None else ()

    @cached_property
    def tokens(self) -> tuple[tokenize.TokenInfo, ...]:
        """The file's tokens; those before the first error when it does not tokenize."""
        found: list[tokenize.TokenInfo] = []
        # Only files that ast could not parse either fail here; their checks report that.
        with contextlib.suppress(tokenize.TokenError, SyntaxError):
            for token in tokenize.generate_tokens(io.StringIO(self.text).readline):
                found.append(token)
        return tuple(found)


def folders(ctx: CheckContext) -> Folders:
    """Every folder of the project with its file names, walked once per session for all checks."""
    return ctx.once("project-folders", lambda: project_folders(ctx.rootdir))


def python_files(ctx: CheckContext) -> tuple[SourceFile, ...]:
    """Every module under the project's source (tests, migrations and conftests excepted)."""
    return ctx.once("python-files", lambda: tuple(_read_all(ctx)))


def python_file(ctx: CheckContext, path: Path, module: str = "") -> SourceFile:
    """The Python file at ``path``, read and parsed once per session, by whichever check asks first.

    Tests, migrations, ``setup.py``: any Python file the checks read comes through here.
    """
    read: dict[Path, SourceFile] = ctx.once("source-files", dict)
    found = read.get(path)
    if found is None:
        found = read[path] = _read(ctx, path, module)
    elif module and found.module != module:
        found = replace(found, module=module)  # the same text and tree under the name asked for
    return found


def _read_all(ctx: CheckContext):
    for root in ctx.source:
        if root.is_file():
            yield python_file(ctx, root, root.stem)
            continue
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(root).parts
            if any(part in NOT_SOURCE or part.startswith(".") for part in parts[:-1]):
                continue
            if not is_source_module(path.name):
                continue
            dotted = [root.name, *parts[:-1]]
            if path.stem != "__init__":
                dotted.append(path.stem)
            yield python_file(ctx, path, ".".join(dotted))


def _read(ctx: CheckContext, path: Path, module: str) -> SourceFile:
    relative = ctx.relative(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return SourceFile(path.resolve(), relative, module, "", None, f"cannot be read: {error}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)  # e.g. invalid escapes in user code
            tree = ast.parse(text, filename=str(path))
    except SyntaxError as error:
        return SourceFile(path.resolve(), relative, module, text, None,
                          f"line {error.lineno}: {error.msg}")  # fmt: skip
    return SourceFile(path.resolve(), relative, module, text, tree)
