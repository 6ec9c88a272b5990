"""Attestations and waivers of agent-gates.yaml: validated, matched to gates, applied to verdicts.

An entry names a gate by its node id, ``<definition path>::<phase>::<slug>``. An attestation
vouches for a manual promise *as worded when attested* (its ``promise`` text); a waiver turns a
failing check into an expected failure until its ``expires`` date (inclusive).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..definitions.mapping import MANUAL
from ..model import ATTESTED, ERROR, FAILED, PASSED, PHASES, WAIVED, Gate, Outcome
from ..project.project_config import ProjectConfig
from .verdict import Verdict

ATTESTATION_KEYS = ("item", "promise", "by", "date", "why")
WAIVER_KEYS = ("item", "by", "why", "expires")
DATES = ("date", "expires")
# How alike a reworded promise must read for a lost attestation to be reported on it.
SIMILAR = 0.6
ID_FORM = "<definition path>::<phase>::<slug>, the gate's node id"


@dataclass(frozen=True)
class Attestation:
    """A person vouches for a manual promise, as it was worded then."""

    item: str
    promise: str
    by: str
    date: dt.date
    why: str
    source: str  # file:line of the entry

    def review(self, state: str) -> dict[str, Any]:
        return {"kind": "attestation", "state": state, "by": self.by,
                "date": self.date.isoformat(), "why": self.why, "promise": self.promise,
                "source": self.source}  # fmt: skip


@dataclass(frozen=True)
class Waiver:
    """A failing check accepted for a while: who, why, and the last day it applies."""

    item: str
    by: str
    why: str
    expires: dt.date
    source: str

    def review(self, state: str) -> dict[str, Any]:
        return {"kind": "waiver", "state": state, "by": self.by,
                "expires": self.expires.isoformat(), "why": self.why, "source": self.source}  # fmt: skip


@dataclass(frozen=True)
class Reviews:
    """Every attestation and waiver of the configuration file, validated."""

    attestations: tuple[Attestation, ...] = ()
    waivers: tuple[Waiver, ...] = ()


@dataclass(frozen=True)
class Problem:
    """An entry that applies to nothing in this run, and why; reported as a warning."""

    path: str
    line: int
    message: str


@dataclass
class Ledger:
    """The entries that apply to this run's gates, keyed by gate id."""

    attestations: dict[str, Attestation] = field(default_factory=dict)
    reworded: dict[str, Attestation] = field(default_factory=dict)  # lost with the old wording
    waivers: dict[str, Waiver] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


# --- reading -----------------------------------------------------------------------------------
def read(config: ProjectConfig, rootdir: Path | None = None) -> Reviews:
    """The attestations and waivers of ``config``; a malformed entry raises ConfigError.

    Each entry remembers where it is (``file:line``, relative to ``rootdir`` when inside it).
    """
    attested = _entries(config, "attestations", ATTESTATION_KEYS, rootdir)
    waived = _entries(config, "waivers", WAIVER_KEYS, rootdir)
    return Reviews(
        tuple(Attestation(**fields) for fields in attested),
        tuple(Waiver(**fields) for fields in waived),
    )


def _entries(
    config: ProjectConfig, section: str, keys: tuple[str, ...], rootdir: Path | None
) -> list[dict[str, Any]]:
    raw = config.section(section)
    if raw is None:
        return []
    noun = section[:-1]
    if not isinstance(raw, list):
        raise config.error(section, None, f"'{section}' must be a list of {noun} entries")
    first: dict[str, str] = {}
    entries = []
    for index, entry in enumerate(raw):
        fields = _fields(config, section, index, entry, keys)
        where = config.where(section, index)
        if fields["item"] in first:
            raise config.error(section, index, f"a second {noun} for {fields['item']} "
                               f"(the first is at {first[fields['item']]})")  # fmt: skip
        first[fields["item"]] = where
        entries.append({**fields, "source": _shown(where, rootdir)})
    return entries


def _shown(where: str, rootdir: Path | None) -> str:
    path, _, line = where.rpartition(":")
    if rootdir is not None and Path(path).is_relative_to(rootdir):
        path = Path(path).relative_to(rootdir).as_posix()  # else it keeps its full path
    return f"{path}:{line}"


def _fields(
    config: ProjectConfig, section: str, index: int, entry: Any, keys: tuple[str, ...]
) -> dict[str, Any]:
    noun = section[:-1]

    def fail(message: str) -> Exception:
        return config.error(section, index, f"{noun} {index + 1}: {message}")

    if not isinstance(entry, dict):
        raise fail(f"must be a mapping with {', '.join(keys)}")
    unknown = sorted(str(key) for key in entry if key not in keys)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)}; expected {', '.join(keys)}")
    missing = [key for key in keys if entry.get(key) in (None, "")]
    if missing:
        hint = ""
        if "promise" in missing:
            hint = (" ('promise' is the promise's text as attested: a reworded promise is no "
                    "longer attested)")  # fmt: skip
        raise fail(f"missing {', '.join(missing)}{hint}")
    fields: dict[str, Any] = {}
    for key in keys:
        value = entry[key]
        if key in DATES:
            fields[key] = _date(value, fail, key)
        elif isinstance(value, str):
            fields[key] = " ".join(value.split())
        else:
            raise fail(f"'{key}' must be text, not {value!r}")
    _check_item(fields["item"], fail)
    return fields


def _date(value: Any, fail: Callable[[str], Exception], key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise fail(f"'{key}' must be a date written YYYY-MM-DD, not {value!r}")


def _check_item(item: str, fail: Callable[[str], Exception]) -> None:
    parts = item.split("::")
    if len(parts) != 3 or not all(parts):
        raise fail(f"'item' must be {ID_FORM}; got {item!r}")
    if parts[1] not in PHASES:
        raise fail(f"'item' {item!r}: {parts[1]!r} is not a phase ({', '.join(PHASES)})")


# --- matching entries to gates -----------------------------------------------------------------
def bind(
    reviews: Reviews,
    gates: Iterable[Gate],
    selected: set[tuple[str, str]],
    exists: Callable[[str], bool],
) -> Ledger:
    """Match entries to gates. ``selected`` holds the (definition, phase) pairs of this run.

    An entry for a definition or phase left out of the run (``--agent-gates-agent``,
    ``--agent-gates-phase``) is no problem; one whose gate is gone, or whose definition does not
    exist, is.
    """
    by_id = {gate.id: gate for gate in gates}
    ledger = Ledger()
    for attestation in reviews.attestations:
        gate = by_id.get(attestation.item)
        if gate is None:
            if not _reworded(attestation, by_id.values(), ledger):
                _unmatched(attestation.item, attestation.source, selected, exists, ledger)
        elif gate.checks != (MANUAL,):
            _problem(ledger, attestation.source, f"{attestation.item} is checked by "
                     f"{', '.join(gate.checks)}, not manual: attestations are for manual "
                     "promises (a failing check can be waived)")  # fmt: skip
        else:
            ledger.attestations[gate.id] = attestation
    for waiver in reviews.waivers:
        gate = by_id.get(waiver.item)
        if gate is None:
            _unmatched(waiver.item, waiver.source, selected, exists, ledger)
        elif gate.checks == (MANUAL,):
            _problem(ledger, waiver.source, f"{waiver.item} is manual: a waiver is for a "
                     "failing check; attest a manual promise instead")  # fmt: skip
        else:
            ledger.waivers[gate.id] = waiver
    return ledger


def _reworded(attestation: Attestation, gates: Iterable[Gate], ledger: Ledger) -> bool:
    """Attach an attestation whose gate id vanished to the manual promise it most resembles."""
    path = attestation.item.split("::")[0]
    best, score = None, SIMILAR
    for gate in gates:
        if gate.path != path or gate.checks != (MANUAL,) or gate.id in ledger.reworded:
            continue
        ratio = difflib.SequenceMatcher(
            None, attestation.promise.lower(), gate.item.text.lower()
        ).ratio()
        if ratio >= score:
            best, score = gate, ratio
    if best is None:
        return False
    ledger.reworded[best.id] = attestation
    return True


def _unmatched(
    item: str, source: str, selected: set[tuple[str, str]], exists: Callable[[str], bool],
    ledger: Ledger,
) -> None:  # fmt: skip
    path, phase, _ = item.split("::")
    if (path, phase) in selected:
        _problem(ledger, source, f"no promise has the id {item} (reworded, moved or removed?); "
                 "ids are the gates' node ids, listed by --collect-only -q")  # fmt: skip
    elif not exists(path):
        _problem(ledger, source, f"{item}: there is no agent definition {path}")


def _problem(ledger: Ledger, source: str, message: str) -> None:
    path, _, line = source.rpartition(":")
    ledger.problems.append(Problem(path, int(line) if line.isdigit() else 1, message))


# --- applying them to verdicts -----------------------------------------------------------------
def apply(
    ledger: Ledger, gate: Gate, verdict: Verdict, strict: bool = False,
    today: dt.date | None = None,
) -> Verdict:  # fmt: skip
    """The verdict once this gate's attestation or waiver (if any) is taken into account."""
    if gate.checks == (MANUAL,):
        return _attested(ledger, gate, verdict, strict)
    waiver = ledger.waivers.get(gate.id)
    if waiver is None:
        return verdict
    return _waived(waiver, verdict, today or dt.date.today())


def _attested(ledger: Ledger, gate: Gate, verdict: Verdict, strict: bool) -> Verdict:
    attestation = ledger.attestations.get(gate.id)
    if attestation is not None and _same(attestation.promise, gate.item.text):
        summary = (
            f"attested by {attestation.by} on {attestation.date.isoformat()}: {attestation.why}"
        )
        return replace(
            verdict, status=ATTESTED, summary=summary, review=attestation.review("valid")
        )
    stale = attestation or ledger.reworded.get(gate.id)
    notes: tuple[str, ...] = ()
    review = None
    summary = verdict.summary
    if stale is not None:
        notes = (f"the attestation by {stale.by} on {stale.date.isoformat()} ({stale.source}) "
                 f"no longer applies: it vouches for {stale.promise!r}, the promise now reads "
                 f"{gate.item.text!r}; attest the new wording",)  # fmt: skip
        review = stale.review("stale")
        summary += f" (the attestation by {stale.by} is stale: the promise was reworded)"
    if not strict:
        return replace(verdict, summary=summary, notes=verdict.notes + notes, review=review)
    summary = f"not attested (--agent-gates-strict); {summary}"
    return replace(
        verdict,
        status=FAILED,
        summary=summary,
        outcomes=((MANUAL, Outcome(FAILED, summary)),),
        notes=verdict.notes + notes,
        review=review,
        advice=attestation_template(gate),
    )


def _same(attested: str, current: str) -> bool:
    return " ".join(attested.split()) == " ".join(current.split())


def attestation_template(gate: Gate, today: dt.date | None = None) -> str:
    """How to pass a manual gate under --agent-gates-strict: the entry to add, ready to paste."""
    return "\n".join([
        "  To pass: a person who checked it attests it in agent-gates.yaml:",
        "    attestations:",
        f"      - item: {gate.id}",
        f"        promise: {json.dumps(gate.item.text, ensure_ascii=False)}",
        "        by: <name>",
        f"        date: {(today or dt.date.today()).isoformat()}",
        "        why: <how it was checked>",
    ])  # fmt: skip


def _waived(waiver: Waiver, verdict: Verdict, today: dt.date) -> Verdict:
    who = f"the waiver by {waiver.by} ({waiver.source})"
    if verdict.status == PASSED:
        return _noted(verdict, waiver, "unneeded", f"{who} can be removed: the gate passes now")
    if verdict.status == ERROR:
        return _noted(verdict, waiver, "unused",
                      f"{who} does not cover a check that could not run")  # fmt: skip
    if verdict.status != FAILED:
        return _noted(verdict, waiver, "unused", f"{who} was not used: the gate was skipped")
    if today > waiver.expires:
        expired = _noted(verdict, waiver, "expired",
                         f"{who} expired on {waiver.expires.isoformat()}; it no longer applies")  # fmt: skip
        return replace(expired, summary=f"{verdict.summary} (waiver expired on {waiver.expires})")
    return replace(
        verdict,
        status=WAIVED,
        summary=f"waived by {waiver.by} until {waiver.expires.isoformat()}: {waiver.why}",
        notes=verdict.notes + (f"still failing: {verdict.summary}",),
        review=waiver.review("active"),
    )


def _noted(verdict: Verdict, waiver: Waiver, state: str, note: str) -> Verdict:
    return replace(verdict, notes=verdict.notes + (note,), review=waiver.review(state))
