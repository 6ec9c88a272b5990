"""Tell whether a shell script from a CI configuration runs the test suite, and whether its failure
would fail the job (``pytest || true`` does not); ``make`` targets are followed into the Makefile."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

RUNNERS = frozenset({"pytest", "py.test", "nose2", "trial", "green", "ward", "stestr", "behave"})
# pytest options that make it print something instead of running tests.
NOT_A_RUN = frozenset({"--version", "-V", "--help", "-h", "--collect-only", "--co", "--fixtures",
                       "--markers", "--setup-plan"})  # fmt: skip
# tox/nox environments and sessions that only lint, format, type-check, document or package.
NOT_TEST_ENV = re.compile(
    r"^(lint|linters?|format|fmt|style|flake8|ruff|black|isort|mypy|pyright|types?|typing|"
    r"typecheck|docs?|build|release|publish|pkg|package|pre-?commit|check-?manifest|bandit|"
    r"safety|audit|spell(ing)?|codespell)$",
    re.IGNORECASE,
)
WRAPPERS = frozenset({"sudo", "time", "exec", "nice", "env", "command", "xvfb-run", "timeout",
                      "catchsegv", "stdbuf"})  # fmt: skip
# Tools that run another command: the test runner is searched among their arguments.
LAUNCHERS = {
    "uv": "run", "poetry": "run", "pdm": "run", "pipenv": "run", "rye": "run", "pixi": "run",
    "conda": "run", "mamba": "run", "micromamba": "run", "docker": "", "docker-compose": "",
    "podman": "", "nix-shell": "", "nix": "", "uvx": "", "pipx": "run",
}  # fmt: skip
# Options of those launchers that take a value, which must not be mistaken for the command.
VALUE_OPTIONS = frozenset({"--with", "--with-requirements", "--extra", "--group", "--python", "-p",
                           "--package", "--env-file", "-e", "--env", "-n", "--name", "-w",
                           "--workdir", "-v", "--volume", "--entrypoint", "-u", "--user",
                           "--network", "--from", "--directory", "--project", "-f", "--file"})  # fmt: skip
TASK_RUNNERS = frozenset({"just", "task", "invoke", "inv"})
SEPARATORS = frozenset({"&&", "||", ";", "|", "&", "(", ")", ";;"})
IGNORES_FAILURE = ({"true"}, {":"}, {"exit", "0"})
PYTHON = re.compile(r"^(python[\d.]*|py|pypy[\d.]*|\$[({]?\w*PYTHON\w*[)}]?)$", re.IGNORECASE)
MAKE = re.compile(r"^(make|gmake|\$[({]MAKE[)}])$")
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


@dataclass(frozen=True)
class TestRun:
    """A command that runs the test suite, and whether the script ignores its failure."""

    __test__ = False

    command: str
    failure_ignored: bool = False


def find_test_run(script: str, workdir: Path | None = None, depth: int = 0) -> TestRun | None:
    """The first command of ``script`` that runs tests (a failure-checked one preferred).

    ``workdir`` is where a Makefile named by ``make`` is looked for; ``depth`` bounds how deep
    ``make`` targets calling ``make`` are followed.
    """
    found: list[TestRun] = []
    for line in logical_lines(script):
        words = _words(line)
        segments = _segments(words)
        for index, (segment, separator) in enumerate(segments):
            if _runs_tests(segment, workdir, depth):
                following = segments[index + 1][0] if index + 1 < len(segments) else []
                ignored = separator == "||" and set(following) in IGNORES_FAILURE
                found.append(TestRun(" ".join(segment), ignored))
    checked = [run for run in found if not run.failure_ignored]
    return (checked or found or [None])[0]


def logical_lines(script: str) -> list[str]:
    """Lines of a shell script with comments dropped and ``\\`` continuations joined."""
    lines: list[str] = []
    pending = ""
    for raw in script.splitlines():
        line = _strip_comment(raw).rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        if line.strip():
            lines.append(line.strip())
    if pending.strip():
        lines.append(pending.strip())
    return lines


def _strip_comment(line: str) -> str:
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index]
    return line


def _words(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes: fall back to plain words
        return line.split()


def _segments(words: list[str]) -> list[tuple[list[str], str]]:
    """Simple commands and the separator that follows each."""
    segments: list[tuple[list[str], str]] = []
    current: list[str] = []
    for word in words:
        if word in SEPARATORS:
            segments.append((current, word))
            current = []
        else:
            current.append(word)
    segments.append((current, ""))
    return [(segment, separator) for segment, separator in segments if segment]


def _runs_tests(words: list[str], workdir: Path | None, depth: int) -> bool:
    words = _unwrap(words)
    if not words or depth > 5:
        return False
    head, rest = words[0].rsplit("/", 1)[-1], words[1:]
    if head in RUNNERS:
        return not NOT_A_RUN.intersection(rest)
    if PYTHON.match(head):
        return _python_runs_tests(rest, workdir, depth)
    if head == "coverage":
        return bool(rest) and rest[0] == "run" and _python_runs_tests(rest[1:], workdir, depth)
    if head in ("tox", "nox"):
        return _selected_envs_test(rest)
    if head == "django-admin":
        return rest[:1] == ["test"]
    if head == "hatch":
        return rest[:1] == ["test"] or (
            rest[:1] == ["run"] and _alias_or_command(rest[1:], workdir, depth)
        )
    if head in LAUNCHERS:
        return _launched(rest, LAUNCHERS[head], workdir, depth)
    if head in TASK_RUNNERS:
        return any("test" in word for word in rest[:1])
    if MAKE.match(head):
        return _make_runs_tests(rest, workdir, depth)
    return False


def _unwrap(words: list[str]) -> list[str]:
    index = 0
    while index < len(words):
        word = words[index]
        if ASSIGNMENT.match(word) or word.startswith("-"):
            index += 1
        elif word in WRAPPERS:
            index += 1
            if word == "timeout" and index < len(words):
                index += 1  # its duration
        else:
            break
    return words[index:]


def _python_runs_tests(rest: list[str], workdir: Path | None, depth: int) -> bool:
    index = 0
    while index < len(rest) and rest[index].startswith("-") and rest[index] != "-m":
        index += 2 if rest[index] in ("-W", "-X") else 1
    rest = rest[index:]
    if rest[:1] == ["-m"] and len(rest) > 1:
        module = rest[1]
        if module == "unittest":
            return True
        return _runs_tests([module, *rest[2:]], workdir, depth + 1)
    script = rest[0].rsplit("/", 1)[-1] if rest else ""
    if script in ("manage.py", "setup.py"):
        return rest[1:2] == ["test"]
    return script.startswith(("test", "runtests", "run_tests"))


def _selected_envs_test(rest: list[str]) -> bool:
    """``tox``/``nox`` run tests unless the environments or sessions named are all non-test ones."""
    named: list[str] = []
    for index, word in enumerate(rest):
        option, _, attached = word.partition("=")
        if option in ("-e", "--env", "-s", "--session", "--sessions", "-t", "--tags"):
            value = attached or (rest[index + 1] if index + 1 < len(rest) else "")
            named += [name.strip() for name in value.split(",") if name.strip()]
    return not named or not all(NOT_TEST_ENV.match(name) for name in named)


def _alias_or_command(rest: list[str], workdir: Path | None, depth: int) -> bool:
    """``hatch run test``, ``hatch run dev:pytest``: a script named for tests or a test command."""
    if not rest:
        return False
    script = rest[0].rsplit(":", 1)[-1]
    return "test" in script or _runs_tests([script, *rest[1:]], workdir, depth + 1)


def _launched(rest: list[str], subcommand: str, workdir: Path | None, depth: int) -> bool:
    if subcommand and rest[:1] != [subcommand]:
        return False
    index = 1 if subcommand else 0
    while index < len(rest):
        word = rest[index]
        if word in VALUE_OPTIONS:
            index += 2
            continue
        if not word.startswith("-") and _runs_tests(rest[index:], workdir, depth + 1):
            return True
        index += 1
    return False


def _make_runs_tests(rest: list[str], workdir: Path | None, depth: int) -> bool:
    if workdir is not None and "-C" in rest[:-1]:
        workdir = workdir / rest[rest.index("-C") + 1]
        rest = [
            word
            for index, word in enumerate(rest)
            if "-C" not in rest[max(index - 1, 0) : index + 1]
        ]
    targets = [word for word in rest if not word.startswith("-") and "=" not in word]
    makefile = _makefile(workdir)
    if makefile is None:  # nothing to look into: trust a target named for tests
        return any("test" in target for target in targets)
    rules = parse_makefile(makefile)
    if not targets:
        targets = [next((name for name in rules if not name.startswith(".")), "")]
    return any(_target_runs_tests(rules, target, workdir, depth + 1, set()) for target in targets)


def _makefile(workdir: Path | None) -> str | None:
    if workdir is None:
        return None
    for name in ("GNUmakefile", "makefile", "Makefile"):
        path = workdir / name
        if path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")
    return None


def parse_makefile(text: str) -> dict[str, tuple[list[str], list[str]]]:
    """Target → (prerequisites, recipe lines with variables expanded); enough of make to follow
    ``make test``. An unknown ``$(NAME)`` becomes ``NAME``, so ``$(VENV)/bin/pytest`` still reads."""
    variables = {"MAKE": "make"}
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("\t") and current:
            recipe = _expand(line.strip().lstrip("@-+").strip(), variables)
            for target in current:
                rules[target][1].append(recipe)
            continue
        assignment = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\s*[:?+]?=\s*(.*)$", line)
        rule = re.match(r"^([^\s:#=][^:=]*?)\s*::?(?!=)\s*([^;#]*)", line)
        if assignment:
            variables[assignment.group(1)] = assignment.group(2).strip()
            current = []
        elif rule:
            current = rule.group(1).split()
            for target in current:
                rules.setdefault(target, ([], []))[0].extend(rule.group(2).split())
        elif line.strip():
            current = []
    return rules


def _expand(line: str, variables: dict[str, str]) -> str:
    pattern = re.compile(r"\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]")
    for _ in range(5):  # variables naming variables, a few levels deep
        line = pattern.sub(lambda m: variables.get(m.group(1), m.group(1)), line)
    return line


def _target_runs_tests(
    rules, target: str, workdir: Path | None, depth: int, seen: set[str]
) -> bool:
    if target in seen or target not in rules or depth > 5:
        return False
    seen.add(target)
    prerequisites, recipe = rules[target]
    if any(find_test_run(line, workdir, depth + 1) for line in recipe):
        return True
    return any(_target_runs_tests(rules, name, workdir, depth + 1, seen) for name in prerequisites)
