"""The openapi check: the OpenAPI/Swagger documents in the repository are valid, and each FastAPI
app generates its document without error (imported in a child process, never in pytest's)."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..model import FAILED, PASSED, SKIPPED, CheckCouldNotRun, Finding, Outcome
from ..project import openapi_spec
from ..project.context import CheckContext
from ..project.deployfiles import project_files, read_text, small_enough
from ..project.routes import project_routes
from ..project.sources import SourceFile, python_files
from ..project.tools import run_json
from ..project.yamlmarks import YamlError, load_all
from .imports import imports

LOOKS_LIKE_OPENAPI = re.compile(r"^\s*[\"']?(openapi|swagger)[\"']?\s*:", re.MULTILINE)
TOP_LEVEL_KEY = re.compile(r"^[\"']?(openapi|swagger)[\"']?\s*:", re.MULTILINE)  # not indented
# Libraries that build the document at run time in ways this check cannot run yet.
OTHER_GENERATORS = ("flask_smorest", "flasgger", "apispec", "spectree", "flask_openapi3",
                    "drf_spectacular", "drf_yasg", "ninja", "connexion")  # fmt: skip
MAX_APPS = 5


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    findings: list[Finding] = []
    checked: list[str] = []
    notes: list[str] = []
    for path, document in ctx.once("openapi-documents", lambda: _documents(ctx)):
        shown = ctx.relative(path)
        if isinstance(document, YamlError):
            findings.append(Finding(shown, document.line, "OAS002", document.message))
            continue
        problems = openapi_spec.validate(document, path.parent)
        findings += [Finding(shown, p.line, "OAS001", p.message) for p in problems]
        checked.append(f"{shown} ({_describe(document)})")
    sources = python_files(ctx)
    apps = fastapi_apps(sources)
    if apps:
        app_findings, app_checked, app_notes = _generated(ctx, apps, could_fall_back=bool(checked))
        findings += app_findings
        checked += app_checked
        notes += app_notes
    if findings:
        return Outcome(FAILED, f"{len(findings)} problem(s) in the OpenAPI documentation",
                       len(findings), 0, tuple(findings), tuple(notes))  # fmt: skip
    if checked:
        return Outcome(PASSED, "valid OpenAPI: " + "; ".join(checked), 0, 0, (), tuple(notes))
    return _nothing_found(ctx, sources)


def _nothing_found(ctx: CheckContext, sources: tuple[SourceFile, ...]) -> Outcome:
    generator = next((name for name in OTHER_GENERATORS if _imports(sources, name)), None)
    if generator:
        raise CheckCouldNotRun(
            f"the app builds its OpenAPI document with {generator}, which this check cannot run; "
            "commit the generated document (openapi.yaml) to have it validated"
        )
    routes = project_routes(ctx)
    if not routes:
        return Outcome(
            SKIPPED, "no HTTP API here: no routes, OpenAPI document or FastAPI app found"
        )
    first = routes[0]
    return Outcome(
        FAILED,
        f"no OpenAPI document in the repository and no FastAPI app to generate one, for "
        f"{len(routes)} HTTP route(s) (first: {first.method} {first.path} at "
        f"{first.relative}:{first.line})",
        0, "an OpenAPI document (openapi.yaml/json or swagger.yaml/json) or a FastAPI app",
    )  # fmt: skip


def _documents(ctx: CheckContext) -> list[tuple[Path, Any]]:
    """Every YAML or JSON file of the project whose top level has an ``openapi``/``swagger`` key."""
    found: list[tuple[Path, Any]] = []
    for path in project_files(ctx):
        if path.suffix not in (".yaml", ".yml", ".json") or not small_enough(path):
            continue
        text = read_text(path)
        if text is None or not LOOKS_LIKE_OPENAPI.search(text):
            continue
        documents = load_all(text)
        if isinstance(documents, YamlError) and path.suffix == ".json":
            documents = _json(text, documents)
        if isinstance(documents, YamlError):
            if TOP_LEVEL_KEY.search(text):
                found.append((path, documents))  # clearly meant as one, and broken
            continue
        found += [(path, doc) for doc in documents[:1] if openapi_spec.is_openapi(doc)]
    return found


def _json(text: str, error: YamlError) -> Any:
    """JSON that YAML cannot read (tabs, for one): parsed without line numbers."""
    try:
        return [json.loads(text)]
    except json.JSONDecodeError as json_error:
        return YamlError(json_error.lineno, f"not valid JSON: {json_error.msg}")


def _describe(document: dict) -> str:
    version = document.get("openapi") or f"Swagger {document.get('swagger')}"
    paths = document.get("paths") if isinstance(document.get("paths"), dict) else {}
    operations = sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for method in openapi_spec.METHODS
        if method in item
    )
    return f"OpenAPI {version}, {len(paths)} path(s), {operations} operation(s)".replace(
        "OpenAPI Swagger", "Swagger"
    )


def fastapi_apps(sources: tuple[SourceFile, ...]) -> list[tuple[SourceFile, str, int]]:
    """(module, ``name`` or ``factory()``, line) for each FastAPI app built at module level or
    by a module-level function that needs no argument."""
    apps: list[tuple[SourceFile, str, int]] = []
    for file in sources:
        if file.tree is None or "FastAPI" not in file.text:
            continue
        for node in file.tree.body:
            if isinstance(node, ast.Assign) and _is_fastapi_call(node.value):
                apps += [(file, t.id, node.lineno) for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_factory(node):
                apps.append((file, f"{node.name}()", node.lineno))
    return apps[:MAX_APPS]


def _is_fastapi_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "FastAPI") or (
        isinstance(func, ast.Attribute) and func.attr == "FastAPI"
    )


def _is_factory(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = node.args
    required = len(arguments.posonlyargs) + len(arguments.args) - len(arguments.defaults)
    required += sum(1 for default in arguments.kw_defaults if default is None)
    return (
        not isinstance(node, ast.AsyncFunctionDef)
        and required == 0
        and any(_is_fastapi_call(inner) for inner in ast.walk(node))
        and any(isinstance(inner, ast.Return) for inner in ast.walk(node))
    )


def _generated(
    ctx: CheckContext, apps: list[tuple[SourceFile, str, int]], could_fall_back: bool
) -> tuple[list[Finding], list[str], list[str]]:
    args: list[str] = []
    for file, name, _ in apps:
        args += [str(_import_root(file)), f"{file.module}:{name}"]
    results = ctx.once("openapi-apps", lambda: run_json("pytest_agentgates.project.openapi_app", args,
                                                          ctx.rootdir))  # fmt: skip
    findings: list[Finding] = []
    checked: list[str] = []
    notes: list[str] = []
    for (file, _, line), result in zip(apps, results, strict=False):
        target = result["target"]
        if "error" in result:
            where = result.get("where")
            shown, at = (ctx.relative(where[0]), where[1]) if where else (file.relative, line)
            message = f"{result['stage']} failed: {result['error']}"
            if result["stage"].startswith("generating"):
                findings.append(Finding(shown, at, "OAS003", message))
            elif could_fall_back:
                notes.append(f"{file.relative}:{line} {message}")
            else:
                raise CheckCouldNotRun(f"{message} (at {shown}:{at})")
            continue
        document = result["document"]
        if not isinstance(document, dict):
            message = f"{target}: openapi() returned {type(document).__name__}, not a document"
            findings.append(Finding(file.relative, line, "OAS003", message))
            continue
        problems = openapi_spec.validate(document)
        findings += [
            Finding(file.relative, line, "OAS001", f"{target}: {p.message}") for p in problems
        ]
        findings += [
            Finding(file.relative, line, "OAS004", f"{target}: {warning}")
            for warning in result["warnings"]
            if not warning.startswith("Duplicate Operation ID")  # the validator reports those
        ]
        checked.append(f"{target} generates {_describe(document)}")
        if not result.get("served_at"):
            notes.append(
                f"{file.relative}:{line} {target} does not serve its document (openapi_url=None)"
            )
    return findings, checked, notes


def _import_root(file: SourceFile) -> Path:
    """The folder to put on ``sys.path`` so that ``file.module`` imports."""
    depth = len(file.module.split("."))
    return file.path.parents[depth if file.path.stem == "__init__" else depth - 1]


def _imports(sources: tuple[SourceFile, ...], package: str) -> bool:
    """Whether any module imports ``package`` (absolutely: ``from .ninja import`` is local)."""
    return any(
        imported.level == 0 and imported.module.split(".")[0] == package
        for file in sources
        if package in file.text
        for imported in imports(file)
    )
