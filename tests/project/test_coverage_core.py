"""Coverage is measured with the cheapest core able to: sysmon for lines on Python 3.12+, ctrace else."""

from __future__ import annotations

import importlib
import platform
import sys

import coverage
import pytest

from pytest_agentgates.project.coverage_engine import cheapest_core, new_measurement

CPYTHON = platform.python_implementation() == "CPython"


@pytest.fixture
def measure(tmp_path, monkeypatch):
    """A new measurement of a one-module package, under the given [tool.coverage.run] lines."""
    monkeypatch.delenv("COVERAGE_CORE", raising=False)
    monkeypatch.syspath_prepend(tmp_path)
    (tmp_path / "corepkg").mkdir()
    (tmp_path / "corepkg" / "__init__.py").write_text("def f(x):\n    if x:\n        return 1\n"
                                                     "    return 2\n", encoding="utf-8")  # fmt: skip

    def make(settings: str = "", probe: bool = True):
        """A Coverage as the project's settings make it (``probe``), or the plugin's measurement."""
        (tmp_path / "pyproject.toml").write_text(f"[tool.coverage.run]\n{settings}\n", "utf-8")
        monkeypatch.chdir(tmp_path)
        if probe:
            return coverage.Coverage(data_file=None, config_file=str(tmp_path / "pyproject.toml"))
        return new_measurement(tmp_path, [tmp_path / "corepkg"])

    return make


@pytest.mark.skipif(not CPYTHON, reason="sys.monitoring is CPython's")
@pytest.mark.parametrize(
    ("settings", "version", "core"),
    [
        ("", (3, 11), "ctrace"),
        ("", (3, 12), "sysmon"),
        ("branch = true", (3, 12), "ctrace"),  # sysmon measures branches from 3.14 only
        ("branch = true", (3, 14), "sysmon"),
        ('dynamic_context = "test_function"', (3, 13), "ctrace"),
        ('plugins = ["coverage.not_a_plugin"]', (3, 13), "ctrace"),
        ('concurrency = ["gevent"]', (3, 13), "ctrace"),
    ],
)
def test_the_cheapest_core_that_can_measure_what_is_asked(measure, settings, version, core):
    assert cheapest_core(measure(settings), version) == core


def test_a_core_the_project_chose_is_kept(measure, monkeypatch):
    assert cheapest_core(measure('core = "pytrace"'), (3, 12)) is None
    assert measure('core = "pytrace"', probe=False).get_option("run:core") == "pytrace"
    monkeypatch.setenv("COVERAGE_CORE", "pytrace")
    assert cheapest_core(measure(), (3, 12)) is None


def test_the_measurement_uses_it_and_measures_without_a_warning(measure):
    cov = measure(probe=False)
    assert cov.get_option("run:core") == cheapest_core(measure(), tuple(sys.version_info[:2]))
    cov.start()
    try:
        module = importlib.import_module("corepkg")
        module.f(0)
    finally:
        cov.stop()
        sys.modules.pop("corepkg", None)
    data = cov.get_data()
    [measured] = [name for name in data.measured_files() if name.endswith("__init__.py")]
    assert set(data.lines(measured) or ()) == {1, 2, 4}
