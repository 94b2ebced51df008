"""What each model is shown: the question, anonymous answers, history, and for the winner, its votes."""

from massgen_tui.coordination.prompts import final_messages, round_messages, single_agent_messages
from massgen_tui.coordination.session import anonymous_labels


def test_labels_follow_sorted_agent_ids_not_config_order():
    assert anonymous_labels(["zeta", "alpha", "mid"]) == {"alpha": "agent1", "mid": "agent2", "zeta": "agent3"}


def test_round_prompt_holds_the_question_and_each_latest_answer_under_its_label():
    system, user = round_messages("What is 2+2?", {"agent1": "4", "agent2": "four"}, system_message="Be terse.")
    assert system.role == "system" and system.content.startswith("Be terse.\n\n")
    assert "<original_message>\nWhat is 2+2?\n</original_message>" in user.content
    assert "<agent1>\n4\n</agent1>" in user.content and "<agent2>\nfour\n</agent2>" in user.content


def test_round_prompt_without_answers_asks_for_a_new_answer_and_shows_no_answer_block():
    system, user = round_messages("Q?", {})
    assert "No answers exist yet" in system.content
    assert "current_answers" not in user.content


def test_multi_turn_history_is_carried():
    _, user = round_messages("And times 3?", {}, history=[("What is 2+2?", "4")])
    assert "User: What is 2+2?\nAssistant: 4" in user.content
    assert user.content.index("conversation_history") < user.content.index("original_message")


def test_final_prompt_uses_real_ids_and_the_votes_received():
    _, user = final_messages("Q?", {"alpha": "4", "beta": "four"}, [("beta", "correct and short")])
    assert "<alpha>\n4\n</alpha>" in user.content
    assert "- beta: correct and short" in user.content


def test_prompts_stay_lean():
    system, user = round_messages("What is 2+2?", {"agent1": "4", "agent2": "4.", "agent3": "Four"})
    assert len(system.content) + len(user.content) < 700


def test_single_agent_mode_is_a_plain_conversation():
    messages = single_agent_messages("And then?", history=[("Hi", "Hello")], system_message="S")
    assert [(m.role, m.content) for m in messages] == [
        ("system", "S"), ("user", "Hi"), ("assistant", "Hello"), ("user", "And then?")
    ]
