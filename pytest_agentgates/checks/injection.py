"""The injection check: SQL built from strings, shell commands built from values, eval/exec and
unsafe deserialisation, from bandit's tests and ruff's S rules of those families."""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..model import FAILED, PASSED, Finding, Outcome
from ..project.context import CheckContext
from ..project.sources import SourceFile
from .code_sites import line_text, nodes_on_line, parsed_sources, waived
from .pycode import name_of
from .ruff_run import INJECTION_RULES, results_for
from .security import bandit_path, bandit_results

# Bandit's test ids are ruff's S codes with a B: the same number names the same rule.
BANDIT_TESTS = tuple("B" + code[1:] for code in INJECTION_RULES)
KINDS = {
    "102": "exec", "307": "eval", "301": "deserialisation", "302": "deserialisation",
    "506": "deserialisation", "602": "shell", "604": "shell", "605": "shell", "609": "shell",
    "608": "SQL", "610": "SQL", "611": "SQL",
}  # fmt: skip
SHELL_WITH_COMMAND = frozenset({"602", "604", "605"})
COMMAND_FUNCTIONS = frozenset(
    {"system", "popen", "call", "run", "check_call", "check_output", "Popen", "getoutput",
     "getstatusoutput", "spawn", "create_subprocess_shell"}
)  # fmt: skip


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    sources = parsed_sources(ctx)
    reported = [
        (bandit_path(ctx, r), r["line_number"], r["test_id"], r["issue_text"])
        for r in bandit_results(ctx, BANDIT_TESTS)
    ] + [(r.relative, r.line, r.code, r.message) for r in results_for(ctx, INJECTION_RULES,
                                                                        set(sources))]  # fmt: skip
    places: dict[tuple[str, int, str], Finding] = {}
    for path, line, code, message in reported:
        number, source = code[1:], sources.get(path)
        if source is None or (path, line, number) in places:
            continue  # outside the project's modules (tests, migrations), or already reported
        if waived(line_text(source, line), f"B{number}", f"S{number}"):
            continue
        if number in SHELL_WITH_COMMAND and _literal_command(source, line):
            continue  # a fixed command string: nothing from outside reaches the shell
        places[(path, line, number)] = Finding(path, line, code, message)
    findings = tuple(sorted(places.values(), key=lambda f: (f.path, f.line)))
    if findings:
        kinds = Counter(KINDS[f.code[1:]] for f in findings)
        detail = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
        return Outcome(FAILED, f"{len(findings)} injection risk(s): {detail}", len(findings), 0,
                       findings)  # fmt: skip
    return Outcome(
        PASSED,
        f"no SQL, shell or code injection or unsafe deserialisation in {len(sources)} module(s)",
        0,
        0,
    )


def _literal_command(source: SourceFile, line: int) -> bool:
    """The command run on ``line`` is a string (or list of strings) written in the code."""
    for call in nodes_on_line(source.nodes, line, ast.Call):
        if name_of(call.func) not in COMMAND_FUNCTIONS:
            continue
        keywords = {keyword.arg: keyword.value for keyword in call.keywords}
        command = call.args[0] if call.args else keywords.get("args") or keywords.get("cmd")
        return command is not None and _is_literal(command)
    return False


def _is_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_is_literal(element) for element in node.elts)
    return False
