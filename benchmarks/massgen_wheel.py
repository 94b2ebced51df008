"""MassGen's wheel for the compatibility scripts: one given with ``--wheel``, else downloaded by pip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def massgen_wheel(given: Path | None, version: str, folder: str) -> Path:
    """``given``, or ``massgen==version`` downloaded (``--no-deps``) into ``folder``."""
    if given is not None:
        return given
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", folder,
                    f"massgen=={version}"], check=True)
    return next(Path(folder).glob("massgen-*.whl"))
