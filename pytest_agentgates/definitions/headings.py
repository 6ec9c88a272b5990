"""What a heading or label says about the list below it: gate, refusal, topic, example, phase."""

from __future__ import annotations

import re
from dataclasses import dataclass

GATE_WORDS = re.compile(
    r"checklist|quality gates?|\bgates?\b|definition of done|\bdod\b|done criteria"
    r"|(acceptance|success|exit|completion|release|done) criteria|readiness"
    r"|\bpre-?(merge|commit|release|deploy(ment)?|flight|submit)\b"
    r"|before (marking|merging|committing|shipping|releasing|deploying|completing|submitting)"
    r"|\bwhen reviewing\b"
    r"|(quality|review) standards|phase validation|validation gates?|verification|quality bar"
    r"|(core|validation|quality|acceptance|completion|release|merge) requirements",
    re.IGNORECASE,
)
# "Technical Standards", "API design requirements:": a title naming the conditions work meets.
CONDITION_TITLE = re.compile(r"\b(standards|requirements)\W*$", re.IGNORECASE)
EXAMPLE_WORDS = re.compile(
    r"\bexamples?\b|\bsamples?\b|\btemplates?\b|\b(response|output|report) format"
    r"|notification|status update|progress update",
    re.IGNORECASE,
)
PHASE_WORDS = (
    (
        "done",
        re.compile(
            r"definition of done|\bdod\b|\bdone\b|before (marking|merging)|pre-?merge", re.I
        ),
    ),
    ("design", re.compile(r"\bdesign\b|\bplanning\b", re.I)),
    ("implementation", re.compile(r"\bimplementation\b|\bcoding\b", re.I)),
    ("testing", re.compile(r"\btest(s|ing)?\b|\bqa\b", re.I)),
    ("deployment", re.compile(r"\bdeploy(ment)?\b|\brelease\b|\bproduction\b|\brollout\b", re.I)),
)
_VERIFY_LABEL = re.compile(r"^\s*(verify|ensure|confirm|check)\s*$", re.IGNORECASE)
# A heading or label over a list of things that must not ship: each item is a negative promise.
REFUSAL_WORDS = re.compile(
    r"^\W*(\d+\.\s*)?(common |known )?(anti-?patterns?|red flags?|blocking (issues?|problems?"
    r"|conditions?)|blockers?|never\b|refuse|don'?ts\b|forbidden|prohibited|must not|not allowed"
    r"|reject)|\brefuse to (ship|merge)\b|\b(deployment|merge|release|ship) blockers?\b",
    re.IGNORECASE,
)
# A label that itself binds the list below it ("Always provide:", "You must deliver:").
MANDATORY_LABEL = re.compile(
    r"^\W*(always|you must|must)\b|\b(must|always|shall) (provide|include|deliver|produce|have"
    r"|meet|pass|ensure)\b|^\W*required\b",
    re.IGNORECASE,
)
# A bold sub-label under a gate heading that names a topic, not a block of conditions.
_CONDITIONS_LABEL = re.compile(
    r"\b(criteria|conditions|requirements|checks|until|must|before|these|following)\b", re.I
)
# A heading about the activity of setting standards ("Coding Standards Definition"): the labels
# below it name topics to define, not standards the work meets.
ACTIVITY_HEADING = re.compile(
    r"\b(standards|requirements|guidelines) (definition|creation|development|setting)\b"
    r"|\b(defin|establish|sett?)(e|es|ing) (the )?(standards|requirements)\b"
    r"|^\W*(establishing|setting|defining|building)\b",
    re.IGNORECASE,
)
# A title naming a topic, not conditions: its list is not a gate list even under a gate heading.
TOPIC_TITLE = re.compile(
    r"^\W*(tool(s|ing)?|technolog\w*|tech stack|stack|frameworks?|languages?|platforms?|resources"
    r"|librar(y|ies)|examples?|commands?)\b|\b(approach|techniques|methodolog\w*|patterns"
    r"|strateg(y|ies)|focus areas?|expertise|capabilities|competencies|skills|deliverables"
    r"|outputs?)\W*$",
    re.IGNORECASE,
)


def is_checklist_label(label: str) -> bool:
    return bool(
        GATE_WORDS.search(label) or CONDITION_TITLE.search(label) or _VERIFY_LABEL.match(label)
    )


def phase_named_in(text: str) -> str | None:
    """The phase a heading names, if any: the earliest phase word in it."""
    found = [(m.start(), phase) for phase, rx in PHASE_WORDS if (m := rx.search(text))]
    return min(found)[1] if found else None


@dataclass(frozen=True)
class Context:
    """What the headings above a block say about it."""

    heading: str = ""
    gate: bool = False
    example: bool = False
    phase: str | None = None
    structure: str = "gate-list"  # what a list item here is, when ``gate``
    negative: bool = False

    def under(self, title: str, label: bool = False, bold: bool = False) -> Context:
        """The context of a heading (or, with ``label``, a bold/colon line) titled ``title``.

        Under a gate heading, a sub-heading or bold sub-label ("**Fast Feedback Loop:**", a gate
        block) keeps the gate unless it names a topic ("Testing Strategy"); a plain label keeps
        it only when it names conditions ("… until it meets these criteria:"), since plain labels
        there ("Monitoring and observability:") mostly introduce topic lists.
        """
        example = bool(EXAMPLE_WORDS.search(title)) or self.example
        if example:
            return Context(title, False, True, phase_named_in(title) or self.phase)
        phase = phase_named_in(title) or self.phase
        if REFUSAL_WORDS.search(title):
            return Context(title, True, False, phase, "refusal-list", True)
        if ACTIVITY_HEADING.search(title):
            return Context(title, False, False, phase)  # setting standards, not meeting them
        if GATE_WORDS.search(title) or CONDITION_TITLE.search(title):
            return Context(title, True, False, phase)
        if label and MANDATORY_LABEL.search(title):
            return Context(title, True, False, phase, "mandatory-list")
        keeps = not label or bold or _CONDITIONS_LABEL.search(title)
        if self.gate and keeps and not TOPIC_TITLE.search(title):
            structure = "gate-block" if label and bold else self.structure
            return Context(title, True, False, phase, structure, self.negative)
        return Context(title, False, False, phase)
