"""Write REVIEW.md: review_notes.md with the tables and totals built from results and judgments."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
MACHINE = ("passed", "failed", "error", "skipped")


def load(project: str, seed: str, label: str) -> dict | None:
    path = HERE / "results" / f"{project}-{seed}-{label}.json"
    return json.loads(path.read_text()) if path.exists() else None


def judge(judgments: dict, project: str, seed: str, label: str, verdict: dict):
    """(True/False/None, note): judgments[project|seed|line][label:status or status]."""
    entry = judgments.get(f"{project}|{seed}|{verdict['line']}", {})
    found = entry.get(f"{label}:{verdict['status']}") or entry.get(verdict["status"])
    if verdict["status"] not in MACHINE:
        return None, (found or [None, "manual: not counted"])[1]
    return tuple(found) if found else (None, "NOT REVIEWED")


def cell(text: str, limit: int = 150) -> str:
    text = " ".join(str(text or "").split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


REJECTED_AFTER: list[str] = []


def table(judgments: dict, project: str, seed: str) -> tuple[list[str], dict]:
    lines, totals = [], {}
    runs = {label: load(project, seed, label) for label in ("before", "after")}
    for label, run in runs.items():
        if run is None:
            continue
        counts = Counter()
        lines += [
            f"\n#### seed {seed}, {label} (plugin {run['plugin_commit'][:7]}, exit "
            f"{run['exit_code']}, {run['seconds']} s{', partial run' if run['partial_run'] else ''})\n",
            "| line | promise | check | verdict | summary | review |",
            "|---|---|---|---|---|---|",
        ]
        for verdict in run["verdicts"]:
            ok, note = judge(judgments, project, seed, label, verdict)
            if verdict["status"] in MACHINE:
                counts["accepted" if ok else "rejected" if ok is False else "not judged"] += 1
            mark = {True: "accept", False: "**reject**", None: "–"}[ok]
            if ok is False and label == "after":
                REJECTED_AFTER.append(
                    f"| {project} | {seed} | {verdict['line']} | {', '.join(verdict['checks'])} "
                    f"| {verdict['status']} | {cell(note, 400)} |"
                )
            lines.append(
                f"| {verdict['line']} | {cell(verdict['text'], 60)} | {', '.join(verdict['checks'])}"
                f" | {verdict['status']} | {cell(verdict['summary'])} | {mark}: {cell(note, 300)} |"
            )
        totals[label] = counts
    return lines, totals


def share(counts: Counter) -> str:
    judged = counts["accepted"] + counts["rejected"]
    return f"{100 * counts['accepted'] / judged:.0f} %" if judged else "–"


def row(*cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main() -> None:
    judgments = json.loads((HERE / "judgments.json").read_text())
    projects = sys.argv[1:] or ["healthchecks", "flaskbb", "django-rest-framework"]
    out, per_seed, per_project = [], [], []
    overall = {"before": Counter(), "after": Counter()}
    for project in projects:
        out.append(f"\n### {project}\n")
        summed = {"before": Counter(), "after": Counter()}
        for seed in ("000", "004"):
            lines, totals = table(judgments, project, seed)
            out += lines
            for label, counts in totals.items():
                summed[label].update(counts)
                per_seed.append(
                    row(
                        project,
                        seed,
                        label,
                        counts["accepted"],
                        counts["rejected"],
                        counts["not judged"],
                        share(counts),
                    )
                )
        for label, counts in summed.items():
            overall[label].update(counts)
            per_project.append(
                row(
                    project,
                    label,
                    counts["accepted"],
                    counts["rejected"],
                    counts["not judged"],
                    share(counts),
                )
            )
    tables = [
        "## Totals per project (machine verdicts of both seeds; manual not counted)\n",
        "| project | plugin | accepted | rejected | not judged | accepted share |",
        "|---|---|---|---|---|---|",
        *per_project,
        *(
            row("**all**", label, c["accepted"], c["rejected"], c["not judged"], share(c))
            for label, c in overall.items()
        ),
        "\n### Per seed\n",
        "| project | seed | plugin | accepted | rejected | not judged | accepted share |",
        "|---|---|---|---|---|---|---|",
        *per_seed,
        "\n## Every verdict a maintainer would reject AFTER (what to fix next)\n",
        "| project | seed | line | check | verdict | cause |",
        "|---|---|---|---|---|---|",
        *sorted(REJECTED_AFTER, key=lambda line: line.split("|")[4]),
        "\n## Per project, each gate",
        *out,
    ]
    notes = (HERE / "review_notes.md").read_text()
    (HERE / "REVIEW.md").write_text(notes.replace("<!-- TABLES -->", "\n".join(tables)) + "\n")


if __name__ == "__main__":
    main()
