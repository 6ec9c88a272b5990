"""The project's modules as an index of names: what each defines and imports, and what a name means."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .sources import SourceFile

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
MAX_HOPS = 6  # re-exports followed before giving up (and the guard against import loops)


@dataclass(frozen=True)
class Definition:
    """A function or class of the project, with its ``__qualname__``-style name."""

    module: IndexedModule
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    qualname: str

    @property
    def dotted(self) -> str:
        return f"{self.module.name}.{self.qualname}"


@dataclass
class IndexedModule:
    file: SourceFile
    tree: ast.Module
    package: str  # where a relative import of level 1 starts
    defs: dict[str, ast.AST] = field(default_factory=dict)  # top-level functions and classes
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name -> (mod, attr)
    qualnames: dict[int, str] = field(default_factory=dict)  # id(def node) -> qualified name

    @property
    def name(self) -> str:
        return self.file.module

    def definition(self, node: ast.AST) -> Definition:
        return Definition(self, node, self.qualnames[id(node)])  # type: ignore[arg-type]


class ProjectIndex:
    """The project's parsed modules by dotted name; follows names through the project's imports."""

    def __init__(self, files: Iterable[SourceFile]) -> None:
        self.modules: dict[str, IndexedModule] = {}
        for file in files:
            if file.tree is None:
                continue
            is_package = file.path.name == "__init__.py"
            package = file.module if is_package else file.module.rpartition(".")[0]
            module = IndexedModule(file, file.tree, package)
            _read(module)
            self.modules[file.module] = module

    def module(self, dotted: str) -> IndexedModule | None:
        """The module imported as ``dotted``; a unique suffix match when the source root differs."""
        if dotted in self.modules:
            return self.modules[dotted]
        matches = [m for name, m in self.modules.items() if name.endswith("." + dotted)]
        return matches[0] if len(matches) == 1 else None

    def resolve(
        self, expr: ast.AST, module: IndexedModule, hops: int = 0
    ) -> Definition | IndexedModule | None:
        """The project function, class or module that ``expr`` names in ``module``, if any."""
        if hops > MAX_HOPS:
            return None
        if isinstance(expr, ast.Name):
            return self.lookup(module, expr.id, hops)
        if isinstance(expr, ast.Attribute):
            owner = self.resolve(expr.value, module, hops + 1)
            if isinstance(owner, IndexedModule):
                return self.lookup(owner, expr.attr, hops + 1)
            if isinstance(owner, Definition) and isinstance(owner.node, ast.ClassDef):
                method = method_of(owner.node, expr.attr)
                if method is not None:
                    return owner.module.definition(method)
        return None

    def lookup(
        self, module: IndexedModule, name: str, hops: int = 0
    ) -> Definition | IndexedModule | None:
        """What ``name`` means at the top of ``module``: its own definition, or what it imported."""
        node = module.defs.get(name)
        if node is not None:
            return module.definition(node)
        if name not in module.imports:
            return self.modules.get(f"{module.name}.{name}")  # a submodule: import a.b; a.b.f
        source, attr = module.imports[name]
        if attr is None:
            return self.module(source)
        submodule = self.module(f"{source}.{attr}")
        if submodule is not None:
            return submodule
        target = self.module(source)
        if target is None or target is module or hops >= MAX_HOPS:
            return None
        return self.lookup(target, attr, hops + 1)  # re-exported through a package


def _read(module: IndexedModule) -> None:
    for node in module.tree.body:
        if isinstance(node, DEFINITIONS):
            module.defs[node.name] = node
    _name_definitions(module, module.tree, "")
    for node in module.file.nodes:
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


def _name_definitions(module: IndexedModule, parent: ast.AST, outer: str) -> None:
    """Record every function's and class's qualified name, the way ``__qualname__`` spells it."""
    for node in ast.iter_child_nodes(parent):
        if isinstance(node, DEFINITIONS):
            qualname = f"{outer}{node.name}"
            module.qualnames[id(node)] = qualname
            inner = f"{qualname}." if isinstance(node, ast.ClassDef) else f"{qualname}.<locals>."
            _name_definitions(module, node, inner)
        else:
            _name_definitions(module, node, outer)


def _absolute(module: IndexedModule, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.package.split(".") if module.package else []
    base = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
    return ".".join([*base, *([node.module] if node.module else [])])


# --- small readers of the syntax tree -----------------------------------------------------------
def method_of(node: ast.ClassDef, name: str) -> FunctionNode | None:
    for child in node.body:
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and child.name == name:
            return child
    return None


def statement_lines(statements: Iterable[ast.stmt]) -> frozenset[int]:
    """The line of each of ``statements`` and of every statement nested in them."""
    return frozenset(
        child.lineno
        for statement in statements
        for child in ast.walk(statement)
        if isinstance(child, ast.stmt)
    )


def calls(tree: ast.AST | Iterable[ast.AST]) -> Iterator[ast.Call]:
    """The calls in a tree, or among nodes already walked (a ``SourceFile.nodes``)."""
    nodes = ast.walk(tree) if isinstance(tree, ast.AST) else tree
    return (node for node in nodes if isinstance(node, ast.Call))


def callee(func: ast.AST | None) -> str | None:
    """The last name of what is called: ``Flask`` for ``Flask(...)`` and ``flask.Flask(...)``."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def argument(call: ast.Call, position: int, name: str) -> ast.AST | None:
    """An argument given by keyword or at its position."""
    found = keyword(call, name)
    if found is not None:
        return found
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return None


def keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def text(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def list_elements(module: IndexedModule, node: ast.AST | None) -> list[ast.AST]:
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
