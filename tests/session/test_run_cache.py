"""Tool results kept across runs in pytest's cache: reused while nothing changed, rebuilt when the
file, the tool version or the configuration changes or the entry is corrupt; verdicts unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

# Installed in the gated project's session: each process records the tools it starts, and the
# BANDIT_VERSION variable stands in for an upgrade through bandit_files.bandit_version (the seam).
CONFTEST = """
import json
import os
import sys
from pathlib import Path

from pytest_agentgates.project import bandit_files

LAUNCHES = []
if "BANDIT_VERSION" in os.environ:
    bandit_files.bandit_version = lambda: os.environ["BANDIT_VERSION"]


def _record(event, args):
    if event == "subprocess.Popen" and list(args[1])[1:2] == ["-m"]:
        LAUNCHES.append([str(part) for part in args[1]][2:])


sys.addaudithook(_record)


def pytest_unconfigure(config):
    role = "worker" if hasattr(config, "workerinput") else "main"
    Path(f"launches-{role}-{os.getpid()}.json").write_text(json.dumps(LAUNCHES), encoding="utf-8")
"""
AGENT = "## Definition of Done\n- No security-scanner warnings\n- No linter warnings\n"
CLEAN = '"""A module."""\n\n\ndef double(x: int) -> int:\n    return 2 * x\n'
UNSAFE = '"""A module."""\n\nimport pickle\n\n\ndef load(data):\n    return pickle.loads(data)\n'


@pytest.fixture
def gated(pytester, project):
    """A two-module project, and a runner returning the verdicts and the bandit launches."""
    project(AGENT, {"pkg/__init__.py": "", "pkg/a.py": CLEAN, "pkg/b.py": CLEAN})
    (pytester.path / "conftest.py").write_text(CONFTEST.lstrip(), encoding="utf-8")

    def run(*args: str, failed: int = 0, tests: int = 0):
        for old in pytester.path.glob("launches-*.json"):
            old.unlink()
        result = pytester.runpytest_subprocess("--agent-gates", *args)
        result.assert_outcomes(passed=2 - failed + tests, failed=failed)
        launches: dict[str, list[list[str]]] = {}
        for path in pytester.path.glob("launches-*.json"):
            role = path.name.split("-")[1]
            launches.setdefault(role, []).extend(json.loads(path.read_text(encoding="utf-8")))
        bandit = [
            launch[1:] for role in launches.values() for launch in role if launch[0] == "bandit"
        ]
        return result, bandit, launches

    return run


def _scanned(bandit_runs):
    """What each bandit run was given to scan: ["-r", "pkg"] or the files."""
    return [args[: args.index("-f")] for args in bandit_runs]


def test_bandit_rescans_only_the_changed_file_and_merges_the_rest(pytester, gated):
    _, bandit, _ = gated()
    assert _scanned(bandit) == [["-r", "pkg"]]
    _, bandit, _ = gated()
    assert bandit == []  # nothing changed: every file's results come from the cache
    (pytester.path / "pkg" / "b.py").write_text(UNSAFE, encoding="utf-8")
    result, bandit, _ = gated(failed=1)
    assert _scanned(bandit) == [["pkg/b.py"]]
    result.stdout.fnmatch_lines(["*pkg/b.py:7 B301 Pickle*"])
    (pytester.path / "pkg" / "b.py").write_text(CLEAN, encoding="utf-8")
    _, bandit, _ = gated()
    assert _scanned(bandit) == [["pkg/b.py"]]


def test_another_bandit_version_rebuilds_the_cache(pytester, gated, monkeypatch):
    (pytester.path / "pkg" / "b.py").write_text(UNSAFE, encoding="utf-8")
    monkeypatch.setenv("BANDIT_VERSION", "1.0.0")
    _, bandit, _ = gated(failed=1)
    assert _scanned(bandit) == [["-r", "pkg"]]
    _, bandit, _ = gated(failed=1)
    assert bandit == []
    monkeypatch.setenv("BANDIT_VERSION", "2.0.0")
    result, bandit, _ = gated(failed=1)
    assert _scanned(bandit) == [["-r", "pkg"]]
    result.stdout.fnmatch_lines(["*pkg/b.py:7 B301 Pickle*"])


def test_a_change_of_the_bandit_configuration_rebuilds_the_cache(pytester, gated):
    (pytester.path / "pkg" / "b.py").write_text(UNSAFE, encoding="utf-8")
    gated(failed=1)
    pyproject = pytester.path / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + '\n[tool.bandit]\nexclude_dirs = ["*/b.py"]\n',
        encoding="utf-8",
    )
    _, bandit, _ = gated()  # b.py is no longer scanned: a kept result would still fail
    assert _scanned(bandit) == [["-r", "pkg"]]


@pytest.mark.parametrize(
    "damage", ["{not json", '{"format": 0, "key": {}, "value": {}}', '{"format": 1}'],
    ids=["corrupt", "foreign", "keyless"],
)  # fmt: skip
def test_a_damaged_cache_file_is_rebuilt_and_the_verdict_unchanged(pytester, gated, damage):
    (pytester.path / "pkg" / "b.py").write_text(UNSAFE, encoding="utf-8")
    first, _, _ = gated(failed=1)
    entry = pytester.path / ".pytest_cache" / "d" / "agent-gates" / "bandit.json"
    kept = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(damage, encoding="utf-8")
    again, bandit, _ = gated(failed=1)
    assert _scanned(bandit) == [["-r", "pkg"]]
    assert json.loads(entry.read_text(encoding="utf-8")) == kept
    for result in (first, again):
        result.stdout.fnmatch_lines(["*pkg/b.py:7 B301 Pickle*"])


def test_a_kept_file_entry_of_the_wrong_shape_is_scanned_again(pytester, gated):
    gated()
    entry = pytester.path / ".pytest_cache" / "d" / "agent-gates" / "bandit.json"
    kept = json.loads(entry.read_text(encoding="utf-8"))
    kept["value"]["files"]["pkg/a.py"]["results"] = [{"test_id": "B301"}]
    entry.write_text(json.dumps(kept), encoding="utf-8")
    _, bandit, _ = gated()
    assert _scanned(bandit) == [["pkg/a.py"]]


def test_cache_clear_and_no_cacheprovider_behave_as_pytest_users_expect(pytester, gated):
    gated()
    _, bandit, launches = gated("--cache-clear")
    assert _scanned(bandit) == [["-r", "pkg"]]
    ruff = [launch for launch in launches["main"] if launch[:2] == ["ruff", "check"]]
    cache = pytester.path / ".pytest_cache" / "d" / "agent-gates"
    assert Path(ruff[0][ruff[0].index("--cache-dir") + 1]).resolve() == (cache / "ruff").resolve()
    assert (cache / "ruff").is_dir()
    shutil.rmtree(pytester.path / ".pytest_cache")
    for _ in range(2):
        _, bandit, launches = gated("-p", "no:cacheprovider")
        assert _scanned(bandit) == [["-r", "pkg"]]
        ruff = [launch for launch in launches["main"] if launch[:2] == ["ruff", "check"]]
        assert "--no-cache" in ruff[0]
    assert not (pytester.path / ".pytest_cache").exists()


def test_serial_and_xdist_give_the_same_verdicts_and_only_the_controller_runs_tools(
    pytester, gated
):
    (pytester.path / "pkg" / "b.py").write_text(UNSAFE, encoding="utf-8")
    (pytester.path / "test_pkg.py").write_text("def test_a():\n    pass\n", encoding="utf-8")
    outputs = {}
    for name, args in {
        "serial": (), "xdist cold": ("-n", "2", "--cache-clear"), "xdist warm": ("-n", "2"),
    }.items():  # fmt: skip
        _, bandit, launches = gated(*args, f"--agent-gates-json={name}.json", failed=1, tests=1)
        report = json.loads((pytester.path / f"{name}.json").read_text(encoding="utf-8"))
        outputs[name] = [
            (item["nodeid"], item["status"], json.dumps(item.get("findings"), sort_keys=True))
            for item in report["agents"][0]["items"]
        ]
        assert all(launch[0] != "bandit" for launch in launches.get("worker", []))
        assert all(launch[:2] != ["ruff", "check"] for launch in launches.get("worker", []))
        assert len(bandit) == (0 if name == "xdist warm" else 1)
    assert outputs["serial"] == outputs["xdist cold"] == outputs["xdist warm"]
    assert [status for _, status, _ in outputs["serial"]] == ["failed", "passed"]
