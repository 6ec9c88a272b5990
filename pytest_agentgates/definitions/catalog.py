"""Load the YAML catalogs that map checklist wording to check ids, and match items against them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ..model import ChecklistItem
from . import quantities

SCHEMA = "pytest-agentgates-catalog/1"
PARAM_KINDS = ("percent", "latency", "seconds", "count", "level", "words")
_LEVELS = ("low", "medium", "high")
_LEVEL_WORDS = re.compile(
    r"\b(severity|confidence|or above|and above|or higher|vulnerabilit(y|ies)|findings)\b"
)
# A negative promise ("Blockers: coverage below 80%") requires the opposite of the bound it names.
_OPPOSITE = {">=": "<", ">": "<=", "<=": ">", "<": ">="}
_BACKREFERENCE = re.compile(r"\\\d|\(\?P=|\(\?P<")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})


class CatalogError(Exception):
    """A catalog file that cannot be used; the message names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    checks: tuple[str, ...]
    match: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...] = ()
    params: Mapping[str, str] = field(default_factory=dict)
    reason: str = ""
    source: str = ""

    def applies_to(self, text: str) -> bool:
        return self.position(text) is not None

    def position(self, text: str) -> int | None:
        """Where in ``text`` this rule's words start (the earliest of its patterns), or None."""
        if self._any is not None:
            found = self._any.search(text)  # the leftmost match of any pattern
            start = found.start() if found else None
        else:
            starts = [found.start() for rx in self.match if (found := rx.search(text))]
            start = min(starts) if starts else None
        if start is None or any(rx.search(text) for rx in self.unless):
            return None
        return start

    @cached_property
    def _any(self) -> re.Pattern[str] | None:
        """The match patterns as one alternation: one search instead of one per pattern."""
        return _alternation(rx.pattern for rx in self.match)

    @property
    def decisive(self) -> bool:
        """A manual rule (a veto) or a rule naming several checks wins wherever its words are."""
        return self.checks == ("manual",) or len(self.checks) > 1

    def read_params(self, text: str, negative: bool = False) -> dict[str, Any]:
        """The parameters stated in ``text``, as this rule names them; with ``negative``, ``text``
        names what must not happen and the bound is its opposite ("16+ (blocking)" allows 15)."""
        params: dict[str, Any] = {}
        for name, kind in self.params.items():
            kind, _, noun = kind.partition(":")
            if kind == "percent" and (bound := _bound(quantities.percent(text), negative)):
                params.update({name: bound.value, "comparison": bound.comparison})
            elif kind == "latency" and (found := quantities.duration(text)):
                bound, statistic = _bound(found[0], negative), found[1]
                params.update(
                    {f"{statistic}_ms": bound.value * 1000, "comparison": bound.comparison}
                )
            elif kind == "seconds" and (found := quantities.duration(text)):
                bound = _bound(found[0], negative)
                params.update({name: bound.value, "comparison": bound.comparison})
            elif kind == "count" and (bound := _bound(quantities.count(text, noun), negative)):
                params[name] = quantities.as_max_int(bound)
            elif kind == "words" and re.search(noun, text, re.IGNORECASE):
                params[name] = True  # the promise's words ask for this sub-rule
            elif kind == "level" and _LEVEL_WORDS.search(text):
                named = [level for level in _LEVELS if re.search(rf"\b{level}\b", text)]
                if named:
                    params[name] = named[0]  # "medium or high severity": medium is the bar
        return params


def _alternation(patterns: Iterable[str], names: Iterable[str] = ()) -> re.Pattern[str] | None:
    """``patterns`` as one regex whose leftmost match is the leftmost of any of them, ties going
    to the first listed (each in the group named by ``names``, when given); None when they
    cannot be joined (a backreference would point elsewhere, or a pattern sets its own flags)."""
    patterns, names = list(patterns), list(names)
    if any(_BACKREFERENCE.search(pattern) for pattern in patterns):
        return None
    if names:
        patterns = [f"(?P<{name}>{pattern})" for name, pattern in zip(names, patterns, strict=True)]
    try:
        return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)
    except re.error:
        return None


def _bound(bound: Any, negative: bool) -> Any:
    if bound is None or not negative:
        return bound
    return quantities.Bound(bound.value, _OPPOSITE[bound.comparison])


@dataclass(frozen=True)
class Match:
    rule: Rule
    checks: tuple[str, ...]
    params: Mapping[str, Any]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_DASHES).lower()).strip()


class Catalog:
    """Rules in priority order: project catalogs first, built-in ones last.

    The first catalog with a matching rule decides. Within it, the rule whose words come first
    in the item wins ("Errors handled and logged" is error handling), rule order breaking ties;
    a matching manual or several-check rule listed before them wins outright.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: list[Rule] = []
        seen: set[str] = set()
        for rule in rules:
            if rule.id not in seen:  # a project's rule with a built-in id replaces the built-in one
                seen.add(rule.id)
                self.rules.append(rule)
        self._alternations: dict[str, re.Pattern[str] | None] = {}
        self._matched: dict[tuple[str, str, bool], Match | None] = {}

    @classmethod
    def load(cls, paths: Iterable[Path]) -> Catalog:
        return cls(rule for path in paths for rule in load_rules(path))

    def match(self, item: ChecklistItem) -> Match | None:
        key = (item.text, item.detail, item.negative)
        if key not in self._matched:  # teams copy checklists between agents: read each once
            self._matched[key] = self._match(item)
        return self._matched[key]

    def _match(self, item: ChecklistItem) -> Match | None:
        text = normalise(f"{item.text} {item.detail}")
        first = next((i for i, rule in enumerate(self.rules) if rule.applies_to(text)), None)
        if first is None:
            return None
        rule = self.rules[first]
        if not rule.decisive:
            rule = self._earliest(text, first)
        return Match(rule, rule.checks, rule.read_params(normalise(item.text), item.negative))

    def _earliest(self, text: str, first: int) -> Rule:
        """Of the rules from ``first`` on in its catalog, the one whose words start first."""
        source = self.rules[first].source
        joined = self._joined(source)
        if joined is not None:
            found = joined.search(text)  # leftmost words, ties to the rule listed first
            index = next(int(name[1:]) for name, value in found.groupdict().items() if value)
            if not any(rx.search(text) for rx in self.rules[index].unless):
                return self.rules[index]
        best = (len(text) + 1, self.rules[first])  # the slow way, when an `unless` intervenes
        for rule in self.rules[first:]:
            if rule.source != source:
                break
            position = rule.position(text)
            if position is not None and position < best[0]:
                best = (position, rule)
        return best[1]

    def _joined(self, source: str) -> re.Pattern[str] | None:
        """Every rule of ``source`` as one regex, group ``r<index into self.rules>`` per rule."""
        if source not in self._alternations:
            indexes = [i for i, rule in enumerate(self.rules) if rule.source == source]
            patterns = [
                "|".join(f"(?:{rx.pattern})" for rx in self.rules[i].match) for i in indexes
            ]
            self._alternations[source] = _alternation(patterns, [f"r{i}" for i in indexes])
        return self._alternations[source]

    def check_ids(self) -> set[str]:
        return {check for rule in self.rules for check in rule.checks}


def load_rules(path: Path) -> list[Rule]:
    try:
        text = path.read_text(encoding="utf-8")
        # libyaml's safe loader when present (10x faster): the catalog loads on every start.
        document = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as error:
        raise CatalogError(f"{path}: cannot read catalog: {error.strerror}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise CatalogError(f"{where}: catalog is not valid YAML: {error}") from error
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise CatalogError(f"{path}: a catalog is a mapping with 'schema: {SCHEMA}' and 'rules'")
    rules = document.get("rules")
    if not isinstance(rules, list):
        raise CatalogError(f"{path}: 'rules' must be a list")
    return [_rule(path, index, raw) for index, raw in enumerate(rules, start=1)]


def _rule(path: Path, index: int, raw: Any) -> Rule:
    where = f"{path}: rule {index}"
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: must be a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise CatalogError(f"{where}: 'id' is required")
    where = f"{path}: rule {rule_id!r}"
    unknown = set(raw) - {"id", "checks", "match", "unless", "params", "reason"}
    if unknown:
        raise CatalogError(f"{where}: unknown keys {sorted(unknown)}")
    checks = _strings(raw.get("checks"), where, "checks")
    params = raw.get("params") or {}
    if not isinstance(params, dict) or not all(
        isinstance(kind, str) and kind.partition(":")[0] in PARAM_KINDS for kind in params.values()
    ):
        raise CatalogError(f"{where}: 'params' maps names to one of {', '.join(PARAM_KINDS)}")
    for kind in params.values():
        if kind.startswith(("count:", "words:")):
            try:
                re.compile(kind.partition(":")[2])
            except re.error as error:
                raise CatalogError(
                    f"{where}: bad regular expression in params {kind!r}: {error}"
                ) from error
    return Rule(
        id=rule_id,
        checks=tuple(checks),
        match=_patterns(raw.get("match"), where, "match"),
        unless=_patterns(raw.get("unless") or [], where, "unless", required=False),
        params=params,
        reason=str(raw.get("reason") or ""),
        source=str(path),
    )


def _strings(value: Any, where: str, key: str, required: bool = True) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogError(f"{where}: '{key}' must be a string or a list of strings")
    if required and not value:
        raise CatalogError(f"{where}: '{key}' must not be empty")
    return value


def _patterns(
    value: Any, where: str, key: str, required: bool = True
) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in _strings(value, where, key, required):
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as error:
            raise CatalogError(
                f"{where}: bad regular expression {pattern!r} in '{key}': {error}"
            ) from error
    return tuple(compiled)
