"""How many times in a row a session's agent was sent back, kept in pytest's cache folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

FOLDER = Path(".pytest_cache") / "d" / "agent-gates"


class BlockCount:
    """One file per session and agent: hooks of parallel subagents never write the same file."""

    def __init__(self, root: Path, session_id: str, agent: str) -> None:
        key = hashlib.sha256(f"{session_id}\0{agent}".encode()).hexdigest()[:24]
        self.path = root / FOLDER / f"blocks-{key}"

    def get(self) -> int:
        try:
            return int(self.path.read_text(encoding="ascii").strip() or 0)
        except (OSError, ValueError):
            return 0

    def set(self, count: int) -> None:
        if count == 0:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(str(count), encoding="ascii")
