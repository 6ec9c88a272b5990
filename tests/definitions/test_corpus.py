"""Extraction and mapping hold up on the agent definitions in ../shared/corpus, if present."""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from pytest_agentgates.checks import builtin_checks
from pytest_agentgates.definitions.catalog import Catalog
from pytest_agentgates.definitions.extract import read_definition
from pytest_agentgates.definitions.mapping import build_gates
from pytest_agentgates.model import AgentDefinition, Gate

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

if not CORPUS.is_dir():
    pytest.skip(f"no agent-definition corpus at {CORPUS}", allow_module_level=True)

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LINE_PREFIX = re.compile(r"^line \d+: ")
_SAMPLE_LABEL = re.compile(r"^\W*(?:delivery|completion) notification\b[^:]*:(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One corpus file: its source lines, and what reading and mapping it gave (or the error)."""

    path: str
    lines: list[str]
    agent: AgentDefinition | None = None
    gates: tuple[Gate, ...] = ()
    error: str = ""


def _source_lines(path: Path) -> list[str]:
    """The file's lines as numbered by an editor, read independently of the plugin."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _read(path: Path, catalog: Catalog, checks: dict) -> Entry:
    display = path.relative_to(CORPUS).as_posix()
    try:
        agent = read_definition(path, display)
        gates = tuple(build_gates(agent, catalog.match, checks))
    except Exception as error:  # collected and reported by test_every_file_reads_and_maps
        summary = traceback.format_exception_only(type(error), error)[-1].strip()
        return Entry(display, [], error=summary)
    return Entry(display, _source_lines(path), agent, gates)


@pytest.fixture(scope="module")
def corpus() -> list[Entry]:
    catalog = Catalog.load([REPO / "pytest_agentgates" / "gates" / "builtin.yaml"])
    checks = {check.id: check for check in builtin_checks()}
    files = sorted(p for p in CORPUS.rglob("*.md") if p != CORPUS / "README.md" and p.is_file())
    return [_read(path, catalog, checks) for path in files]


@pytest.fixture(scope="module")
def mapped(corpus: list[Entry]) -> list[Entry]:
    """The files that were read and mapped (the others fail the first test)."""
    return [entry for entry in corpus if entry.agent is not None]


def _front_matter_end(lines: list[str]) -> int | None:
    """Index of the closing ``---`` line, when the file opens with front matter."""
    if not lines or lines[0].rstrip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)


def _front_matter_is_broken(lines: list[str]) -> bool:
    end = _front_matter_end(lines)
    if end is None:
        return False
    try:
        yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError:
        return True
    return False


def _fenced_lines(lines: list[str]) -> set[int]:
    """1-based numbers of the lines strictly inside a fenced code block of the body."""
    end = _front_matter_end(lines)
    inside: set[int] = set()
    is_open = False
    for index in range(0 if end is None else end + 1, len(lines)):
        if _FENCE.match(lines[index]):
            is_open = not is_open
        elif is_open:
            inside.add(index + 1)
    return inside


def _paragraph_end(lines: list[str], start: int) -> int:
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    return end


def _notification_sample_lines(lines: list[str]) -> set[int]:
    """1-based numbers of the lines of "Delivery notification: ..." samples of an agent's report.

    A sample is the paragraph that starts with the label, and the paragraph after it when the label
    stands alone ("Delivery notification:", a blank line, then the quoted sample).
    """
    sample: set[int] = set()
    for index, line in enumerate(lines):
        label = _SAMPLE_LABEL.match(line)
        if not label:
            continue
        end = _paragraph_end(lines, index)
        if end == index + 1 and not label.group(1).strip(" *_"):
            after = next((i for i in range(end, len(lines)) if lines[i].strip()), len(lines))
            end = _paragraph_end(lines, after)
        sample.update(range(index + 1, end + 1))
    return sample


def test_corpus_is_there(corpus: list[Entry]) -> None:
    assert len(corpus) >= 100, f"only {len(corpus)} agent definitions under {CORPUS}"


def test_every_file_reads_and_maps(corpus: list[Entry]) -> None:
    failures = [f"{entry.path}: {entry.error}" for entry in corpus if entry.error]
    assert not failures, "\n".join(failures)


def test_broken_front_matter_warns_once_with_a_line_and_keeps_the_body(mapped: list[Entry]) -> None:
    broken = [entry for entry in mapped if _front_matter_is_broken(entry.lines)]
    assert broken, "the corpus is expected to hold files whose front matter is not valid YAML"
    failures = []
    for entry in broken:
        warnings = entry.agent.warnings
        if len(warnings) != 1 or not _LINE_PREFIX.match(warnings[0]):
            failures.append(f"{entry.path}: warnings {warnings!r}")
        if not entry.agent.items:
            failures.append(f"{entry.path}: no items read from the body")
    assert not failures, "\n".join(failures)


def test_no_gate_comes_from_inside_a_code_fence(mapped: list[Entry]) -> None:
    failures, files_with_fences = [], 0
    for entry in mapped:
        fenced = _fenced_lines(entry.lines)
        files_with_fences += bool(fenced)
        failures += [
            f"{entry.path}:{gate.item.line}: {gate.item.text}"
            for gate in entry.gates
            if gate.item.line in fenced
        ]
    assert files_with_fences, "no code fences found: the scan above is broken"
    assert not failures, "\n".join(failures)


def test_sample_results_and_notifications_are_not_gates(mapped: list[Entry]) -> None:
    """Sample report text is no promise. Only the sample paragraphs count: real checklist items
    may well mention notifications ("Push notification setup for FCM and APNS")."""
    failures, files_with_samples = [], 0
    for entry in mapped:
        sample = _notification_sample_lines(entry.lines)
        files_with_samples += bool(sample)
        failures += [
            f"{entry.path}:{gate.item.line}: {gate.item.text}"
            for gate in entry.gates
            if gate.item.text.lower().startswith("achieved") or gate.item.line in sample
        ]
    assert files_with_samples, "no delivery-notification samples found: the scan above is broken"
    assert not failures, "\n".join(failures)
