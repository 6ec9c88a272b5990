"""Build labels.jsonl from the hand annotations: mechanical lines pre-filled, every other line read."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1].parent / "shared" / "corpus"
ANNOTATIONS = HERE / "annotations"
LABELS = HERE / "labels.jsonl"

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_DELIMITER = re.compile(r"^-{3,}\s*$")
_EXAMPLE_OPEN = re.compile(r"^\s*<(example|commentary|response)\b[^>]*>", re.IGNORECASE)
_BOX_FRAME = re.compile("^[\\s\u2500-\u257f]+$")
# One annotation: "12 P coverage threshold=80 | why", "3-9 N | why", "14 P manual | why".
_ANNOTATION = re.compile(r"^(\d+)(?:-(\d+))?\s+([PN])\s*([^|]*)\|\s*(.+)$")


def file_lines(path: Path) -> list[str]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def mechanical(lines: list[str]) -> dict[int, str]:
    """Line number -> why, for lines no reader needs to judge."""
    found: dict[int, str] = {}
    start = 0
    if lines and lines[0].strip() == "---":
        closing = next((i for i in range(1, len(lines)) if _DELIMITER.match(lines[i])), None)
        if closing is not None:
            for i in range(closing + 1):
                found[i + 1] = "front matter"
            start = closing + 1
    fence: str | None = None
    example: str | None = None
    for i in range(start, len(lines)):
        text = lines[i]
        if fence is not None:
            found[i + 1] = "fence"
            if re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", text):
                fence = None
            continue
        if example is not None:
            found[i + 1] = "example block"
            if re.search(rf"</{example}\s*>", text, re.IGNORECASE):
                example = None
            continue
        if opened := _FENCE.match(text):
            fence = opened.group(1)
            found[i + 1] = "fence"
        elif opened := _EXAMPLE_OPEN.match(text):
            found[i + 1] = "example block"
            if not re.search(rf"</{opened.group(1)}\s*>", text, re.IGNORECASE):
                example = opened.group(1)
        elif not text.strip():
            found[i + 1] = "blank"
        elif _HEADING.match(text):
            found[i + 1] = "heading"
        elif _BOX_FRAME.match(text):
            found[i + 1] = "box diagram frame"
    return found


def read_annotations(path: Path) -> dict[str, dict[int, dict]]:
    """``@ file`` blocks of annotation lines, as file -> line -> label fields."""
    files: dict[str, dict[int, dict]] = {}
    current: dict[int, dict] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            current = files.setdefault(line[1:].strip(), {})
            continue
        match = _ANNOTATION.match(line)
        if current is None or not match:
            raise SystemExit(f"{path}:{number}: cannot read annotation: {raw!r}")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        promise = match.group(3) == "P"
        words = match.group(4).split()
        check = words[0] if promise and words else None
        if promise and check is None:
            raise SystemExit(f"{path}:{number}: a promise needs a check id or manual")
        params = {}
        for word in words[1:]:
            name, _, value = word.partition("=")
            params[name] = (
                float(value) if "." in value else int(value) if value.isdigit() else value
            )
        for line_no in range(first, last + 1):
            if line_no in current:
                raise SystemExit(f"{path}:{number}: line {line_no} annotated twice")
            current[line_no] = {
                "promise": promise,
                "check": check,
                "params": params,
                "why": match.group(5).strip(),
            }
    return files


def build() -> list[dict]:
    records: list[dict] = []
    problems: list[str] = []
    for path in sorted(ANNOTATIONS.glob("*.txt")):
        for name, annotated in read_annotations(path).items():
            lines = file_lines(CORPUS / name)
            auto = mechanical(lines)
            for number, text in enumerate(lines, start=1):
                label = annotated.get(number)
                if number in auto and not (label and label["promise"]):
                    label = {"promise": False, "check": None, "params": {}, "why": auto[number]}
                if label is None:
                    problems.append(f"{name}:{number}: not labelled: {text}")
                    continue
                records.append({"file": name, "line": number, "text": text, **label})
            extra = sorted(set(annotated) - set(range(1, len(lines) + 1)))
            if extra:
                problems.append(f"{name}: annotations past the end: {extra}")
    if problems:
        raise SystemExit("\n".join(problems))
    return records


def show(name: str) -> None:
    """Print the lines that need reading, with the heading above each run."""
    lines = file_lines(CORPUS / name)
    auto = mechanical(lines)
    for number, text in enumerate(lines, start=1):
        why = auto.get(number)
        if why == "heading":
            print(f"{number:4} ## {text}")
        elif why is None:
            print(f"{number:4}    {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", nargs="*", help="print the lines of these files to label")
    args = parser.parse_args(argv)
    if args.show:
        for name in args.show:
            print(f"@ {name}")
            show(name)
        return 0
    records = build()
    with LABELS.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    promises = sum(r["promise"] for r in records)
    files = len({r["file"] for r in records})
    print(f"{files} files, {len(records)} lines, {promises} promises -> {LABELS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
