"""The session's single ``ruff check`` (the project's config plus the rules other checks read)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..model import CheckCouldNotRun
from ..project.context import CheckContext
from ..project.tools import run_json
from .ruff_config import ProjectSelection, RuleInfo

# The rules the code checks read from the one run, whatever the project's own selection.
ANNOTATION_RULES = ("ANN001", "ANN002", "ANN003", "ANN201", "ANN204", "ANN205", "ANN206")
INJECTION_RULES = (
    "S102", "S301", "S302", "S307", "S506", "S602", "S604", "S605", "S608", "S609", "S610", "S611",
)  # fmt: skip
SECRET_RULES = ("S105", "S106", "S107")
ERROR_RULES = ("E722", "BLE001", "S110", "S112", "B904")
PRINT_RULES = ("T201", "T203")
EXTRA_RULES = (*ANNOTATION_RULES, *INJECTION_RULES, *SECRET_RULES, *ERROR_RULES, *PRINT_RULES)
# Linter prefix of each extra rule, by its letters ("" is pycodestyle's, as in ruff).
LINTER_PREFIXES = {"ANN": "ANN", "S": "S", "BLE": "BLE", "B": "B", "E": "", "T": "T20"}


@dataclass(frozen=True)
class RuffResult:
    """One diagnostic of the run."""

    path: Path  # absolute
    relative: str
    line: int
    column: int
    code: str  # "syntax-error" when ruff could not parse the file
    message: str


def ruff_results(ctx: CheckContext) -> tuple[RuffResult, ...]:
    """Every diagnostic of the one ``ruff check`` of the session."""

    def run() -> tuple[RuffResult, ...]:
        extra = [code for code in EXTRA_RULES if code in known_rules(ctx)]
        args = ["check", "--output-format", "json", "--exit-zero", "--no-fix", *ctx.cache.ruff()]
        if extra:
            args += ["--extend-select", ",".join(extra)]
        return tuple(
            RuffResult(
                Path(entry["filename"]).resolve(),
                ctx.relative(entry["filename"]),
                entry["location"]["row"],
                entry["location"]["column"],
                entry.get("code") or "syntax-error",
                entry["message"],
            )
            for entry in run_json("ruff", [*args, "."], ctx.rootdir)
        )

    return ctx.once("ruff-check", run)


def all_rules(ctx: CheckContext) -> dict[str, RuleInfo]:
    """Every rule this ruff has, by code (Removed ones left out), from one ``ruff rule --all``
    per session."""

    def read() -> dict[str, RuleInfo]:
        found = {}
        for entry in run_json("ruff", ["rule", "--all", "--output-format", "json"], ctx.rootdir):
            code, status = entry.get("code"), entry.get("status")
            if isinstance(status, dict) and status:
                kind = next(iter(status))
            else:
                kind = "Preview" if entry.get("preview") else "Stable"
            if kind == "Removed" or not code:  # preview rules may have no code yet
                continue
            prefix = LINTER_PREFIXES.get(code.rstrip("0123456789"), "")
            found[code] = RuleInfo(code, prefix, kind, entry.get("name") or "",
                                   entry.get("category") or "")  # fmt: skip
        return found

    return ctx.once("ruff-rules-all", read)


def known_rules(ctx: CheckContext) -> dict[str, RuleInfo]:
    """The extra rules this ruff has."""
    rules = all_rules(ctx)
    return {code: rules[code] for code in EXTRA_RULES if code in rules}


def project_selection(ctx: CheckContext) -> ProjectSelection:
    def build() -> ProjectSelection:
        return ProjectSelection(known_rules(ctx), _ruff_version())

    return ctx.once("ruff-selection", build)


def _ruff_version() -> tuple[int, ...]:
    """The version of the ruff that ``python -m ruff`` runs (the one in this environment)."""
    try:
        text = metadata.version("ruff")
    except metadata.PackageNotFoundError as error:
        raise CheckCouldNotRun("ruff is not installed in this environment") from error
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def results_for(ctx: CheckContext, codes: tuple[str, ...], files: set[str]) -> list[RuffResult]:
    """The run's results with one of ``codes`` in one of ``files`` (rootdir-relative)."""
    wanted = set(codes)
    return [r for r in ruff_results(ctx) if r.code in wanted and r.relative in files]
