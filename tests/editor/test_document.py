"""The round-trip layer: form edits change only what they touch, comments and layout stay."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from massgen_tui.config import check_text
from massgen_tui.editor.document import ConfigDocument, DocumentError

BUNDLED = sorted((Path(__file__).parents[2] / "configs").glob("*.yaml"))

COMMENTED = """\
# Team notes: keep this header.
agents:
  - id: gpt   # the fast one
    backend:
      type: openai
      model: gpt-5-mini    # cheap
      reasoning: {effort: low}
    system_message: "Answer briefly."
  - id: claude
    backend:
      type: claude
      model: claude-sonnet-4-6
      # temperature: 0.2   (tried, too dull)

# Session settings below.
timeout_settings:
  orchestrator_timeout_seconds: 600
"""


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """Pairs of (old, new) lines that differ, for texts with the same number of lines."""
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new), after
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_config_round_trips_byte_for_byte(path):
    text = path.read_text(encoding="utf-8")
    assert ConfigDocument.parse(text).dump() == text


def test_changing_a_value_changes_only_that_line_and_keeps_its_comment():
    document = ConfigDocument.parse(COMMENTED)
    document.set(("agents", 0, "backend", "model"), "gpt-5")
    assert changed_lines(COMMENTED, document.dump()) == [
        ("      model: gpt-5-mini    # cheap", "      model: gpt-5         # cheap")]  # the comment keeps its column


def test_quoted_strings_stay_quoted_and_flow_mappings_stay_flow():
    document = ConfigDocument.parse(COMMENTED)
    document.set(("agents", 0, "system_message"), "Answer in one line.")
    document.set(("agents", 0, "backend", "reasoning", "effort"), "high")
    assert changed_lines(COMMENTED, document.dump()) == [
        ("      reasoning: {effort: low}", "      reasoning: {effort: high}"),
        ('    system_message: "Answer briefly."', '    system_message: "Answer in one line."'),
    ]


def test_a_new_key_goes_after_the_comments_under_the_last_key_and_before_the_blank_line():
    document = ConfigDocument.parse(COMMENTED)
    document.set(("agents", 1, "backend", "temperature"), 0.7)
    text = document.dump()
    assert "      # temperature: 0.2   (tried, too dull)\n      temperature: 0.7\n\n# Session settings below." in text
    assert text.replace("      temperature: 0.7\n", "") == COMMENTED


def test_removing_a_key_keeps_the_comments_after_it_and_drops_an_emptied_section():
    document = ConfigDocument.parse(COMMENTED)
    document.set(("timeout_settings", "orchestrator_timeout_seconds"), None)
    assert document.dump() == COMMENTED.replace("timeout_settings:\n  orchestrator_timeout_seconds: 600\n", "")


def test_adding_moving_and_removing_agents_keeps_the_gap_before_the_next_section():
    document = ConfigDocument.parse(COMMENTED)
    document.add_agent({"id": "gemini", "backend": {"type": "gemini", "model": "gemini-2.5-flash"}})
    text = document.dump()
    assert "      # temperature: 0.2   (tried, too dull)\n  - id: gemini\n" in text
    assert "      model: gemini-2.5-flash\n\n# Session settings below.\n" in text
    assert document.move_agent(2, -5) == 0
    assert [a["id"] for a in document.agents] == ["gemini", "gpt", "claude"]
    document.remove_agent(0)
    assert document.dump() == COMMENTED


def test_duplicating_an_agent_copies_its_comments_under_a_new_id():
    document = ConfigDocument.parse(COMMENTED)
    assert document.duplicate_agent(0, "gpt_copy") == 1
    text = document.dump()
    assert "  - id: gpt_copy # the fast one\n" in text
    assert [a["id"] for a in document.agents] == ["gpt", "gpt_copy", "claude"]
    _config, issues = check_text(text, env={"OPENAI_API_KEY": "k", "ANTHROPIC_API_KEY": "k"})
    assert issues == []


def test_a_single_agent_file_becomes_a_list_in_the_same_place_when_a_second_agent_is_added():
    text = ("# one agent\nagent:\n  id: solo\n  backend:\n    type: openai\n    model: gpt-5\n"
            "ui:\n  logging_enabled: false\n")
    document = ConfigDocument.parse(text)
    assert document.agent_path(0) == ("agent",)
    document.add_agent({"id": "two", "backend": {"type": "openai", "model": "gpt-5-mini"}})
    assert document.dump() == (
        "# one agent\nagents:\n  - id: solo\n    backend:\n      type: openai\n      model: gpt-5\n"
        "  - id: two\n    backend:\n      type: openai\n      model: gpt-5-mini\nui:\n  logging_enabled: false\n")


def test_the_empty_team_list_turns_into_a_block_list():
    document = ConfigDocument.parse("agents: []\n")
    document.add_agent({"id": "a", "backend": {"type": "openai", "model": "gpt-5"}})
    assert document.dump() == "agents:\n  - id: a\n    backend:\n      type: openai\n      model: gpt-5\n"


def test_indentation_of_the_file_is_kept_for_new_entries():
    text = "agents:\n- id: a\n  backend:\n    type: openai\n    model: gpt-5\n"
    document = ConfigDocument.parse(text)
    document.add_agent({"id": "b", "backend": {"type": "openai", "model": "gpt-5"}})
    assert document.dump() == text + "- id: b\n  backend:\n    type: openai\n    model: gpt-5\n"


@pytest.mark.parametrize("value", ["yes", "off", "null", "1.5", "2024-10-21", "~"])
def test_strings_the_validator_would_read_as_something_else_are_quoted(value):
    document = ConfigDocument.parse("agents: []\n")
    document.add_agent({"id": value, "backend": {"type": "openai", "model": value}})
    data = yaml.safe_load(document.dump())
    assert data["agents"][0] == {"id": value, "backend": {"type": "openai", "model": value}}


def test_multi_line_text_is_written_as_a_block():
    document = ConfigDocument.parse("agent:\n  backend: {type: openai, model: gpt-5}\n")
    document.set(("agent", "system_message"), "Be brief.\nCite sources.")
    assert "  system_message: |\n    Be brief.\n    Cite sources.\n" in document.dump()
    assert yaml.safe_load(document.dump())["agent"]["system_message"] == "Be brief.\nCite sources.\n"


def test_json_keeps_key_order_and_indentation():
    text = '{\n    "ui": {"logging_enabled": true},\n    "agent": {"backend": {"type": "openai", "model": "m"}}\n}\n'
    document = ConfigDocument.parse(text, as_json=True)
    document.set(("agent", "backend", "model"), "gpt-5")
    document.add_agent({"id": "b", "backend": {"type": "claude", "model": "claude-haiku-4-5"}})
    dumped = document.dump()
    assert dumped.startswith('{\n    "ui": {\n        "logging_enabled": true\n    },\n    "agents": [\n')
    assert check_text(dumped, Path("t.json"), env={"OPENAI_API_KEY": "k", "ANTHROPIC_API_KEY": "k"})[1] == []


@pytest.mark.parametrize("text", ["agents: [\n", "- just\n- a list\n", "agents: x\n  bad: indent\n"])
def test_text_the_form_cannot_edit_is_refused(text):
    with pytest.raises(DocumentError):
        ConfigDocument.parse(text)


def test_an_empty_file_is_an_empty_document():
    document = ConfigDocument.parse("")
    document.add_agent({"id": "a", "backend": {"type": "openai", "model": "gpt-5"}})
    assert document.dump().startswith("agents:\n  - id: a\n")


def test_a_field_cleared_and_typed_again_keeps_its_place():
    document = ConfigDocument.parse(COMMENTED)
    document.set(("agents", 0, "id"), None)
    document.set(("agents", 0, "id"), "fast")
    assert changed_lines(COMMENTED, document.dump()) == [
        ("  - id: gpt   # the fast one", "  - id: fast  # the fast one")]
