"""The wheel built from a clean copy ships every module, the catalogs and both entry points."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_gate_catalogs_and_the_entry_point(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "pytest_agentgates",
        source / "pytest_agentgates",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("pytest_agentgates-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        catalogs = {path.name for path in (ROOT / "pytest_agentgates" / "gates").glob("*.yaml")}
        assert catalogs and {f"pytest_agentgates/gates/{name}" for name in catalogs} <= names
        modules = {path.relative_to(ROOT).as_posix()
                   for path in (ROOT / "pytest_agentgates").rglob("*.py")}  # fmt: skip
        assert modules <= names, f"not in the wheel: {sorted(modules - names)}"
        entry_points = next(name for name in names if name.endswith("entry_points.txt"))
        declared = archive.read(entry_points).decode()
        assert "agentgates = pytest_agentgates.plugin" in declared
        assert "[console_scripts]\nagent-gates = pytest_agentgates.agent_hooks.cli:main" in declared
