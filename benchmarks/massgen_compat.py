"""MassGen compatibility: load every config MassGen ships with massgen-tui's loader and count outcomes.

Downloads MassGen's wheel with pip (``pip download --no-deps massgen==VERSION``; this script is not part of
the test suite, which never touches the network), reads each ``massgen/configs/**/*.yaml`` from it with dummy
API keys in the environment, and prints a table: loaded cleanly, loaded with warnings (by message kind),
rejected because a backend type is not implemented here, rejected for another reason, files that
are no team config, and tracebacks (which must be 0). Every ``${VAR}`` a file names gets a dummy value
(but ``${cwd}``, MassGen's placeholder for the backend's folder). ``--show`` lists the files of one
outcome, ``--warnings`` the most common warnings.

Usage: ``python benchmarks/massgen_compat.py [--version 0.1.97] [--wheel PATH] [--show OUTCOME] [--warnings]``
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.massgen_wheel import massgen_wheel  # noqa: E402
from massgen_tui.config import load_config  # noqa: E402
from massgen_tui.errors import ConfigError  # noqa: E402

DUMMY_KEYS = {name: "dummy-key-for-compat-check" for name in (
    "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "XAI_API_KEY", "ZAI_API_KEY",
    "CEREBRAS_API_KEY", "TOGETHER_API_KEY", "FIREWORKS_API_KEY", "GROQ_API_KEY", "NEBIUS_API_KEY",
    "OPENROUTER_API_KEY", "AZURE_OPENAI_API_KEY", "QWEN_API_KEY", "MOONSHOT_API_KEY", "KIMI_API_KEY",
    "DEEPSEEK_API_KEY", "POE_API_KEY", "AIML_API_KEY", "MINIMAX_API_KEY",
)} | {"AZURE_OPENAI_ENDPOINT": "https://example.openai.azure.com/"}
UNSUPPORTED = re.compile(r"is a MassGen backend that this version of massgen-tui does not run")


def wheel_configs(wheel: Path, into: Path) -> list[Path]:
    """Unpack the wheel's ``massgen/configs`` into ``into``; return the YAML files."""
    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if n.startswith("massgen/configs/") and n.endswith((".yaml", ".yml"))]
        for name in names:
            archive.extract(name, into)
    return sorted(into.glob("massgen/configs/**/*.y*ml"))


_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")


def classify(path: Path) -> tuple[str, list[str]]:
    """(outcome, messages) for one config file, with a dummy value for every variable it names."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if not re.search(r"^(agents?):", text, re.MULTILINE):
        return "not a team config (no agents)", []
    env = DUMMY_KEYS | {name: "https://example.com/v1" if name.endswith(("_URL", "_ENDPOINT")) else "dummy-value"
                        for name in _VARIABLE.findall(text) if name != "cwd"}
    try:
        loaded = load_config(path, env=env)
    except ConfigError as exc:
        messages = [str(issue) for issue in exc.issues]
        errors = [m for m in messages if ": error: " in m]
        if errors and all(UNSUPPORTED.search(m) for m in errors):
            return "rejected: unsupported MassGen backend", messages
        return "rejected: other error", messages
    except Exception:  # noqa: BLE001 - counting them is the point
        return "traceback", [traceback.format_exc()]
    warnings = [str(w) for w in loaded.warnings]
    return ("loaded with warnings" if warnings else "loaded cleanly"), warnings


def warning_kind(message: str) -> str:
    """A warning without its file position and key, to count kinds."""
    text = message.split(": warning: ", 1)[-1]
    return re.sub(r"'[^']*'", "'…'", text.split(": ", 1)[-1])[:110]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="0.1.97")
    parser.add_argument("--wheel", type=Path, help="a MassGen wheel already on disk")
    parser.add_argument("--show", help="list the files (and messages) of this outcome")
    parser.add_argument("--warnings", action="store_true", help="the most common warnings")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = massgen_wheel(args.wheel, args.version, tmp)
        configs = wheel_configs(wheel, Path(tmp) / "unpacked")
        os.chdir(Path(tmp) / "unpacked")  # relative paths in configs resolve as MassGen's own checkout would
        outcomes: dict[str, list[tuple[Path, list[str]]]] = collections.defaultdict(list)
        for path in configs:
            outcome, messages = classify(path)
            outcomes[outcome].append((path, messages))
        print(f"MassGen {args.version}: {len(configs)} shipped configs, loaded by massgen-tui")
        print("outcome | configs")
        print("--- | ---")
        for outcome in ("loaded cleanly", "loaded with warnings", "rejected: unsupported MassGen backend",
                        "rejected: other error", "not a team config (no agents)", "traceback"):
            print(f"{outcome} | {len(outcomes.get(outcome, []))}")
        if args.warnings:
            kinds = collections.Counter(warning_kind(m) for _, ms in outcomes.get("loaded with warnings", [])
                                        for m in ms)
            print("\nwarning | count")
            print("--- | ---")
            for kind, count in kinds.most_common(40):
                print(f"{kind} | {count}")
        if args.show:
            for path, messages in outcomes.get(args.show, []):
                print(f"\n{path.relative_to(Path(tmp) / 'unpacked')}")
                for message in messages[:6]:
                    print(f"  {message}")


if __name__ == "__main__":
    main()
