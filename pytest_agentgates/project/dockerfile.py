"""Read a Dockerfile into stages and instructions with line numbers (continuations, comments,
heredocs, the escape directive, ``FROM ... AS`` and build arguments in base images)."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace

DIRECTIVE = re.compile(r"#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(\S+)\s*$")
HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
VARIABLE = re.compile(
    r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))"
)


@dataclass(frozen=True)
class Instruction:
    """One instruction: its keyword in capitals, its arguments on one line, where it starts."""

    keyword: str
    value: str
    line: int


@dataclass(frozen=True)
class Stage:
    """A ``FROM`` and the instructions up to the next one."""

    index: int
    line: int
    written: str  # the base as written, e.g. ``python:${VERSION}-slim``
    image: str  # with the global build arguments' defaults substituted
    unresolved: tuple[str, ...]  # build arguments used in the base that have no default
    name: str | None  # the ``AS`` name, lower case
    parent: int | None  # the index of the earlier stage this one is built ``FROM``
    instructions: tuple[Instruction, ...] = ()

    def last(self, keyword: str) -> Instruction | None:
        found = [i for i in self.instructions if i.keyword == keyword]
        return found[-1] if found else None


@dataclass(frozen=True)
class Dockerfile:
    stages: tuple[Stage, ...]
    global_args: dict[str, str | None] = field(default_factory=dict)

    @property
    def final(self) -> Stage | None:
        return self.stages[-1] if self.stages else None

    def lineage(self, stage: Stage) -> list[Stage]:
        """``stage`` and the earlier stages it is built from, nearest first."""
        chain = [stage]
        while chain[-1].parent is not None and len(chain) <= len(self.stages):
            chain.append(self.stages[chain[-1].parent])
        return chain

    def inherited(self, stage: Stage, keyword: str) -> Instruction | None:
        """The last ``keyword`` instruction in effect for ``stage`` (stages it builds on count)."""
        for ancestor in self.lineage(stage):
            found = ancestor.last(keyword)
            if found is not None:
                return found
        return None


def instructions(text: str) -> list[Instruction]:
    """The logical instructions of ``text`` with the line each starts on."""
    lines = text.splitlines()
    escape = _escape_directive(lines)
    found: list[Instruction] = []
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        start = index
        parts: list[str] = []
        while True:
            current = lines[index].rstrip()
            continues = current.endswith(escape)
            parts.append(current[:-1] if continues else current)
            index += 1
            if not continues:
                break
            # Comment and blank lines inside a continuation are dropped, as Docker does.
            while index < len(lines) and (
                not lines[index].strip() or lines[index].lstrip().startswith("#")
            ):
                index += 1
            if index >= len(lines):
                break
        logical = " ".join(part.strip() for part in parts)
        keyword, _, value = logical.partition(" ")
        keyword = keyword.upper()
        if keyword in ("RUN", "COPY", "ADD"):
            index = _skip_heredocs(value, lines, index)
        found.append(Instruction(keyword, value.strip(), start + 1))
    return found


def disables_healthcheck(instruction: Instruction) -> bool:
    """``HEALTHCHECK NONE`` (in any case, as Docker reads it): the inherited check turned off."""
    return instruction.value.upper().split()[:1] == ["NONE"]


def parse(text: str) -> Dockerfile:
    global_args: dict[str, str | None] = {}
    stages: list[Stage] = []
    body: list[Instruction] = []
    for instruction in instructions(text):
        if instruction.keyword == "FROM":
            if stages:
                stages[-1] = replace(stages[-1], instructions=tuple(body))
            body = []
            stages.append(_stage(instruction, len(stages), stages, global_args))
        elif not stages and instruction.keyword == "ARG":
            global_args.update(key_values(instruction.value))
        elif stages:
            body.append(instruction)
    if stages:
        stages[-1] = replace(stages[-1], instructions=tuple(body))
    return Dockerfile(tuple(stages), global_args)


def key_values(value: str) -> dict[str, str | None]:
    """``ENV``/``ARG``/``LABEL`` arguments: ``a=1 b="two"``, ``NAME`` alone, or ``ENV KEY a value``."""
    try:
        tokens = shlex.split(value, posix=True)
    except ValueError:
        tokens = value.split()
    if tokens and "=" not in tokens[0]:
        return {tokens[0]: " ".join(tokens[1:]) if len(tokens) > 1 else None}
    pairs: dict[str, str | None] = {}
    for token in tokens:
        key, sep, val = token.partition("=")
        pairs[key] = val if sep else None
    return pairs


def substitute(text: str, known: dict[str, str | None]) -> tuple[str, list[str]]:
    """``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR:+alt}`` replaced; names left unknown."""
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(4)
        operator, word = match.group(2), match.group(3) or ""
        value = known.get(name)
        if operator and operator.endswith("-"):
            return value if value else word
        if operator and operator.endswith("+"):
            return word if value else ""
        if value is None:
            unknown.append(name)
            return ""
        return value

    return VARIABLE.sub(replace, text), unknown


def _escape_directive(lines: list[str]) -> str:
    for line in lines:
        match = DIRECTIVE.match(line.strip())
        if not match:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("`", "\\"):
            return match.group(2)
    return "\\"


def _skip_heredocs(value: str, lines: list[str], index: int) -> int:
    """The line index after the bodies of the heredocs ``value`` opens (``RUN <<EOF``)."""
    for dash, _, word in HEREDOC.findall(value):
        while index < len(lines):
            line = lines[index].lstrip("\t") if dash else lines[index]
            index += 1
            if line.rstrip() == word:
                break
    return index


def _stage(
    instruction: Instruction, index: int, earlier: list[Stage], global_args: dict[str, str | None]
) -> Stage:
    tokens = [token for token in instruction.value.split() if not token.startswith("--")]
    written = tokens[0] if tokens else ""
    name = tokens[2].lower() if len(tokens) >= 3 and tokens[1].lower() == "as" else None
    image, unresolved = substitute(written, global_args)
    parent = next((stage.index for stage in reversed(earlier) if stage.name == image.lower()), None)
    return Stage(index, instruction.line, written, image, tuple(unresolved), name, parent)
