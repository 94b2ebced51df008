"""The config package stays cheap to import: the CLI loads it before any provider SDK."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = {"openai", "anthropic", "google", "mcp", "textual", "httpx2", "pydantic"}


def test_importing_config_loads_no_sdk_and_no_ui() -> None:
    code = "import sys, massgen_tui.config; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2]
    )
    loaded = set(run.stdout.split())
    assert "massgen_tui" in loaded
    assert loaded & HEAVY == set()
