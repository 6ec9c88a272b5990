"""The HTTP routes of Flask, FastAPI, Starlette and Django apps, found by reading the source (never run)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .sources import SourceFile

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
# Decorators that declare one method each (Flask 2+, FastAPI, Starlette) or take methods=[...].
DECORATOR_METHODS = frozenset(HTTP_METHODS)
DECORATOR_ANY = frozenset({"route", "api_route"})
ROUTER_TYPES = frozenset({"Flask", "Blueprint", "FastAPI", "APIRouter", "Starlette", "Router"})
FASTAPI_LIKE = frozenset({"FastAPI", "APIRouter"})
DJANGO_PATHS = frozenset({"path", "re_path", "url"})
DJANGO_METHOD_DECORATORS = {
    "require_GET": ("GET",),
    "require_POST": ("POST",),
    "require_safe": ("GET", "HEAD"),
}
ANY = "ANY"


@dataclass(frozen=True)
class Route:
    """One HTTP method and path of the app, and the project function that answers it."""

    method: str  # "GET", "POST", ...; "ANY" when the framework accepts every method
    path: str  # as written, with statically known prefixes joined: "/notes/<int:note_id>"
    relative: str  # the handler's file, relative to the rootdir
    line: int  # the handler's def (or the registration when no def is found)
    handler: str  # qualified name: "notes.api.create_note", "notes.views.NoteView.get"
    body: frozenset[int]  # lines of the handler's body statements (empty if unknown)


def find_routes(files: Iterable[SourceFile]) -> list[Route]:
    """Every route the project's own modules register, in file and line order, each once."""
    index = _Index([file for file in files if file.tree is not None])
    found: dict[tuple[str, str, str, int], Route] = {}
    for route in _all_routes(index):
        found.setdefault((route.method, route.path, route.relative, route.line), route)
    return sorted(found.values(), key=lambda r: (r.relative, r.line, r.path, r.method))


def _all_routes(index: _Index) -> Iterator[Route]:
    for module in index.modules.values():
        yield from _decorated_routes(index, module)
        yield from _registered_routes(index, module)
        yield from _starlette_routes(index, module)
    yield from _django_routes(index)


# --- the project's modules and the names they define or import ----------------------------------
@dataclass(frozen=True)
class _Def:
    """A function or class of the project, as a route may name it."""

    module: _Module
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    qualname: str


@dataclass
class _Module:
    file: SourceFile
    tree: ast.Module
    package: str  # what a relative import of level 1 starts from
    defs: dict[str, ast.AST] = field(default_factory=dict)  # top-level functions and classes
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name -> (mod, attr)
    routers: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (type, prefix)
    qualnames: dict[int, str] = field(default_factory=dict)  # id(def node) -> qualified name

    @property
    def name(self) -> str:
        return self.file.module


class _Index:
    """The modules by dotted name, and how to follow a name to the function or class it means."""

    def __init__(self, files: list[SourceFile]) -> None:
        self.modules: dict[str, _Module] = {}
        for file in files:
            package = (
                file.module if file.path.name == "__init__.py" else file.module.rpartition(".")[0]
            )
            module = _Module(file, file.tree, package)  # type: ignore[arg-type]
            _read_module(module)
            self.modules[file.module] = module
        self.mounts = _mounts(self)  # (module, router name) -> (parent key, prefix at include)

    def module(self, dotted: str) -> _Module | None:
        if dotted in self.modules:
            return self.modules[dotted]
        suffix = "." + dotted  # a source root named differently from the import path
        matches = [m for name, m in self.modules.items() if name.endswith(suffix)]
        return matches[0] if len(matches) == 1 else None

    def resolve(self, expr: ast.AST, module: _Module, depth: int = 0) -> _Def | _Module | None:
        """The project function, class or module that ``expr`` names in ``module``, if any."""
        if depth > 5:
            return None
        if isinstance(expr, ast.Name):
            return self._lookup(module, expr.id, depth)
        if isinstance(expr, ast.Attribute):
            owner = self.resolve(expr.value, module, depth + 1)
            if isinstance(owner, _Module):
                return self._lookup(owner, expr.attr, depth + 1)
            if isinstance(owner, _Def) and isinstance(owner.node, ast.ClassDef):
                method = _method(owner.node, expr.attr)
                if method is not None:
                    return _Def(owner.module, method, f"{owner.qualname}.{expr.attr}")
        return None

    def _lookup(self, module: _Module, name: str, depth: int) -> _Def | _Module | None:
        node = module.defs.get(name)
        if node is not None:
            return _Def(module, node, module.qualnames[id(node)])  # type: ignore[arg-type]
        if name in module.imports:
            source, attr = module.imports[name]
            target = self.module(source)
            if attr is None:
                return target
            submodule = self.module(f"{source}.{attr}")
            if submodule is not None:
                return submodule
            if target is not None and target is not module:
                return self._lookup(target, attr, depth + 1) if depth < 5 else None
        return None

    def router_of(self, expr: ast.AST, module: _Module) -> tuple[_Module, str] | None:
        """The app or router object ``expr`` names, as (defining module, name)."""
        if isinstance(expr, ast.Name):
            if expr.id in module.routers:
                return module, expr.id
            if expr.id in module.imports:
                source, attr = module.imports[expr.id]
                target = self.module(source)
                if target is not None and attr in target.routers:
                    return target, attr  # type: ignore[return-value]
        if isinstance(expr, ast.Attribute):
            owner = self.resolve(expr.value, module)
            if isinstance(owner, _Module) and expr.attr in owner.routers:
                return owner, expr.attr
        return None

    def prefix(self, module: _Module, name: str, seen: frozenset = frozenset()) -> str:
        """The URL prefix of a router: its own, and those of the apps it is included in."""
        key = (module.name, name)
        kind, own = module.routers[name]
        if key not in self.mounts or key in seen:
            return own
        (parent_module, parent_name), at_include, given = self.mounts[key]
        above = self.prefix(parent_module, parent_name, seen | {key})
        if kind in FASTAPI_LIKE:
            return above + at_include + own
        return above + (at_include if given else own)  # Flask: register's url_prefix replaces


def _read_module(module: _Module) -> None:
    for node in module.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            module.defs[node.name] = node
    _name_defs(module, module.tree, "")
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    module.imports[alias.asname] = (alias.name, None)
                else:
                    first = alias.name.split(".")[0]
                    module.imports[first] = (first, None)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            for alias in node.names:
                module.imports[alias.asname or alias.name] = (source, alias.name)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            kind = _callee(node.value.func)
            if kind in ROUTER_TYPES:
                prefix = _keyword_text(
                    node.value, "url_prefix" if kind == "Blueprint" else "prefix"
                )
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        module.routers[target.id] = (kind, prefix or "")


def _name_defs(module: _Module, parent: ast.AST, outer: str) -> None:
    """Record every function's and class's qualified name, the way ``__qualname__`` spells it."""
    for node in ast.iter_child_nodes(parent):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            qualname = f"{outer}{node.name}"
            module.qualnames[id(node)] = qualname
            inner = f"{qualname}." if isinstance(node, ast.ClassDef) else f"{qualname}.<locals>."
            _name_defs(module, node, inner)
        else:
            _name_defs(module, node, outer)


def _absolute(module: _Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.package.split(".") if module.package else []
    base = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
    return ".".join([*base, *([node.module] if node.module else [])])


def _mounts(index: _Index) -> dict[tuple[str, str], tuple[tuple[_Module, str], str, bool]]:
    """Where each router is included: ``include_router(r, prefix=)``, ``register_blueprint(bp, url_prefix=)``."""
    mounts: dict[tuple[str, str], tuple[tuple[_Module, str], str, bool]] = {}
    for module in index.modules.values():
        for call in _calls(module.tree):
            if not isinstance(call.func, ast.Attribute) or not call.args:
                continue
            if call.func.attr not in ("include_router", "register_blueprint"):
                continue
            parent = index.router_of(call.func.value, module)
            child = index.router_of(call.args[0], module)
            if parent is None or child is None:
                continue
            keyword = "prefix" if call.func.attr == "include_router" else "url_prefix"
            given = _keyword_text(call, keyword)
            key = (child[0].name, child[1])
            mounts.setdefault(key, (parent, given or "", given is not None))
    return mounts


# --- decorators: @app.route, @app.get, @router.post, @bp.delete ---------------------------------
def _decorated_routes(index: _Index, module: _Module) -> Iterator[Route]:
    for node in ast.walk(module.tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for decorator in node.decorator_list:
            registration = _route_decorator(index, module, decorator)
            if registration is None:
                continue
            path, methods = registration
            handler = _Def(module, node, module.qualnames[id(node)])
            yield from _routes_to(index, handler, path, methods, "GET")


def _route_decorator(
    index: _Index, module: _Module, decorator: ast.AST
) -> tuple[str, tuple[str, ...] | None] | None:
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return None
    verb = decorator.func.attr
    if verb not in DECORATOR_METHODS and verb not in DECORATOR_ANY:
        return None
    path = _text(decorator.args[0]) if decorator.args else _keyword_text(decorator, "path")
    if path is None:
        path = _keyword_text(decorator, "rule")
    if path is None:
        return None
    router = index.router_of(decorator.func.value, module)
    if router is None and not path.startswith("/"):
        return None  # not known to be an app or router, and not shaped like a URL either
    prefix = index.prefix(*router) if router is not None else ""
    if verb in DECORATOR_METHODS:
        return prefix + path, (verb.upper(),)
    return prefix + path, _methods(_keyword(decorator, "methods"))


# --- registrations: add_url_rule, add_api_route, add_route --------------------------------------
def _registered_routes(index: _Index, module: _Module) -> Iterator[Route]:
    for call in _calls(module.tree):
        if not isinstance(call.func, ast.Attribute):
            continue
        verb = call.func.attr
        if verb == "add_url_rule":
            view = _argument(call, 2, "view_func")
        elif verb in ("add_api_route", "add_route"):
            view = _argument(call, 1, "endpoint") or _argument(call, 1, "route")
        else:
            continue
        path = _text(_argument(call, 0, "rule" if verb == "add_url_rule" else "path"))
        if path is None or view is None:
            continue
        router = index.router_of(call.func.value, module)
        prefix = index.prefix(*router) if router is not None else ""
        yield from _view_routes(index, module, view, prefix + path,
                                _methods(_keyword(call, "methods")), "GET")  # fmt: skip


# --- Starlette: Route(...) and Mount(...) lists --------------------------------------------------
def _starlette_routes(index: _Index, module: _Module) -> Iterator[Route]:
    parents: dict[int, ast.Call] = {}  # id(Route or Mount call) -> the Mount whose routes hold it
    for mount in _calls(module.tree):
        if _callee(mount.func) != "Mount":
            continue
        for element in _list_elements(module, _argument(mount, 1, "routes")):
            parents[id(element)] = mount
    for call in _calls(module.tree):
        if _callee(call.func) not in ("Route", "APIRoute"):
            continue
        path, view = _text(_argument(call, 0, "path")), _argument(call, 1, "endpoint")
        if path is None or view is None:
            continue
        prefix, above, seen = "", parents.get(id(call)), set()
        while above is not None and id(above) not in seen:
            seen.add(id(above))
            prefix = (_text(_argument(above, 0, "path")) or "") + prefix
            above = parents.get(id(above))
        yield from _view_routes(index, module, view, prefix + path,
                                _methods(_keyword(call, "methods")), "GET")  # fmt: skip


# --- Django: urlpatterns with path() / re_path() and include() ----------------------------------
def _django_routes(index: _Index) -> Iterator[Route]:
    urlconfs = {name: m for name, m in index.modules.items() if _urlpatterns(m)}
    included = {
        target.name
        for module in urlconfs.values()
        for call in _django_entries(module)
        if (target := _included(index, module, call)) is not None
    }
    for name, module in urlconfs.items():
        if name not in included:
            yield from _urlconf_routes(index, module, "", frozenset({name}))


def _urlconf_routes(
    index: _Index, module: _Module, prefix: str, seen: frozenset[str]
) -> Iterator[Route]:
    for call in _django_entries(module):
        yield from _django_entry(index, module, call, prefix, seen)


def _django_entry(index, module, call, prefix, seen) -> Iterator[Route]:
    route = _text(_argument(call, 0, "route"))
    view = _argument(call, 1, "view")
    if route is None or view is None:
        return
    target = _included(index, module, call)
    if target is not None:
        if target.name not in seen:
            yield from _urlconf_routes(index, target, prefix + route, seen | {target.name})
        return
    if _callee(getattr(view, "func", None)) == "include":
        inner = view.args[0] if view.args else None  # include([path(...), ...])
        for entry in _list_elements(module, inner):
            if isinstance(entry, ast.Call) and _callee(entry.func) in DJANGO_PATHS:
                yield from _django_entry(index, module, entry, prefix + route, seen)
        return
    yield from _view_routes(index, module, view, prefix + route, None, ANY)


def _urlpatterns(module: _Module) -> list[ast.AST]:
    """The ``urlpatterns = [...]`` (and ``+= [...]``) lists at the top of a module."""
    lists = []
    for node in module.tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in targets):
            lists.append(getattr(node, "value", None))
    return [value for value in lists if value is not None]


def _django_entries(module: _Module) -> Iterator[ast.Call]:
    for value in _urlpatterns(module):
        for part in _concatenated(value):
            for element in _list_elements(module, part):
                if isinstance(element, ast.Call) and _callee(element.func) in DJANGO_PATHS:
                    yield element


def _concatenated(value: ast.AST) -> Iterator[ast.AST]:
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        yield from _concatenated(value.left)
        yield from _concatenated(value.right)
    else:
        yield value


def _included(index: _Index, module: _Module, call: ast.Call) -> _Module | None:
    """The project's urls module that ``path("x/", include(...))`` includes, if it is one."""
    view = _argument(call, 1, "view")
    if not (isinstance(view, ast.Call) and _callee(view.func) == "include" and view.args):
        return None
    target = view.args[0]
    if isinstance(target, ast.Tuple) and target.elts:
        target = target.elts[0]  # include(("notes.urls", "notes"))
    dotted = _text(target)
    if dotted is not None:
        return index.module(dotted)
    resolved = index.resolve(target, module)
    return resolved if isinstance(resolved, _Module) else None


# --- from a view expression to the project functions that answer it ------------------------------
def _view_routes(
    index: _Index,
    module: _Module,
    view: ast.AST,
    path: str,
    methods: tuple[str, ...] | None,
    default: str,
) -> Iterator[Route]:
    """Routes of ``view``: a function, ``Class.as_view()``, or a wrapper call like ``csrf_exempt(f)``."""
    as_view = None
    while isinstance(view, ast.Call):
        if isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
            as_view, view = view, view.func.value
            break
        if not view.args:
            return
        view = view.args[0]
    target = index.resolve(view, module)
    if not isinstance(target, _Def):
        return  # not the project's code (django.contrib views, admin.site.urls, ...)
    if as_view is not None and as_view.args and isinstance(as_view.args[0], ast.Dict):
        yield from _viewset_routes(index, target, as_view.args[0], path)  # DRF: {"get": "list"}
        return
    yield from _routes_to(index, target, path, methods, default)


def _routes_to(
    index: _Index, handler: _Def, path: str, methods: tuple[str, ...] | None, default: str
) -> Iterator[Route]:
    """A function answers the methods it is registered for; a class those it defines."""
    file = handler.module.file
    node = handler.node
    if not isinstance(node, ast.ClassDef):
        declared = methods or _django_methods(node) or (default,)
        for method in declared:
            yield Route(method, path, file.relative, node.lineno,
                        f"{handler.module.name}.{handler.qualname}", _body(node))  # fmt: skip
        return
    defined = _http_methods(handler, index)
    for name, owner in defined:
        if methods and name.upper() not in methods and ANY not in methods:
            continue
        method_node = _method(owner.node, name)  # type: ignore[arg-type]
        yield Route(name.upper(), path, owner.module.file.relative, method_node.lineno,  # type: ignore[union-attr]
                    f"{owner.module.name}.{owner.qualname}.{name}", _body(method_node))  # fmt: skip
    if not defined:
        # A generic view configured by attributes: its own methods (get_queryset, ...) run when it
        # is called; with none at all there is no code of the project's to tell.
        own = [n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        lines = frozenset().union(*(_body(n) for n in own)) if own else frozenset()
        dispatch = _method(node, "dispatch_request")
        yield Route(ANY, path, file.relative, node.lineno,
                    f"{handler.module.name}.{handler.qualname}", lines or (_body(dispatch) if dispatch else frozenset()))  # fmt: skip


def _viewset_routes(index: _Index, target: _Def, actions: ast.Dict, path: str) -> Iterator[Route]:
    if not isinstance(target.node, ast.ClassDef):
        return
    for key, value in zip(actions.keys, actions.values, strict=True):
        method, action = _text(key), _text(value)
        if method is None or action is None:
            continue
        found = _find_method(index, target, action)
        if found is None:
            continue
        owner, node = found
        yield Route(method.upper(), path, owner.module.file.relative, node.lineno,
                    f"{owner.module.name}.{owner.qualname}.{action}", _body(node))  # fmt: skip


def _http_methods(handler: _Def, index: _Index | None) -> list[tuple[str, _Def]]:
    """The HTTP method functions a class-based view defines, itself or through project bases."""
    found: dict[str, _Def] = {}
    for owner in _lineage(handler, index):
        for name in HTTP_METHODS:
            if name not in found and _method(owner.node, name) is not None:  # type: ignore[arg-type]
                found[name] = owner
    return [(name, found[name]) for name in HTTP_METHODS if name in found]


def _find_method(index: _Index, handler: _Def, name: str):
    for owner in _lineage(handler, index):
        node = _method(owner.node, name)  # type: ignore[arg-type]
        if node is not None:
            return owner, node
    return None


def _lineage(handler: _Def, index: _Index | None, depth: int = 0) -> Iterator[_Def]:
    yield handler
    if index is None or depth > 5 or not isinstance(handler.node, ast.ClassDef):
        return
    for base in handler.node.bases:
        parent = index.resolve(base, handler.module)
        if isinstance(parent, _Def) and isinstance(parent.node, ast.ClassDef):
            yield from _lineage(parent, index, depth + 1)


def _method(node: ast.ClassDef, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    for child in node.body:
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and child.name == name:
            return child
    return None


def _django_methods(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...] | None:
    """Methods a function view is limited to: ``@require_http_methods([...])``, DRF ``@api_view``."""
    for decorator in node.decorator_list:
        name = _callee(decorator.func if isinstance(decorator, ast.Call) else decorator)
        if name in DJANGO_METHOD_DECORATORS:
            return DJANGO_METHOD_DECORATORS[name]
        if name in ("require_http_methods", "api_view") and isinstance(decorator, ast.Call):
            listed = _methods(_argument(decorator, 0, "http_method_names"))
            return listed or (("GET",) if name == "api_view" else None)
    return None


def _body(node: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[int]:
    """Lines of the statements inside a function, its docstring excepted: they run only when called."""
    statements = node.body
    if (
        statements
        and isinstance(statements[0], ast.Expr)
        and isinstance(getattr(statements[0], "value", None), ast.Constant)
        and isinstance(statements[0].value.value, str)
    ):
        statements = statements[1:]
    lines: set[int] = set()
    for statement in statements:
        lines.update(child.lineno for child in ast.walk(statement) if isinstance(child, ast.stmt))
    return frozenset(lines)


# --- small readers of the syntax tree -----------------------------------------------------------
def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def _callee(func: ast.AST | None) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.AST | None:
    found = _keyword(call, keyword)
    if found is not None:
        return found
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return None


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _keyword_text(call: ast.Call, name: str) -> str | None:
    return _text(_keyword(call, name))


def _text(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _methods(node: ast.AST | None) -> tuple[str, ...] | None:
    """``methods=["GET", "POST"]`` as ("GET", "POST"); None when absent; ANY when not literal."""
    if node is None:
        return None
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        names = [_text(element) for element in node.elts]
        if names and all(names):
            return tuple(dict.fromkeys(name.upper() for name in names))  # type: ignore[union-attr]
    return (ANY,)


def _list_elements(module: _Module, node: ast.AST | None) -> list[ast.AST]:
    """The elements of a list literal, or of the module-level list a name refers to."""
    if isinstance(node, ast.Name):
        for statement in module.tree.body:
            if isinstance(statement, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == node.id for t in statement.targets
            ):
                node = statement.value
                break
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    return []
