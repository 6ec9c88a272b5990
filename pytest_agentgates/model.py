"""Plain, frozen data passed between the layers: agents, items, gates, findings, outcomes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

PHASES = ("design", "implementation", "testing", "deployment", "done")

# Where each agent tool keeps its definitions, Claude Code's first (README, "How promises are
# found"). Project-wide rules (AGENTS.md, CLAUDE.md) are read only when named.
DEFAULT_DEFINITIONS = (
    ".claude/agents/*.md",
    "agents/*.md",
    ".github/agents/*.agent.md",  # GitHub Copilot
    ".gemini/agents/*.md",
    ".kiro/agents/*.md",
    ".cursor/agents/*.md",
    ".codex/agents/*.toml",
    ".kiro/specs/*/tasks.md",  # a Kiro spec's task checklist, named for its feature
)

PASSED, FAILED, ERROR, SKIPPED, MANUAL, NOT_RUN = (
    "passed",
    "failed",
    "error",
    "skipped",
    "manual",
    "not-run",
)
# A manual gate a person vouched for, and a failing gate under an active waiver (agent-gates.yaml).
ATTESTED, WAIVED = "attested", "waived"


@dataclass(frozen=True)
class ChecklistItem:
    """One line of an agent definition that may be a promise."""

    text: str
    line: int
    heading: str
    kind: str  # checkbox | gate-list | inline | prose
    heading_phase: str | None = None
    detail: str = ""  # text of nested sub-items, used for matching only
    structure: str = ""  # the Markdown structure that made it a candidate (docs/extraction.md)
    negative: bool = False  # under a refusal list: it names what must not be there

    @property
    def shape(self) -> str:
        """The structure that made this line a candidate; the kind when no finer one is known."""
        return self.structure or self.kind


@dataclass(frozen=True)
class LeftOut:
    """A line that looked like a candidate but is not one, and why (``--agent-gates-explain``)."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class AgentDefinition:
    """An agent definition file as read from disk."""

    name: str
    path: str  # as given to the parser (the plugin passes a rootdir-relative path)
    items: tuple[ChecklistItem, ...]
    warnings: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()  # candidate-looking lines the reading left out


@dataclass(frozen=True)
class Gate:
    """A checklist item mapped to the checks that verify it."""

    agent: str
    path: str
    item: ChecklistItem
    checks: tuple[str, ...]
    params: Mapping[str, Any]
    phase: str
    slug: str
    rule: str | None = None
    reason: str = ""  # why the item is manual, when it is
    wording: str = ""  # for prose: the words that made it binding (must-word, number, ...)

    @property
    def location(self) -> str:
        return f"{self.path}:{self.item.line}"

    @property
    def id(self) -> str:
        """The gate's node id, ``<definition path>::<phase>::<slug>``: what agent-gates.yaml names."""
        return f"{self.path}::{self.phase}::{self.slug}"


@dataclass(frozen=True)
class Finding:
    """One piece of evidence against a promise, pointing at a place in the project."""

    path: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.code} {self.message}"


@dataclass(frozen=True)
class Outcome:
    """What a check concluded, with the evidence behind it."""

    status: str
    summary: str
    measured: Any = None
    required: Any = None
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = [asdict(finding) for finding in self.findings]
        data["notes"] = list(self.notes)
        return data


@dataclass(frozen=True)
class Check:
    """A check id and how to evaluate it; registered through ``pytest_agentgates_register_checks``."""

    id: str
    phase: str
    evaluate: Callable[[Mapping[str, Any], Any], Outcome] | None
    defaults: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    # Decided from the project's files alone, with no test run and no import of the project:
    # what --agent-gates-static (the pre-commit hook) runs.
    static: bool = False


class CheckCouldNotRun(Exception):
    """A check could not produce a verdict (tool missing or crashed, unreadable config)."""
