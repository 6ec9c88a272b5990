"""Bandit file by file across runs: only files whose content changed are scanned again.

Bandit's JSON is per file (each result, error and line count names its file), so a report is the
merge of per-file entries, each kept with the SHA-256 of the file's bytes. The entry as a whole is
keyed by bandit's version and the options and configuration that change its results.
"""

from __future__ import annotations

import hashlib
import os
from importlib import metadata
from pathlib import Path
from typing import Any

from .cache import Store
from .tools import run_json

INCLUDED = (".py", ".pyw")  # bandit's default include globs, *.py and *.pyw
MAX_LISTED = 1000  # more changed files than this: one recursive run (command lines have a limit)
RESULT_FIELDS = {"filename": str, "test_id": str, "line_number": int, "issue_severity": str,
                 "issue_confidence": str, "issue_text": str}  # fmt: skip


def bandit_version() -> str:
    """The installed bandit's version, part of the cache key; tests replace it to simulate an
    upgrade (the seam that makes an upgrade testable without installing another bandit)."""
    try:
        return metadata.version("bandit")
    except metadata.PackageNotFoundError:
        return "unknown"


def scan(
    rootdir: Path,
    targets: list[str],
    options: list[str],
    config: tuple[list[str], str],
    store: Store,
) -> dict[str, Any]:
    """Bandit's JSON report for ``targets`` (rootdir-relative) as one ``bandit -r`` would print it.

    ``options`` are the flags besides the targets; ``config`` is the flags that name a generated
    configuration file (its path changes every run) and that file's text.
    """
    flags, config_text = config
    files = _candidates(rootdir, targets)
    if files is None:  # a .bandit file: bandit reads it only on a recursive run, so always do one
        return run_json("bandit", ["-r", *targets, *options, *flags], rootdir, ok_codes=(0, 1))
    key = {
        "bandit": bandit_version(),
        "targets": targets,
        "options": options,
        "config": config_text,
    }
    kept = (store.load("bandit", key) or {}).get("files")
    kept = kept if isinstance(kept, dict) else {}
    digests = {path: _digest(rootdir / path) for path in files}
    entries = {path: kept[path] for path in files if _valid(kept.get(path), digests[path])}
    changed = [path for path in files if path not in entries]
    if not changed:
        return _merged(entries)
    listed = entries and len(changed) <= MAX_LISTED
    arguments = changed if listed else ["-r", *targets]
    report = run_json("bandit", [*arguments, *options, *flags], rootdir, ok_codes=(0, 1))
    names = {path: path for path in changed}  # as a walk names a file; one named on the command
    names.update({os.path.join(".", path): path for path in changed})  # line is spelt ./path
    for path, entry in _split(report, names).items():
        entries[path] = {"sha256": digests[path], **entry}
    store.save("bandit", key, {"files": entries})
    return _merged(entries)


def _candidates(rootdir: Path, targets: list[str]) -> list[str] | None:
    """Every file bandit's recursive walk considers, spelt as it spells them; None if any folder
    holds a ``.bandit`` file."""
    found = []
    for target in targets:
        if not (rootdir / target).is_dir():
            found.append(target)
            continue
        top = rootdir / target
        for root, _, names in os.walk(top):
            if ".bandit" in names:
                return None
            below = os.path.relpath(root, top)  # os.walk joins names onto the target as given
            inside = target if below == "." else os.path.join(target, below)
            found += [os.path.join(inside, name) for name in names if name.endswith(INCLUDED)]
    return sorted(set(found))


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # unreadable: never matches, so bandit is asked (and says why)


def _valid(entry: Any, digest: str) -> bool:
    """A kept entry of this file's content, in the shape this module writes."""
    if not isinstance(entry, dict) or not digest or entry.get("sha256") != digest:
        return False
    results, errors = entry.get("results"), entry.get("errors")
    if not isinstance(results, list) or not isinstance(errors, list):
        return False
    if not isinstance(entry.get("loc"), int):
        return False
    return all(
        isinstance(result, dict)
        and all(isinstance(result.get(name), kind) for name, kind in RESULT_FIELDS.items())
        for result in results
    ) and all(isinstance(error, dict) for error in errors)


def _split(report: Any, names: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The report's results, errors and line counts by file, for the files in ``names``."""
    entries: dict[str, dict[str, Any]] = {
        path: {"results": [], "errors": [], "loc": 0} for path in names.values()
    }
    report = report if isinstance(report, dict) else {}
    for kind in ("results", "errors"):
        for item in report.get(kind) or []:
            path = names.get(item.get("filename", ""))
            if path is not None:
                entries[path][kind].append({**item, "filename": path})
    for name, metrics in (report.get("metrics") or {}).items():
        path = names.get(name)
        if path is not None and isinstance(metrics, dict):
            entries[path]["loc"] = int(metrics.get("loc") or 0)
    return entries


def _merged(entries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One report, ordered as bandit orders a recursive run's (by file name, stable)."""
    ordered = [entries[path] for path in sorted(entries)]
    return {
        "results": [result for entry in ordered for result in entry["results"]],
        "errors": [error for entry in ordered for error in entry["errors"]],
        "metrics": {"_totals": {"loc": sum(entry["loc"] for entry in ordered)}},
    }
