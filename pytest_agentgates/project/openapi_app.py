"""Run as ``python -m pytest_agentgates.project.openapi_app FOLDER MODULE:NAME[()] ...``: import each
FastAPI app (calling it when it is a factory), generate its OpenAPI document, print them as JSON.

The project's code is imported here, in a child process, never in the pytest process: what it
prints goes to stderr, what it raises is reported with the place in the project it came from."""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
import traceback
import warnings
from pathlib import Path
from typing import Any


def generate(folder: str, target: str) -> dict[str, Any]:
    module_name, _, attribute = target.partition(":")
    factory = attribute.endswith("()")
    attribute = attribute.removesuffix("()")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    stage = f"importing {module_name}"
    try:
        module = importlib.import_module(module_name)
        app = getattr(module, attribute)
        if factory:
            stage = f"calling {module_name}.{attribute}()"
            app = app()
        stage = f"generating the OpenAPI document of {target}"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            document = app.openapi()
    except Exception as error:  # noqa: BLE001 - whatever the project's code raises is the finding
        return {"target": target, "stage": stage, "error": _first_line(error),
                "where": _where(error, Path(folder))}  # fmt: skip
    return {
        "target": target,
        "document": document,
        "warnings": [str(warning.message) for warning in caught],
        "served_at": getattr(app, "openapi_url", None),
    }


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"


def _where(error: BaseException, folder: Path) -> list[Any] | None:
    """The innermost frame of the traceback inside the project: [path, line]."""
    inside = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith("<")  # <frozen os>, <string>
        and "site-packages" not in frame.filename
        and Path(frame.filename).resolve().is_relative_to(folder.resolve())
    ]
    return [inside[-1].filename, inside[-1].lineno] if inside else None


def main(argv: list[str]) -> int:
    pairs = list(zip(argv[::2], argv[1::2], strict=False))
    results = []
    with contextlib.redirect_stdout(sys.stderr):  # the project's prints must not spoil the JSON
        for folder, target in pairs:
            results.append(generate(folder, target))
    json.dump(results, sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
