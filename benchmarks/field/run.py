"""Run the field test of issue 11: each project's own tests with --agent-gates, seeds 000 and 004."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import tomllib

HERE = Path(__file__).resolve().parent
SEEDS = Path("/work/shared/seeds")
WORK = Path("/tmp/field")


def sh(args: list[str], cwd: Path | None = None, env: dict | None = None, timeout=None) -> str:
    """Run ``args`` (never through a shell); exit with its output when it fails."""
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode:
        raise SystemExit(
            f"{' '.join(args)} exited {done.returncode}:\n{done.stdout[-2000:]}"
            f"\n{done.stderr[-3000:]}"
        )
    return done.stdout.strip()


def checkout(project: dict, mirrors: Path) -> Path:
    """A clone of the fetched snapshot at the recorded commit (a real .git, as a user's checkout)."""
    mirror = mirrors / project["repo"].replace("/", "+") / "repo"
    head = sh(["git", f"--git-dir={mirror}", "rev-parse", "HEAD"])
    if head != project["commit"]:
        print(f"note: {project['repo']} snapshot HEAD is {head}; using {project['commit']}")
    src = WORK / project["name"] / "src"
    if not src.exists():
        sh(["git", "clone", "-q", "--no-checkout", str(mirror), str(src)])
        sh(["git", "-C", str(src), "checkout", "-q", project["commit"]])
    return src


def venv_env(venv: Path, extra: dict | None = None) -> dict:
    env = dict(os.environ, VIRTUAL_ENV=str(venv), PATH=f"{venv / 'bin'}:{os.environ['PATH']}")
    env.pop("PYTHONPATH", None)
    env.update(extra or {})
    return env


def install(project: dict, src: Path) -> Path:
    """The project's venv with its own install steps run once (marker file)."""
    venv = WORK / project["name"] / "venv"
    env = venv_env(venv, project.get("install_env"))
    if not (venv / ".installed").exists():
        sh([project.get("python", sys.executable), "-m", "venv", str(venv)])
        sh(["pip", "install", "-q", "-U", "pip"], env=env)
        for step in project["install"]:
            sh(step, cwd=src, env=env)
        (venv / ".installed").write_text("ok\n")
    return venv


def run_seed(project, src, venv, plugin_commit, seed, label, timeout) -> dict:
    """One test run with one seed as the backend-developer agent; the plugin's JSON plus metadata."""
    agents = src / ".claude" / "agents"
    shutil.rmtree(src / ".claude", ignore_errors=True)
    agents.mkdir(parents=True)
    seed_file = next(SEEDS.glob(f"{seed}_*"))
    shutil.copyfile(seed_file, agents / "backend-developer.md")
    out = WORK / project["name"] / f"{seed}-{label}.json"
    out.unlink(missing_ok=True)
    cwd = src / project.get("cwd", ".")
    args = [
        *project["test"],
        *project.get("select", []),
        "--agent-gates",
        f"--agent-gates-json={out}",
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            args,
            cwd=cwd,
            env=venv_env(venv, project.get("env")),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        code, stdout = done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired as exc:
        code, stdout = "timeout", str(exc.stdout or "")
    elapsed = round(time.perf_counter() - started, 1)
    log = HERE / "results" / f"{project['name']}-{seed}-{label}.log"
    log.write_text(stdout[-20000:])
    report = json.loads(out.read_text()) if out.exists() else None
    shutil.rmtree(src / ".claude", ignore_errors=True)
    return {
        "project": project["repo"],
        "commit": sh(["git", "-C", str(src), "rev-parse", "HEAD"]),
        "seed": seed_file.name,
        "label": label,
        "plugin_commit": plugin_commit,
        "command": args,
        "cwd": project.get("cwd", "."),
        "partial_run": bool(project.get("select")),
        "exit_code": code,
        "seconds": elapsed,
        "verdicts": [
            {
                **{k: item.get(k) for k in ("line", "text", "checks", "status", "summary")},
                **{k: item.get(k) for k in ("measured", "required", "notes")},
                "findings_count": len(item.get("findings") or []),
                "findings": (item.get("findings") or [])[:15],
            }
            for agent in (report or {}).get("agents", [])
            for item in agent["items"]
        ],
        "totals": (report or {}).get("totals"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plugin", type=Path, required=True, help="the plugin checkout to test")
    parser.add_argument("--label", required=True, help="before / after: names the result files")
    parser.add_argument("--project", action="append", help="only these projects (by name)")
    parser.add_argument("--seed", action="append", help="seed numbers (default 000 and 004)")
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--timeout", type=float, default=1800)
    opts = parser.parse_args()
    projects = tomllib.loads((HERE / "projects.toml").read_text())["project"]
    plugin_commit = sh(["git", "-C", str(opts.plugin), "rev-parse", "HEAD"])
    for project in projects:
        if opts.project and project["name"] not in opts.project:
            continue
        src = checkout(project, opts.mirrors)
        venv = install(project, src)
        sh(["pip", "install", "-q", "-e", str(opts.plugin)], env=venv_env(venv))
        for seed in opts.seed or ["000", "004"]:
            result = run_seed(project, src, venv, plugin_commit, seed, opts.label, opts.timeout)
            path = HERE / "results" / f"{project['name']}-{seed}-{opts.label}.json"
            path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
            print(
                f"{project['name']} {seed} {opts.label}: exit {result['exit_code']} in "
                f"{result['seconds']} s, {result['totals']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
