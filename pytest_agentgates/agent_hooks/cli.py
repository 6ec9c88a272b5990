"""``agent-gates``: the command line of the hooks (argparse), and nothing else."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import agents, reasons, runner
from .events import TOOLS
from .frontmatter_hooks import add, remove
from .hook import DEFAULT_MAX_BLOCKS, HookOptions, answer
from .install import SETTINGS, InstallError, install, uninstall

DESCRIPTION = """\
Hold an AI agent to the promises in its own definition: at the moment it tries to stop, run
its gates (pytest --agent-gates --agent-gates-agent=NAME) and send it back while one fails."""
EPILOG = """\
examples:
  agent-gates install --tool claude                 every subagent of .claude/agents is gated
  agent-gates install --tool claude --agent backend-developer --in-frontmatter
  agent-gates check --agent backend-developer       the same run, at a terminal
  agent-gates uninstall --tool claude               remove only what install wrote"""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.run(args)


def _hook(args: argparse.Namespace) -> int:
    options = HookOptions(
        tool=args.tool, agents=tuple(args.agent), definitions=tuple(args.definitions),
        python=args.python, timeout=args.timeout, max_blocks=args.max_blocks, root=args.root,
        changed=args.changed,
    )  # fmt: skip
    reply = answer(sys.stdin.read(), options)
    sys.stdout.write(reply.stdout)
    sys.stderr.write(reply.stderr)
    return reply.exit_code


def _check(args: argparse.Namespace) -> int:
    root = agents.project_root(Path(args.root or "."))
    python = runner.interpreter(root, args.python)
    try:
        run = runner.run(
            root, python, runner.gate_args(args.agent, args.definitions, args.changed), args.timeout
        )
    except runner.RunError as error:
        print(f"agent-gates: {error}", file=sys.stderr)
        return 2
    failures = reasons.failed(run.report)
    if failures:
        print(reasons.explain(failures, run.command))
        return 1
    totals = run.report.get("totals", {})
    print(f"agent-gates: no promise fails ({totals.get('passed', 0)} passed, "
          f"{totals.get('manual', 0)} manual) in {run.seconds:.1f}s")  # fmt: skip
    return 0


def _install(args: argparse.Namespace, removing: bool = False) -> int:
    root = agents.project_root(Path(args.root or "."))
    try:
        if args.in_frontmatter:
            message = _frontmatter(root, args, remove if removing else add)
        elif removing:
            message = uninstall(root, args.tool)
        else:
            message = install(root, args.tool, args.agent)
    except (InstallError, OSError) as error:
        print(f"agent-gates: {error}", file=sys.stderr)
        return 1
    print(message)
    return 0


def _frontmatter(root: Path, args: argparse.Namespace, change) -> str:
    if args.tool != "claude" or not args.agent:
        raise InstallError("--in-frontmatter needs --tool claude and --agent NAME")
    agent = agents.find(root, args.agent, [".claude/agents/*.md"])
    if agent is None:
        raise InstallError(f"no agent named {args.agent!r} in .claude/agents/ under {root}")
    return change(root / agent.path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agent-gates", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    hook = commands.add_parser(
        "hook", help="answer a stop event read from stdin (what the agent tool runs)",
        description="Read the agent tool's stop event from stdin, run the stopping agent's "
        "gates, and answer allow or block in the tool's format. An internal error or a timeout "
        "always allows, with the error on stderr.",
    )  # fmt: skip
    _tool(hook)
    hook.add_argument("--agent", action="append", default=[], metavar="NAME",
                      help="the agent a top-level session's stop gates (repeatable; default: "
                      "every definition the project's pytest configuration names)")  # fmt: skip
    _run_options(hook)
    hook.add_argument("--max-blocks", type=int, default=DEFAULT_MAX_BLOCKS, metavar="N",
                      help="after N blocks in a row in one session, allow and say the gates "
                      f"still fail (default {DEFAULT_MAX_BLOCKS})")  # fmt: skip
    hook.set_defaults(run=_hook)

    for name, text, removing in (
        ("install", "write the hook into the tool's settings (or an agent's front matter)", False),
        ("uninstall", "remove only the hooks that install wrote", True),
    ):
        sub = commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        _tool(sub)
        sub.add_argument(
            "--agent",
            metavar="NAME",
            help="only this agent (default: every subagent; Gemini: the session)",
        )
        sub.add_argument(
            "--in-frontmatter",
            action="store_true",
            help="the agent's own front matter instead of settings (Claude Code)",
        )
        sub.add_argument("--root", metavar="DIR", help="the project (default: found from .)")
        sub.set_defaults(run=lambda args, removing=removing: _install(args, removing))  # fmt: skip

    check = commands.add_parser(
        "check", help="run the gates as the hook would, for a person at a terminal",
        description="Run the agent's gates as the hook does and print what the agent would "
        "be told. Exit 1 while a promise fails, 0 when none does, 2 when they could not run.",
    )  # fmt: skip
    check.add_argument(
        "--agent",
        action="append",
        default=[],
        metavar="NAME",
        help="only this agent (repeatable; default: every definition)",
    )
    _run_options(check)
    check.set_defaults(run=_check)
    return parser


def _tool(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tool", choices=TOOLS, default="claude",
                        help="the agent tool: claude (default), codex or gemini; settings in "
                        + ", ".join(f"{SETTINGS[tool]}" for tool in TOOLS))  # fmt: skip


def _run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--changed",
        action="store_true",
        help="file-level checks count only files changed against the base ref "
        "(--agent-gates-changed), for large repositories",
    )
    parser.add_argument("--definitions", action="append", default=[], metavar="PATH",
                        help="definition file, folder or glob, as --agent-gates-definitions "
                        "(repeatable; default: every agent tool's folder)")  # fmt: skip
    parser.add_argument("--python", metavar="PATH",
                        help="the project's interpreter (default: .venv, venv, $VIRTUAL_ENV, "
                        "else this one)")  # fmt: skip
    parser.add_argument(
        "--timeout",
        type=float,
        default=runner.DEFAULT_TIMEOUT,
        metavar="SEC",
        help=f"stop the gates after SEC seconds (default {runner.DEFAULT_TIMEOUT})",
    )
    parser.add_argument(
        "--root", metavar="DIR", help="the project (default: found from the event's cwd, or .)"
    )
