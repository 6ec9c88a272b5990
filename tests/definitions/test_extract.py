"""Which lines of an agent definition become items (EXTRACTION.md), with their provenance."""

from __future__ import annotations

import textwrap

from pytest_agentgates.definitions.extract import extract_items, read_definition
from pytest_agentgates.definitions.frontmatter import decode, split


def items(markdown: str):
    return extract_items(textwrap.dedent(markdown).lstrip())


def texts(markdown: str, kind: str | None = None) -> list[str]:
    return [item.text for item in items(markdown) if kind is None or item.kind == kind]


def test_checkbox_items_anywhere_with_line_and_heading():
    found = items(
        """
        # Agent

        ### Testing Phase Validation
        - [ ] Unit tests cover **all** business logic
        * [x] Edge cases `thoroughly` tested
        1. [ ] Numbered box
        [ ] Bare box on its own line
        """
    )
    assert [(i.text, i.line, i.kind) for i in found] == [
        ("Unit tests cover all business logic", 4, "checkbox"),
        ("Edge cases thoroughly tested", 5, "checkbox"),
        ("Numbered box", 6, "checkbox"),
        ("Bare box on its own line", 7, "checkbox"),
    ]
    assert {i.heading for i in found} == {"Testing Phase Validation"}
    assert {i.heading_phase for i in found} == {"testing"}


def test_gate_headings_atx_bold_and_colon_lines():
    markdown = """
        ## Definition of Done
        - All tests passing
          - nested detail belongs to its parent

        ## Working agreements
        **Review Standards:**
        - Reviewed twice

        Backend development checklist:
        - Coverage above 85%

        ## Input Validation
        - Validate request bodies
        """
    found = items(markdown)
    assert found[1].heading == "Review Standards"
    gate_items = [(i.text, i.kind, i.heading_phase) for i in found if i.kind == "gate-list"]
    assert gate_items == [
        ("All tests passing", "gate-list", "done"),
        ("Reviewed twice", "gate-list", None),
        ("Coverage above 85%", "gate-list", None),
    ]
    assert found[0].detail == "nested detail belongs to its parent"
    assert "Validate request bodies" not in texts(markdown, "gate-list")


def test_inline_checklist_splits_on_commas_outside_brackets():
    found = texts(
        "Deployment checklist: CI green, coverage >80% (line, branch), no secrets.\n", "inline"
    )
    assert found == ["CI green", "coverage >80% (line, branch)", "no secrets"]


def test_code_fences_html_examples_and_sample_sections_yield_nothing():
    markdown = """
        ## Quality Gates
        ```markdown
        - [ ] Inside a fence
        ```

        <example>
        - [ ] Inside an example

        - [ ] Still inside the example after a blank line
        </example>

        ## Example output
        - [ ] Sample checklist
        - Achieved 88% test coverage

        Delivery notification: "Done. Achieved 88% test coverage."

        ## Definition of Done
        - [ ] Real item
        """
    assert texts(markdown) == ["Real item"]


def test_prose_candidates_are_sentences_and_label_parts():
    markdown = """
        Priorities: API design, 80%+ test coverage. All operations MUST have a rollback path
        completing in <5 minutes.
        """
    found = items(markdown)
    assert ("80%+ test coverage", 1) in [(i.text, i.line) for i in found]
    rollback = next(i for i in found if i.text.startswith("All operations"))
    assert rollback.text == "All operations MUST have a rollback path completing in <5 minutes"
    assert rollback.line == 1
    assert {i.kind for i in found} == {"prose"}


def test_duplicates_are_reported_once_citing_the_first_line():
    found = items("## Definition of Done\n- Tests pass\n- Lint clean\n- tests pass.\n")
    assert [(i.text, i.line) for i in found] == [("Tests pass", 2), ("Lint clean", 3)]


def test_broken_front_matter_is_read_line_by_line_with_one_warning(tmp_path):
    path = tmp_path / "agent.md"
    path.write_bytes(
        b"\xef\xbb\xbf---\r\nname: fixer\r\ndescription: Use when: things break\r\n"
        b"-----\r\n\r\n## Definition of Done\r\n- [ ] Tests pass\r\n"
    )
    definition = read_definition(path, "agent.md")
    assert definition.name == "fixer"
    assert len(definition.warnings) == 1
    assert definition.warnings[0].startswith("line 3: front matter is not valid YAML")
    assert [(i.text, i.line) for i in definition.items] == [("Tests pass", 7)]


def test_name_falls_back_to_the_file_stem(tmp_path):
    path = tmp_path / "api-builder.md"
    path.write_text("No front matter at all.\n", encoding="utf-8")
    assert read_definition(path, "api-builder.md").name == "api-builder"


def test_latin1_bytes_and_unclosed_front_matter_do_not_crash():
    assert decode(b"caf\xe9\r\n") == "caf\xe9\n"
    front = split("---\nname: x\nno closing line\n")
    assert front.fields == {} and front.warning and front.body.startswith("---")


def test_priorities_personas_and_pitfalls_are_not_promises():
    markdown = """
        Always prioritize security, 80% test coverage and speed in all work.
        I'm methodical, always ensuring 90% test coverage before changes.
        Common pitfalls: forgetting to keep lint clean. Always keep test coverage above 85%.
        """
    assert texts(markdown) == ["Always keep test coverage above 85%"]
