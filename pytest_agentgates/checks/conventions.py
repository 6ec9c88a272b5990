"""Lint under the project's flake8 and isort configuration, through ruff's equivalent rules.

flake8's selection is applied as flake8 decides it: ``select`` (default E, F, W, C90) and
``extend-select`` against ``ignore`` (default E121, E123, E126, E226, E24, E704, W503, W504) and
``extend-ignore``, the longer matching prefix winning; ``per-file-ignores`` by file name or path;
``max-line-length`` (default 79), ``max-doc-length``, ``max-complexity`` (McCabe runs only when it
is set). Codes ruff does not implement, and pycodestyle checks that are preview-only in ruff, are
named in a note, never silently dropped. isort's settings become ruff's ``I`` rule with its own
line length; under an isort wrap mode ruff does not reproduce, a block with a wrapped import is
left to isort, with a note.
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

from ..model import CheckCouldNotRun, Finding
from ..project import repository
from ..project.context import CheckContext
from ..project.lint_config import Flake8, Isort
from ..project.sources import python_file
from ..project.tools import run_json
from .ruff_run import all_rules

DEFAULT_SELECT = ("E", "F", "W", "C90")
BROADER_F601 = "hashes to the same value as"
DEFAULT_IGNORE = ("E121", "E123", "E126", "E226", "E24", "E704", "W503", "W504")
# isort's wrap modes that ruff's isort reproduces (it wraps as black does).
BLACK_WRAP = frozenset({3, "3", "VERTICAL_HANGING_INDENT"})
# isort settings with a ruff equivalent of the same meaning (lint.isort.*).
ISORT_SETTINGS = {
    "known_first_party": "known-first-party", "known_third_party": "known-third-party",
    "known_local_folder": "known-local-folder", "extra_standard_library": "extra-standard-library",
    "force_single_line": "force-single-line", "combine_as_imports": "combine-as-imports",
    "force_sort_within_sections": "force-sort-within-sections", "order_by_type": "order-by-type",
    "lines_after_imports": "lines-after-imports", "lines_between_types": "lines-between-types",
    "case_sensitive": "case-sensitive", "force_to_top": "force-to-top",
}  # fmt: skip
LISTS = frozenset({"known_first_party", "known_third_party", "known_local_folder",
                   "extra_standard_library", "force_to_top"})  # fmt: skip


def flake8_findings(ctx: CheckContext, config: Flake8) -> tuple[list[Finding], list[str]]:
    """What flake8 under ``config`` would report, as far as ruff implements it, and notes."""
    rules = {code: rule.status for code, rule in all_rules(ctx).items()}
    select = (*(config.select if config.select is not None else DEFAULT_SELECT),
              *config.extend_select)  # fmt: skip
    ignore = (*(config.ignore if config.ignore is not None else DEFAULT_IGNORE),
              *config.extend_ignore)  # fmt: skip
    if config.max_complexity is None:
        ignore = (*ignore, "C90")  # mccabe reports nothing without max-complexity
    known = [code for code in select if any(rule.startswith(code) for rule in rules)]
    unknown = [code for code in select if code not in known]
    notes = []
    if unknown:
        notes.append(f"flake8 codes with no ruff rule, not checked: {', '.join(unknown)}")
    preview = sorted(code for code, status in rules.items()
                     if status == "Preview" and _decided(code, known, ignore))  # fmt: skip
    if preview:
        shown = ", ".join(preview[:8]) + (
            f" and {len(preview) - 8} more" if len(preview) > 8 else ""
        )
        notes.append(f"flake8 checks that ruff has only as preview rules, not checked: {shown}")
    if not known:  # nothing to run: no evidence, not a pass
        raise CheckCouldNotRun(f"none of the codes {config.path.name} selects for flake8 has a "
                               f"ruff rule ({', '.join(unknown)})")  # fmt: skip
    args = ["check", "--isolated", "--select", ",".join(known), "--line-length",
            str(config.max_line_length), "--output-format", "json", "--exit-zero", "--no-fix",
            *ctx.cache.ruff()]  # fmt: skip
    if config.max_complexity is not None:
        args += ["--config", f"lint.mccabe.max-complexity = {config.max_complexity}"]
    if config.max_doc_length is not None:
        args += ["--config", f"lint.pycodestyle.max-doc-length = {config.max_doc_length}"]
    for pattern in config.exclude:
        args += ["--extend-exclude", pattern]
    base = config.path.parent
    findings = []
    for entry in run_json("ruff", [*args, "."], base):
        code = entry.get("code") or "syntax-error"
        path = Path(entry["filename"])
        if code != "syntax-error" and (
            not _decided(code, known, ignore) or _ignored_in_file(code, path, base, config)
        ):
            continue
        if code == "F601" and BROADER_F601 in entry["message"]:
            continue  # ruff's F601 also flags keys equal by hash (True and 1); pyflakes does not
        findings.append(Finding(repository.shown(ctx, path), entry["location"]["row"], code,
                                entry["message"]))  # fmt: skip
    return findings, notes


def _decided(code: str, select, ignore) -> bool:
    """flake8's decision: the longer of the matching select and ignore prefixes wins."""
    selected = max((len(prefix) for prefix in select if code.startswith(prefix)), default=0)
    ignored = max((len(prefix) for prefix in ignore if code.startswith(prefix)), default=0)
    return selected > ignored


def _ignored_in_file(code: str, path: Path, base: Path, config: Flake8) -> bool:
    """flake8's per-file-ignores: a pattern matches the file's name, or its path from the
    configuration's folder."""
    relative = path.resolve().relative_to(base.resolve()).as_posix() if path.resolve().is_relative_to(
        base.resolve()) else path.as_posix()  # fmt: skip
    for pattern, codes in config.per_file_ignores:
        pattern = pattern.removeprefix("./")
        named = fnmatch.fnmatch(path.name, pattern) or fnmatch.fnmatch(relative, pattern)
        if named and any(code.startswith(ignored) for ignored in codes):
            return True
    return False


def isort_findings(ctx: CheckContext, config: Isort) -> tuple[list[Finding], list[str]]:
    """Import order as the project's isort settings want it, through ruff's ``I`` rules."""
    settings = config.settings
    profile = str(settings.get("profile", "")).lower()
    wrap = settings.get("multi_line_output", 3 if profile == "black" else 0)
    length = settings.get("line_length", 88 if profile == "black" else 79)
    args = ["check", "--isolated", "--select", "I", "--line-length", str(length),
            "--output-format", "json", "--exit-zero", "--no-fix", *ctx.cache.ruff()]  # fmt: skip
    for name, option in ISORT_SETTINGS.items():
        if name in settings:
            value = settings[name]
            if name in LISTS and isinstance(value, str):
                value = [value]
            args += ["--config", f"lint.isort.{option} = {json.dumps(value)}"]
    for name in ("skip", "extend_skip", "skip_glob", "extend_skip_glob"):
        value = settings.get(name) or []
        for pattern in [value] if isinstance(value, str) else value:
            args += ["--extend-exclude", str(pattern)]
    findings, unsure = [], 0
    for entry in run_json("ruff", [*args, "."], config.path.parent):
        path = Path(entry["filename"])
        if wrap not in BLACK_WRAP and _wraps(ctx, path, entry):
            unsure += 1  # isort wraps this block its own way: ruff's verdict is not isort's
            continue
        findings.append(Finding(repository.shown(ctx, path), entry["location"]["row"],
                                entry.get("code") or "syntax-error", entry["message"]))  # fmt: skip
    notes = []
    if unsure:
        notes.append(f"{unsure} import block(s) with wrapped imports not judged: isort's wrap "
                     f"mode {wrap} (of {config.path.name}) is not ruff's")  # fmt: skip
    return findings, notes


def _wraps(ctx: CheckContext, path: Path, entry: dict) -> bool:
    """Whether the flagged import block holds an import split over lines."""
    lines = python_file(ctx, path.resolve()).lines
    first = entry["location"]["row"] - 1
    last = entry.get("end_location", entry["location"])["row"]
    return any(line.rstrip().endswith(("(", "\\", ",")) for line in lines[first:last])
