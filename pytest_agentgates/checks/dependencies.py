"""The dependencies check: third-party imports are declared, and what is declared is pinned or locked.

An import is third-party when it is absolute, not of the standard library and not of the project
(its source packages, or a folder or module at the root or under ``src/``); imports under ``if
TYPE_CHECKING:`` and in a ``try`` that catches ``ImportError`` (optional extras) are not counted.
It is declared when a declared requirement names a distribution that provides it, as the running
environment knows them (``importlib.metadata.packages_distributions``), else by its own name.

Pinned or locked: with a lock file (or a fully pinned requirements or constraints file), every
declared requirement must be in one of them, or pinned itself; without one, every requirement
must be pinned with ``==``. A library keeps ranges in ``pyproject.toml``, so it passes only with a
lock or constraints file for its development environment.
"""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..model import FAILED, PASSED, SKIPPED, Finding, Outcome
from ..project.context import CheckContext
from ..project.sources import SourceFile, python_files
from . import declarations
from .declarations import Declarations, Declared, normalize
from .imports import imports
from .pycode import NO_SOURCE, unparsable

# Import names whose distribution has another name, for when it is not installed here to ask.
KNOWN_DISTRIBUTIONS = {
    "yaml": "pyyaml", "PIL": "pillow", "sklearn": "scikit-learn", "cv2": "opencv-python",
    "bs4": "beautifulsoup4", "dateutil": "python-dateutil", "jwt": "pyjwt",
    "dotenv": "python-dotenv", "attr": "attrs", "magic": "python-magic",
    "psycopg2": "psycopg2-binary", "MySQLdb": "mysqlclient", "Crypto": "pycryptodome",
    "OpenSSL": "pyopenssl", "serial": "pyserial", "git": "gitpython", "markdown_it": "markdown-it-py",
}  # fmt: skip
LOCK_NAMES = "poetry.lock, uv.lock, pdm.lock, Pipfile.lock, pylock.toml"


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    found = declarations.read(ctx.rootdir)
    files = python_files(ctx)
    third_party = _third_party_imports(ctx, files)
    own = normalize(found.name) if found.name else None
    declared = [entry for entry in found.declared if entry.name != own]
    findings = found.problems + unparsable(files)
    if not declared and not third_party and not findings:
        return Outcome(SKIPPED, "no dependency declared and no third-party module imported")
    findings += _undeclared(ctx, third_party, {entry.name for entry in declared})
    findings += _pin_findings(declared, found.locks)
    notes: tuple[str, ...] = ()
    if not found.locks and any(not entry.pinned for entry in declared):
        notes = (f"no lock file ({LOCK_NAMES}) and no requirements or constraints file pinning "
                 "every entry with ==; version ranges are right for a library's pyproject.toml, "
                 "so lock them (uv lock, poetry lock, pdm lock, pip-compile) rather than pin "
                 "them there",)  # fmt: skip
    summary = _summary(found, declared, third_party)
    required = "every third-party import declared; every dependency pinned or locked"
    if not files and not findings:  # pinned, but no import could be checked against them
        return Outcome(SKIPPED, f"{NO_SOURCE}; {summary}", notes=notes)
    if findings:
        return Outcome(FAILED, f"{len(findings)} problem(s): {summary}", len(findings), required,
                       tuple(findings), notes)  # fmt: skip
    return Outcome(PASSED, summary, 0, required, (), notes)


def _pin_findings(declared: list[Declared], locks: dict[str, frozenset[str]]) -> list[Finding]:
    locked = frozenset().union(*locks.values())
    findings = []
    for entry in declared:
        if entry.pinned or entry.name in locked:
            continue
        if locks:
            message = f"{entry.text!r} is not pinned and not in {', '.join(sorted(locks))}"
            findings.append(Finding(entry.path, entry.line, "NOT-LOCKED", message))
        else:
            message = f"{entry.text!r} is neither pinned with == nor locked"
            findings.append(Finding(entry.path, entry.line, "UNPINNED", message))
    return findings


def _summary(found: Declarations, declared: list[Declared], third_party: dict) -> str:
    if found.files:
        names = len({entry.name for entry in declared})
        stated = f"{names} dependency(ies) declared in {', '.join(found.files)}"
    else:
        stated = "no dependency declared (pyproject.toml, requirements*.txt, setup.cfg, Pipfile)"
    locks = f"locked in {', '.join(sorted(found.locks))}" if found.locks else "no lock file"
    return f"{stated}, {locks}; {len(third_party)} third-party module(s) imported"


def _third_party_imports(ctx: CheckContext, files: tuple[SourceFile, ...]) -> dict[str, Finding]:
    """Each third-party top-level name the source imports, at its first import (path, line)."""
    own = {file.module.split(".")[0] for file in files} | _local_names(ctx.rootdir)
    first: dict[str, Finding] = {}
    for file in files:
        for imported in imports(file):
            if imported.level or imported.where.type_only or imported.where.optional:
                continue
            top = imported.module.split(".")[0]
            if top in own or top in sys.stdlib_module_names or top in first:
                continue
            first[top] = Finding(file.relative, imported.line, "UNDECLARED", imported.statement)
    return first


def _local_names(rootdir: Path) -> set[str]:
    """Modules and packages importable from the project's own folders."""
    names = set()
    for base in (rootdir, rootdir / "src"):
        if base.is_dir():
            for entry in base.iterdir():
                if entry.is_dir() or entry.suffix == ".py":
                    names.add(entry.stem if entry.is_file() else entry.name)
    return names


def _undeclared(
    ctx: CheckContext, third_party: dict[str, Finding], declared: set[str]
) -> list[Finding]:
    providers = ctx.once("packages-distributions", _providers)
    findings = []
    for top, where in sorted(third_party.items(), key=lambda item: (item[1].path, item[1].line)):
        installed = sorted({normalize(name) for name in providers.get(top, ())})
        candidates = installed or [normalize(KNOWN_DISTRIBUTIONS.get(top, top))]
        if declared & set(candidates):
            continue
        provided = f"provided by {', '.join(installed)}" if installed else "not installed here"
        message = f"{top} ({provided}) is imported but not declared: {where.message}"
        findings.append(Finding(where.path, where.line, "UNDECLARED", message))
    return findings


def _providers() -> dict[str, set[str]]:
    """Import name -> distributions installed here, also read from each distribution's file list
    (Python 3.10's ``packages_distributions`` only reads ``top_level.txt``, which flit omits)."""
    found = {
        name: set(dists) for name, dists in importlib.metadata.packages_distributions().items()
    }
    for dist in importlib.metadata.distributions():
        for file in dist.files or ():
            top = file.parts[0] if file.parts else ""
            if len(file.parts) == 1 and top.endswith(".py"):
                top = top[:-3]
            if top and top.isidentifier():
                found.setdefault(top, set()).add(dist.metadata["Name"])
    return found
