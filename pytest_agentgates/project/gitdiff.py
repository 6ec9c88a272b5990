"""What changed against a base ref, from git's own machine-readable output: files and line numbers."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import CheckCouldNotRun

if TYPE_CHECKING:
    from .context import CheckContext

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_BINARY = re.compile(r"^Binary files (/dev/null|a/.+) and (/dev/null|b/.+) differ$")
DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


@dataclass(frozen=True)
class Change:
    """The change under review: the base it is measured against and the lines it touches."""

    base: str  # a ref, or "the working tree" when there is no history
    files: dict[str, frozenset[int]]  # path relative to the repository root -> added/changed lines
    added: frozenset[str]  # files new in the change
    deleted: frozenset[str]
    lines_added: int
    lines_removed: int
    root: Path  # the repository's top level
    # path -> (lines added, lines removed), for every file above and every deleted one
    counts: Mapping[str, tuple[int, int]] = field(default_factory=dict)


def git(args: list[str], cwd: Path) -> str:
    """Run git with fixed arguments (never text from a definition); its stdout, or CheckCouldNotRun."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CheckCouldNotRun(f"git could not run: {error}") from error
    if done.returncode != 0:
        raise CheckCouldNotRun(f"git {args[0]} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def find_base(rootdir: Path, explicit: str | None) -> str | None:
    """The ref to compare with: the one given, else the merge-base with the default branch.

    None means compare the working tree with HEAD (a repository whose only history is the
    default branch itself, or a single commit).
    """
    if explicit:
        try:
            git(["rev-parse", "--verify", "--quiet", explicit + "^{commit}"], rootdir)
        except CheckCouldNotRun as error:
            raise CheckCouldNotRun(
                f"the base {explicit!r} names no commit of this repository"
            ) from error
        return explicit
    try:
        head = git(["rev-parse", "--verify", "--quiet", "HEAD"], rootdir).strip()
    except CheckCouldNotRun:
        return None  # no commit yet
    for branch in DEFAULT_BRANCHES:
        try:
            base = git(["merge-base", "HEAD", branch], rootdir).strip()
        except CheckCouldNotRun:
            continue
        if base and base != head:
            return base
    return "HEAD"


def session_change(ctx: CheckContext) -> Change:
    """The change against the session's base (``--agent-gates-base``), read from git once per
    session however many gates and outputs ask for it."""
    return ctx.once("git-changes", lambda: changes(ctx.rootdir, ctx.options.get("base")))


def shown_ref(ref: str) -> str:
    """A commit id shortened as git shows it; a ref name as it is."""
    return ref[:12] if re.fullmatch(r"[0-9a-f]{40}", ref) else ref


def changes(rootdir: Path, explicit: str | None = None) -> Change:
    """The files and lines changed from the base to the working tree (untracked files included)."""
    try:
        root = Path(git(["rev-parse", "--show-toplevel"], rootdir).strip())
    except CheckCouldNotRun as error:
        raise CheckCouldNotRun(f"{rootdir} is not in a git repository ({error})") from error
    base = find_base(root, explicit)
    diff = ""
    if base is not None:
        diff = git(["-c", "core.quotepath=off", "diff", "--no-color", "--no-ext-diff",
                    "--unified=0", "--no-renames", base, "--"], root)  # fmt: skip
    files, counts, added, deleted = _parse(diff)
    # No commit yet: everything in the working tree is the change; else the untracked files.
    listing = ["ls-files", "--cached", "--others"] if base is None else ["ls-files", "--others"]
    untracked = git([*listing, "--exclude-standard", "-z"], root).split("\0")
    for name in filter(None, untracked):
        try:
            count = len((root / name).read_bytes().splitlines())
        except OSError:
            continue
        files[name] = set(range(1, count + 1))
        counts[name] = [count, 0]
        added.add(name)
    return Change(
        base or "the working tree",
        {name: frozenset(lines) for name, lines in files.items()},
        frozenset(added),
        frozenset(deleted),
        sum(plus for plus, _ in counts.values()),
        sum(minus for _, minus in counts.values()),
        root,
        {name: (plus, minus) for name, (plus, minus) in counts.items()},
    )


def _parse(diff: str) -> tuple[dict[str, set[int]], dict[str, list[int]], set[str], set[str]]:
    """Files with their new line numbers, +/- counts per file, added and deleted files."""
    files: dict[str, set[int]] = {}
    counts: dict[str, list[int]] = {}
    added: set[str] = set()
    deleted: set[str] = set()

    def start_file(old: str, new: str) -> str:
        name = old[2:] if new == "/dev/null" else new[2:]
        counts.setdefault(name, [0, 0])
        if new == "/dev/null":
            deleted.add(name)
        else:
            files.setdefault(name, set())
            if old == "/dev/null":
                added.add(name)
        return name

    current: str | None = None  # the file whose new lines the hunks number (None: deleted)
    header = False  # between "diff --git" and the first hunk, where "---" / "+++" name files
    old = counted = ""
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            header, current, counted = True, None, ""
        elif header and line.startswith("--- "):
            old = line[4:]
        elif header and line.startswith("+++ "):
            counted = start_file(old, line[4:])
            current = None if line[4:] == "/dev/null" else counted
        elif header and (binary := _BINARY.match(line)):
            start_file(binary.group(1), binary.group(2))
        elif match := _HUNK.match(line):
            header = False
            if current is not None:
                start, count = int(match.group(1)), int(match.group(2) or 1)
                files[current].update(range(start, start + count))
        elif not header and counted and line[:1] in ("+", "-"):
            counts[counted][line[0] == "-"] += 1
    return files, counts, added, deleted
