"""The run's outputs for people and CI: the Implementation Report, SARIF, GitHub annotations and summary.

A pytest plugin registered beside the session on the main process; it only gathers and writes,
the text comes from the tool layer (``report_markdown``, ``sarif``, ``github``).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shlex
from pathlib import Path

import pytest

from ..checks.report import WRITER
from ..project import repository
from ..reports import github, pr_summary, provenance, report_facts, report_markdown, sarif
from .nodes import GateItem


class Outputs:
    """Registered by the session on the main process, given what it needs to read."""

    def __init__(self, config: pytest.Config, settings, checks, evidence, rows, context) -> None:
        self.config = config
        self.settings = settings
        self.checks = checks  # check id -> Check
        self.rows = rows  # () -> the agents with their (nodeid, gate, verdict) entries
        self.context = context  # () -> the session's CheckContext
        self.problems: list[str] = []
        self._facts: report_facts.ReportFacts | None = None
        if settings.report_path is not None:
            evidence[WRITER] = self.write_report  # the `report` check writes through this

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]):
        """The `report` gates run after every other gate, so that the report they write holds them.

        Innermost wrapper: after any plugin's reordering, before the session moves gates last.
        """
        yield
        items.sort(key=lambda item: isinstance(item, GateItem) and "report" in item.gate.checks)

    def write_report(self) -> tuple[Path, str]:
        """Write the report as it stands; the facts are gathered once, the verdicts read each time."""
        if self._facts is None:
            invocation = shlex.join(["pytest", *self.config.invocation_params.args])
            written = (self.settings.report_path, self.settings.sarif_path, self.settings.json_path)
            self._facts = report_facts.gather(
                self.context(), self.rows(), invocation, [p for p in written if p is not None]
            )
        else:
            self._facts = dataclasses.replace(self._facts, rows=self.rows())
        text = report_markdown.render(self._facts, self.summary())
        path = self.settings.report_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path, text

    @pytest.hookimpl(wrapper=True)
    def pytest_sessionfinish(self, session: pytest.Session):
        # A wrapper, to run before the session's own sessionfinish stops the coverage measurement.
        if self.settings.report_path is not None:
            self._attempt(self.settings.report_path, self.write_report)
        if self.settings.sarif_path is not None:
            log = sarif.build(self.rows(), self.checks, self._repository_root, self._prefix)
            self._attempt(
                self.settings.sarif_path, lambda: sarif.write(self.settings.sarif_path, log)
            )
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if _on_github() and summary:
            text = github.step_summary(self.rows(), self.summary(), _blob_url(self._prefix))
            self._attempt(summary, lambda: _append(Path(summary), text))
        return (yield)

    def summary(self) -> str:
        """The pull-request summary: the same text in the report and in the step summary."""
        return pr_summary.render(self.rows(), self.settings.previous)

    def _attempt(self, path, write) -> None:
        try:
            write()
        except OSError as error:
            self.problems.append(f"agent gates: could not write {path}: {error}")

    def pytest_terminal_summary(self, terminalreporter) -> None:
        for problem in self.problems:
            terminalreporter.write_line(problem, red=True)
        if _on_github():
            for line in github.annotations(self.rows(), self._prefix):
                terminalreporter.write_line(line)

    @functools.cached_property
    def _repository_root(self) -> Path:
        return repository.repository_root(self.settings.rootdir)

    @functools.cached_property
    def _prefix(self) -> str:
        """Turns rootdir-relative paths into repository-relative ones."""
        return provenance.prefix(self.settings.rootdir, self._repository_root)


def _on_github() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _blob_url(prefix: str) -> str | None:
    parts = [
        os.environ.get(name) for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")
    ]
    if not all(parts):
        return None
    server, repository, sha = parts
    return f"{server}/{repository}/blob/{sha}/{prefix}"


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as summary:
        summary.write(text)
