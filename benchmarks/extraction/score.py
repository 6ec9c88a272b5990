"""Score today's parser against the labelled development set: recall, precision, mapping, thresholds."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))  # run as a script from anywhere, against this checkout

from pytest_agentgates.checks import builtin_checks  # noqa: E402
from pytest_agentgates.definitions.catalog import Catalog  # noqa: E402
from pytest_agentgates.definitions.extract import read_definition  # noqa: E402
from pytest_agentgates.definitions.mapping import MANUAL, build_gates  # noqa: E402

DEFAULT_LABELS = HERE / "labels.jsonl"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
CATALOG = REPO / "pytest_agentgates" / "gates" / "builtin.yaml"
_NOT_A_NUMBER = ("comparison",)  # how a bound compares is not one of the numbers the words give
_HEADING_MARKS = re.compile(r"^\s*#+\s*|[*`]")  # what a heading or label line is written in


@dataclass(frozen=True)
class Label:
    """One labelled line of a corpus file."""

    file: str
    line: int
    text: str
    promise: bool
    check: str | None
    params: Mapping[str, object]
    why: str

    @property
    def checks(self) -> set[str]:
        """The labelled check ids: one, or several written ``lint,format`` for a line of several."""
        return {part.strip() for part in (self.check or "").split(",") if part.strip()}


@dataclass(frozen=True)
class Extracted:
    """One item the parser made a gate of: where, which checks, and the parameters its words gave."""

    file: str
    line: int
    text: str
    checks: tuple[str, ...]
    params: Mapping[str, object]


@dataclass(frozen=True)
class Row:
    """A line worth showing: a miss, a false promise or a wrong check, with what was expected."""

    file: str
    line: int
    text: str
    label: str
    got: str
    under: str = ""  # the heading or label line above, for grouping misses

    def __str__(self) -> str:
        return f"{self.file}:{self.line}  {self.text.strip()}  ({self.label} / {self.got})"


@dataclass
class Scores:
    """The figures of one run, with their counts so a reader can see what each ratio is made of."""

    files: int = 0
    shifted: list[str] = field(default_factory=list)
    promises: int = 0
    checkable: int = 0
    found: int = 0
    found_checkable: int = 0
    extracted_lines: int = 0
    extracted_promises: int = 0
    mapped_right: int = 0
    with_params: int = 0
    params_right: int = 0
    misses: list[Row] = field(default_factory=list)
    false_promises: list[Row] = field(default_factory=list)
    wrong_checks: list[Row] = field(default_factory=list)
    wrong_params: list[Row] = field(default_factory=list)

    @property
    def ratios(self) -> dict[str, float | None]:
        return {
            "checkable_recall": _ratio(self.found_checkable, self.checkable),
            "recall": _ratio(self.found, self.promises),
            "precision": _ratio(self.extracted_promises, self.extracted_lines),
            "mapping": _ratio(self.mapped_right, self.found),
            "thresholds": _ratio(self.params_right, self.with_params),
        }

    def miss_structures(self) -> Counter[str]:
        """How many misses each labelled structure lost: a ``why`` up to its ``: detail``."""
        return Counter(row.label.split(": ", 1)[1] for row in self.misses)

    def miss_places(self) -> Counter[str]:
        """How many misses each structure lost under each heading: where the parser is blind."""
        return Counter(f"{row.label.split(': ', 1)[1]} under {row.under!r}" for row in self.misses)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def read_labels(path: Path) -> dict[str, dict[int, Label]]:
    """The labels of ``path`` (JSONL), as file -> line -> label."""
    files: dict[str, dict[int, Label]] = {}
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
                label = Label(**record)
            except (json.JSONDecodeError, TypeError) as error:
                raise SystemExit(f"{path}:{number}: not a label record: {error}") from error
            files.setdefault(label.file, {})[label.line] = label
    return files


def file_lines(path: Path) -> list[str]:
    """The lines of a corpus file as the labels hold them: decoded, newlines normalised."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def shift_of(labels: Mapping[int, Label], lines: list[str]) -> str | None:
    """Why the labels no longer fit the file (its first differing line), or None when they do."""
    if len(labels) != len(lines):
        return f"{len(labels)} labelled lines, the file has {len(lines)}"
    for number, text in enumerate(lines, start=1):
        label = labels.get(number)
        if label is None or label.text != text:
            return f"line {number} differs from its label"
    return None


def parse(path: Path, display: str, catalog: Catalog, checks: Mapping) -> list[Extracted]:
    """Today's parser on one file: every gate, with the parameters read from its own words."""
    agent = read_definition(path, display)
    extracted = []
    for gate in build_gates(agent, catalog.match, checks):
        found = catalog.match(gate.item)
        read = dict(found.params) if found else {}
        extracted.append(Extracted(display, gate.item.line, gate.item.text, gate.checks, read))
    return extracted


def score(
    labels: Mapping[str, Mapping[int, Label]],
    extracted: Iterable[Extracted],
    lines_of: Callable[[str], list[str]],
) -> Scores:
    """Compare the parser's items with the labels, file by file; shifted files are not scored."""
    by_line: dict[tuple[str, int], list[Extracted]] = {}
    for item in extracted:
        by_line.setdefault((item.file, item.line), []).append(item)
    scores = Scores()
    for name in sorted(labels):
        shift = shift_of(labels[name], lines_of(name))
        if shift:
            scores.shifted.append(f"{name}: {shift}")
            continue
        scores.files += 1
        under = ""
        for number, label in sorted(labels[name].items()):
            if label.why == "heading" or label.why.startswith(("label line", "gate heading")):
                under = _HEADING_MARKS.sub("", label.text).strip().rstrip(":").strip()
            _score_line(scores, label, by_line.get((name, number), []), under)
    return scores


def _score_line(scores: Scores, label: Label, items: list[Extracted], under: str = "") -> None:
    got = ", ".join(sorted({check for item in items for check in item.checks})) or "-"
    if items:
        scores.extracted_lines += 1
    if not label.promise:
        if items:
            scores.false_promises.append(_row(label, label.why, got))
        return
    scores.promises += 1
    checkable = bool(label.checks - {MANUAL})
    scores.checkable += checkable
    if not items:
        structure = label.why.split(":", 1)[0].strip()
        scores.misses.append(_row(label, f"{label.check}: {structure}", got, under))
        return
    scores.found += 1
    scores.found_checkable += checkable
    scores.extracted_promises += 1
    if any(label.checks & set(item.checks) for item in items):
        scores.mapped_right += 1
    else:
        scores.wrong_checks.append(_row(label, str(label.check), got))
    wanted = {k: v for k, v in label.params.items() if k not in _NOT_A_NUMBER}
    if wanted:
        scores.with_params += 1
        read_on_line: dict[str, object] = {}
        for item in items:  # one line, several promises: its numbers may sit on different items
            read_on_line.update(item.params)
        if _same_params(wanted, read_on_line):
            scores.params_right += 1
        else:
            read = "; ".join(_show(item.params) for item in items)
            scores.wrong_params.append(_row(label, _show(wanted), read or "-"))


def _row(label: Label, expected: str, got: str, under: str = "") -> Row:
    return Row(label.file, label.line, label.text, expected, got, under)


def _same_params(wanted: Mapping[str, object], read: Mapping[str, object]) -> bool:
    for name, value in wanted.items():
        if name not in read:
            return False
        if isinstance(value, (int, float)) and isinstance(read[name], (int, float)):
            if abs(float(value) - float(read[name])) > 1e-9:
                return False
        elif value != read[name]:
            return False
    return True


def _show(params: Mapping[str, object]) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items() if k not in _NOT_A_NUMBER) or "{}"


@dataclass
class Agreement:
    """How two independent labellings of the same files agree."""

    files: int
    lines: int
    promise_agreement: float | None
    kappa: float | None
    both_promise: int
    check_agreement: float | None


def agreement(
    ours: Mapping[str, Mapping[int, Label]], theirs: Mapping[str, Mapping[int, Label]]
) -> Agreement:
    """Agreement on promise-or-not (percent and Cohen's kappa), and on the check where both say promise.

    Only lines both sets hold with the same text are compared. Two labels agree on the check when
    they share a check id: a line of several promises may be labelled with its first check or all.
    """
    pairs = [
        (ours[name][number], theirs[name][number])
        for name in sorted(set(ours) & set(theirs))
        for number in sorted(set(ours[name]) & set(theirs[name]))
        if ours[name][number].text == theirs[name][number].text
    ]
    files = len({a.file for a, _ in pairs})
    n = len(pairs)
    same = sum(a.promise == b.promise for a, b in pairs)
    both = [(a, b) for a, b in pairs if a.promise and b.promise]
    same_check = sum(bool(a.checks & b.checks) for a, b in both)
    kappa = None
    if n:
        p_ours = sum(a.promise for a, _ in pairs) / n
        p_theirs = sum(b.promise for _, b in pairs) / n
        expected = p_ours * p_theirs + (1 - p_ours) * (1 - p_theirs)
        observed = same / n
        kappa = 1.0 if expected == 1 else (observed - expected) / (1 - expected)
    return Agreement(files, n, _ratio(same, n), kappa, len(both), _ratio(same_check, len(both)))


def run(labels_path: Path, corpus: Path) -> Scores:
    """Parse every labelled file of ``corpus`` with today's parser and score it."""
    labels = read_labels(labels_path)
    catalog = Catalog.load([CATALOG])
    checks = {check.id: check for check in builtin_checks()}
    extracted: list[Extracted] = []
    for name in sorted(labels):
        path = corpus / name
        if path.is_file():
            extracted.extend(parse(path, name, catalog, checks))

    def lines_of(name: str) -> list[str]:
        path = corpus / name
        return file_lines(path) if path.is_file() else []

    return score(labels, extracted, lines_of)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def report(scores: Scores, misses: bool) -> str:
    ratios = scores.ratios
    out = [
        f"files scored: {scores.files}",
        f"checkable recall: {_percent(ratios['checkable_recall'])}"
        f"  ({scores.found_checkable}/{scores.checkable})",
        f"all-promise recall: {_percent(ratios['recall'])}  ({scores.found}/{scores.promises})",
        f"precision: {_percent(ratios['precision'])}"
        f"  ({scores.extracted_promises}/{scores.extracted_lines} extracted lines are promises)",
        f"mapping accuracy: {_percent(ratios['mapping'])}  ({scores.mapped_right}/{scores.found})",
        f"threshold accuracy: {_percent(ratios['thresholds'])}"
        f"  ({scores.params_right}/{scores.with_params})",
    ]
    out += [f"SHIFTED (not scored): {shift}" for shift in scores.shifted]
    if misses:
        for title, rows in (
            ("misses", scores.misses),
            ("false promises", scores.false_promises),
            ("wrong checks", scores.wrong_checks),
            ("wrong thresholds", scores.wrong_params),
        ):
            out.append(f"\n{title} ({len(rows)}):")
            out += [f"  {row}" for row in rows]
        out.append("\nmisses by structure:")
        out += [f"  {n:4}  {why}" for why, n in scores.miss_structures().most_common()]
        out.append("\nmisses by structure and heading (top 20):")
        out += [f"  {n:4}  {place}" for place, n in scores.miss_places().most_common(20)]
    return "\n".join(out)


def as_json(scores: Scores, agreed: Agreement | None) -> dict:
    document = {
        "files": scores.files,
        "shifted": scores.shifted,
        "ratios": scores.ratios,
        "counts": {
            name: getattr(scores, name)
            for name in (
                "promises",
                "checkable",
                "found",
                "found_checkable",
                "extracted_lines",
                "extracted_promises",
                "mapped_right",
                "with_params",
                "params_right",
            )
        },
        "miss_structures": dict(scores.miss_structures().most_common()),
        "miss_places": dict(scores.miss_places().most_common()),
    }
    for name in ("misses", "false_promises", "wrong_checks", "wrong_params"):
        document[name] = [asdict(row) for row in getattr(scores, name)]
    if agreed is not None:
        document["agreement"] = asdict(agreed)
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--misses", action="store_true", help="list misses and false promises")
    parser.add_argument("--agreement", type=Path, metavar="OTHER.jsonl", help="a second labelling")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    for path in [args.labels, args.agreement] if args.agreement else [args.labels]:
        if not path.is_file():
            parser.error(f"no labels at {path}")
    if not args.corpus.is_dir():
        parser.error(f"no corpus at {args.corpus}")
    scores = run(args.labels, args.corpus)
    agreed = None
    if args.agreement:
        agreed = agreement(read_labels(args.labels), read_labels(args.agreement))
    if args.json:
        print(json.dumps(as_json(scores, agreed), indent=2))
        return 0
    print(report(scores, args.misses))
    if agreed is not None:
        kappa = "n/a" if agreed.kappa is None else f"{agreed.kappa:.3f}"
        print(
            f"\nagreement with {args.agreement.name}: {agreed.files} files, {agreed.lines} lines;"
            f" promise or not {_percent(agreed.promise_agreement)} (Cohen's kappa {kappa})"
        )
        print(
            f"check id on the {agreed.both_promise} lines both call promises:"
            f" {_percent(agreed.check_agreement)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
