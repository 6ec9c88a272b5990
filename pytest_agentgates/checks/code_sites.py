"""Helpers the code checks share: the parsed source by path, inline waivers, calls on a line,
the project's pyproject.toml."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from typing import Any

from ..model import CheckCouldNotRun
from ..project.context import CheckContext
from ..project.sources import SourceFile, python_files
from .pycode import name_of

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself depends on tomli before Python 3.11
    import tomli as tomllib

_NOSEC = re.compile(r"#\s*nosec\b:?\s*([^#]*)", re.IGNORECASE)
_NOQA = re.compile(r"#\s*noqa\b(?::\s*([A-Z0-9, ]+))?", re.IGNORECASE)


def parsed_sources(ctx: CheckContext) -> dict[str, SourceFile]:
    """The project's modules by rootdir-relative path; a module that cannot be parsed stops the
    check (its verdict would be silent about that module)."""
    files = python_files(ctx)
    if not files:
        raise CheckCouldNotRun("no project source found; set agent_gates_source")
    for source in files:
        if source.tree is None:
            raise CheckCouldNotRun(f"{source.relative} cannot be checked: {source.error}")
    return {source.relative: source for source in files}


def pyproject(ctx: CheckContext) -> dict[str, Any]:
    """The rootdir's ``pyproject.toml``, read once per session ({} when there is none)."""

    def read() -> dict[str, Any]:
        path = ctx.rootdir / "pyproject.toml"
        if not path.is_file():
            return {}
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise CheckCouldNotRun(f"cannot read {path}: {error}") from error

    return ctx.once("pyproject", read)


def line_text(source: SourceFile, line: int) -> str:
    lines = source.lines
    return lines[line - 1] if 0 < line <= len(lines) else ""


def waived(text: str, *codes: str) -> bool:
    """The line carries ``# nosec`` or ``# noqa``, for everything or for one of ``codes``.

    Bandit and ruff's S rules share their numbers (B608 is S608): a project that waives a
    place for one tool has waived it for both.
    """
    for comment in (_NOSEC.search(text), _NOQA.search(text)):
        if comment is None:
            continue
        listed = (comment.group(1) or "").upper()
        if not listed.strip() or any(code in listed for code in codes):
            return True
    return False


def nodes_on_line(nodes: Iterable[ast.AST], line: int, kind: type[ast.AST]) -> list:
    """Nodes of ``kind`` (among a file's ``nodes``) that start on ``line``, outermost first."""
    return [
        node for node in nodes if isinstance(node, kind) and getattr(node, "lineno", None) == line
    ]


LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)


LOGGER_NAMES = frozenset(
    {"log", "logs", "logging", "logger", "getlogger", "get_logger", "structlog", "loguru"}
)


def is_log_call(node: ast.AST) -> bool:
    """``logging.x(...)``, ``logger.x(...)``, ``self.log.x(...)``: a logging method on something
    whose name says log; also error reporters such as ``sentry_sdk.capture_exception``."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    if node.func.attr in ("capture_exception", "capture_message"):
        return True
    # the receiver's last name; logging.getLogger(__name__).error(...) is getLogger's
    name = name_of(node.func.value).lower().strip("_")
    looks_like_logger = name in LOGGER_NAMES or name.endswith(("logger", "_log"))
    return node.func.attr in LOG_METHODS and looks_like_logger
