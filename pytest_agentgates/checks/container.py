"""The container check: every Dockerfile's final stage runs as a non-root user and has a
HEALTHCHECK, base images are pinned by tag or digest, and no ENV/ARG holds a literal secret."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..model import FAILED, PASSED, SKIPPED, Finding, Outcome
from ..project import dockerfile as docker
from ..project import repository
from ..project.context import CheckContext
from ..project.deployfiles import dockerfiles, read_text

ROOT_USERS = ("root", "0")
SECRET_WORDS = ("PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "APIKEY", "CREDENTIAL",
                "CREDENTIALS")  # fmt: skip
SECRET_KEYS = ("API", "ACCESS", "PRIVATE", "SECRET", "AUTH", "ENCRYPTION", "SIGNING", "MASTER")
# A name ending in one of these holds where a secret is, or something about it, not the secret.
NOT_SECRET_ENDINGS = ("FILE", "PATH", "DIR", "URL", "URI", "ENDPOINT", "HOST", "PORT", "NAME",
                      "USER", "USERNAME", "ID", "TYPE", "HEADER", "LENGTH", "TTL", "EXPIRY",
                      "TIMEOUT", "ENABLED", "REQUIRED", "MODE", "VERSION", "FORMAT")  # fmt: skip
NOT_A_VALUE = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null"})


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    paths = dockerfiles(ctx)
    if not paths:
        return Outcome(
            SKIPPED, "no Dockerfile (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile)"
        )
    findings: list[Finding] = []
    notes: list[str] = []
    for path in paths:
        found, informational = check_dockerfile(path, repository.shown(ctx, path))
        findings += found
        notes += informational
    shown = ", ".join(repository.shown(ctx, path) for path in paths)
    if findings:
        return Outcome(FAILED, f"{len(findings)} problem(s) in {shown}", len(findings), 0,
                       tuple(findings), tuple(notes))  # fmt: skip
    return Outcome(
        PASSED,
        f"{shown}: non-root USER, pinned base images, HEALTHCHECK, no secret in ENV/ARG",
        0, 0, (), tuple(notes),
    )  # fmt: skip


def check_dockerfile(path: Path, shown: str) -> tuple[list[Finding], list[str]]:
    text = read_text(path)
    if text is None:
        return [Finding(shown, 1, "DOCKER000", "cannot be read as UTF-8 text")], []
    parsed = docker.parse(text)
    final = parsed.final
    if final is None:
        return [
            Finding(shown, 1, "DOCKER000", "no FROM instruction: not a Dockerfile that builds")
        ], []
    findings, notes = _user(parsed, final, shown)
    findings += list(_base_images(parsed, shown))
    findings += _healthcheck(parsed, final, shown)
    findings += list(_secrets(parsed, shown))
    return sorted(findings, key=lambda f: (f.line, f.code)), notes


def _user(parsed: docker.Dockerfile, final: docker.Stage, shown: str):
    user = parsed.inherited(final, "USER")
    base = parsed.lineage(final)[-1]
    if user is None:
        if "nonroot" in base.image.lower():
            return [], [
                f"{shown}:{base.line} no USER, the base image {base.image} runs as non-root"
            ]
        message = f"the final stage (FROM {final.written}) sets no USER: the container runs as root"
        return [Finding(shown, final.line, "DOCKER001", message)], []
    known = _stage_variables(parsed, final)
    name, unknown = docker.substitute(user.value.split()[0] if user.value else "", known)
    if unknown:
        note = f"{shown}:{user.line} USER {user.value} comes from a build argument without default"
        return [], [note]
    if name.partition(":")[0] in ROOT_USERS:
        message = f"the final stage runs as root (USER {user.value})"
        return [Finding(shown, user.line, "DOCKER001", message)], []
    return [], []


def _stage_variables(parsed: docker.Dockerfile, stage: docker.Stage) -> dict[str, str | None]:
    known: dict[str, str | None] = {}
    for ancestor in reversed(parsed.lineage(stage)):
        for instruction in ancestor.instructions:
            if instruction.keyword in ("ARG", "ENV"):
                for key, value in docker.key_values(instruction.value).items():
                    # A bare ARG inside a stage takes the global default of the same name.
                    known[key] = value if value is not None else parsed.global_args.get(key)
    return known


def _base_images(parsed: docker.Dockerfile, shown: str) -> Iterator[Finding]:
    names = {stage.name for stage in parsed.stages if stage.name}
    for stage in parsed.stages:
        if stage.parent is not None:
            pass  # built FROM an earlier stage: not an image
        elif stage.unresolved:
            yield Finding(shown, stage.line, "DOCKER002",
                          f"base image {stage.written} depends on build argument(s) "
                          f"{', '.join(stage.unresolved)} with no default")  # fmt: skip
        elif problem := unpinned(stage.image):
            yield Finding(shown, stage.line, "DOCKER002", f"base image {stage.image} {problem}")
        for instruction in stage.instructions:
            source = _copy_from(instruction)
            is_image = source and source.lower() not in names and not source.isdigit()
            if is_image and (problem := unpinned(source)):
                yield Finding(shown, instruction.line, "DOCKER002",
                              f"COPY --from image {source} {problem}")  # fmt: skip


def unpinned(image: str) -> str:
    """Why ``image`` is not pinned, or "" when it has a digest or a tag other than ``latest``."""
    if image.lower() == "scratch" or "@" in image:
        return ""
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "has no tag (it means latest); pin a version tag or a digest"
    if last.rsplit(":", 1)[1] == "latest":
        return "is pinned to latest; pin a version tag or a digest"
    return ""


def _copy_from(instruction: docker.Instruction) -> str:
    if instruction.keyword not in ("COPY", "ADD"):
        return ""
    match = re.search(r"--from=(\S+)", instruction.value)
    return match.group(1) if match else ""


def _healthcheck(parsed: docker.Dockerfile, final: docker.Stage, shown: str) -> list[Finding]:
    check = parsed.inherited(final, "HEALTHCHECK")
    if check is None:
        message = f"the final stage (FROM {final.written}) has no HEALTHCHECK"
        return [Finding(shown, final.line, "DOCKER003", message)]
    if docker.disables_healthcheck(check):
        return [
            Finding(shown, check.line, "DOCKER003", "HEALTHCHECK NONE disables the health check")
        ]
    return []


def _secrets(parsed: docker.Dockerfile, shown: str) -> Iterator[Finding]:
    for stage in parsed.stages:
        for instruction in stage.instructions:
            if instruction.keyword not in ("ENV", "ARG"):
                continue
            for name, value in docker.key_values(instruction.value).items():
                if secret_name(name) and _literal(value):
                    yield Finding(shown, instruction.line, "DOCKER004",
                                  f"{instruction.keyword} {name} holds a literal secret "
                                  f"({mask(value)}); pass it at run time or as a build secret")  # fmt: skip


def secret_name(name: str) -> bool:
    words = [word for word in re.split(r"[_\-.]", name.upper()) if word]
    if not words or words[-1] in NOT_SECRET_ENDINGS:
        return False
    if any(word.endswith(SECRET_WORDS) for word in words):
        return True
    return any(a in SECRET_KEYS and b == "KEY" for a, b in zip(words, words[1:], strict=False))


def _literal(value: str | None) -> bool:
    return bool(value) and "$" not in value and value.lower() not in NOT_A_VALUE


def mask(value: str) -> str:
    return f"****, {len(value)} characters"
