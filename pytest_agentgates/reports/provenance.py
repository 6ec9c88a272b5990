"""Which commit a run is about: the repository, HEAD, the branch, and whether the tree is dirty."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from ..model import CheckCouldNotRun
from ..project.gitdiff import git


@dataclass(frozen=True)
class Commit:
    """HEAD of the repository the rootdir belongs to, as git reports it."""

    root: Path  # the repository's top level
    sha: str  # empty when the repository has no commit yet
    branch: str  # "HEAD" when detached
    dirty: tuple[str, ...]  # paths with uncommitted changes (untracked included), repo-relative

    @property
    def short(self) -> str:
        return self.sha[:12]


def head(rootdir: Path) -> Commit:
    """The commit checked out at ``rootdir``; CheckCouldNotRun when it is not in a git repository."""
    try:
        root = Path(git(["rev-parse", "--show-toplevel"], rootdir).strip())
    except CheckCouldNotRun as error:
        raise CheckCouldNotRun(f"{rootdir} is not in a git repository ({error})") from error
    try:
        sha = git(["rev-parse", "--verify", "--quiet", "HEAD"], root).strip()
        branch = git(["rev-parse", "--abbrev-ref", "HEAD"], root).strip()
    except CheckCouldNotRun:
        sha, branch = "", git(["symbolic-ref", "--short", "HEAD"], root).strip()
    status = git(["-c", "core.quotepath=off", "status", "--porcelain=v1", "-z"], root)
    dirty = tuple(_paths(status))
    return Commit(root, sha, branch, dirty)


def _paths(porcelain: str):
    """Paths of ``git status --porcelain -z`` output; a rename's second (old) path is skipped."""
    entries = iter(porcelain.split("\0"))
    for entry in entries:
        if not entry:
            continue
        yield entry[3:]
        if entry[0] in "RC":
            next(entries, None)


def prefix(rootdir: Path, root: Path) -> str:
    """``rootdir`` as a prefix of ``root``-relative paths: "" when they are the same folder."""
    try:
        relative = rootdir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else relative + "/"


def repository_path(prefix: str, path: str) -> str:
    """A rootdir-relative ``path`` made repository-relative with ``prefix``; an absolute one as is."""
    return path if Path(path).is_absolute() else posixpath.normpath(prefix + path)
