"""The import-cycles check: the project's own import graph has no cycle, and the layer rules hold.

A cycle is made of imports that run when a module is first imported. Three kinds are left out:
those under ``if TYPE_CHECKING:``, which never run; imports inside a function, which are Python's
accepted way to break a cycle; and a module's import of its own parent package, which is always
initialised first. Layer rules count every import, those too: a type is a dependency of the
design.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from ..model import FAILED, PASSED, SKIPPED, Finding, Outcome
from ..project.context import CheckContext
from ..project.sources import SourceFile, python_files
from . import layers
from .imports import Import, imports, project_targets
from .pycode import NO_SOURCE, unparsable

Edges = dict[str, dict[str, Import]]  # importer -> imported -> first import statement


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    files = {file.module: file for file in python_files(ctx)}
    if not files:
        return Outcome(SKIPPED, NO_SOURCE)
    layer_of = layers.read(ctx.config, set(files))
    runtime, every = _graph(files)
    cycles = find_cycles(runtime)
    broken = unparsable(files.values())
    violations = _layer_findings(every, layer_of)
    findings = broken + [_cycle_finding(cycle, runtime) for cycle in cycles] + violations
    rules = f", and the rules of {len({layer.name for layer in layer_of.values()})} layer(s) hold"
    if findings:
        parts = [f"{len(cycles)} import cycle(s)"]
        if layer_of:
            parts.append(f"{len(violations)} layer violation(s)")
        if broken:
            parts.append(f"{len(broken)} unreadable module(s)")
        summary = f"{', '.join(parts)} among {len(files)} module(s)"
        return Outcome(FAILED, summary, "; ".join(parts), "no cycle, no layer violation",
                       tuple(findings))  # fmt: skip
    return Outcome(PASSED, f"no import cycle among {len(files)} module(s)"
                   + (rules if layer_of else ""), 0, 0)  # fmt: skip


def _graph(files: dict[str, SourceFile]) -> tuple[Edges, Edges]:
    """The edges that run (TYPE_CHECKING excluded), and every edge."""
    modules = set(files)
    runtime: Edges = {module: {} for module in modules}
    every: Edges = {module: {} for module in modules}
    for module, file in sorted(files.items()):
        for imported in imports(file):
            for target in project_targets(imported, modules):
                if target == module:
                    continue
                every[module].setdefault(target, imported)
                if not (imported.where.type_only or imported.where.deferred
                        or module.startswith(target + ".")):  # fmt: skip
                    runtime[module].setdefault(target, imported)
    return runtime, every


def find_cycles(edges: Edges) -> list[list[str]]:
    """Per tangle of mutually importing modules, the shortest cycle through each of its modules
    (deduplicated), each as ``[a, b, ..., a]`` starting from its smallest name."""
    cycles: list[list[str]] = []
    for component in _strongly_connected(edges):
        if len(component) < 2:
            continue
        seen: set[tuple[str, ...]] = set()
        for start in sorted(component):
            path = _shortest_cycle(start, edges, component)
            turn = path.index(min(path[:-1]))
            canonical = tuple(path[turn:-1] + path[:turn])
            if canonical not in seen:
                seen.add(canonical)
                cycles.append([*canonical, canonical[0]])
    return sorted(cycles, key=lambda cycle: (len(cycle), cycle))


def _shortest_cycle(start: str, edges: Edges, component: set[str]) -> list[str]:
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(edges[node]):
            if target == start:
                chain = []
                while node != start:
                    chain.append(node)
                    node = previous[node]
                return [start, *reversed(chain), start]
            if target in component and target not in previous:
                previous[target] = node
                queue.append(target)
    raise AssertionError("a module of a strongly connected component lies on a cycle")


def _strongly_connected(edges: Edges) -> list[set[str]]:
    """Kosaraju's algorithm, iterative (deep import chains must not hit the recursion limit)."""
    reverse: Edges = {module: {} for module in edges}
    for module, targets in edges.items():
        for target, imported in targets.items():
            reverse[target][module] = imported
    assigned: set[str] = set()
    components = []
    for module in reversed(_finishing_order(edges)):
        if module not in assigned:
            component = _reachable(module, reverse, assigned)
            assigned |= component
            components.append(component)
    return components


def _finishing_order(edges: Edges) -> list[str]:
    """Modules in the order a depth-first walk finishes them."""
    order: list[str] = []
    seen: set[str] = set()
    for root in sorted(edges):
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(sorted(edges[root])))]
        while stack:
            module, targets = stack[-1]
            target = next((t for t in targets if t not in seen), None)
            if target is None:
                stack.pop()
                order.append(module)
            else:
                seen.add(target)
                stack.append((target, iter(sorted(edges[target]))))
    return order


def _reachable(start: str, edges: Edges, excluded: set[str]) -> set[str]:
    found = {start}
    stack = [start]
    while stack:
        for target in edges[stack.pop()]:
            if target not in found and target not in excluded:
                found.add(target)
                stack.append(target)
    return found


def _cycle_finding(cycle: list[str], edges: Edges) -> Finding:
    steps = [edges[a][b] for a, b in pairwise(cycle)]
    where = "; ".join(
        f"{step.file.relative}:{step.line} "
        + ("(inside a function) " if step.where.deferred else "")
        + step.statement
        for step in steps
    )
    first = steps[0]
    return Finding(
        first.file.relative, first.line, "IMPORT-CYCLE", f"{' → '.join(cycle)} ({where})"
    )


def _layer_findings(edges: Edges, layer_of: dict[str, layers.Layer]) -> list[Finding]:
    findings = []
    for module in sorted(edges):
        lower = layer_of.get(module)
        for target, imported in sorted(edges[module].items(), key=lambda e: e[1].line):
            upper = layer_of.get(target)
            if lower is not None and upper is not None and upper.rank < lower.rank:
                findings.append(
                    Finding(imported.file.relative, imported.line, "LAYER",
                            f"{module} (layer {lower.name}) imports {target} (layer {upper.name}, "
                            f"above it): {imported.statement}")
                )  # fmt: skip
    return findings
