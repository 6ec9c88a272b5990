"""Find the lines of an agent definition that may be promises, as ../shared/EXTRACTION.md defines them."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from ..model import AgentDefinition, ChecklistItem, LeftOut
from . import codex_toml, frontmatter
from .headings import (
    ACTIVITY_HEADING,
    EXAMPLE_WORDS,
    GATE_WORDS,
    Context,
    is_checklist_label,
)

_PARSER = MarkdownIt("commonmark").enable("table")

_CHECKBOX = re.compile(r"^\[([ xX])\]\s+(\S.*)$")
_LABEL = re.compile(r"^([^:]{2,80}?):\s*(.*)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*\"'`(])")
_OPENING_TAG = re.compile(r"<([A-Za-z][\w-]*)(\s[^<>]*)?>")
_HTML_TAGS = frozenset(  # noqa: SIM905 (a word list reads best as one string)
    [
        "a",
        "abbr",
        "b",
        "br",
        "code",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
SAMPLE_LABEL = re.compile(r"message|summary|\breport\b|\boutput\b|\bresponse\b", re.IGNORECASE)
_NOT_A_RULE = re.compile(
    r"\bprioriti[sz]e|\bfocus(es|ing)? on\b|\bemphasi[sz]e|\bbalanc(e|ing)\b|^(i|i'm|i am|my)\b"
    r"|\bforget(ting)?\b|\bpitfalls?\b",
    re.IGNORECASE,
)
_BOX_DRAWING = re.compile("[\u2500-\u257f]")
_BOX_BULLET = re.compile(r"^[•*-]\s+(\S.*)$")
_PAST_RESULT = re.compile(
    r"^(achieved|delivered|completed|reached|reduced|improved|increased|decreased|built"
    r"|created|added|fixed|implemented|shipped|migrated|deployed)\b",
    re.IGNORECASE,
)


# An item's own words that say it names a blocker, not a target: "Refactor Required: 16+ (blocking)".
NEGATIVE_TEXT = re.compile(
    r"\((blocking|blocker|fails? the (build|gate)|must fix)\)|\bblocks? (the )?(merge|release|deploy)"
    r"|\brefactor required\b",
    re.IGNORECASE,
)


def read_definition(path: Path, display_path: str) -> AgentDefinition:
    """Read one agent definition file; never raises for malformed Markdown or YAML.

    Raises ``codex_toml.DefinitionError`` for TOML that does not parse: nothing of it can be read.
    """
    text = frontmatter.decode(path.read_bytes())
    if path.suffix == ".toml":
        front = codex_toml.read(text, display_path)
    else:
        front = frontmatter.split(text)
    warnings = (front.warning,) if front.warning else ()
    items, left_out = extract(front.body, front.body_offset)
    return AgentDefinition(
        frontmatter.agent_name(front.fields, default_name(path)),
        display_path,
        items,
        warnings,
        left_out,
    )


def default_name(path: Path) -> str:
    """The agent's name when the file gives none: its stem, as each tool names its agents."""
    if path.name.endswith(".agent.md"):  # GitHub Copilot
        return path.name[: -len(".agent.md")]
    if path.name == "tasks.md" and path.parent.parent.name == "specs":  # a Kiro spec
        return path.parent.name
    return path.stem


def extract_items(body: str, line_offset: int = 0) -> tuple[ChecklistItem, ...]:
    return extract(body, line_offset)[0]


def extract(
    body: str, line_offset: int = 0
) -> tuple[tuple[ChecklistItem, ...], tuple[LeftOut, ...]]:
    """The candidate items of a definition's body, and the lines left out with the reason."""
    walker = _Walker(body.split("\n"), line_offset)
    walker.blocks(SyntaxTreeNode(_PARSER.parse(body)).children)
    unique: dict[str, ChecklistItem] = {}
    left_out = walker.left_out
    for item in sorted(walker.items, key=lambda item: item.line):
        first = unique.setdefault(_normalise(item.text), item)
        if first is not item:
            left_out.append(LeftOut(item.line, item.text, f"the same promise as line {first.line}"))
    return tuple(unique.values()), tuple(sorted(left_out, key=lambda entry: entry.line))


def _normalise(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


class _Walker:
    """One pass over the CommonMark tree, in document order."""

    def __init__(self, lines: list[str], line_offset: int) -> None:
        self.lines = lines
        self.offset = line_offset
        self.items: list[ChecklistItem] = []
        self.left_out: list[LeftOut] = []
        self.headings: list[tuple[int, Context]] = []
        self.skip_until: re.Pattern[str] | None = None

    @property
    def context(self) -> Context:
        return self.headings[-1][1] if self.headings else Context()

    def line_of(self, node: SyntaxTreeNode) -> int:
        return node.map[0] + 1 + self.offset

    def raw(self, node: SyntaxTreeNode) -> str:
        return "\n".join(self.lines[node.map[0] : node.map[1]])

    def leave(self, node: SyntaxTreeNode, reason: str, text: str = "") -> None:
        """Record a block (or one line of it) that is not read for promises, and why."""
        if node.map:
            first, last = self.line_of(node), node.map[1] + self.offset
            where = f" (lines {first}-{last})" if last > first else ""
            shown = text or self.lines[node.map[0]].strip()
            self.left_out.append(LeftOut(first, _clean(shown)[:120], reason + where))

    def blocks(self, nodes: list[SyntaxTreeNode], label: Context | None = None) -> None:
        for node in nodes:
            if self.skip_until is not None:
                if node.map and self.skip_until.search(self.raw(node)):
                    self.skip_until = None
                continue
            if node.type == "heading":
                self.heading(node)
                label = None
            elif node.type == "paragraph":
                label = self.paragraph(node, label)
            elif node.type in ("bullet_list", "ordered_list"):
                self.list(node, label or self.context)
                label = None
            elif node.type == "blockquote":
                self.blocks(node.children)
            elif node.type == "html_block":
                self.html(node)
            elif node.type in ("fence", "code_block"):
                self.leave(node, "code fence: code and templates are never promises")
            elif node.type == "table":
                self.leave(node, "table: tables are not read for promises")

    def heading(self, node: SyntaxTreeNode) -> None:
        level = int(node.tag[1])
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        parent = self.context
        self.headings.append((level, parent.under(_plain(node.children[0]).strip())))

    def html(self, node: SyntaxTreeNode) -> None:
        match = _OPENING_TAG.search(node.content)
        if match and match.group(1).lower() not in _HTML_TAGS:
            tag = match.group(1)
            closing = re.compile(rf"</{re.escape(tag)}\s*>", re.IGNORECASE)
            if not closing.search(node.content[match.end() :]):
                self.skip_until = closing
            self.leave(node, f"example block <{tag}>: samples are never promises")

    def paragraph(self, node: SyntaxTreeNode, label: Context | None) -> Context | None:
        """Handle a paragraph; return the label context it opens for a following list, if any."""
        context = label or self.context
        if context.example:
            self.leave(node, f"under the example or sample heading {context.heading!r}")
            return None
        text = _plain(node.children[0])
        bold = _is_only_bold(node.children[0])
        first_line = self.line_of(node)
        lines = text.split("\n")
        if _BOX_DRAWING.search(text):
            self.box(lines, first_line, context)
            return None
        prose: list[str] = []
        for index, line in enumerate(lines):
            stripped = line.strip()
            checkbox = _CHECKBOX.match(stripped)
            if checkbox:
                self.add(checkbox.group(2), first_line + index, context, "checkbox")
            elif not self.inline_checklist(stripped, first_line + index, context):
                if index == len(lines) - 1 and stripped.endswith(":") and len(stripped) <= 100:
                    self.prose("\n".join(prose), first_line, context)
                    return self.context.under(stripped.rstrip(":").strip(), True, bold)
                prose.append(line)
                continue
            prose.append("")  # an item line: keeps the line numbers of the prose that follows
        self.prose("\n".join(prose), first_line, context)
        if bold:
            return self.context.under(text.strip().rstrip(":"), True, bold)
        return None

    def list(self, node: SyntaxTreeNode, context: Context) -> None:
        if context.example:
            for entry in node.children:
                self.leave(entry, f"under the example or sample heading {context.heading!r}")
            return
        for entry in node.children:
            paragraphs = [child for child in entry.children if child.type == "paragraph"]
            nested = [child for child in entry.children if child.type != "paragraph"]
            if not paragraphs:
                self.blocks(nested, context)
                continue
            text, line = self.lazy_checkboxes(paragraphs[0], context)
            checkbox = _CHECKBOX.match(text)
            if checkbox or context.gate:
                detail = " ".join(_plain_tree(child) for child in nested)
                body = checkbox.group(2) if checkbox else text
                kind = "checkbox" if checkbox else "gate-list"
                self.add(body, line, context, kind, detail, kind if checkbox else context.structure)
                continue
            title = text.split("\n")[0].rstrip(":").strip()
            head = text.split("\n")[0]
            if not (
                self.inline_checklist(head, line, context)
                or self.labelled_item(paragraphs[0], text, line, context)
            ):
                self.prose(text, line, context)
            self.blocks(paragraphs[1:], context)
            if nested:
                self.blocks(nested, context.under(title, label=True))

    def inline_checklist(self, line_text: str, line: int, context: Context) -> bool:
        """``Deployment checklist: a, b, c`` gives one item per part; False if not that shape."""
        labelled = _LABEL.match(line_text.strip())
        if not (labelled and labelled.group(2) and is_checklist_label(labelled.group(1))):
            return False
        if ACTIVITY_HEADING.search(context.heading) and not GATE_WORDS.search(labelled.group(1)):
            return False
        inline = context.under(labelled.group(1))
        for part in _split_commas(labelled.group(2)):
            self.add(part, line, inline, "inline")
        return True

    def box(self, lines: list[str], first_line: int, context: Context) -> None:
        """Text drawn in a box outside a fence: its bullets under a gate label are gate items."""
        label: Context | None = None
        for index, raw in enumerate(lines):
            line = _BOX_DRAWING.sub(" ", raw).strip()
            bullet = _BOX_BULLET.match(line)
            if bullet and label is not None and label.gate:
                self.add(
                    bullet.group(1), first_line + index, label, "gate-list", "", "box-gate-list"
                )
            elif line.endswith(":") and len(line) <= 100:
                label = context.under(line[:-1].strip(), label=True)
        self.left_out.append(
            LeftOut(first_line, "(box drawing)", "ASCII diagram: only bullets under a gate label")
        )

    def labelled_item(
        self, paragraph: SyntaxTreeNode, text: str, line: int, context: Context
    ) -> bool:
        """``**Label**: value`` as one candidate, with all its sentences: one line, one promise.
        False if the item does not open with a bold label and a colon."""
        children = [c for c in paragraph.children[0].children if c.type != "text" or c.content]
        if not children or children[0].type != "strong":
            return False
        label = _plain(children[0]).strip()
        labelled = _LABEL.match(" ".join(text.split()))
        if not (labelled and labelled.group(2) and labelled.group(1).strip() == label.rstrip(":")):
            return False
        self.add(
            f"{label.rstrip(':')}: {labelled.group(2)}", line, context, "prose", "", "labelled-item"
        )
        return True

    def lazy_checkboxes(self, paragraph: SyntaxTreeNode, context: Context) -> tuple[str, int]:
        """A list item's own text; checkbox lines that ran on into it lazily become items too."""
        line = self.line_of(paragraph)
        own: list[str] = []
        for index, text in enumerate(_plain(paragraph.children[0]).strip().split("\n")):
            checkbox = _CHECKBOX.match(text.strip())
            if index and checkbox:
                self.add(checkbox.group(2), line + index, context, "checkbox")
            else:
                own.append(text)
        return "\n".join(own), line

    def prose(self, text: str, first_line: int, context: Context) -> None:
        """Sentences (and the parts of ``Label: a, b, c`` sentences) as prose candidates."""
        labelled = _LABEL.match(text.strip())
        if labelled and (
            EXAMPLE_WORDS.search(labelled.group(1)) or SAMPLE_LABEL.search(labelled.group(1))
        ):
            self.left_out.append(
                LeftOut(first_line, _clean(text)[:120], "sample output, not a requirement")
            )
            return
        if _BOX_DRAWING.search(text):
            self.left_out.append(LeftOut(first_line, _clean(text)[:120], "ASCII diagram"))
            return
        position = 0
        for sentence in _SENTENCE_END.split(text):
            start = text.index(sentence, position)
            position = start + len(sentence)
            line = first_line + text.count("\n", 0, start + len(sentence) - len(sentence.lstrip()))
            sentence = " ".join(sentence.split())
            parts = [sentence]
            labelled = _LABEL.match(sentence)
            if labelled and "," in labelled.group(2):
                parts = _split_commas(labelled.group(2))
            for part in filter(None, parts):
                reason = _not_a_requirement(part)
                if reason:
                    self.left_out.append(LeftOut(line, _clean(part), reason))
                else:
                    self.add(part, line, context, "prose")

    def add(
        self,
        text: str,
        line: int,
        context: Context,
        kind: str,
        detail: str = "",
        structure: str = "",
    ) -> None:
        text = _clean(text)
        if len(text) < 3 or context.example:
            return
        negative = context.negative or bool(NEGATIVE_TEXT.search(text))
        item = ChecklistItem(
            text, line, context.heading, kind, context.phase, detail.strip(),
            structure or kind, negative,
        )  # fmt: skip
        self.items.append(item)


def _not_a_requirement(part: str) -> str:
    """Why a prose part is not a requirement at all, or ""."""
    if part[:1] in "\"'“":
        return "quoted sample output"
    if _PAST_RESULT.match(part):
        return "reports a result, does not require one"
    if _NOT_A_RULE.search(part):
        return "a priority, persona or pitfall, not a rule"
    return ""


def _plain(inline: SyntaxTreeNode) -> str:
    """Inline Markdown as the text a reader sees: no emphasis markers, backticks or link targets."""
    parts: list[str] = []
    for child in inline.children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "html_inline":
            continue
        else:
            parts.append(_plain(child))
    return "".join(parts)


def _plain_tree(node: SyntaxTreeNode) -> str:
    if node.type == "inline":
        return _plain(node).replace("\n", " ")
    return " ".join(_plain_tree(child) for child in node.children)


def _is_only_bold(inline: SyntaxTreeNode) -> bool:
    meaningful = [
        c for c in inline.children if not (c.type == "text" and c.content.strip() in ("", ":"))
    ]
    return len(meaningful) == 1 and meaningful[0].type == "strong"


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(?:[-*•]\s+|and\s+)", "", text)
    return text.rstrip(".;,").strip()


def _split_commas(text: str) -> list[str]:
    """Split ``a, b (x, y), c`` on the commas outside brackets."""
    parts, depth, current = [], 0, []
    for char in text:
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]
