"""The package's layers hold: each sub-package imports only the layers below it, no import circles."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pytest_agentgates"
NAME = PACKAGE.name

# Each layer and the layers it may import. The root package itself (the version, and the public
# alias of AgentGatesWarning) is no layer: importing any module imports it first anyway.
BELOW = {
    "model": set(),
    "gates": set(),
    "migration_runner": set(),  # a child process: the standard library and the project's own
    "definitions": {"model"},
    "project": {"model"},
    "checks": {"model", "definitions", "project", "migration_runner"},
    "reports": {"model", "definitions", "project", "checks"},
    "session": {"model", "definitions", "project", "checks", "reports", "migration_runner"},
    "plugin": {"session"},
    "agent_hooks": {"model", "definitions", "reports"},  # runs pytest only as a child process
}
KNOWS_PYTEST = {"session", "plugin"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def imported(module: str) -> set[str]:
    """Every module of the package that ``module`` imports, at top level or inside a function."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = {f"{target}.{alias.name}" for alias in node.names}
            found |= {name for name in names if name in MODULES} or {target}
    return found


def graph() -> dict[str, set[str]]:
    edges = {}
    for module in MODULES:
        targets = {name for name in imported(module) if name in MODULES and name != NAME}
        edges[module] = {name for name in targets if name != module}
    return edges


def test_every_module_is_in_a_known_layer_and_imports():
    unknown = {module for module in MODULES if module != NAME and layer(module) not in BELOW}
    assert not unknown, f"modules outside the layers of tests/test_layers.py: {sorted(unknown)}"
    for module in MODULES:
        importlib.import_module(module)


def test_a_layer_imports_only_the_layers_below_it():
    wrong = [
        f"{module} imports {target}"
        for module, targets in graph().items()
        if module != NAME
        for target in sorted(targets)
        if layer(target) != layer(module) and layer(target) not in BELOW[layer(module)]
    ]
    assert not wrong


def test_only_the_pytest_layer_imports_pytest():
    wrong = [
        f"{module} imports {name}"
        for module in MODULES
        if module != NAME and layer(module) not in KNOWS_PYTEST
        for name in sorted(imported(module))
        if name.split(".")[0] in ("pytest", "_pytest", "pluggy", "xdist")
    ]
    assert not wrong


def test_no_import_circle():
    edges = graph()
    circles = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    assert not circles


def test_the_rule_itself_finds_a_layer_breach(tmp_path, monkeypatch):
    """The import reading is not blind: a model that imports the session is caught."""
    fake = tmp_path / NAME
    (fake / "session").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "session" / "__init__.py").write_text("")
    (fake / "session" / "nodes.py").write_text("from ..model import X\n")
    (fake / "model.py").write_text("from .session import nodes\nX = 1\n")
    monkeypatch.setitem(
        globals(),
        "MODULES",
        {f"{NAME}.model": fake / "model.py", f"{NAME}.session.nodes": fake / "session" / "nodes.py",
         f"{NAME}.session": fake / "session" / "__init__.py", NAME: fake / "__init__.py"},
    )  # fmt: skip
    with pytest.raises(AssertionError):
        test_a_layer_imports_only_the_layers_below_it()
    with pytest.raises(AssertionError):
        test_no_import_circle()
