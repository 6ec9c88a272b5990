"""The ci-pipeline check: a CI configuration exists, parses, and one of its steps runs the test
suite in a way that fails the pipeline when the tests fail."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import FAILED, PASSED, Finding, Outcome
from ..project import repository, suite_commands
from ..project.context import CheckContext
from ..project.deployfiles import read_text
from ..project.yamlmarks import LineDict, YamlError, line_of, load_all

CI_FILES = (
    ("GitHub Actions", (".github/workflows/*.yml", ".github/workflows/*.yaml")),
    ("GitLab CI", (".gitlab-ci.yml", ".gitlab-ci.yaml")),
    ("Azure Pipelines", ("azure-pipelines.yml", "azure-pipelines.yaml", ".azure-pipelines/*.yml")),
    ("CircleCI", (".circleci/config.yml", ".circleci/config.yaml")),
    ("Bitbucket Pipelines", ("bitbucket-pipelines.yml",)),
    ("Travis CI", (".travis.yml",)),
    ("Drone", (".drone.yml",)),
    ("Woodpecker", (".woodpecker.yml", ".woodpecker/*.yml")),
    ("Buildkite", (".buildkite/pipeline.yml",)),
    ("AppVeyor", ("appveyor.yml", ".appveyor.yml")),
    ("Jenkins", ("Jenkinsfile",)),
)
COMMAND_KEYS = frozenset({"run", "script", "scripts", "before_script", "command", "commands", "cmd",
                          "bash", "sh", "pwsh", "powershell", "test_script", "inlineScript"})  # fmt: skip
GITLAB_GLOBALS = frozenset({"stages", "variables", "include", "workflow", "image", "services",
                            "cache", "after_script"})  # fmt: skip
# Keys whose contents are data (matrix entries, variables), never steps that run.
NOT_STEPS = frozenset({"strategy", "env", "variables", "environment", "parameters"})
MATRIX_REFERENCE = re.compile(r"\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}")
JENKINS_STEP = re.compile(
    r"\b(?:sh|bat|powershell|pwsh)\b\s*\(?\s*(?:script\s*:\s*)?('''|\"\"\"|'|\")(.*?)\1", re.DOTALL
)


@dataclass(frozen=True)
class Place:
    """A command of a CI file: where it is, and why it would not gate the pipeline ("" if it does)."""

    path: str
    line: int
    where: str
    script: str
    not_gating: str = ""


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    files = [(path, base) for base in repository.places(ctx) for path in ci_files(base)]
    if not files:
        names = ", ".join(name for name, _ in CI_FILES)
        return Outcome(FAILED, f"no CI configuration found (looked for {names})", 0,
                       "a CI configuration that runs the tests")  # fmt: skip
    runs, findings = _test_runs(ctx, files)
    gating = [(place, run) for place, run in runs
              if not place.not_gating and not run.failure_ignored]  # fmt: skip
    unreadable = tuple(finding for finding in findings if finding.code == "CI001")
    if gating and not unreadable:
        place, run = gating[0]
        notes = tuple(f"also {p.path}:{p.line} {p.where}: {r.command}" for p, r in gating[1:6])
        return Outcome(PASSED, f"the tests run in {place.path}:{place.line} ({place.where}: "
                       f"{run.command})", len(gating), ">= 1", (), notes)  # fmt: skip
    if gating:
        return Outcome(FAILED, f"{len(unreadable)} CI file(s) cannot be read", len(gating),
                       ">= 1", unreadable)  # fmt: skip
    for place, run in runs:  # none of them gates the pipeline: say why
        reason = place.not_gating or "its failure is ignored (|| true)"
        message = f"{place.where} runs the tests ({run.command}) but {reason}"
        findings.append(Finding(place.path, place.line, "CI003", message))
    summary = "no CI step runs the test suite so that failing tests fail the pipeline"
    return Outcome(FAILED, summary, 0, ">= 1", tuple(findings))


def _test_runs(
    ctx: CheckContext, files: list[tuple[Path, Path]]
) -> tuple[list[tuple[Place, suite_commands.TestRun]], list[Finding]]:
    """Every command that runs tests, and the files that cannot be read or run no tests.

    ``files`` pairs each CI file with the folder its commands start in: the rootdir, or the
    repository root above it."""
    runs: list[tuple[Place, suite_commands.TestRun]] = []
    findings: list[Finding] = []
    for path, base in files:
        shown = repository.shown(ctx, path)
        places, problems = read_places(path, shown, base)
        findings += problems
        found = [(place, run) for place in places
                 if (run := suite_commands.find_test_run(place.script, base))]  # fmt: skip
        runs += found
        if not found and not problems:
            commands = [line for place in places
                        for line in suite_commands.logical_lines(place.script)]  # fmt: skip
            message = f"runs no test command (it runs: {'; '.join(commands[:4]) or 'nothing'})"
            findings.append(Finding(shown, 1, "CI002", message))
    return runs, findings


def ci_files(rootdir: Path) -> list[Path]:
    found: list[Path] = []
    for _, patterns in CI_FILES:
        for pattern in patterns:
            found += sorted(path for path in rootdir.glob(pattern) if path.is_file())
    return found


def read_places(path: Path, shown: str, rootdir: Path) -> tuple[list[Place], list[Finding]]:
    """The commands of one CI file, or the finding that says why it cannot be read."""
    text = read_text(path)
    if text is None:
        return [], [Finding(shown, 1, "CI001", "cannot be read as UTF-8 text")]
    if path.name == "Jenkinsfile":
        return list(_jenkins_places(text, shown)), []
    documents = load_all(text)
    if isinstance(documents, YamlError):
        return [], [Finding(shown, documents.line, "CI001", documents.message)]
    if not documents or not all(isinstance(doc, dict) for doc in documents):
        return [], [Finding(shown, 1, "CI001", "is not a CI configuration (expected a mapping)")]
    places: list[Place] = []
    for doc in documents:
        if path.name.startswith(".gitlab-ci"):
            doc = _gitlab_jobs(doc)
        manual = _manual_only(doc) if shown.startswith(".github/") else ""
        places += list(_Walker(shown, rootdir).walk(doc, [], {}, manual))
    return places, []


def _manual_only(workflow: dict) -> str:
    triggers = workflow.get("on")
    names = set(triggers) if isinstance(triggers, (dict, list)) else {triggers}
    if names and names <= {"workflow_dispatch"}:
        return "the workflow only runs when started by hand (on: workflow_dispatch)"
    return ""


class _Walker:
    """Walks a parsed CI file and yields every command with the conditions it runs under."""

    def __init__(self, shown: str, rootdir: Path, depth: int = 0) -> None:
        self.shown = shown
        self.rootdir = rootdir
        self.depth = depth

    def walk(
        self, node: Any, trail: list[str], matrix: dict[str, list[str]], reason: str = ""
    ) -> Iterator[Place]:
        if isinstance(node, dict):
            yield from self._mapping(node, trail, matrix, reason)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                label = item.get("name") if isinstance(item, dict) else None
                step = f"[{label}]" if isinstance(label, str) else f"[{index + 1}]"
                inner = [*trail[:-1], trail[-1] + step] if trail else [step]
                yield from self.walk(item, inner, matrix, reason)

    def _mapping(
        self, node: dict, trail: list[str], matrix: dict[str, list[str]], reason: str
    ) -> Iterator[Place]:
        reason = reason or _not_gating(node)  # a job's condition holds for its steps
        matrix = {**matrix, **_matrix_values(node)}
        for key, value in node.items():
            if key in COMMAND_KEYS and _is_script(value):
                where = ".".join([*trail, str(key)])
                for script in _expanded(_joined(value), matrix):
                    yield Place(self.shown, line_of(value, line_of(node)), where, script, reason)
            elif key == "uses" and isinstance(value, str) and value.startswith("./"):
                yield from self._composite_action(value, trail, matrix, reason)
            elif key not in NOT_STEPS:
                yield from self.walk(value, [*trail, str(key)], matrix, reason)

    def _composite_action(
        self, uses: str, trail: list[str], matrix, reason: str
    ) -> Iterator[Place]:
        """A local action (``uses: ./.github/actions/test``): its steps run here."""
        root = self.rootdir.resolve()
        folder = (root / uses).resolve()
        action = next((folder / name for name in ("action.yml", "action.yaml")
                       if (folder / name).is_file()), None)  # fmt: skip
        if action is None or self.depth >= 3 or not folder.is_relative_to(root):
            return
        documents = load_all(read_text(action) or "")
        if isinstance(documents, YamlError) or not documents:
            return
        inner = _Walker(action.relative_to(root).as_posix(), self.rootdir, self.depth + 1)
        yield from inner.walk(documents[0], [*trail, f"uses({uses})"], matrix, reason)


def _not_gating(node: dict) -> str:
    condition = node.get("if")
    if condition is False or (isinstance(condition, str) and re.fullmatch(
        r"\s*(\$\{\{\s*)?false(\s*\}\})?\s*", condition
    )):  # fmt: skip
        return "it is disabled (if: false)"
    if node.get("when") == "never":
        return "it is disabled (when: never)"
    if node.get("when") == "manual":
        return "it only runs when started by hand (when: manual)"
    for key in ("continue-on-error", "continueOnError", "allow_failure"):
        if node.get(key) is True or node.get(key) == "true":
            return f"its failure is ignored ({key})"
    if node.get("failure") == "ignore":
        return "its failure is ignored (failure: ignore)"
    return ""


def _matrix_values(node: dict) -> dict[str, list[str]]:
    """GitHub Actions ``strategy.matrix``: the values each ``matrix.NAME`` takes."""
    strategy = node.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    if not isinstance(matrix, dict):
        return {}
    values: dict[str, list[str]] = {}
    for name, options in matrix.items():
        if isinstance(options, list) and name not in ("include", "exclude"):
            values.setdefault(str(name), []).extend(str(option) for option in options)
    for entry in matrix.get("include") or []:
        if isinstance(entry, dict):
            for name, option in entry.items():
                values.setdefault(str(name), []).append(str(option))
    return values


def _expanded(script: str, matrix: dict[str, list[str]]) -> list[str]:
    """The script once per value of each ``${{ matrix.NAME }}`` it uses."""
    match = MATRIX_REFERENCE.search(script)
    if not match or match.group(1) not in matrix:
        return [script]
    variants: list[str] = []
    for value in dict.fromkeys(matrix[match.group(1)]):
        variants += _expanded(script[: match.start()] + value + script[match.end() :], matrix)
    return variants


def _is_script(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list) and all(isinstance(item, (str, list)) for item in value)


def _joined(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "\n".join(_joined(item) for item in value)


def _gitlab_jobs(doc: dict) -> dict:
    """The jobs GitLab runs: hidden ``.templates`` dropped, ``extends`` merged into each job."""
    jobs = LineDict()
    jobs.line = line_of(doc)
    for name, job in doc.items():
        if isinstance(name, str) and not name.startswith(".") and name not in GITLAB_GLOBALS:
            jobs[name] = _extended(doc, job, 0) if isinstance(job, dict) else job
    return jobs


def _extended(doc: dict, job: dict, depth: int) -> dict:
    parents = job.get("extends", [])
    merged = LineDict()
    for parent in [parents] if isinstance(parents, str) else parents:
        if isinstance(doc.get(parent), dict) and depth < 10:
            merged.update(_extended(doc, doc[parent], depth + 1))
    merged.update(job)
    merged.line = line_of(job)
    return merged


def _jenkins_places(text: str, shown: str) -> Iterator[Place]:
    """``sh``/``bat`` steps of a Jenkinsfile, comments ignored."""
    code = _without_groovy_comments(text)
    for match in JENKINS_STEP.finditer(code):
        line = code.count("\n", 0, match.start()) + 1
        yield Place(shown, line, f"{match.group(0).split()[0].split('(')[0]} step", match.group(2))


def _without_groovy_comments(text: str) -> str:
    """``//`` and ``/* */`` comments blanked (newlines kept so lines still count)."""

    def blank(match: re.Match[str]) -> str:
        found = match.group(0)
        return found if found[0] in "'\"" else re.sub(r"[^\n]", " ", found)

    pattern = (
        r"'''.*?'''|\"\"\".*?\"\"\"|'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"|//[^\n]*|/\*.*?\*/"
    )
    return re.sub(pattern, blank, text, flags=re.DOTALL)
