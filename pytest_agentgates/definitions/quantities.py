"""Read the bound a promise states: "80%+", "> 90%", "<100ms p95", "functions <40 lines", "in <5 minutes"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"(\d+(?:\.\d+)?)"
_AT_LEAST = r"≥|>=|=>|at least|minimum(?: of)?|min\.?|no less than|not less than"
_MORE_THAN = r">|more than|over|above|greater than|exceed(?:s|ing)?|higher than"
_AT_MOST = r"≤|<=|=<|at most|maximum(?: of)?|max\.?|no more than|not more than|up to|within"
_LESS_THAN = r"<|less than|under|below|sub-?|fewer than|lower than|faster than|in under"
_COMPARATORS = (
    (">=", _AT_LEAST),
    (">", _MORE_THAN),
    ("<=", _AT_MOST),
    ("<", _LESS_THAN),
)
_DURATION_UNITS = {
    "ms": 0.001, "msec": 0.001, "millisecond": 0.001, "milliseconds": 0.001,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
    "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hr": 3600.0, "hour": 3600.0, "hours": 3600.0,
}  # fmt: skip
_DURATION_UNIT = r"(milliseconds?|msec|ms|seconds?|secs?|s|minutes?|mins?|min|hours?|hrs?|h)\b"
_STATISTICS = (
    ("p99", r"\bp99\b|99(?:th)? percentile"),
    ("p95", r"\bp95\b|95(?:th)? percentile"),
    ("p50", r"\bp50\b|median"),
    ("mean", r"\bmean\b|\baverage\b|\bavg\b"),
    ("max", r"\bmax(?:imum)? (?:latency|response)|worst[- ]case|every request"),
)


@dataclass(frozen=True)
class Bound:
    """A number the promise binds the work to, and how the measurement must compare with it."""

    value: float
    comparison: str  # one of >=, >, <=, <


def _comparison_before(text: str, end: int, default: str) -> str:
    """The comparison words just before position ``end``, if any."""
    window = text[max(0, end - 24) : end].lower().rstrip()
    for symbol, words in _COMPARATORS:
        if re.search(rf"(?:{words})\s*$", window):
            return symbol
    return default


def percent(text: str) -> Bound | None:
    """ "80%+" / "at least 85 percent" / "> 90%" / "Test coverage: 90%"."""
    match = re.search(
        _NUMBER + r"\s*(?:%|percent\b)(\s*\+|\s+or (?:more|higher|above))?", text, re.I
    )
    if not match:
        return None
    if match.group(2):
        return Bound(float(match.group(1)), ">=")
    return Bound(float(match.group(1)), _comparison_before(text, match.start(), ">="))


def duration(text: str) -> tuple[Bound, str] | None:
    """A time budget in seconds ("<100ms p95", "in <5 minutes") and the statistic it names."""
    match = re.search(_NUMBER + r"\s*" + _DURATION_UNIT, text, re.I)
    if not match:
        return None
    seconds = float(match.group(1)) * _DURATION_UNITS[match.group(2).lower()]
    statistic = next((name for name, rx in _STATISTICS if re.search(rx, text, re.I)), "p95")
    return Bound(seconds, _comparison_before(text, match.start(), "<=")), statistic


def count(text: str, noun: str) -> Bound | None:
    """A whole-number bound on ``noun``: "functions <40 lines", "Maximum 10 files", "complexity < 10"."""
    before = re.search(_NUMBER + r"\s*(?:" + noun + r")", text, re.I)
    if before:
        return Bound(float(before.group(1)), _comparison_before(text, before.start(), "<="))
    after = re.search(r"(?:" + noun + r")\D{0,24}?" + _NUMBER + r"(\s*\+)?", text, re.I)
    if after:
        if after.group(2):  # "16+": sixteen or more
            return Bound(float(after.group(1)), ">=")
        return Bound(float(after.group(1)), _comparison_before(text, after.start(1), "<="))
    return None


def as_max_int(bound: Bound) -> int:
    """An upper bound on a whole number as an inclusive maximum: "<40" allows 39."""
    return int(bound.value) - 1 if bound.comparison == "<" else int(bound.value)


def satisfies(measured: float, comparison: str, bound: float) -> bool:
    """Whether ``measured`` meets ``bound`` under the promise's own comparison."""
    return {
        ">=": measured >= bound,
        ">": measured > bound,
        "<=": measured <= bound,
        "<": measured < bound,
    }[comparison]


def format_percent(measured: float, bound: float) -> str:
    """``measured`` with as many decimals as it takes to read on the same side of ``bound`` as it
    is, and never as a whole number it is not: 79.996 against 80 reads "79.996%", not "80%"."""
    for decimals in range(2, 8):
        text = f"{measured:.{decimals}f}"
        shown = float(text)
        same_side = (shown > bound) == (measured > bound) and (shown < bound) == (measured < bound)
        if same_side and (shown != int(shown) or measured == shown):
            return (text.rstrip("0").rstrip(".") if decimals == 2 else text) + "%"
    return f"{measured!r}%"
