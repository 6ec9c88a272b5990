"""Validate the structure of an OpenAPI 3.x or Swagger 2.0 document: version, info, paths,
operations and responses, path parameters, operation ids, and ``$ref`` targets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .yamlmarks import line_of

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PATH_ITEM_FIELDS = frozenset({"$ref", "summary", "description", "servers", "parameters", *METHODS})
OPENAPI_VERSION = re.compile(r"^3\.[0-2]\.\d+(-[\w.]+)?$")
STATUS = re.compile(r"^([1-5](\d\d|XX)|default)$")
TEMPLATE = re.compile(r"\{([^}/]+)\}")
LOCATIONS = {"2": {"query", "header", "path", "formData", "body"},
             "3": {"query", "header", "path", "cookie"}}  # fmt: skip


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


def is_openapi(document: Any) -> bool:
    return isinstance(document, dict) and ("openapi" in document or "swagger" in document)


def validate(document: dict, folder: Path | None = None) -> list[Problem]:
    """Every structural problem of ``document``, by line; ``folder`` resolves file ``$ref``s."""
    problems = list(_version_and_info(document))
    major = "2" if "swagger" in document else "3"
    minor_31 = str(document.get("openapi", "")).startswith(("3.1", "3.2"))
    paths = document.get("paths")
    if paths is None:
        if not (minor_31 and ("webhooks" in document or "components" in document)):
            problems.append(Problem(line_of(document), "no paths"))
    elif not isinstance(paths, dict):
        problems.append(Problem(line_of(paths, line_of(document)), "paths must be a mapping"))
    else:
        problems += _paths(document, paths, major, responses_required=not minor_31)
    problems += _references(document, document, folder)
    return sorted(problems, key=lambda problem: problem.line)


def _version_and_info(document: dict) -> Iterator[Problem]:
    top = line_of(document)
    if "openapi" in document:
        version = document["openapi"]
        if not isinstance(version, str) or not OPENAPI_VERSION.match(version):
            yield Problem(line_of(version, top), f"openapi must be a version string such as "
                          f"\"3.1.0\", not {version!r}")  # fmt: skip
    elif document.get("swagger") != "2.0":
        yield Problem(line_of(document.get("swagger"), top), 'swagger must be "2.0"')
    info = document.get("info")
    if not isinstance(info, dict):
        yield Problem(top, "no info (title and version)")
        return
    for field in ("title", "version"):
        if not isinstance(info.get(field), str):
            found = "missing" if field not in info else f"{info[field]!r} is not a string"
            yield Problem(line_of(info.get(field), line_of(info)), f"info.{field}: {found}")


def _paths(document: dict, paths: dict, major: str, responses_required: bool) -> Iterator[Problem]:
    operation_ids: dict[str, str] = {}
    for template, item in paths.items():
        line = line_of(template, line_of(item, line_of(paths)))
        if str(template).startswith("x-"):
            continue
        if not str(template).startswith("/"):
            yield Problem(line, f"path {template!r} must start with /")
        if not isinstance(item, dict):
            yield Problem(line, f"path {template}: must be a mapping of operations")
            continue
        for name in item:
            if name not in PATH_ITEM_FIELDS and not str(name).startswith("x-"):
                yield Problem(
                    line_of(item.get(name), line), f"path {template}: unknown field {name!r}"
                )
        shared = _parameters(document, item.get("parameters"))
        for method, operation in item.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {template}"
            if not isinstance(operation, dict):
                yield Problem(line_of(method, line), f"{where}: must be a mapping")
                continue
            at = line_of(method, line_of(operation))
            yield from _operation(document, operation, where, at, major, responses_required)
            yield from _path_parameters(document, str(template), shared, operation, where, at)
            operation_id = operation.get("operationId")
            if isinstance(operation_id, str):
                if operation_id in operation_ids:
                    yield Problem(line_of(operation_id), f"{where}: operationId {operation_id!r} "
                                  f"already used by {operation_ids[operation_id]}")  # fmt: skip
                operation_ids.setdefault(operation_id, where)


def _operation(
    document: dict, operation: dict, where: str, line: int, major: str, required: bool
) -> Iterator[Problem]:
    responses = operation.get("responses")
    if responses is None:
        if required:
            yield Problem(line, f"{where}: no responses")
    elif not isinstance(responses, dict) or not responses:
        yield Problem(line_of(responses, line), f"{where}: responses must be a non-empty mapping")
    else:
        for status, response in responses.items():
            at = line_of(status, line_of(response, line))
            if not STATUS.match(str(status)) and not str(status).startswith("x-"):
                yield Problem(at, f"{where}: {status!r} is not a status code")
            described = not isinstance(response, dict) or {"$ref", "description"} & set(response)
            if not described:
                yield Problem(at, f"{where}: response {status} has no description")
    for parameter in _parameters(document, operation.get("parameters")):
        if "name" not in parameter or "in" not in parameter:
            yield Problem(line_of(parameter, line), f"{where}: a parameter without name or in")
        elif parameter["in"] not in LOCATIONS[major]:
            yield Problem(line_of(parameter, line), f"{where}: parameter {parameter['name']} is "
                          f"in {parameter['in']!r}, not one of {', '.join(sorted(LOCATIONS[major]))}")  # fmt: skip
        elif parameter["in"] == "path" and parameter.get("required") is not True:
            yield Problem(line_of(parameter, line), f"{where}: path parameter "
                          f"{parameter['name']} must have required: true")  # fmt: skip


def _path_parameters(
    document: dict, template: str, shared: list[dict], operation: dict, where: str, line: int
) -> Iterator[Problem]:
    declared = {
        str(p.get("name"))
        for p in [*shared, *_parameters(document, operation.get("parameters"))]
        if p.get("in") == "path"
    }
    for name in TEMPLATE.findall(template):
        if name not in declared:
            yield Problem(line, f"{where}: path parameter {{{name}}} is not declared")
    for name in sorted(declared - set(TEMPLATE.findall(template))):
        yield Problem(line, f"{where}: path parameter {name} is not in the path")


def _parameters(document: dict, parameters: Any) -> list[dict]:
    """The parameter objects of a list, local ``$ref``s followed."""
    if not isinstance(parameters, list):
        return []
    found: list[dict] = []
    for parameter in parameters:
        if isinstance(parameter, dict) and isinstance(parameter.get("$ref"), str):
            parameter = _pointer(document, parameter["$ref"])
        if isinstance(parameter, dict):
            found.append(parameter)
    return found


def _references(document: dict, node: Any, folder: Path | None) -> Iterator[Problem]:
    if isinstance(node, dict):
        reference = node.get("$ref")
        if isinstance(reference, str):
            problem = _unresolved(document, reference, folder)
            if problem:
                yield Problem(line_of(reference, line_of(node)), problem)
        for value in node.values():
            yield from _references(document, value, folder)
    elif isinstance(node, list):
        for value in node:
            yield from _references(document, value, folder)


def _unresolved(document: dict, reference: str, folder: Path | None) -> str:
    """Why ``reference`` leads nowhere, or "" (remote URLs are not fetched)."""
    target, _, fragment = reference.partition("#")
    if target.startswith(("http://", "https://")):
        return ""
    if target:
        if folder is not None and not (folder / target).is_file():
            return f"$ref {reference}: file {target} not found"
        return ""
    if _pointer(document, "#" + fragment) is None:
        return f"$ref {reference} points at nothing in this document"
    return ""


def _pointer(document: dict, reference: str) -> Any:
    """What a local JSON pointer (``#/components/schemas/Note``) points at, or None."""
    if not reference.startswith("#"):
        return None
    node: Any = document
    for raw in reference[1:].split("/")[1:] if reference != "#" else []:
        key = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node
