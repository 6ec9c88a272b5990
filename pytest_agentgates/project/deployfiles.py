"""Find the project's deployment files (Dockerfiles, compose files, manifests, API documents) once."""

from __future__ import annotations

import fnmatch
from pathlib import Path

from . import repository
from .context import CheckContext
from .sources import folders

# Files under these folders describe fixtures or samples, not how this project is deployed.
NOT_DEPLOYMENT = frozenset(
    {"tests", "test", "testing", "fixtures", "testdata", "test_data", "examples", "example"}
)
DOCKERFILE_NAMES = ("Dockerfile", "Containerfile", "*.Dockerfile", "*.dockerfile", "Dockerfile.*",
                    "Containerfile.*")  # fmt: skip
COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml",
                 "compose.*.yaml", "compose.*.yml", "docker-compose.*.yaml", "docker-compose.*.yml")  # fmt: skip
NOT_DOCKERFILE_SUFFIXES = frozenset({".dockerignore", ".md", ".rst", ".txt"})
# Folders at the repository root that hold deployment files (when the rootdir is below it).
DEPLOY_FOLDERS = ("deploy", "deployment", "k8s", "kubernetes", "helm", "docker", "charts")
MAX_BYTES = 5_000_000  # larger YAML/JSON files are data, not configuration


def project_files(ctx: CheckContext) -> tuple[Path, ...]:
    """Every file of the project outside hidden folders, virtualenvs, tests and examples."""

    def walk() -> tuple[Path, ...]:
        found: list[Path] = []
        for folder, names in folders(ctx):
            parts = folder.relative_to(ctx.rootdir).parts
            if not NOT_DEPLOYMENT.intersection(parts):
                found += [folder / name for name in names]
        for top in repository.places(ctx)[1:]:  # the repository root above the rootdir
            found += [path for path in sorted(top.iterdir()) if path.is_file()]
            for name in DEPLOY_FOLDERS:
                if (top / name).is_dir():
                    found += sorted(path for path in (top / name).rglob("*") if path.is_file())
        return tuple(dict.fromkeys(found))

    return ctx.once("project-files", walk)


def _named(path: Path, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(path.name, pattern) for pattern in patterns)


def dockerfiles(ctx: CheckContext) -> list[Path]:
    return [
        path
        for path in project_files(ctx)
        if _named(path, DOCKERFILE_NAMES) and path.suffix not in NOT_DOCKERFILE_SUFFIXES
    ]


def compose_files(ctx: CheckContext) -> list[Path]:
    return [path for path in project_files(ctx) if _named(path, COMPOSE_NAMES)]


def yaml_files(ctx: CheckContext) -> list[Path]:
    """YAML files small enough to be configuration (compose files included)."""
    return [
        path
        for path in project_files(ctx)
        if path.suffix in (".yaml", ".yml") and small_enough(path)
    ]


def small_enough(path: Path) -> bool:
    """Small enough to be configuration rather than data (and readable at all)."""
    try:
        return path.stat().st_size <= MAX_BYTES
    except OSError:  # a dangling symlink, say
        return False


def read_text(path: Path) -> str | None:
    """The file's text, or None when it is not readable UTF-8."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
