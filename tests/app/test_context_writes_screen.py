"""Before the final answer writes to the user's own folders, the app shows the files and the diff and asks."""

from __future__ import annotations

import pytest
from textual.app import App

from massgen_tui.app.context_writes_screen import ContextWritesScreen
from massgen_tui.config.model import ContextPath
from tests.app.screen_text import screen_text
from tests.app.test_app_session import make_app, until
from tests.conftest import make_team
from tests.fake_provider import CallTool, Reply, Text


def _site_team(fake, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "style.css").write_text("h1 {}\n")
    fake.script("solo", Reply(CallTool("edit_file", {"path": ".context/site/style.css", "old_text": "h1 {}",
                                                     "new_text": "h1 { color: red }"})),
                Reply(Text("Styled.")))
    config = make_team(fake, ("solo", "chatcompletion", "solo"))
    config.orchestrator.context_paths = [ContextPath("site", "write")]
    return config


@pytest.mark.parametrize(("key", "written"), [("y", "h1 { color: red }\n"), ("n", "h1 {}\n"), ("escape", "h1 {}\n")])
async def test_the_app_asks_before_writing_to_the_users_folder(fake, tmp_path, monkeypatch, key, written):
    monkeypatch.chdir(tmp_path)
    app = make_app(_site_team(fake, tmp_path), "Make the title red.", tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ContextWritesScreen) and "your folders" in screen_text(app),
                    seconds=30)
        shown = screen_text(app)
        assert "changes 1 file in your folders" in shown and "style.css" in shown
        assert "+h1 { color: red }" in shown and "-h1 {}" in shown
        assert (tmp_path / "site" / "style.css").read_text() == "h1 {}\n"  # nothing written while it asks
        await pilot.press(key)
        await until(pilot, lambda: app.live.view.turn_status != "", seconds=30)
        assert app.live.view.turn_status == "completed"
    assert (tmp_path / "site" / "style.css").read_text() == written


class _Asking(App[None]):
    def on_mount(self) -> None:
        self.push_screen(ContextWritesScreen(
            ["/home/me/site/style.css", "/home/me/site/index.html"],
            "--- a/style.css\n+++ b/style.css\n@@ -1 +1 @@\n-h1 {}\n+h1 { color: red }\n"
            "--- a/index.html\n+++ b/index.html\n@@ -1 +1 @@\n-<h1>old</h1>\n+<h1>new</h1>\n",
        ))


@pytest.mark.parametrize("size", [(200, 50), (80, 24)], ids=["200x50", "80x24"])
def test_snapshot_of_the_question(snap_compare, size):
    assert snap_compare(_Asking(), terminal_size=size)
