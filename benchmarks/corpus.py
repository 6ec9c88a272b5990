"""Read and map every agent definition of a corpus; print counts, timings, memory and crashes."""

from __future__ import annotations

import argparse
import json
import time
import traceback
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pytest_agentgates.checks import builtin_checks
from pytest_agentgates.definitions.catalog import Catalog
from pytest_agentgates.definitions.extract import read_definition
from pytest_agentgates.definitions.mapping import MANUAL, build_gates
from pytest_agentgates.model import Check, Gate

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
CATALOG = REPO / "pytest_agentgates" / "gates" / "builtin.yaml"


@dataclass(frozen=True)
class FileResult:
    """What one corpus file gave: its candidate items, its gates and its warnings."""

    path: str
    candidates: int
    gates: tuple[Gate, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Crash:
    """A file whose reading or mapping raised, with a short traceback."""

    path: str
    summary: str


def corpus_files(corpus: Path) -> list[Path]:
    """Every ``*.md`` file below ``corpus`` except its top-level README.md, in a stable order."""
    top_readme = corpus / "README.md"
    files = (p for p in corpus.rglob("*.md") if p != top_readme and p.is_file())
    return sorted(files, key=lambda p: p.as_posix())


def map_file(path: Path, display: str, match: Callable, checks: dict[str, Check]) -> FileResult:
    agent = read_definition(path, display)
    gates = build_gates(agent, match, checks)
    return FileResult(display, len(agent.items), tuple(gates), agent.warnings)


def crash_summary(error: Exception) -> str:
    """The exception and its innermost frames, enough to find the bug."""
    lines = traceback.format_exception(type(error), error, error.__traceback__, limit=-3)
    return "".join(lines).rstrip()


Mapped = tuple[list[FileResult], list[Crash]]


def run(files: list[Path], corpus: Path, catalog: Catalog, checks: dict[str, Check]) -> Mapped:
    """Map every file; a file that raises is a crash, never skipped silently."""
    results: list[FileResult] = []
    crashes: list[Crash] = []
    for path in files:
        display = path.relative_to(corpus).as_posix()
        try:
            results.append(map_file(path, display, catalog.match, checks))
        except Exception as error:  # counted and printed as a crash; the exit code says so
            crashes.append(Crash(display, crash_summary(error)))
    return results, crashes


def timed_run(
    files: list[Path], corpus: Path, catalog: Catalog, checks: dict[str, Check]
) -> tuple[Mapped, float]:
    """``run`` and its wall time in seconds."""
    start = time.perf_counter()
    mapped = run(files, corpus, catalog, checks)
    return mapped, time.perf_counter() - start


def peak_memory(files: list[Path], corpus: Path, catalog: Catalog, checks: dict[str, Check]) -> int:
    """Peak traced allocation in bytes while mapping the corpus again, untimed: tracing is slow."""
    tracemalloc.start()
    try:
        run(files, corpus, catalog, checks)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def check_counts(results: Iterable[FileResult]) -> Counter:
    """Gates per check id; a gate with two checks counts once for each."""
    return Counter(check for r in results for gate in r.gates for check in gate.checks)


def print_summary(mapped: Mapped, elapsed: float, peak: int, corpus: Path) -> None:
    results, crashes = mapped
    files = len(results) + len(crashes)
    per_file = 1000 * elapsed / max(files, 1)
    gates = [gate for r in results for gate in r.gates]
    manual = sum(1 for gate in gates if gate.checks == (MANUAL,))
    print(f"corpus:                      {corpus}")
    print(f"files read:                  {files}")
    print(f"crashes:                     {len(crashes)}")
    print(f"front-matter warnings:       {sum(1 for r in results if r.warnings)} files")
    print(f"candidate items:             {sum(r.candidates for r in results)}")
    print(f"gates:                       {len(gates)}")
    print(f"  mapped to manual:          {manual}")
    print(f"  mapped to a check:         {len(gates) - manual}")
    print(f"files with zero gates:       {sum(1 for r in results if not r.gates)}")
    print(f"elapsed:                     {elapsed:.2f} s ({per_file:.2f} ms/file)")
    print(f"peak memory (tracemalloc):   {peak / 2**20:.1f} MiB")
    print("gates by check id (top 20):")
    for check, count in check_counts(results).most_common(20):
        print(f"  {count:6d}  {check}")
    print("files with most gates (top 10):")
    for r in sorted(results, key=lambda r: (-len(r.gates), r.path))[:10]:
        print(f"  {len(r.gates):6d}  {r.path}")


def print_crashes(crashes: list[Crash]) -> None:
    for crash in crashes:
        print(f"CRASH {crash.path}\n{crash.summary}\n")


def counts(result: FileResult) -> dict:
    """The JSON record of one file: numbers only, no text from the corpus but its path."""
    return {
        "path": result.path,
        "candidates": result.candidates,
        "gates": len(result.gates),
        "warnings": len(result.warnings),
    }


def write_json(out: Path, mapped: Mapped) -> None:
    results, crashes = mapped
    data = {
        "files": [counts(result) for result in results],
        "crashes": [{"path": crash.path, "traceback": crash.summary} for crash in crashes],
    }
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="the folder")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write per-file counts to OUT")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"corpus folder not found: {corpus}")
        return 2
    files = corpus_files(corpus)
    catalog = Catalog.load([CATALOG])
    checks = {check.id: check for check in builtin_checks()}
    mapped, elapsed = timed_run(files, corpus, catalog, checks)
    peak = peak_memory(files, corpus, catalog, checks)
    crashes = mapped[1]
    print_crashes(crashes)
    print_summary(mapped, elapsed, peak, corpus)
    if args.json:
        write_json(args.json, mapped)
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
