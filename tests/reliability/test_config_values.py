"""Config values that must never pass: NaN and infinity, an unterminated ``${`` placeholder.

Keys written in flow style are hidden too.
"""

from __future__ import annotations

import pytest

from massgen_tui.config.loader import load_config
from massgen_tui.errors import ConfigError
from tests.app.screen_text import screen_text
from tests.editor.pilot import SIZE, editor_app
from tests.test_cli_headless import cli

TEAM = """\
agents:
  - id: a
    backend:
      type: openai
      model: gpt-5-mini
      api_key: sk-test-123
EXTRA"""


def errors_of(tmp_path, text: str) -> list[str]:
    path = tmp_path / "team.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    return [str(issue) for issue in caught.value.issues if issue.level == "error"]


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
def test_nan_and_infinity_are_refused_with_file_line_and_key(tmp_path, value):
    text = TEAM.replace("      api_key", f"      temperature: {value}\n      api_key").replace(
        "EXTRA", f"timeout_settings:\n  orchestrator_timeout_seconds: {value}\n")
    found = errors_of(tmp_path, text)
    shown = value.lstrip("-.").lower().replace("inf", "inf")
    assert len(found) == 2
    assert found[0].startswith(f"{tmp_path / 'team.yaml'}:6:20: error: agents[0].backend.temperature: "
                               "expected a finite number, got ")
    assert found[1].startswith(f"{tmp_path / 'team.yaml'}:9:33: error: timeout_settings.orchestrator_timeout_seconds: "
                               "expected a finite number")
    assert shown in found[0]


def test_an_unterminated_placeholder_is_an_error_never_used_as_written(tmp_path):
    found = errors_of(tmp_path, TEAM.replace("sk-test-123", "${OOPS").replace("EXTRA", ""))
    assert found == [f"{tmp_path / 'team.yaml'}:6:16: error: agents[0].backend.api_key: "
                     "unterminated ${ placeholder (a '}' is missing): write ${NAME}"]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_timeout_nan_or_inf_on_the_command_line_is_a_usage_error(tmp_path, value):
    result = cli(tmp_path, "--model", "gpt-5-mini", f"--timeout={value}", "Q?")
    assert result.returncode == 2
    assert "--timeout must be a positive, finite number of seconds" in result.stderr


async def test_the_editor_hides_a_flow_style_key_like_a_block_style_one(tmp_path, keys):
    secret = "sk-ant-FLOW-SECRET-987654"
    path = tmp_path / "team.yaml"
    path.write_text(f'agents:\n  - id: a\n    backend: {{api_key: "{secret}", type: claude}}\n')
    app = editor_app(path, keys)
    async with app.run_test(size=SIZE):
        shown = screen_text(app)
        assert secret not in shown and "{api_key: " + "*" * (len(secret) + 2) + ", type: cla" in shown
