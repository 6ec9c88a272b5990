"""Shared fixtures: the reference definitions from ../shared and small projects to gate."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture
def seed():
    """Read a reference definition by number; skip when ../shared is not beside the checkout."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available")

    def read(number: str) -> str:
        return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")

    return read


@pytest.fixture
def project(pytester: pytest.Pytester):
    """A project under pytester: an agent definition, source files and a pyproject.toml."""

    def make(agent: str, files: dict[str, str] | None = None, ini: str = "") -> Path:
        pytester.makefile(".toml", pyproject=f"[tool.pytest.ini_options]\n{ini}\n")
        agents = pytester.path / ".claude" / "agents"
        agents.mkdir(parents=True, exist_ok=True)
        (agents / "backend.md").write_text(textwrap.dedent(agent).lstrip(), encoding="utf-8")
        for name, content in (files or {}).items():
            path = pytester.path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
        return pytester.path

    return make
