"""Secrets never leave the process: masked in config documents and in any text that is written."""

from massgen_tui.config.model import AgentConfig, BackendConfig, McpServerConfig, SessionConfig
from massgen_tui.logs.redact import MASK, Redactor, redact_document, secrets_of


def test_redactor_masks_every_known_secret_longest_first():
    redact = Redactor(["sk-abc123", "sk-abc123-extended", "tiny"])
    assert redact("key sk-abc123-extended and sk-abc123") == f"key {MASK} and {MASK}"
    assert redact("tiny stays: too short to be a key") == "tiny stays: too short to be a key"


def test_config_document_masks_secret_keys_and_headers_but_keeps_variable_references():
    raw = {"agents": [{"backend": {"type": "claude", "api_key": "sk-literal", "model": "m"}},
                      {"backend": {"api_key": "${ANTHROPIC_API_KEY}",
                                   "mcp_servers": {"gh": {"headers": {"X-Custom": "abc"},
                                                          "env": {"GITHUB_TOKEN": "ghp_x", "MODE": "ro"}}}}}]}
    out = redact_document(raw)
    assert out["agents"][0]["backend"] == {"type": "claude", "api_key": MASK, "model": "m"}
    second = out["agents"][1]["backend"]
    assert second["api_key"] == "${ANTHROPIC_API_KEY}"
    assert second["mcp_servers"]["gh"]["headers"] == {"X-Custom": MASK}
    assert second["mcp_servers"]["gh"]["env"] == {"GITHUB_TOKEN": MASK, "MODE": "ro"}
    assert raw["agents"][0]["backend"]["api_key"] == "sk-literal"  # the original is untouched


def test_secrets_come_from_keys_mcp_servers_and_secret_named_environment_variables():
    backend = BackendConfig(
        type="openai",
        family="openai",
        model="m",
        api_key="sk-resolved-key",
        mcp_servers=[
            McpServerConfig(
                name="s",
                type="stdio",
                headers={"Authorization": "Bearer zzz-999"},
                env={"API_TOKEN": "tok-123456", "PATH": "/usr/bin"},
            )
        ],
    )
    config = SessionConfig(agents=[AgentConfig(id="a", backend=backend)])
    found = secrets_of(config, env={"MY_SERVICE_API_KEY": "env-secret-1", "HOME": "/root"})
    assert set(found) == {"sk-resolved-key", "Bearer zzz-999", "tok-123456", "env-secret-1"}
