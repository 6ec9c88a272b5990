"""Results kept across runs in one directory (pytest's cache): written atomically, never trusted."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FORMAT = 1  # raised whenever what an entry holds changes shape: older entries are then ignored


class Store:
    """Named JSON entries under ``directory``; with no directory (no cache provider) nothing is kept.

    An entry holds its key: one whose file is corrupt, of another format or of another key (another
    tool version or configuration) is ignored, as if absent, and overwritten by the next save.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory

    def load(self, name: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
        if self.directory is None:
            return None
        try:
            data = json.loads((self.directory / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            return None
        value = data.get("value")
        return value if isinstance(value, dict) else None

    def save(self, name: str, key: Mapping[str, Any], value: Mapping[str, Any]) -> None:
        """Replace the entry at once (a reader sees the old one or the new one, never half)."""
        if self.directory is None:
            return
        entry = {"format": FORMAT, "key": dict(key), "value": dict(value)}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=f".{name}.")
        except OSError:
            return  # a read-only checkout: the next run computes everything again
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(entry, out)
            os.replace(temporary, self.directory / f"{name}.json")
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def ruff(self) -> list[str]:
        """``--cache-dir`` inside this directory, or ``--no-cache`` when nothing may be kept."""
        if self.directory is None:
            return ["--no-cache"]
        return ["--cache-dir", str(self.directory / "ruff")]
