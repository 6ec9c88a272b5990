"""Turn an agent's checklist items into gates: checks, parameters, phase and a stable slug."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

from ..model import AgentDefinition, Check, ChecklistItem, Gate
from .catalog import Match

MANUAL = "manual"
NO_RULE = "no catalog rule matches this wording"
# A prose sentence is a promise only with a number or one of these words (EXTRACTION.md, rule 4).
MANDATORY = re.compile(r"\b(must|always|never|required|shall|mandatory)\b|^no\b", re.IGNORECASE)

_DIGIT = re.compile(r"\d")
Matcher = Callable[[ChecklistItem], "Match | None"]


def build_gates(agent: AgentDefinition, match: Matcher, checks: Mapping[str, Check]) -> list[Gate]:
    gates: list[Gate] = []
    taken: set[str] = set()
    for item in agent.items:
        if item.kind == "prose" and not (MANDATORY.search(item.text) or _DIGIT.search(item.text)):
            continue  # can never be a promise: not worth asking the matcher
        found = match(item)
        if item.kind == "prose" and not _is_prose_promise(item, found):
            continue
        check_ids = found.checks if found else (MANUAL,)
        params = _with_defaults(dict(found.params) if found else {}, check_ids, checks)
        reason = ""
        if check_ids == (MANUAL,):
            reason = (found.rule.reason if found else "") or NO_RULE
        phase = item.heading_phase or _phase_of(check_ids, checks)
        slug = _unique(f"{phase}::{slugify(item.text)}", taken)
        gates.append(
            Gate(
                agent=agent.name,
                path=agent.path,
                item=item,
                checks=check_ids,
                params=params,
                phase=phase,
                slug=slug.split("::", 1)[1],
                rule=found.rule.id if found else None,
                reason=reason,
            )
        )
    return gates


def _is_prose_promise(item: ChecklistItem, found: Match | None) -> bool:
    if found is None or found.checks == (MANUAL,):
        return False
    return bool(found.params) or bool(MANDATORY.search(item.text))


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
