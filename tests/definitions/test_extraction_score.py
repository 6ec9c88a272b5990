"""The extraction scorer (benchmarks/extraction/score.py) computes its figures right on a tiny set."""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
from pathlib import Path

import pytest

SCORE = Path(__file__).resolve().parents[2] / "benchmarks" / "extraction" / "score.py"


@pytest.fixture(scope="module")
def score():
    spec = importlib.util.spec_from_file_location("extraction_score", SCORE)
    module = importlib.util.module_from_spec(spec)
    path = sys.path[:]  # the script puts the checkout first; later in-process runs must not see it
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]
    sys.path[:] = path


# Two small definitions: one promise per gate-list line, the rest role play and a fenced sample.
BACKEND = """\
---
name: backend
---
You are a backend developer.

## Quality Gates
- [ ] 80%+ test coverage
- [ ] No linter warnings
- [ ] Requirements understood by the team

```markdown
- [ ] 95% coverage
```
"""
DEPLOY = """\
# Deployer

## Definition of Done
- [ ] Rollback path completing in <5 minutes
- [ ] Deployment pipeline functional
"""
# file -> line -> (promise, check, params, why); every other line is not a promise.
PROMISES = {
    "a/backend.md": {
        7: ("coverage", {"threshold": 80}),
        8: ("lint", {}),
        9: ("manual", {}),
    },
    "b/deploy.md": {
        4: ("migrations-roundtrip", {"max_seconds": 300}),
        5: ("ci-pipeline", {}),
    },
}


def _why(line: str) -> str:
    return "heading" if line.startswith("#") else "other"


def write_set(tmp_path: Path) -> tuple[Path, Path]:
    """The two definitions in a corpus folder, and a labels file for every line of them."""
    corpus = tmp_path / "corpus"
    records = []
    for name, text in (("a/backend.md", BACKEND), ("b/deploy.md", DEPLOY)):
        path = corpus / name
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            check, params = PROMISES[name].get(number, (None, {}))
            records.append(
                {
                    "file": name,
                    "line": number,
                    "text": line,
                    "promise": check is not None,
                    "check": check,
                    "params": params,
                    "why": "gate list item" if check else _why(line),
                }
            )
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return labels, corpus


def extracted(score, file: str, line: int, checks: tuple[str, ...], **params):
    return score.Extracted(file, line, "text", checks, params)


def test_every_figure_from_a_known_parser_output(score, tmp_path: Path) -> None:
    labels_path, corpus = write_set(tmp_path)
    labels = score.read_labels(labels_path)
    items = [
        extracted(score, "a/backend.md", 7, ("coverage",), threshold=75.0, comparison=">="),
        extracted(score, "a/backend.md", 8, ("format",)),  # found, wrong check
        extracted(score, "a/backend.md", 4, ("manual",)),  # the role sentence: a false promise
        extracted(score, "b/deploy.md", 4, ("migrations-roundtrip",), max_seconds=300.0),
        extracted(score, "b/deploy.md", 5, ("manual",)),
        extracted(score, "b/deploy.md", 5, ("ci-pipeline",)),  # two items on one line count once
    ]  # line 9 of backend.md (manual) is missed

    scores = score.score(labels, items, lambda name: score.file_lines(corpus / name))

    assert (scores.files, scores.shifted) == (2, [])
    assert (scores.promises, scores.checkable, scores.found, scores.found_checkable) == (5, 4, 4, 4)
    assert (scores.extracted_lines, scores.extracted_promises) == (5, 4)
    assert (scores.mapped_right, scores.with_params, scores.params_right) == (3, 2, 1)
    assert scores.ratios == {
        "checkable_recall": 1.0,
        "recall": 0.8,
        "precision": 0.8,
        "mapping": 0.75,
        "thresholds": 0.5,
    }
    assert [str(row) for row in scores.misses] == [
        "a/backend.md:9  - [ ] Requirements understood by the team  (manual: gate list item / -)"
    ]
    assert [(r.line, r.label, r.got) for r in scores.false_promises] == [(4, "other", "manual")]
    assert [(r.line, r.label, r.got) for r in scores.wrong_checks] == [(8, "lint", "format")]
    assert [(r.line, r.label, r.got) for r in scores.wrong_params] == [
        (7, "threshold=80", "threshold=75.0")
    ]
    assert scores.miss_structures() == {"gate list item": 1}
    assert scores.miss_places() == {"gate list item under 'Quality Gates'": 1}


def test_todays_parser_on_the_set(score, tmp_path: Path) -> None:
    """Unambiguous checkbox items under gate headings: every promise found, the fence left out."""
    labels_path, corpus = write_set(tmp_path)

    scores = score.run(labels_path, corpus)

    assert scores.files == 2
    assert (scores.promises, scores.found, scores.extracted_lines) == (5, 5, 5)
    assert scores.ratios["precision"] == 1.0
    assert scores.ratios["recall"] == 1.0
    assert scores.false_promises == []


def test_a_shifted_file_is_reported_not_scored(score, tmp_path: Path) -> None:
    labels_path, corpus = write_set(tmp_path)
    edited = corpus / "b" / "deploy.md"
    edited.write_text("# Deployer\n\n" + DEPLOY.split("\n", 1)[1], encoding="utf-8")

    scores = score.run(labels_path, corpus)

    assert scores.files == 1
    assert scores.shifted == ["b/deploy.md: 5 labelled lines, the file has 6"]
    assert scores.promises == 3

    edited.write_text(DEPLOY.replace("functional", "working"), encoding="utf-8")
    assert score.run(labels_path, corpus).shifted == ["b/deploy.md: line 5 differs from its label"]


def test_agreement_percent_and_kappa(score, tmp_path: Path) -> None:
    def labelling(promises: dict[int, str]) -> dict:
        return {
            "f.md": {
                n: score.Label("f.md", n, f"line {n}", n in promises, promises.get(n), {}, "")
                for n in range(1, 11)
            }
        }

    ours = labelling({1: "lint", 2: "coverage", 3: "manual", 4: "docs"})
    # a line of several promises: its first check, or all of them, agree
    theirs = labelling({1: "lint,format", 2: "coverage", 3: "docs", 5: "manual"})

    agreed = score.agreement(ours, theirs)

    # 8 of 10 lines agree; each set calls 4 of 10 promises: chance agreement 0.52.
    assert (agreed.files, agreed.lines, agreed.both_promise) == (1, 10, 3)
    assert agreed.promise_agreement == pytest.approx(0.8)
    assert agreed.kappa == pytest.approx((0.8 - 0.52) / (1 - 0.52))
    assert agreed.check_agreement == pytest.approx(2 / 3)
    assert score.agreement(
        ours, labelling({1: "format", 2: "coverage", 3: "manual"})
    ).check_agreement == pytest.approx(2 / 3)
    assert score.agreement(ours, ours).kappa == pytest.approx(1.0)


def test_command_line_json_misses_and_agreement(score, tmp_path: Path, capsys) -> None:
    labels_path, corpus = write_set(tmp_path)
    other = tmp_path / "other.jsonl"
    records = [json.loads(line) for line in labels_path.read_text().splitlines()]
    records[8] |= {"promise": False, "check": None}  # backend.md:9 called not a promise
    other.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    args = ["--labels", str(labels_path), "--corpus", str(corpus), "--agreement", str(other)]
    assert score.main([*args, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["files"] == 2
    assert document["counts"]["promises"] == 5
    assert document["ratios"]["recall"] == 1.0
    assert document["agreement"]["lines"] == len(records)
    assert document["agreement"]["both_promise"] == 4

    assert score.main([*args, "--misses"]) == 0
    out = capsys.readouterr().out
    assert "all-promise recall: 100.0%  (5/5)" in out
    assert "misses (0):" in out
    assert "check id on the 4 lines both call promises: 100.0%" in out


def test_bad_labels_name_the_line(score, tmp_path: Path) -> None:
    bad = tmp_path / "labels.jsonl"
    bad.write_text(textwrap.dedent('{"file": "a.md"}\n'), encoding="utf-8")
    with pytest.raises(SystemExit, match=r"labels.jsonl:1: not a label record"):
        score.read_labels(bad)


def test_a_line_of_several_promises_is_matched_over_all_its_items(score) -> None:
    """``Checklist: gofmt applied, coverage >80%``: the check on one item, the number on another."""
    text = "Checklist: gofmt applied, coverage >80%, p95 <100ms"
    label = score.Label("f.md", 1, text, True, "format", {"threshold": 80, "p95_ms": 100}, "")
    items = [
        extracted(score, "f.md", 1, ("format",)),
        extracted(score, "f.md", 1, ("coverage",), threshold=80.0, comparison=">"),
        extracted(score, "f.md", 1, ("performance",), p95_ms=100.0),
    ]

    scores = score.score({"f.md": {1: label}}, items, lambda name: [text])
    assert (scores.found, scores.mapped_right, scores.params_right) == (1, 1, 1)

    scores = score.score({"f.md": {1: label}}, items[:2], lambda name: [text])
    assert (scores.mapped_right, scores.with_params, scores.params_right) == (1, 1, 0)
    assert [row.got for row in scores.wrong_params] == ["{}; threshold=80.0"]


def test_a_label_may_name_all_the_checks_of_its_line(score) -> None:
    text = "- PEP 8 compliance with black formatting"
    both = score.Label("f.md", 1, text, True, "lint,format", {}, "gate list item")
    manual = score.Label("f.md", 1, text, True, "manual", {}, "gate list item")

    right = score.score(
        {"f.md": {1: both}}, [extracted(score, "f.md", 1, ("format",))], lambda n: [text]
    )
    wrong = score.score(
        {"f.md": {1: both}}, [extracted(score, "f.md", 1, ("docs",))], lambda n: [text]
    )
    unchecked = score.score({"f.md": {1: manual}}, [], lambda n: [text])

    assert (right.checkable, right.mapped_right, wrong.mapped_right) == (1, 1, 0)
    assert (unchecked.promises, unchecked.checkable) == (1, 0)
