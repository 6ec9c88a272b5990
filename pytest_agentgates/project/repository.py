"""Where repository-level files live: the repository root as well as pytest's rootdir.

A project whose tests run from a subfolder (``cd project && pytest``) keeps its CI workflows,
README, docs and container files at the top of the repository. The root is the top level of the
git work tree; without git, the nearest ancestor holding ``.git`` or CI configuration; else
the rootdir.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model import CheckCouldNotRun
from .context import CheckContext
from .gitdiff import git

# What marks the top of a repository when git cannot say (no git installed, a bare copy).
ROOT_MARKERS = (".git", ".github", ".gitlab-ci.yml", ".circleci", "azure-pipelines.yml",
                ".travis.yml")  # fmt: skip


def repository_root(rootdir: Path) -> Path:
    rootdir = rootdir.resolve()
    try:
        return Path(git(["rev-parse", "--show-toplevel"], rootdir).strip()).resolve()
    except CheckCouldNotRun:
        pass
    for folder in rootdir.parents:
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder
    return rootdir


def places(ctx: CheckContext) -> tuple[Path, ...]:
    """The rootdir, then the repository root when it is another folder: where to look."""

    def find() -> tuple[Path, ...]:
        root, top = ctx.rootdir.resolve(), repository_root(ctx.rootdir)
        return (root, top) if top in root.parents else (root,)

    return ctx.once("repository-places", find)


def shown(ctx: CheckContext, path: Path) -> str:
    """``path`` as the findings show it: rootdir-relative, with ``../`` for a file above it."""
    return Path(os.path.relpath(path.resolve(), ctx.rootdir.resolve())).as_posix()
