"""The pytest nodes: an agent definition file, its phases, and one item per gate."""

from __future__ import annotations

import re
import warnings

import pytest

from ..checks.verdict import explain
from ..definitions.codex_toml import DefinitionError
from ..model import ATTESTED, ERROR, FAILED, MANUAL, PASSED, PHASES, WAIVED, Gate
from ..reports.gate_properties import properties

STATE_KEY = pytest.StashKey["object"]()  # the session's AgentGatesSession


class AgentGatesWarning(pytest.PytestWarning):
    """Something in an agent definition was read with a fallback (e.g. front matter that is not YAML)."""


class GateProblem(Exception):
    """Raised by a gate item so pytest reports it as failed (or errored), without a traceback."""


class AgentFile(pytest.File):
    """An agent definition, collected wherever it lives (hidden folders included)."""

    def collect(self):
        state = self.config.stash[STATE_KEY]
        if state.role == "worker":
            return  # the controller runs the gates, once the workers' tests are done
        try:
            agent, gates = state.read(self.path)
        except DefinitionError as error:
            raise self.CollectError(str(error)) from None  # the file and line, no traceback
        for warning in agent.warnings:
            match = re.match(r"line (\d+): (.*)", warning)
            line, message = (int(match.group(1)), match.group(2)) if match else (1, warning)
            warnings.warn_explicit(
                AgentGatesWarning(message), AgentGatesWarning, str(self.path), line
            )
        for phase in PHASES:
            selected = [gate for gate in gates if gate.phase == phase]
            if selected:
                yield PhaseNode.from_parent(self, name=phase, gates=selected)


class PhaseNode(pytest.Collector):
    def __init__(self, *, gates: list[Gate], **kwargs) -> None:
        super().__init__(**kwargs)
        self.gates = gates

    def collect(self):
        for gate in self.gates:
            yield GateItem.from_parent(self, name=gate.slug, gate=gate)


class GateItem(pytest.Item):
    """One promise; evaluated when run, reported as passed, failed, error or skipped (manual)."""

    def __init__(self, *, gate: Gate, **kwargs) -> None:
        super().__init__(**kwargs)
        self.gate = gate
        self.add_marker(
            pytest.mark.agent_gate(checks=gate.checks, phase=gate.phase, agent=gate.agent)
        )
        self.extra_keyword_matches.update(gate.checks)
        self.extra_keyword_matches.add(gate.agent)

    def setup(self) -> None:
        verdict = self.config.stash[STATE_KEY].verdict(self)
        self.user_properties.extend(properties(self.gate, verdict))  # JUnit XML <properties>
        if verdict.status == ERROR:
            raise GateProblem(explain(self.gate, verdict))
        if verdict.status not in (PASSED, FAILED, WAIVED):
            # Manual and attested promises are skipped, never passed: no check verified them.
            plain = verdict.status in (MANUAL, ATTESTED)
            pytest.skip(verdict.summary if plain else f"skipped: {verdict.summary}")

    def runtest(self) -> None:
        verdict = self.config.stash[STATE_KEY].verdict(self)
        if verdict.status == FAILED:
            raise GateProblem(explain(self.gate, verdict))
        if verdict.status == WAIVED:
            pytest.xfail(verdict.summary)  # an expected failure until the waiver expires

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, GateProblem):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.gate.item.line - 1, f"[{self.gate.phase}] {self.gate.item.text}"
