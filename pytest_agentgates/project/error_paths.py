"""The error paths of the project's source: ``except`` handlers and code that answers with an HTTP error."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .project_index import callee, statement_lines
from .sources import SourceFile

# Exceptions that frameworks turn into an HTTP error response (FastAPI/Starlette, Werkzeug,
# Django, Django REST framework).
HTTP_EXCEPTIONS = frozenset({
    "HTTPException", "WebSocketException", "RequestValidationError",
    "BadRequest", "Unauthorized", "Forbidden", "NotFound", "MethodNotAllowed", "NotAcceptable",
    "Conflict", "Gone", "UnprocessableEntity", "TooManyRequests", "InternalServerError",
    "ServiceUnavailable",
    "Http404", "PermissionDenied", "SuspiciousOperation", "BadRequestError",
    "APIException", "ValidationError", "NotAuthenticated", "AuthenticationFailed",
    "ParseError", "Throttled", "UnsupportedMediaType",
})  # fmt: skip
ERROR_RESPONSES = re.compile(
    r"^HttpResponse(BadRequest|NotFound|Forbidden|NotAllowed|Gone|ServerError)$"
)
STATUS_KEYWORDS = ("status", "status_code")
# coverage.py's default exclusion: a line marked so is not measured, hence not an untested path.
NO_COVER = re.compile(r"#\s*(pragma|PRAGMA)[:\s]?\s*(no|NO)\s*(cover|COVER)")


@dataclass(frozen=True)
class ErrorPath:
    """One place where the code handles or reports a failure, and the lines that run when it does."""

    relative: str
    line: int
    kind: str  # "except" | "http-error"
    text: str  # "except KeyError", "abort(404)", "raise HTTPException(status_code=404)"
    body: frozenset[int]


def find_error_paths(files: Iterable[SourceFile]) -> list[ErrorPath]:
    found: list[ErrorPath] = []
    for file in files:
        if file.tree is None:
            continue
        lines = file.lines
        for path in _in_module(file):
            if not NO_COVER.search(lines[path.line - 1] if path.line <= len(lines) else ""):
                found.append(path)
    return sorted(found, key=lambda p: (p.relative, p.line))


def _in_module(file: SourceFile) -> Iterator[ErrorPath]:
    handled: set[int] = set()  # statements inside an except handler: the handler stands for them
    for node in file.nodes:
        if isinstance(node, ast.ExceptHandler):
            body = statement_lines(node.body)
            handled |= body
            caught = f" {_short(node.type)}" if node.type is not None else ""
            yield ErrorPath(file.relative, node.lineno, "except", f"except{caught}", body)
    for node in file.nodes:
        if isinstance(node, ast.stmt) and node.lineno not in handled and _answers_error(node):
            text = _short(node)
            yield ErrorPath(
                file.relative, node.lineno, "http-error", text, frozenset({node.lineno})
            )


def _answers_error(statement: ast.stmt) -> bool:
    """``abort(404)``, ``raise HTTPException(...)``, ``return ..., 404``, ``JsonResponse(status=400)``."""
    if isinstance(statement, ast.Raise) and statement.exc is not None:
        exc = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
        return callee(exc) in HTTP_EXCEPTIONS
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        call = statement.value
        return callee(call.func) == "abort" and bool(call.args or call.keywords)
    if isinstance(statement, ast.Return) and statement.value is not None:
        value = statement.value
        if isinstance(value, ast.Tuple):
            return any(_error_status(element) for element in value.elts[1:])
        if isinstance(value, ast.Call):
            name = callee(value.func) or ""
            return bool(ERROR_RESPONSES.match(name)) or any(
                k.arg in STATUS_KEYWORDS and _error_status(k.value) for k in value.keywords
            )
    return False


def _error_status(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return 400 <= node.value <= 599
    # status.HTTP_404_NOT_FOUND, HTTPStatus.NOT_FOUND is not told apart from OK: only HTTP_4xx/5xx.
    return isinstance(node, ast.Attribute) and bool(re.match(r"HTTP_[45]\d\d_", node.attr))


def _short(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 60 else text[:57] + "..."
