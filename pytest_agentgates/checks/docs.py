"""The docs check: documentation exists (a README with text, or a Sphinx/MkDocs tree, at the
rootdir or the repository root); README install/usage/test sections and docstrings on the public
API when the promise's words ask for them.

Sections are headings (Markdown read with markdown-it, so a ``#`` comment in a code block is not
one; reStructuredText underlined titles) whose words say what they are about. Public means: the
module, class or function name and every name it is defined in start without ``_`` (so dunder
methods, ``__init__`` included, are not counted: the class docstring documents the constructor),
not nested in a function, not an ``@overload`` or a property setter/deleter; a package's empty
``__init__.py`` is not counted. Tests are never counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from ..definitions.quantities import format_percent, satisfies
from ..model import FAILED, PASSED, SKIPPED, Finding, Outcome
from ..project import repository
from ..project.context import CheckContext
from ..project.sources import SourceFile, python_files
from .pycode import NO_SOURCE, decorators, definitions, docstring_node, unparsable

README_NAMES = ("README.md", "README.rst", "README.txt", "README", "README.markdown")
SECTIONS = (
    ("install", "install, installation, setup or getting started",
     re.compile(r"\binstall\w*|\bset[\s-]?up\b|\bgett?(ing)? started\b", re.I)),
    ("usage", "usage, quickstart, examples or running",
     re.compile(r"\busage\b|\b(how to )?use\b|\busing\b|\bquick[\s-]?start\b|\bexamples?\b"
                r"|\btutorial\b|\brun(ning)?\b(?!.*\btest)", re.I)),
    ("test", "tests, testing, development or contributing",
     re.compile(r"\btest\w*|\bdevelop\w*|\bcontribut\w*", re.I)),
)  # fmt: skip
_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+:._])\1+\s*$")
_NOT_COUNTED_DECORATORS = frozenset({"overload", "setter", "deleter"})


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    """Documentation exists (a README with content, or a docs tree); README sections only when
    the words name them (``sections``), docstring share only when they ask for it (``docstrings``)."""
    places = repository.places(ctx)
    readme = next((found for base in places if (found := find_readme(base))), None)
    tree = next((found for base in places if (found := find_docs_tree(base))), None)
    shown_readme = repository.shown(ctx, readme) if readme else "README.md"
    findings: list[Finding] = []
    parts: list[str] = []
    required = ["a README with content or a docs tree"]
    if readme is None and tree is None:
        names = ", ".join(README_NAMES[:3])
        findings.append(Finding("README.md", 1, "NO-DOCS", f"no {names} and no docs tree "
                                f"({', '.join(DOCS_TREES)}) at the project or repository root"))  # fmt: skip
        parts.append("no README and no docs tree")
    elif not params.get("sections"):  # else the sections' state names the README
        parts.append(" and ".join(
            [*([f"{shown_readme}"] if readme else []), *([f"docs tree {tree}"] if tree else [])]
        ))  # fmt: skip
    if readme is not None and tree is None and not _has_content(readme):
        findings.append(Finding(shown_readme, 1, "EMPTY-README", "the README has no text"))
    if params.get("sections"):
        required.append(f"README with {', '.join(name for name, _, _ in SECTIONS)} sections")
        found, state = _readme_findings(readme, shown_readme)
        findings += found
        parts.append(state)
    shown: Any = None
    if params.get("docstrings"):
        threshold = float(params["threshold"])
        comparison = params.get("comparison", ">=")
        required.append(f"docstrings {comparison} {threshold:g}%")
        files = python_files(ctx)
        findings += unparsable(files)
        public = [entry for file in files if file.tree is not None for entry in _public(file)]
        undocumented = [(path, line, what) for path, line, what, documented in public
                        if not documented]  # fmt: skip
        if not public:
            parts.append("no public module, class or function to document" if files else NO_SOURCE)
            if not findings:  # docstrings of nothing: no evidence either way
                return Outcome(SKIPPED, "; ".join(parts))
        else:
            percent = 100.0 * (len(public) - len(undocumented)) / len(public)
            shown = format_percent(percent, threshold)
            coverage = f"docstrings on {len(public) - len(undocumented)} of {len(public)} " \
                       f"public module(s), class(es) and function(s) ({shown})"  # fmt: skip
            if not satisfies(percent, comparison, threshold):
                coverage += f", required {comparison} {threshold:g}%"
                findings += [Finding(path, line, "NO-DOCSTRING", f"{what} has no docstring")
                             for path, line, what in undocumented]  # fmt: skip
            parts.append(coverage)
    summary = "; ".join(parts)
    status = FAILED if findings else PASSED
    return Outcome(status, summary, shown, "; ".join(required), tuple(findings))


DOCS_TREES = ("docs/conf.py", "doc/conf.py", "mkdocs.yml", "docs/index.md", "docs/index.rst")


def find_docs_tree(base: Path) -> str | None:
    """A Sphinx or MkDocs tree, or a docs folder with an index, at ``base``."""
    return next((name for name in DOCS_TREES if (base / name).is_file()), None)


def _has_content(readme: Path) -> bool:
    text = readme.read_text(encoding="utf-8-sig", errors="replace")
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


def _readme_findings(readme: Path | None, shown: str) -> tuple[list[Finding], str]:
    if readme is None:
        names = ", ".join(README_NAMES[:3])
        return [Finding("README.md", 1, "NO-README", f"no {names} at the project root")], \
            "no README"  # fmt: skip
    text = readme.read_text(encoding="utf-8-sig", errors="replace")
    titles = list(headings(text, readme.suffix.lower()))
    lacking = [
        (section, words)
        for section, words, pattern in SECTIONS
        if not any(pattern.search(title) for title in titles)
    ]
    if lacking:
        findings = [
            Finding(shown, 1, "README-SECTION", f"no {section} section (a heading with {words})")
            for section, words in lacking
        ]
        return findings, f"{shown} lacks {', '.join(s for s, _ in lacking)} section(s)"
    return [], f"{shown} has install, usage and test sections"


def find_readme(rootdir: Path) -> Path | None:
    present = {path.name.lower(): path for path in rootdir.iterdir() if path.is_file()}
    for name in README_NAMES:
        if name.lower() in present:
            return present[name.lower()]
    return None


def headings(text: str, suffix: str) -> Iterator[str]:
    """The title of each heading: Markdown for .md and no suffix, reStructuredText for .rst, both
    for .txt."""
    if suffix in ("", ".md", ".markdown", ".txt"):
        tokens = MarkdownIt("commonmark").parse(text)
        for opening, inline in pairwise(tokens):
            if opening.type == "heading_open":
                yield inline.content
    if suffix in (".rst", ".txt"):
        for title, under in pairwise(text.splitlines()):
            title = title.strip()
            if title and not _UNDERLINE.match(title) and _UNDERLINE.match(under) and \
                    len(under.strip()) >= len(title):  # fmt: skip
                yield title


def _public(file: SourceFile) -> Iterator[tuple[str, int, str, bool]]:
    """(path, line, what, documented) of each public module, class and function of a module."""
    if any(part.startswith("_") for part in file.module.split(".")):
        return
    tree = file.tree
    if tree.body or file.path.name != "__init__.py":
        yield file.relative, 1, f"module {file.module}", _documented(tree)
    for definition in definitions(tree):
        node = definition.node
        names = [outer.name for outer in definition.scope] + [node.name]
        if definition.in_function or any(name.startswith("_") for name in names):
            continue
        if decorators(node) & _NOT_COUNTED_DECORATORS:
            continue
        kind = "class" if not definition.is_function else (
            "method" if definition.owner is not None else "function"
        )  # fmt: skip
        yield file.relative, node.lineno, f"{kind} {definition.qualname}", _documented(node)


def _documented(node) -> bool:
    docstring = docstring_node(node)
    return docstring is not None and bool(docstring.value.value.strip())
