"""The main job: a team made in the form only, saved, read back by the loader and run."""

from __future__ import annotations

from massgen_tui.config import load_config
from tests.coordination.helpers import agent, run_session
from tests.editor.pilot import SIZE, choose, editor, editor_app, paste_into, type_into


async def test_a_three_agent_team_built_in_the_form_saves_loads_back_and_runs(fake, keys, tmp_path):
    target = tmp_path / "team.yaml"
    app = editor_app(None, keys)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # the chooser starts on "New empty team"
        await pilot.press("a")
        await paste_into(pilot, "#agent-id", "alpha")
        await choose(pilot, "#agent-type", "ch")  # type-to-search finds chatcompletion
        await paste_into(pilot, "#agent-model", "fake-a")
        await paste_into(pilot, "#agent-base-url", fake.base_url("openai"))
        await type_into(pilot, "#agent-temperature", "0.3")
        for agent_id, model in (("beta", "fake-b"), ("gamma", "fake-c")):
            await pilot.press("f2", "d")  # duplicate the selected agent, then change what differs
            await paste_into(pilot, "#agent-id", agent_id)
            await paste_into(pilot, "#agent-model", model)
        await type_into(pilot, "#session-timeout", "120")
        screen = editor(pilot)
        assert screen.issues == []
        assert "✓ valid" in str(screen.query_one("#status").render())

        await pilot.press("ctrl+s")  # untitled: Save As asks where
        await paste_into(pilot, None, str(target))
        await pilot.press("enter")
        assert target.exists() and not screen.dirty
        await pilot.press("ctrl+r")
    ran = app.return_value

    loaded = load_config(target, env={}).config
    assert [(a.id, a.backend.type, a.backend.model, a.backend.temperature) for a in loaded.agents] == [
        ("alpha", "chatcompletion", "fake-a", 0.3), ("beta", "chatcompletion", "fake-b", 0.3),
        ("gamma", "chatcompletion", "fake-c", 0.3)]
    assert {a.backend.base_url for a in loaded.agents} == {fake.base_url("openai")}
    assert loaded.timeout.orchestrator_timeout_seconds == 120
    assert ran is not None and ran.agents == loaded.agents and ran.source == target

    fake.responder("fake-a", agent("2+2 = 4", final="The answer is 4."))
    fake.responder("fake-b", agent("Four."))
    fake.responder("fake-c", agent("4"))
    run = await run_session(loaded, "What is 2+2?")
    assert run.result.status == "completed"
    assert run.result.final_answer == "The answer is 4."
    assert sorted({r.model for r in fake.requests}) == ["fake-a", "fake-b", "fake-c"]
