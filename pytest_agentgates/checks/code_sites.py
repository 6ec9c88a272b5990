"""Helpers the code checks share: the parsed source by path, inline waivers, calls on a line."""

from __future__ import annotations

import ast
import re

from ..context import CheckContext
from ..model import CheckCouldNotRun
from ..sources import SourceFile, python_files

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


def nodes_on_line(tree: ast.AST, line: int, kind: type[ast.AST]) -> list:
    """Nodes of ``kind`` that start on ``line``, outermost first."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, kind) and getattr(node, "lineno", None) == line
    ]


def dotted(node: ast.AST) -> str:
    """``a.b.c`` for a name or attribute chain, "" for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


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
    receiver = node.func.value
    if isinstance(receiver, ast.Call):  # logging.getLogger(__name__).error(...)
        receiver = receiver.func
    name = dotted(receiver).rsplit(".", 1)[-1].lower().strip("_")
    looks_like_logger = name in LOGGER_NAMES or name.endswith(("logger", "_log"))
    return node.func.attr in LOG_METHODS and looks_like_logger
