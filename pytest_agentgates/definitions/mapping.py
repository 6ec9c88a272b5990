"""Turn an agent's checklist items into gates: checks, parameters, phase and a stable slug."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from ..model import AgentDefinition, Check, ChecklistItem, Gate
from . import exclusions
from .catalog import Match, normalise
from .headings import ACTIVITY_HEADING

MANUAL = "manual"
NO_RULE = "no catalog rule matches this wording"
# A prose sentence is a promise only with a number or one of these words (EXTRACTION.md, rule 4).
MANDATORY = re.compile(r"\b(must|always|never|required|shall|mandatory)\b|^no\b", re.IGNORECASE)
# Words that bind without a must: "Address before merging", "parameterized queries exclusively".
BINDING = re.compile(
    r"\bbefore (merg|commit|ship|releas|deploy)\w*|\bexclusively\b|\bonly (use|allow)\w*"
    r"|\bblock(ing|ers?)\b",
    re.IGNORECASE,
)
# Terse imperatives and claims: "Use type hints for all functions", "Feature tests every
# endpoint", "Ensure logging doesn't expose sensitive data".
IMPERATIVE = re.compile(
    r"^(ensure|enforce|guarantee|make sure)\b"
    r"|^(use|provide|validate|keep|write|run|add|include|document|test|sanitize|sanitise|pin|lock|log"
    r"|handle|cover|annotate|type|lint|format|scan)\b.{0,60}\b(all|every|each|any)\b"
    r"|^(every|each|all)\b|^\w+( \w+)? (every|each)\b",
    re.IGNORECASE,
)
# A label naming requirements or limits binds its value: "**Test Requirements**: Tests for ...".
REQUIREMENT_LABEL = re.compile(
    r"^[^:]{0,60}\b(requirements?|required|limits?|rules|policy|standards?|thresholds?)\s*:", re.I
)
# A terse claim of a state a check verifies: "Migrations reversible", "Dependencies pinned".
TERSE_CLAIM = re.compile(
    r"^[\w/()\s-]{3,40} (reversible|pinned|locked|typed|tested|covered|formatted|linted|passing"
    r"|documented|externali[sz]ed|parameteri[sz]ed|enforced)$",
    re.IGNORECASE,
)
WORDING = (
    ("must-word", MANDATORY),
    ("binding phrase", BINDING),
    ("requirement label", REQUIREMENT_LABEL),
    ("imperative", IMPERATIVE),
    ("terse claim", TERSE_CLAIM),
    ("number", re.compile(r"\d")),
)
_ANY_WORDING = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in WORDING), re.IGNORECASE)
NOT_BINDING = (
    "prose without must/always/never, a binding phrase or label, an imperative or a number"
)
NOT_CHECKABLE = "prose names no check: no catalog rule with a check matches it"
NO_BOUND = "prose with a number, but not a bound the matched rule reads"

_VALUE = re.compile(r"^[^:\d]{2,50}?(?::| - | — )\s*(\S.{2,})$")
_LABELLED = re.compile(r"^[^:]{2,60}:\s*(.*\d.*)$")
Matcher = Callable[[ChecklistItem], "Match | None"]


@dataclass(frozen=True)
class Reading:
    """What became of one candidate item: its gate, or why it is not one."""

    item: ChecklistItem
    gate: Gate | None
    reason: str = ""


def build_gates(agent: AgentDefinition, match: Matcher, checks: Mapping[str, Check]) -> list[Gate]:
    return [r.gate for r in read_items(agent, match, checks) if r.gate is not None]


def read_items(
    agent: AgentDefinition, match: Matcher, checks: Mapping[str, Check]
) -> list[Reading]:
    """Every candidate item of ``agent``, as a gate or with the reason it is left out."""
    readings: list[Reading] = []
    taken: set[str] = set()
    said: dict[tuple[int, tuple[str, ...]], str] = {}  # (line, checks) of prose gates -> text
    for item in agent.items:
        reason, found, wording = _decide(item, match)
        if not reason and item.kind == "prose" and found is not None:
            first = said.setdefault((item.line, found.checks), item.text)
            if first != item.text:
                reason = f"the same promise as {first!r} on this line"
        if reason:
            readings.append(Reading(item, None, reason))
            continue
        check_ids = found.checks if found else (MANUAL,)
        params = _with_defaults(dict(found.params) if found else {}, check_ids, checks)
        manual_reason = ""
        if check_ids == (MANUAL,):
            manual_reason = (found.rule.reason if found else "") or NO_RULE
        phase = item.heading_phase or _phase_of(check_ids, checks)
        slug = _unique(f"{phase}::{slugify(item.text)}", taken)
        gate = Gate(
            agent=agent.name,
            path=agent.path,
            item=item,
            checks=check_ids,
            params=params,
            phase=phase,
            slug=slug.split("::", 1)[1],
            rule=found.rule.id if found else None,
            reason=manual_reason,
            wording=wording,
        )
        readings.append(Reading(item, gate))
    return readings


def _decide(item: ChecklistItem, match: Matcher) -> tuple[str, Match | None, str]:
    """``(reason left out, match, wording)``: the reason is "" for a promise."""
    value = _VALUE.match(item.text)
    wording = ""
    if item.kind == "prose":
        # Most prose binds nothing: one search says so before any exclusion or rule is tried.
        said = [item.text, value.group(1)] if value else [item.text]
        if any(_ANY_WORDING.search(text) for text in said):
            wording = next((name for name, rx in WORDING for text in said if rx.search(text)), "")
        if wording == "requirement label" and ACTIVITY_HEADING.search(item.heading):
            wording = ""  # "Testing Requirements: coverage targets" while defining standards
        if not wording:
            return NOT_BINDING, None, ""
    left_out = exclusions.excluded(item.text)
    if left_out:
        return f"{left_out[0]}: {left_out[1]}", None, ""
    if item.kind != "prose":
        return "", _by_value(item, value, match(item), match), ""
    found = _by_value(item, value, match(item), match) or _under_heading(item, match)
    if found is None or found.checks == (MANUAL,):
        return NOT_CHECKABLE, found, ""
    if wording == "number" and not found.params:
        return NO_BOUND, found, ""
    return "", found, wording


def _by_value(
    item: ChecklistItem, value: re.Match[str] | None, whole: Match | None, match: Matcher
) -> Match | None:
    """A labelled item's value states the promise, its label the topic: "Comprehensive Testing:
    Ensure all new logic is covered" is diff coverage, whatever the label says. The parameters
    are read from all its words ("No print statements: use logging" asks for no print)."""
    if whole is None or value is None:  # no words of the item name a check: nor do the value's
        return whole
    found = match(replace(item, text=value.group(1)))
    if found is None:
        return whole
    return Match(
        found.rule, found.checks, found.rule.read_params(normalise(item.text), item.negative)
    )


def _under_heading(item: ChecklistItem, match: Matcher) -> Match | None:
    """A labelled bound under a metric heading reads with it: "Refactor Required: 16+ (blocking)"
    under "Cyclomatic Complexity" bounds complexity. Only a binding label or a blocker reads so:
    "Acceptable: 1-10" there describes a band, it requires nothing."""
    labelled = _LABELLED.match(item.text)
    binding = item.negative or REQUIREMENT_LABEL.search(item.text)
    if not (labelled and item.heading and binding):
        return None
    return match(replace(item, text=f"{item.heading} {labelled.group(1)}", detail=""))


def _with_defaults(params: dict, check_ids: tuple[str, ...], checks: Mapping[str, Check]) -> dict:
    for check_id in check_ids:
        check = checks.get(check_id)
        for name, value in (check.defaults if check else {}).items():
            params.setdefault(name, value)
    return params


def _phase_of(check_ids: tuple[str, ...], checks: Mapping[str, Check]) -> str:
    check = checks.get(check_ids[0])
    return check.phase if check and check_ids != (MANUAL,) else "done"


def slugify(text: str, limit: int = 60) -> str:
    """Lower-case ASCII words joined by dashes, cut at a word boundary."""
    spaced = "".join(ch if ch.isalnum() else " " for ch in text.lower())
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    slug = "-".join(ascii_text.split())
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "item"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate
