"""The HTTP routes of Flask, FastAPI, Starlette and Django apps, found by reading the source (never run)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .context import CheckContext
from .django_urls import django_views
from .project_index import (
    Definition,
    FunctionNode,
    IndexedModule,
    ProjectIndex,
    argument,
    callee,
    calls,
    keyword,
    list_elements,
    method_of,
    statement_lines,
    text,
)
from .sources import SourceFile, python_files

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
ANY = "ANY"
DECORATORS_WITH_METHODS = frozenset({"route", "api_route"})  # methods=[...], GET by default
ROUTER_TYPES = {
    "Flask": "url_prefix",
    "Blueprint": "url_prefix",
    "FastAPI": "prefix",
    "APIRouter": "prefix",
    "Starlette": "",
    "Router": "",
}  # type -> its prefix keyword
INCLUDES = {"include_router": "prefix", "register_blueprint": "url_prefix"}
DJANGO_METHOD_DECORATORS = {"require_GET": ("GET",), "require_POST": ("POST",),
                            "require_safe": ("GET", "HEAD")}  # fmt: skip


@dataclass(frozen=True)
class Route:
    """One HTTP method and path of the app, and the project function that answers it."""

    method: str  # "GET", "POST", ...; "ANY" when the framework accepts every method
    path: str  # as written, with statically known prefixes joined: "/notes/<int:note_id>"
    relative: str  # the handler's file, relative to the rootdir
    line: int  # the handler's def (or the class's, for a view with no method of its own)
    handler: str  # qualified name: "notes.api.create_note", "notes.views.NoteView.get"
    body: frozenset[int]  # lines of the handler's body statements (empty if unknown)


def project_routes(ctx: CheckContext) -> list[Route]:
    """The project's routes, read once per session for every check and the report."""
    return ctx.once("routes", lambda: find_routes(python_files(ctx)))


def find_routes(files: Iterable[SourceFile]) -> list[Route]:
    """Every route the project's own modules register, in file and line order, each once."""
    index = ProjectIndex(files)
    routers = _Routers(index)
    found: dict[tuple[str, str, str, int], Route] = {}
    for route in _all_routes(index, routers):
        found.setdefault((route.method, route.path, route.relative, route.line), route)
    return sorted(found.values(), key=lambda r: (r.relative, r.line, r.path, r.method))


def _all_routes(index: ProjectIndex, routers: _Routers) -> Iterator[Route]:
    for module in index.modules.values():
        yield from _decorated(index, routers, module)
        yield from _registered(index, routers, module)
        yield from _starlette(index, module)
    for module, view, path in django_views(index):
        yield from _view_routes(index, module, view, path, None, ANY)


class _Routers:
    """The app and router objects (``Flask(...)``, ``APIRouter(prefix=...)``) and their prefixes."""

    def __init__(self, index: ProjectIndex) -> None:
        self.index = index
        self.found: dict[tuple[str, str], tuple[str, str]] = {}  # (module, name) -> (type, prefix)
        for module in index.modules.values():
            for node in module.file.nodes:
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                    kind = callee(node.value.func)
                    if kind in ROUTER_TYPES:
                        prefix = text(keyword(node.value, ROUTER_TYPES[kind])) or ""
                        for target in node.targets:
                            if isinstance(target, ast.Name):
                                self.found[(module.name, target.id)] = (kind, prefix)
        # (module, name) -> (the router it is included in, prefix given there, or None)
        self.parents: dict[tuple[str, str], tuple[tuple[str, str], str | None]] = {}
        for module in index.modules.values():
            for call in calls(module.file.nodes):
                verb = call.func.attr if isinstance(call.func, ast.Attribute) else None
                if verb not in INCLUDES or not call.args:
                    continue
                parent, child = self.of(call.func.value, module), self.of(call.args[0], module)  # type: ignore[union-attr]
                if parent is not None and child is not None:
                    given = text(keyword(call, INCLUDES[verb]))
                    self.parents.setdefault(child, (parent, given))

    def of(self, expr: ast.AST, module: IndexedModule) -> tuple[str, str] | None:
        """The router ``expr`` names in ``module``: (defining module, name)."""
        if isinstance(expr, ast.Name):
            if (module.name, expr.id) in self.found:
                return module.name, expr.id
            source, attr = module.imports.get(expr.id, (None, None))
            target = self.index.module(source) if source else None
            if target is not None and (target.name, attr) in self.found:
                return target.name, attr  # type: ignore[return-value]
        if isinstance(expr, ast.Attribute):
            owner = self.index.resolve(expr.value, module)
            if isinstance(owner, IndexedModule) and (owner.name, expr.attr) in self.found:
                return owner.name, expr.attr
        return None

    def prefix(self, key: tuple[str, str] | None, seen: frozenset = frozenset()) -> str:
        """A router's URL prefix: its own, joined to those of the apps it is included in."""
        if key is None:
            return ""
        kind, own = self.found[key]
        if key not in self.parents or key in seen:
            return own
        parent, given = self.parents[key]
        above = self.prefix(parent, seen | {key})
        if kind in ("FastAPI", "APIRouter"):
            return above + (given or "") + own
        return above + (own if given is None else given)  # Flask: register's url_prefix replaces


# --- decorators: @app.route, @app.get, @router.post, @bp.delete ---------------------------------
def _decorated(index: ProjectIndex, routers: _Routers, module: IndexedModule) -> Iterator[Route]:
    for node in module.file.nodes:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                found = _route_decorator(routers, module, decorator)
                if found is not None:
                    path, methods = found
                    yield from _routes_to(index, module.definition(node), path, methods, "GET")


def _route_decorator(
    routers: _Routers, module: IndexedModule, decorator: ast.AST
) -> tuple[str, tuple[str, ...] | None] | None:
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return None
    verb = decorator.func.attr
    if verb not in HTTP_METHODS and verb not in DECORATORS_WITH_METHODS:
        return None
    path = text(argument(decorator, 0, "path")) or text(keyword(decorator, "rule"))
    if path is None:
        return None
    router = routers.of(decorator.func.value, module)
    if router is None and not path.startswith("/"):
        return None  # not known to be an app or router, and not shaped like a URL either
    if verb in HTTP_METHODS:
        return routers.prefix(router) + path, (verb.upper(),)
    return routers.prefix(router) + path, _methods(keyword(decorator, "methods"))


# --- registrations: add_url_rule, add_api_route, add_route --------------------------------------
def _registered(index: ProjectIndex, routers: _Routers, module: IndexedModule) -> Iterator[Route]:
    for call in calls(module.file.nodes):
        verb = call.func.attr if isinstance(call.func, ast.Attribute) else None
        if verb == "add_url_rule":
            path, view = text(argument(call, 0, "rule")), argument(call, 2, "view_func")
        elif verb in ("add_api_route", "add_route"):
            path = text(argument(call, 0, "path"))
            view = argument(call, 1, "endpoint") or argument(call, 1, "route")
        else:
            continue
        if path is not None and view is not None:
            full = routers.prefix(routers.of(call.func.value, module)) + path  # type: ignore[union-attr]
            methods = _methods(keyword(call, "methods"))
            yield from _view_routes(index, module, view, full, methods, "GET")


# --- Starlette: Route(...) and Mount(...) lists --------------------------------------------------
def _starlette(index: ProjectIndex, module: IndexedModule) -> Iterator[Route]:
    mounted_in: dict[int, ast.Call] = {}  # id(Route or Mount call) -> the Mount listing it
    for mount in calls(module.file.nodes):
        if callee(mount.func) == "Mount":
            for element in list_elements(module, argument(mount, 1, "routes")):
                mounted_in[id(element)] = mount
    for call in calls(module.file.nodes):
        if callee(call.func) not in ("Route", "APIRoute"):
            continue
        path, view = text(argument(call, 0, "path")), argument(call, 1, "endpoint")
        if path is None or view is None:
            continue
        above, seen = mounted_in.get(id(call)), set()
        while above is not None and id(above) not in seen:
            seen.add(id(above))
            path = (text(argument(above, 0, "path")) or "") + path
            above = mounted_in.get(id(above))
        yield from _view_routes(
            index, module, view, path, _methods(keyword(call, "methods")), "GET"
        )


# --- from a view to the project functions that answer it ----------------------------------------
def _view_routes(
    index: ProjectIndex,
    module: IndexedModule,
    view: ast.AST,
    path: str,
    methods: tuple[str, ...] | None,
    default: str,
) -> Iterator[Route]:
    """Routes of ``view``: a function, ``Class.as_view()``, or a wrapper like ``csrf_exempt(f)``."""
    as_view = None
    while isinstance(view, ast.Call):
        if isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
            as_view, view = view, view.func.value
            break
        if not view.args:
            return
        view = view.args[0]
    target = index.resolve(view, module)
    if not isinstance(target, Definition):
        return  # not the project's code (django.contrib views, admin.site.urls, ...)
    if as_view is not None and as_view.args and isinstance(as_view.args[0], ast.Dict):
        yield from _viewset_routes(index, target, as_view.args[0], path)  # DRF: {"get": "list"}
    else:
        yield from _routes_to(index, target, path, methods, default)


def _routes_to(
    index: ProjectIndex,
    handler: Definition,
    path: str,
    methods: tuple[str, ...] | None,
    default: str,
) -> Iterator[Route]:
    """A function answers the methods it is registered for; a class-based view those it defines."""
    node, relative = handler.node, handler.module.file.relative
    if not isinstance(node, ast.ClassDef):
        for method in methods or _django_methods(node) or (default,):
            yield Route(method, path, relative, node.lineno, handler.dotted, _body(node))
        return
    defined = [(name, found) for name in HTTP_METHODS
               if (found := _find_method(index, handler, name)) is not None]  # fmt: skip
    for name, (owner, function) in defined:
        if not methods or name.upper() in methods or ANY in methods:
            yield Route(name.upper(), path, owner.module.file.relative, function.lineno,
                        f"{owner.dotted}.{name}", _body(function))  # fmt: skip
    if not defined:
        # A generic view configured by attributes: its own methods (get_queryset, dispatch_request)
        # run when it is called; with none there is no code of the project's to observe.
        own = [n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        lines = frozenset(line for function in own for line in _body(function))
        yield Route(ANY, path, relative, node.lineno, handler.dotted, lines)


def _viewset_routes(
    index: ProjectIndex, target: Definition, actions: ast.Dict, path: str
) -> Iterator[Route]:
    for key, value in zip(actions.keys, actions.values, strict=True):
        method, action = text(key), text(value)
        found = _find_method(index, target, action) if method and action else None
        if found is not None:
            owner, function = found
            yield Route(method.upper(), path, owner.module.file.relative, function.lineno,  # type: ignore[union-attr]
                        f"{owner.dotted}.{action}", _body(function))  # fmt: skip


def _find_method(
    index: ProjectIndex, handler: Definition, name: str, depth: int = 0
) -> tuple[Definition, FunctionNode] | None:
    """``name`` defined by a class or, nearest first, by one of its bases in the project."""
    if not isinstance(handler.node, ast.ClassDef) or depth > 5:
        return None
    function = method_of(handler.node, name)
    if function is not None:
        return handler, function
    for base in handler.node.bases:
        parent = index.resolve(base, handler.module)
        if isinstance(parent, Definition):
            found = _find_method(index, parent, name, depth + 1)
            if found is not None:
                return found
    return None


def _django_methods(node: FunctionNode) -> tuple[str, ...] | None:
    """Methods a function view is limited to: ``@require_http_methods([...])``, DRF ``@api_view``."""
    for decorator in node.decorator_list:
        name = callee(decorator.func if isinstance(decorator, ast.Call) else decorator)
        if name in DJANGO_METHOD_DECORATORS:
            return DJANGO_METHOD_DECORATORS[name]
        if name in ("require_http_methods", "api_view") and isinstance(decorator, ast.Call):
            listed = _methods(argument(decorator, 0, "http_method_names"))
            return listed or (("GET",) if name == "api_view" else None)
    return None


def _methods(node: ast.AST | None) -> tuple[str, ...] | None:
    """``methods=["GET", "post"]`` as ("GET", "POST"); None when absent; ANY when not literal."""
    if node is None:
        return None
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        names = [text(element) for element in node.elts]
        if names and all(names):
            return tuple(dict.fromkeys(name.upper() for name in names))  # type: ignore[union-attr]
    return (ANY,)


def _body(node: FunctionNode) -> frozenset[int]:
    """Lines of the statements inside a function, docstring excepted: they run only when called."""
    statements = node.body
    if ast.get_docstring(node, clean=False) is not None:
        statements = statements[1:]
    return statement_lines(statements)
