"""What checks may consult: the project, the test session's evidence, and tool runs shared by all."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..model import CheckCouldNotRun
from .cache import Store
from .project_config import ProjectConfig

T = TypeVar("T")


@dataclass
class TestRecord:
    """Outcomes of the session's own tests (gates excluded), fed by the pytest layer."""

    __test__ = False  # not a test class, whatever pytest's python_classes say

    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    xfailed: int = 0
    xpassed: int = 0
    collection_errors: int = 0
    problems: list[tuple[str, int, str, str]] = field(
        default_factory=list
    )  # path, line, kind, nodeid

    @property
    def ran(self) -> int:
        return self.passed + self.failed + self.xfailed + self.xpassed


class CheckContext:
    """Shared by every gate of a session; a tool runs at most once however many items need it."""

    def __init__(
        self,
        rootdir: Path,
        source: list[Path],
        tests: TestRecord,
        coverage: Callable[[], Any],
        options: Mapping[str, Any] | None = None,
        config: ProjectConfig | None = None,
        evidence: Mapping[str, Any] | None = None,
        cache: Store | None = None,
    ) -> None:
        self.rootdir = rootdir
        self.source = source
        self.tests = tests
        self._coverage = coverage
        # Resolved plugin options (base, database, coverage_file, ...), read-only for checks.
        self.options: Mapping[str, Any] = options or {}
        self.config = config or ProjectConfig()  # agent-gates.yaml
        # What the pytest layer gathered during the session besides outcomes (e.g. benchmarks).
        self.evidence: Mapping[str, Any] = evidence or {}
        # Results kept across runs (pytest's cache directory); none without a cache provider.
        self.cache = cache or Store()
        self._memo: dict[str, tuple[Any, str | None]] = {}
        self._relative: dict[str | Path, str] = {}  # resolving is a system call per path part

    def once(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` the first time ``key`` is asked for; its result (or failure) every time."""
        if key not in self._memo:
            try:
                self._memo[key] = (compute(), None)
            except CheckCouldNotRun as error:
                self._memo[key] = (None, str(error))
        value, error = self._memo[key]
        if error is not None:
            raise CheckCouldNotRun(error)
        return value

    def coverage(self) -> Any:
        return self.once("coverage", self._coverage)

    def relative(self, path: str | Path) -> str:
        found = self._relative.get(path)
        if found is None:
            found = self._relative[path] = self._relative_to_root(Path(path))
        return found

    def _relative_to_root(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.rootdir).as_posix()
        except ValueError:
            return path.as_posix()
