"""Checklist lint: manual promises worded so that nothing could verify them, with measurable rewrites."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import ChecklistItem, Gate
from .catalog import Match
from .mapping import MANUAL

# Words that judge instead of measure. A promise holding one, and no number, can never be checked.
VAGUE = re.compile(
    r"\b(properly|proper|appropriate(?:ly)?|thorough(?:ly)?|comprehensive(?:ly)?"
    r"|robust(?:ly|ness)?|clean(?:ly)?|adequate(?:ly)?|sufficient(?:ly)?|reasonabl[ey]"
    r"|correctly|best practices?|high[- ]quality|good|optimal(?:ly)?|efficient(?:ly)?"
    r"|effective(?:ly)?|maintainable|readable|scalable|reliable|secure(?:ly)?"
    r"|production[- ]ready|well[- ](?:tested|designed|documented|structured|organi[sz]ed|defined"
    r"|commented|written|architected))\b",
    re.IGNORECASE,
)
MEASURABLE = re.compile(r"\d")
# The promise's subject -> a rewrite the built-in catalog maps to a real check; first match wins.
# tests/test_checklist_lint.py proves every rewrite maps to the check named beside it.
REWRITES: tuple[tuple[str, str, str], ...] = (
    (r"\b(edge|corner|boundary) (cases?|conditions?)\b|\bbranch", "Branch coverage ≥ 85%",
     "branch-coverage"),
    (r"\berrors?\b|\bexceptions?\b|\bfailures?\b|\bfaults?\b",
     "Error handling: no bare except, no swallowed exceptions", "error-handling"),
    (r"\btest|\bcoverage\b|\bqa\b", "80%+ test coverage", "coverage"),
    (r"\bsecrets?\b|\bcredentials?\b|\bpasswords?\b|\b(api|access|auth) (keys?|tokens?)\b",
     "No secrets in code", "secrets"),
    (r"\binputs?\b|\bsaniti[sz]|\bsql\b|\binjection",
     "Input validation: parameterized queries only", "injection"),
    (r"\bsecur|\bvulnerab|\bauth|\bpermissions?\b|\baccess control",
     "No security-scanner warnings of medium severity or above", "security-scan"),
    (r"\bperforman|\bfast\b|\blatency\b|\bresponse times?\b|\befficien|\boptimi[sz]|\bspeed\b"
     r"|\bscal|\bquer(y|ies)\b|\bcach",
     "p95 response time under 200ms in benchmarks", "performance"),
    (r"\bdocument|\bcomment|\bdocstrings?\b|\breadme\b",
     "Docstrings on 80%+ of public modules, classes and functions", "docs"),
    (r"\blog(s|ging|ged)?\b|\bmonitor|\bobservab|\baudit trail",
     "Errors are logged and no print() in source", "logging"),
    (r"\bconfig|\bsettings\b|\benvironments?\b", "Environment-specific settings externalized",
     "config-externalized"),
    (r"\bapis?\b|\bendpoints?\b|\broutes?\b|\brest(ful)?\b|\bhttp\b", "Every API endpoint tested",
     "api-tests"),
    (r"\bmigrations?\b|\bschemas?\b", "Migrations have up() and down() functions",
     "migrations-reversible"),
    (r"\bdependenc(y|ies)\b|\bpackages?\b|\blibrar(y|ies)\b",
     "Dependencies pinned in a lock file", "dependencies"),
    (r"\bdocker|\bcontainers?\b",
     "Container images run as non-root from a pinned base image", "container"),
    (r"\bdeploy|\bpipelines?\b|\bci\b|\breleases?\b", "CI pipeline runs the test suite",
     "ci-pipeline"),
    (r"\bhealth|\breadiness\b|\bliveness\b", "Health check endpoint exposed", "health-check"),
    (r"\btyp(e|es|ing|ed)\b|\bnull\b", "Type hints on every public function", "type-hints"),
    (r"\barchitect|\bmodul|\blayer|\bstructur|\borgani[sz]|\bcoupl|\bdesign",
     "No circular imports between modules", "import-cycles"),
    (r"\bfunctions?\b|\bmethods?\b|\bclass(es)?\b|\bcomplex|\bresponsibilit|\bpurpose",
     "Functions under 40 lines and cyclomatic complexity under 10", "function-size"),
    (r"\bimplement|\bbusiness logic\b|\bfeatures?\b|\bcomplete",
     "No placeholder code: no TODO, stub or NotImplementedError", "stubs"),
    (r"\bcode(base)?\b|\bstyle\b|\breadab|\bmaintainab|\bclean|\bconventions?\b|\bbest practice",
     "No linter warnings", "lint"),
)  # fmt: skip
# Under a refusal list ("Never:", "Red flags") an item names what must not be there, so its
# rewrite names the failure: check -> a negative wording that the catalog reads back, bound
# inverted, as the same promise as the positive rewrite.
REFUSALS: dict[str, str] = {
    "branch-coverage": "Branch coverage below 85%",
    "error-handling": "Bare except or swallowed exceptions",
    "coverage": "Test coverage below 80%",
    "secrets": "Secrets in code",
    "injection": "Input validation missing: SQL injection from string-built queries",
    "security-scan": "Security vulnerabilities of medium severity or above",
    "performance": "p95 response time at least 200ms in benchmarks",
    "docs": "Docstrings on fewer than 80% of public modules, classes and functions",
    "logging": "print() in source, or errors not logged",
    "config-externalized": "Environment-specific settings hard-coded",
    "api-tests": "API endpoints not covered by integration tests",
    "migrations-reversible": "Migrations without a down() function",
    "dependencies": "Dependencies not pinned in a lock file",
    "container": "Docker images running as root",
    "ci-pipeline": "CI pipeline failing",
    "health-check": "No health check endpoint",
    "type-hints": "Public functions without type hints",
    "import-cycles": "Circular imports between modules",
    "function-size": "Functions of at least 40 lines or cyclomatic complexity at least 10",
    "stubs": "No placeholder code: TODO, stub or NotImplementedError left in",
    "lint": "Linter warnings",
}
_SUBJECTS = tuple((re.compile(subject, re.IGNORECASE), rewrite) for subject, rewrite, _ in REWRITES)
Matcher = Callable[[ChecklistItem], "Match | None"]


@dataclass(frozen=True)
class Vague:
    """A manual promise nothing could verify, the words that make it so, and a rewrite (if any)."""

    gate: Gate
    words: tuple[str, ...]
    rewrite: str | None = None
    checks: tuple[str, ...] = ()  # what the rewrite maps to under this run's catalogs


def vague_words(text: str) -> tuple[str, ...]:
    """The judging words of ``text``, when it states nothing measurable; else ()."""
    if MEASURABLE.search(text):
        return ()
    return tuple(dict.fromkeys(word.lower() for word in VAGUE.findall(text)))


def suggest(text: str) -> str | None:
    """A measurable rewrite for a promise about ``text``'s subject, or None when none is known."""
    return next((rewrite for subject, rewrite in _SUBJECTS if subject.search(text)), None)


def lint(gates: Iterable[Gate], match: Matcher) -> list[Vague]:
    """The manual gates among ``gates`` worded vaguely; a rewrite is kept only if ``match`` maps it.

    Promises manual because they are not about this project ("not applicable here") are left out:
    rewording them would not make them checkable.
    """
    found = []
    for gate in gates:
        if gate.checks != (MANUAL,) or gate.reason.startswith("not applicable"):
            continue
        words = vague_words(gate.item.text)
        if not words:
            continue
        rewrite = suggest(gate.item.text)
        if rewrite and gate.item.negative:
            rewrite = REFUSALS.get(_check_of(rewrite))
        checks = _maps_to(rewrite, match, gate.item) if rewrite else ()
        found.append(Vague(gate, words, rewrite, checks) if checks else Vague(gate, words))
    return found


def _check_of(rewrite: str) -> str:
    return next(check for _, text, check in REWRITES if text == rewrite)


def _maps_to(text: str, match: Matcher, where: ChecklistItem | None = None) -> tuple[str, ...]:
    """The checks ``text`` maps to, read in the place of ``where`` (a refusal list reads it as
    negative); () when it is manual there."""
    negative = where.negative if where else False
    found = match(ChecklistItem(text, 0, "", "checkbox", structure="checkbox", negative=negative))
    if found is None or found.checks == (MANUAL,):
        return ()
    return tuple(found.checks)
