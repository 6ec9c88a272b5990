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
            lines.append(
                f"| {verdict['line']} | {cell(verdict['text'], 60)} | {', '.join(verdict['checks'])}"
                f" | {verdict['status']} | {cell(verdict['summary'])} | {mark}: {cell(note, 300)} |"
            )
        totals[label] = counts
    return lines, totals


def main() -> None:
    judgments = json.loads((HERE / "judgments.json").read_text())
    projects = sys.argv[1:] or ["healthchecks", "flaskbb", "django-rest-framework"]
    out, summary = [], []
    for project in projects:
        out.append(f"\n### {project}\n")
        for seed in ("000", "004"):
            lines, totals = table(judgments, project, seed)
            out += lines
            for label, counts in totals.items():
                judged = counts["accepted"] + counts["rejected"]
                share = f"{100 * counts['accepted'] / judged:.0f} %" if judged else "–"
                summary.append(
                    f"| {project} | {seed} | {label} | {counts['accepted']} | {counts['rejected']} "
                    f"| {counts['not judged']} | {share} |"
                )
    head = [
        "| project | seed | plugin | accepted | rejected | not judged | accepted share |",
        "|---|---|---|---|---|---|---|",
    ]
    notes = (HERE / "review_notes.md").read_text()
    tables = "\n".join(
        ["## Totals (machine verdicts; manual not counted)\n", *head, *summary, *out]
    )
    (HERE / "REVIEW.md").write_text(notes.replace("<!-- TABLES -->", tables) + "\n")


if __name__ == "__main__":
    main()
