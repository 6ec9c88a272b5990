"""The secrets check: hard-coded passwords, tokens, private keys and credentialed URLs in the
source and configuration files, and ``.env`` files git would commit. Values are shown masked:
a well-known key format keeps the prefix that names its kind (``ghp_***``), any other value
shows nothing of itself."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..model import FAILED, PASSED, CheckCouldNotRun, Finding, Outcome
from ..project.context import CheckContext
from ..project.gitdiff import git
from ..project.layout import SKIP_DIRS, project_folders
from ..project.sources import SourceFile, python_file
from .code_sites import line_text, parsed_sources, waived
from .names import is_placeholder, is_secret_name, mask
from .ruff_run import SECRET_RULES, results_for
from .security import bandit_path, bandit_results

BANDIT_TESTS = tuple("B" + code[1:] for code in SECRET_RULES)  # B105, B106, B107
KEY_PATTERNS = (
    ("SEC001", "AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("SEC002", "private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
    ("SEC003", "GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{40,})")),
    ("SEC004", "Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("SEC005", "Stripe secret key", re.compile(r"\b[rs]k_live_[0-9A-Za-z]{16,}")),
    ("SEC006", "Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
)  # fmt: skip
CREDENTIALED_URL = re.compile(
    r"\b(?P<scheme>[a-z][a-z0-9+.\-]*)://(?P<user>[^\s/:@'\"]+):(?P<password>[^\s/@'\"]+)@"
    r"(?P<host>[^\s/'\"?#]+)",
    re.IGNORECASE,
)
SETTING = re.compile(
    r"^\s*(?:-\s+)?(?:export\s+)?[\"']?(?P<key>[A-Za-z_][\w.\-]*)[\"']?\s*[:=]\s*(?P<value>.*)$"
)
CONFIG_SUFFIXES = frozenset(
    {".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".json", ".properties", ".env"}
)
KEY_SUFFIXES = frozenset({".pem", ".key"})
EXAMPLE_WORDS = frozenset({"example", "sample", "template", "dist", "defaults", "tpl"})
TEST_FOLDERS = frozenset({"tests", "test", "testing"})
MAX_BYTES = 1_000_000


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    sources = parsed_sources(ctx)
    findings: dict[tuple[str, int], Finding] = {}
    for finding in _hard_coded_passwords(ctx, sources):
        findings.setdefault((finding.path, finding.line), finding)
    files, notes = _project_files(ctx.rootdir)
    for relative, git_status in files:
        for finding in _scan_file(ctx, relative, git_status):
            findings.setdefault((finding.path, finding.line), finding)
    shown = tuple(sorted(findings.values(), key=lambda f: (f.path, f.line)))
    if shown:
        return Outcome(FAILED, f"{len(shown)} secret(s) in the repository", len(shown), 0, shown,
                       notes)  # fmt: skip
    return Outcome(PASSED, f"no secret found in {len(files)} file(s)", 0, 0, (), notes)


# --- passwords assigned in the source: bandit's B105-B107 and ruff's S105-S107 ---------------
def _hard_coded_passwords(ctx: CheckContext, sources: dict[str, SourceFile]) -> Iterator[Finding]:
    reported = [
        (bandit_path(ctx, result), result["line_number"], result["test_id"])
        for result in bandit_results(ctx, BANDIT_TESTS)
    ] + [(result.relative, result.line, result.code)
         for result in results_for(ctx, SECRET_RULES, set(sources))]  # fmt: skip
    for path, line, code in reported:
        source = sources.get(path)
        if source is None or waived(line_text(source, line), "B" + code[1:], "S" + code[1:]):
            continue
        pairs = _literals_on_line(source.nodes, line)
        if not pairs:
            yield Finding(path, line, code, "possible hard-coded password (value hidden)")
            continue
        for name, value in pairs:
            if is_secret_name(name) and _looks_secret(value):
                yield Finding(path, line, code, f"hard-coded secret {name} = {_masked(value)}")
                break


def _literals_on_line(nodes: Iterable[ast.AST], line: int) -> list[tuple[str, str]]:
    """(name, string) pairs written on ``line``: assignments, keyword arguments, defaults,
    comparisons and dict entries, the places bandit's password tests look at."""
    pairs: list[tuple[str, str]] = []
    for node in nodes:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.lineno == line:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            pairs += [(_name(target), _text(node.value)) for target in targets]
        elif isinstance(node, ast.keyword) and node.arg and node.value.lineno == line:
            pairs.append((node.arg, _text(node.value)))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno == line:
            arguments = node.args
            positional = [*arguments.posonlyargs, *arguments.args]
            with_default = positional[len(positional) - len(arguments.defaults) :]
            defaults = zip(with_default, arguments.defaults, strict=True)
            keyword_only = zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
            pairs += [(arg.arg, _text(default)) for arg, default in (*defaults, *keyword_only)]
        elif isinstance(node, ast.Compare) and node.lineno == line:
            sides = [node.left, *node.comparators]
            names = [_name(side) for side in sides if _name(side)]
            pairs += [(name, _text(side)) for name in names for side in sides]
        elif isinstance(node, ast.Dict) and node.lineno == line:
            entries = zip(node.keys, node.values, strict=True)
            pairs += [(_text(key), _text(value)) for key, value in entries if key is not None]
    return [(name, value) for name, value in pairs if name and value is not None]


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        return _text(node.slice) or ""
    return ""


def _text(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _looks_secret(value: str) -> bool:
    """Not a placeholder, and not a plain URL or path that merely sits under a secret name."""
    if is_placeholder(value):
        return False
    if "://" in value:
        match = CREDENTIALED_URL.search(value)
        return bool(match) and not is_placeholder(match["password"])
    return not value.startswith(("/", "./", "../", "~/"))


# --- files: well-known key formats, credentialed URLs, secret settings, .env files ----------
def _project_files(rootdir: Path) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
    """(path, git status) of the files to read: those git tracks ("tracked") or would add ("not
    ignored"); ignored files are never committed, so never a leak. Outside a git work tree,
    every project file but local .env files (whether they would be committed is unknown)."""
    try:
        listing = git(["ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard"],
                      rootdir)  # fmt: skip
    except CheckCouldNotRun:
        found = [
            (folder / name).relative_to(rootdir).as_posix()
            for folder, names in project_folders(rootdir)
            for name in names
        ]
        local = [path for path in found if _is_local_env(path)]
        notes = (f"not a git work tree: {', '.join(local)} not judged (whether git would commit "
                 "it is unknown)",) if local else ()  # fmt: skip
        files = [(path, "") for path in found if _readable(path) and path not in local]
        return files, notes
    files = []
    for entry in filter(None, listing.split("\0")):
        tag, _, relative = entry.partition(" ")
        if _readable(relative) and (rootdir / relative).is_file():
            files.append((relative, "not ignored" if tag == "?" else "tracked"))
    return files, ()


def _readable(relative: str) -> bool:
    """A file this check reads: source or configuration, outside tests and hidden folders."""
    *folders, name = relative.split("/")
    if any(part.startswith(".") or part in TEST_FOLDERS | SKIP_DIRS for part in folders):
        return False
    if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return False
    suffix = Path(name).suffix.lower()
    return _is_env_file(name) or suffix in CONFIG_SUFFIXES | KEY_SUFFIXES | {".py"}


def _is_env_file(name: str) -> bool:
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def _is_local_env(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return _is_env_file(name) and not _is_example(name)


def _is_example(name: str) -> bool:
    return bool(EXAMPLE_WORDS & set(re.split(r"[._\-]", name.lower())))


def _scan_file(ctx: CheckContext, relative: str, git_status: str) -> Iterator[Finding]:
    name = relative.rsplit("/", 1)[-1]
    path = ctx.rootdir / relative
    if _is_local_env(relative):
        yield Finding(relative, 1, "SEC009", f"{name} is {git_status} by git: keep it out of the "
                      "repository (.gitignore) and commit an example with placeholders")  # fmt: skip
    try:
        if path.stat().st_size > MAX_BYTES:
            return
        if path.suffix == ".py":
            text = python_file(ctx, path).text  # "" when unreadable, like a binary file
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # binary or unreadable: not a text secret
    is_config = path.suffix.lower() in CONFIG_SUFFIXES or _is_env_file(name)
    for number, line in enumerate(text.splitlines(), start=1):
        finding = _scan_line(relative, number, line, is_config)
        if finding is not None and not waived(line, finding.code):
            yield finding


def _scan_line(relative: str, number: int, line: str, is_config: bool) -> Finding | None:
    for code, what, pattern in KEY_PATTERNS:
        match = pattern.search(line)
        if match and not is_placeholder(match.group()):
            shown = "-----BEGIN ... PRIVATE KEY-----" if code == "SEC002" else mask(match.group())
            return Finding(relative, number, code, f"{what}: {shown}")
    url = CREDENTIALED_URL.search(line)
    if url and not is_placeholder(url["password"]):
        shown = f"{url['scheme']}://{url['user']}:***@{url['host']}"
        return Finding(relative, number, "SEC007", f"credentials in a URL: {shown}")
    setting = SETTING.match(line) if is_config else None
    if setting and is_secret_name(setting["key"]):
        value = _setting_value(setting["value"])
        if value is not None and _looks_secret(value):
            return Finding(relative, number, "SEC008",
                           f"secret setting {setting['key']} = {_masked(value)}")  # fmt: skip
    return None


def _masked(value: str) -> str:
    """``ghp_***`` for a value holding a well-known key (its prefix is public, the rest is not);
    ``***`` for a password or any other value, of which even a few characters are too many."""
    for _, _, pattern in KEY_PATTERNS:
        match = pattern.search(value)
        if match:
            return mask(match.group())
    return "***"


def _setting_value(raw: str) -> str | None:
    """The literal value of a ``key = value`` / ``key: value`` line, None for structures,
    numbers, booleans and references to other settings."""
    value = raw.strip().rstrip(",").strip()
    if value[:1] in ("'", '"'):
        closing = value.find(value[0], 1)
        value = value[1:closing] if closing > 0 else value[1:]
    else:
        value = re.split(r"\s+[#;]", value, maxsplit=1)[0].strip()
    if not value or value[0] in "{[|>&*!":
        return None
    if re.fullmatch(r"-?\d+(\.\d+)?|true|false|yes|no|on|off|null|none|~", value, re.I):
        return None
    return value
