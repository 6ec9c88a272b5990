"""The health-check check: the app has a health/readiness/liveness route, or a Dockerfile
HEALTHCHECK, a compose healthcheck or a Kubernetes probe watches the service."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..model import FAILED, PASSED, SKIPPED, Finding, Outcome
from ..project import dockerfile as docker
from ..project import repository
from ..project.context import CheckContext
from ..project.deployfiles import compose_files, dockerfiles, read_text, yaml_files
from ..project.routes import Route, project_routes
from ..project.sources import python_files
from ..project.yamlmarks import YamlError, line_of, load_all
from .pycode import name_of

# A path segment with one of these words anywhere in the path is a health route...
HEALTH_WORDS = frozenset({"health", "healthz", "healthy", "healthcheck", "health-check",
                          "health_check", "readiness", "readyz", "liveness", "livez", "alive"})  # fmt: skip
# ...these only as its last segment (`/status` yes, `/status/history` no).
LAST_SEGMENT_WORDS = frozenset({"status", "ping", "ready", "live", "heartbeat"})
PARAMETER = re.compile(r"[<{(]")  # /orders/<id>/status is an order's status, not the app's
PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
TEMPLATED_PROBE = re.compile(r"^\s*(livenessProbe|readinessProbe|startupProbe)\s*:", re.MULTILINE)


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    routes = project_routes(ctx)
    evidence = [
        f"{r.method} {r.path} ({r.relative}:{r.line})" for r in routes if is_health_route(r)
    ]
    findings: list[Finding] = []
    for path in dockerfiles(ctx):
        found, finding = _dockerfile(path, repository.shown(ctx, path))
        evidence += found
        findings += finding
    deployments = 0  # compose files and manifests that run a service, checked or not
    for path in compose_files(ctx):
        checks, runs_services = _compose(path, repository.shown(ctx, path))
        evidence += checks
        deployments += runs_services
    for path in yaml_files(ctx):
        probes, is_manifest = _probes(path, repository.shown(ctx, path))
        evidence += probes
        deployments += is_manifest
    if evidence:
        return Outcome(
            PASSED, "health checked by " + "; ".join(evidence[:4]), len(evidence), ">= 1"
        )
    if not findings and not deployments and not dockerfiles(ctx):
        entry = _service_entry(ctx)
        if entry is None:
            return Outcome(SKIPPED, "not a deployable service: no Dockerfile, compose file, "
                           "Kubernetes manifest, Procfile, WSGI/ASGI module, manage.py or app "
                           "object; a library has no health to check")  # fmt: skip
    if routes:
        first = routes[0]
        message = (f"none of the app's {len(routes)} route(s) is a health route (a path such as "
                   "/health, /healthz, /ready, /live, /ping or /status)")  # fmt: skip
        findings.insert(0, Finding(first.relative, first.line, "HEALTH001", message))
    if not findings and not deployments:
        return Outcome(SKIPPED, "no HTTP routes, Dockerfile, compose file or Kubernetes manifest: "
                       "nothing here serves or runs a service to health-check")  # fmt: skip
    return Outcome(FAILED, "no health route, Dockerfile HEALTHCHECK, compose healthcheck or "
                   "Kubernetes probe found", 0, ">= 1", tuple(findings))  # fmt: skip


def is_health_route(route: Route) -> bool:
    if route.method not in ("GET", "HEAD", "ANY") or PARAMETER.search(route.path):
        return False
    segments = [s.lower().lstrip("_-") for s in route.path.strip("/").split("/") if s]
    return bool(segments) and (
        bool(HEALTH_WORDS.intersection(segments)) or segments[-1] in LAST_SEGMENT_WORDS
    )


def _dockerfile(path: Path, shown: str) -> tuple[list[str], list[Finding]]:
    parsed = docker.parse(read_text(path) or "")
    final = parsed.final
    if final is None:
        return [], []
    check = parsed.inherited(final, "HEALTHCHECK")
    if check is not None and not docker.disables_healthcheck(check):
        return [f"HEALTHCHECK ({shown}:{check.line})"], []
    why = "HEALTHCHECK NONE in" if check is not None else "no HEALTHCHECK in"
    line = check.line if check is not None else final.line
    return [], [Finding(shown, line, "HEALTH002", f"{why} the final stage of the image")]


def _compose(path: Path, shown: str) -> tuple[list[str], bool]:
    """The healthchecks of a compose file's services, and whether it defines any service."""
    documents = load_all(read_text(path) or "")
    if isinstance(documents, YamlError):
        return [], False
    found: list[str] = []
    runs_services = False
    for document in documents:
        services = document.get("services") if isinstance(document, dict) else None
        if not isinstance(services, dict):
            continue
        runs_services |= bool(services)
        for name, service in services.items():
            check = service.get("healthcheck") if isinstance(service, dict) else None
            if isinstance(check, dict) and not check.get("disable") and check.get("test") not in (
                ["NONE"], "NONE"
            ):  # fmt: skip
                found.append(f"compose healthcheck of service {name} ({shown}:{line_of(check)})")
    return found, runs_services


def _probes(path: Path, shown: str) -> tuple[list[str], bool]:
    """Kubernetes probes in a manifest (or a Helm template, read as text), and whether it is one."""
    text = read_text(path) or ""
    if not any(probe in text for probe in PROBES) and "apiVersion" not in text:
        return [], False
    documents = load_all(text)
    if isinstance(documents, YamlError):
        if "{{" not in text:  # not a template: a broken file is no evidence
            return [], False
        found = [f"{m.group(1)} ({shown}:{text.count(chr(10), 0, m.start()) + 1})"
                 for m in TEMPLATED_PROBE.finditer(text)]  # fmt: skip
        return found, "kind:" in text
    found: list[str] = []
    is_manifest = False
    for document in documents:
        if isinstance(document, dict):
            is_manifest |= "apiVersion" in document and "kind" in document
            found += [f"{key} ({shown}:{line})" for key, line in _probe_keys(document)]
    return found, is_manifest


def _probe_keys(node: Any) -> Iterator[tuple[str, int]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PROBES and isinstance(value, dict):
                yield key, line_of(value)
            else:
                yield from _probe_keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _probe_keys(value)


# What runs a service, besides container files: platform files at the root, and entry points.
SERVICE_FILES = ("Procfile", "app.yaml", "fly.toml", "render.yaml", "manage.py", "wsgi.py",
                 "asgi.py", "serverless.yml", "vercel.json")  # fmt: skip
APP_CLASSES = frozenset({"Flask", "FastAPI", "Starlette", "Quart", "Sanic", "Litestar"})


def _service_entry(ctx: CheckContext) -> str | None:
    """Where the project shows it runs as a service (a path), or None for a library."""
    for base in repository.places(ctx):
        for name in SERVICE_FILES:
            if (base / name).is_file():
                return repository.shown(ctx, base / name)
    for source in python_files(ctx):
        if source.path.name in ("wsgi.py", "asgi.py"):
            return source.relative
        if source.tree is not None and any(
            isinstance(node, ast.Call) and name_of(node.func) in APP_CLASSES
            for node in ast.walk(source.tree)
        ):
            return source.relative
    return None
