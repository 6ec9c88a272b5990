"""Split an agent definition into YAML front matter and body, tolerating the YAML people really write."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import yaml

_DELIMITER = re.compile(r"^-{3,}\s*$")
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s?(.*)$")


@dataclass(frozen=True)
class FrontMatter:
    fields: dict
    body: str
    body_offset: int  # number of lines before the body starts
    warning: str | None = None  # with its 1-based line, when the YAML was not valid


def decode(raw: bytes) -> str:
    """Decode file bytes: UTF-8 (with or without BOM), else latin-1; newlines normalised."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return textwrap.dedent(text) if text[:1] in " \t" else text  # a whole file indented by mistake


def split(text: str) -> FrontMatter:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return FrontMatter({}, text, 0)
    closing = next((i for i in range(1, len(lines)) if _DELIMITER.match(lines[i])), None)
    if closing is None:
        return FrontMatter({}, text, 0, "front matter starts at line 1 but is never closed")
    source = "\n".join(lines[1:closing])
    body = "\n".join(lines[closing + 1 :])
    try:
        fields = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(error, "problem", None) or "invalid YAML"
        warning = f"line {line}: front matter is not valid YAML ({reason}); read line by line"
        return FrontMatter(_read_key_lines(lines[1:closing]), body, closing + 1, warning)
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        warning = "line 2: front matter is not a mapping; read line by line"
        return FrontMatter(_read_key_lines(lines[1:closing]), body, closing + 1, warning)
    return FrontMatter(fields, body, closing + 1)


def _read_key_lines(lines: list[str]) -> dict:
    """The fallback reading: top-level ``key: rest of line`` pairs, nothing else."""
    fields: dict[str, str] = {}
    for line in lines:
        match = _KEY_LINE.match(line)
        if match and not line[:1].isspace():
            fields.setdefault(match.group(1), match.group(2).strip().strip("\"'"))
    return fields


def agent_name(fields: dict, stem: str) -> str:
    name = fields.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    return stem
