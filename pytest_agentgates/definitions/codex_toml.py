"""Read a Codex custom agent (TOML): its name, and its ``developer_instructions`` as a Markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass

try:
    import tomllib
except ImportError:  # Python 3.10: tomli, when installed, is the same parser
    try:
        import tomli as tomllib
    except ImportError:
        tomllib = None

PROMPT_KEY = "developer_instructions"
_PROMPT_LINE = re.compile(rf"^\s*{PROMPT_KEY}\s*=\s*(\"\"\"|'''|\"|')(.*)$")
_AT_LINE = re.compile(r"\s*\(at (line (\d+), column \d+|end of document)\)")


class DefinitionError(ValueError):
    """A definition that cannot be read at all; the message names the file and line."""


@dataclass(frozen=True)
class TomlAgent:
    fields: dict
    body: str
    body_offset: int  # lines before the prompt's first line
    warning: str | None = None


def read(text: str, shown: str) -> TomlAgent:
    if tomllib is None:
        return TomlAgent({}, "", 0, "line 1: TOML definitions need Python 3.11+ or tomli; not read")
    try:
        fields = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _AT_LINE.search(str(error))
        line = (found.group(2) or text.rstrip("\n").count("\n") + 1) if found else 1
        reason = _AT_LINE.sub("", str(error)).strip()
        raise DefinitionError(f"{shown}:{line}: not valid TOML ({reason})") from None
    prompt = fields.get(PROMPT_KEY)
    if not isinstance(prompt, str):
        return TomlAgent(fields, "", 0, f"line 1: no {PROMPT_KEY} string; no promises read")
    return TomlAgent(fields, prompt, _lines_before(text))


def _lines_before(text: str) -> int:
    """Lines before the prompt's first line, so that promises keep their line in the file."""
    for index, line in enumerate(text.split("\n")):
        found = _PROMPT_LINE.match(line)
        if found:
            # TOML drops the newline right after an opening triple quote
            opens_alone = len(found.group(1)) == 3 and not found.group(2).strip()
            return index + 1 if opens_alone else index
    return 0
