"""Django URL configurations read statically: ``urlpatterns`` built from ``path``/``re_path``/``url``,
``include()`` of modules and lists, list concatenation and helper functions returning patterns."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from .project_index import DEFINITIONS, IndexedModule, ProjectIndex, argument, callee, text

PATH_FUNCTIONS = frozenset({"path", "re_path", "url"})
GROWERS = frozenset({"append", "extend", "insert"})  # urlpatterns.append(path(...)) at module level
MAX_DEPTH = 12  # names and helpers followed inside one another from one urlpatterns

Entry = tuple[IndexedModule, ast.Call]  # a path() call and the module its names are read in


def django_views(index: ProjectIndex) -> Iterator[tuple[IndexedModule, ast.AST, str]]:
    """(module, view expression, full route) for every view the project's URL confs route to.

    A urls module that another one includes is read only through that include, with its prefix.
    """
    urlconfs = {
        name: list(_entries(index, module))
        for name, module in index.modules.items()
        if "urlpatterns" in _bound(module)
    }
    included = {
        target.name
        for entries in urlconfs.values()
        for module, entry in entries
        if (target := _included(index, module, entry)) is not None
    }
    for name, entries in urlconfs.items():
        if name not in included:
            for module, entry in entries:
                yield from _entry(index, module, entry, "", frozenset({name}))


def _urlconf(
    index: ProjectIndex, module: IndexedModule, prefix: str, seen: frozenset[str]
) -> Iterator[tuple[IndexedModule, ast.AST, str]]:
    for owner, entry in _entries(index, module):
        yield from _entry(index, owner, entry, prefix, seen)


def _entry(
    index: ProjectIndex, module: IndexedModule, entry: ast.Call, prefix: str, seen: frozenset[str]
) -> Iterator[tuple[IndexedModule, ast.AST, str]]:
    route, view = _route(module, argument(entry, 0, "route")), argument(entry, 1, "view")
    if route is None or view is None:
        return
    target = _included(index, module, entry)
    if target is not None:
        if target.name not in seen:
            yield from _urlconf(index, target, prefix + route, seen | {target.name})
    elif isinstance(view, ast.Call) and callee(view.func) == "include":
        inner = view.args[0] if view.args else None
        if isinstance(inner, ast.Tuple) and inner.elts:
            inner = inner.elts[0]  # include((patterns, "app_name"), namespace=...)
        for owner, element in _patterns(index, module, inner, {}, frozenset()):
            yield from _entry(index, owner, element, prefix + route, seen)
    else:
        yield module, view, prefix + route


def _route(module: IndexedModule, node: ast.AST | None) -> str | None:
    """A route as written, its names read as the module first sets them: ``path(prefix, ...)``,
    ``path(f"{prefix}admin/", ...)`` with ``prefix = ""`` (changed later only by settings); a name
    set to nothing readable is shown as ``{name}``."""
    if isinstance(node, ast.JoinedStr):
        parts = [_route(module, part.value if isinstance(part, ast.FormattedValue) else part)
                 for part in node.values]  # fmt: skip
        return "".join(part or "" for part in parts)
    if isinstance(node, ast.Name):
        first = next(
            (statement.value for statement in module.tree.body
             if isinstance(statement, ast.Assign) and len(statement.targets) == 1
             and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == node.id),
            None,
        )  # fmt: skip
        return text(first) if text(first) is not None else f"{{{node.id}}}"
    return text(node)


def _entries(index: ProjectIndex, module: IndexedModule) -> Iterator[Entry]:
    """The path() calls of a module's ``urlpatterns``, however the list is built."""
    yield from _patterns(index, module, ast.Name("urlpatterns"), {}, frozenset())


def _patterns(
    index: ProjectIndex,
    module: IndexedModule,
    node: ast.AST | None,
    local: dict[str, list[ast.AST]],
    seen: frozenset[tuple[str, str]],
) -> Iterator[Entry]:
    """The path() calls an expression evaluates to: lists, ``a + b``, names and helper calls.

    ``seen`` holds the names being read: in ``urlpatterns = urlpatterns + [...]`` the name on the
    right is the earlier value, already read."""
    if node is None or len(seen) > MAX_DEPTH:
        return
    if isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            inner = element.value if isinstance(element, ast.Starred) else element
            yield from _patterns(index, module, inner, local, seen)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from _patterns(index, module, node.left, local, seen)
        yield from _patterns(index, module, node.right, local, seen)
    elif isinstance(node, ast.Call) and callee(node.func) in PATH_FUNCTIONS:
        yield module, node
    elif isinstance(node, ast.Call):
        yield from _called(index, module, node, local, seen)
    elif isinstance(node, ast.Name) and node.id in local:
        key = (f"<locals {id(local)}>", node.id)  # one helper's locals, not another's
        if key not in seen:
            for value in local[node.id]:
                yield from _patterns(index, module, value, local, seen | {key})
    elif isinstance(node, (ast.Name, ast.Attribute)):
        owner, name = _owner(index, module, node)
        key = (owner.name, name) if owner is not None and name is not None else None
        if key is not None and key not in seen:
            for value in _bound(owner).get(name, []):  # type: ignore[union-attr, arg-type]
                yield from _patterns(index, owner, value, {}, seen | {key})  # type: ignore[arg-type]


def _called(
    index: ProjectIndex,
    module: IndexedModule,
    call: ast.Call,
    local: dict[str, list[ast.AST]],
    seen: frozenset[tuple[str, str]],
) -> Iterator[Entry]:
    """What a project helper returns (``urlpatterns = api_patterns()``); through any other call
    (``format_suffix_patterns(urlpatterns)``, ``i18n_patterns(path(...))``), its arguments."""
    owner, name = _owner(index, module, call.func)
    function = owner.defs.get(name) if owner is not None and name is not None else None
    if owner is None or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        for argument_node in call.args:
            inner = argument_node.value if isinstance(argument_node, ast.Starred) else argument_node
            yield from _patterns(index, module, inner, local, seen)
        return
    key = (owner.name, f"{name}()")
    if key in seen:
        return
    inner_local = _bindings(function.body)
    for node in _statements(function.body):
        if isinstance(node, ast.Return):
            yield from _patterns(index, owner, node.value, inner_local, seen | {key})


def _owner(
    index: ProjectIndex, module: IndexedModule, node: ast.AST
) -> tuple[IndexedModule | None, str | None]:
    """The module a name is bound in and its name there: ``helpers.patterns`` → (helpers, patterns)."""
    if isinstance(node, ast.Attribute):
        target = index.resolve(node.value, module)
        return (target, node.attr) if isinstance(target, IndexedModule) else (None, None)
    if not isinstance(node, ast.Name):
        return None, None
    if node.id in module.imports and node.id not in _bound(module) and node.id not in module.defs:
        source, attr = module.imports[node.id]
        target = index.module(source) if attr is not None else None
        return (target, attr) if target is not None else (None, None)
    return module, node.id


def _bound(module: IndexedModule) -> dict[str, list[ast.AST]]:
    """What each top-level name of a module is given, in order (``=``, ``+=``, ``.extend()``)."""
    return _bindings(module.tree.body)


def _bindings(body: list[ast.stmt]) -> dict[str, list[ast.AST]]:
    bound: dict[str, list[ast.AST]] = {}
    for node in _statements(body):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            name = node.targets[0].id if isinstance(node.targets[0], ast.Name) else None
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
            name = node.target.id if isinstance(node.target, ast.Name) else None
        elif isinstance(node, ast.Expr) and _grows(node.value):
            name = node.value.func.value.id  # type: ignore[attr-defined]
            bound.setdefault(name, []).append(node.value.args[-1])  # type: ignore[attr-defined]
            continue
        else:
            continue
        if name is None:
            continue
        refers_back = any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node.value))
        if isinstance(node, ast.Assign) and not refers_back:
            bound[name] = []  # a new value replaces what was there
        bound.setdefault(name, []).append(node.value)  # type: ignore[arg-type]
    return bound


def _grows(node: ast.AST) -> bool:
    """``urlpatterns.append(path(...))``, ``.extend([...])``, ``.insert(0, path(...))``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in GROWERS
        and isinstance(node.func.value, ast.Name)
        and bool(node.args)
    )


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements in order, into ``if``/``try``/``with``/``for`` blocks (``if settings.DEBUG:``),
    never into nested functions or classes."""
    for node in body:
        yield node
        if isinstance(node, DEFINITIONS):
            continue
        for field in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(node, field, None) or [])
        for handler in getattr(node, "handlers", None) or []:
            yield from _statements(handler.body)


def _included(index: ProjectIndex, module: IndexedModule, entry: ast.Call) -> IndexedModule | None:
    """The project's urls module that ``path("x/", include(...))`` includes, if it is one."""
    view = argument(entry, 1, "view")
    if not (isinstance(view, ast.Call) and callee(view.func) == "include" and view.args):
        return None
    target = view.args[0]
    if isinstance(target, ast.Tuple) and target.elts:
        target = target.elts[0]  # include(("notes.urls", "notes"))
    dotted = text(target)
    if dotted is not None:
        return index.module(dotted)
    resolved = index.resolve(target, module)
    return resolved if isinstance(resolved, IndexedModule) else None
