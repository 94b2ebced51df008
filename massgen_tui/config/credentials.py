"""Which API key a backend uses: the explicit ``api_key``, else its preset's environment variable.

A key is only ever looked up for the host it belongs to: a ``chatcompletion`` backend pointed at
another provider's host uses that provider's variable, and one pointed at an unknown remote host
needs an explicit ``api_key`` (``OPENAI_API_KEY`` is never sent anywhere but OpenAI).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from massgen_tui.config.providers import ProviderPreset, is_local_url, preset_for_url


@dataclass(frozen=True, slots=True)
class KeyLookup:
    """The outcome of looking up a key.

    ``missing`` is true when a key is required and none was found; ``candidates`` then names the
    environment variables that would supply one (empty when only ``api_key`` can).
    """

    api_key: str | None = None
    env_name: str | None = None
    missing: bool = False
    candidates: tuple[str, ...] = ()


def lookup_api_key(
    preset: ProviderPreset, base_url: str | None, explicit: str | None, env: Mapping[str, str]
) -> KeyLookup:
    """Find the key for a backend of ``preset`` talking to ``base_url``."""
    if explicit:
        return KeyLookup(api_key=explicit)
    if not preset.needs_key or (base_url and is_local_url(base_url)):
        return KeyLookup()
    candidates = preset.api_key_envs
    if preset.type == "chatcompletion" and base_url:
        owner = preset_for_url(base_url)
        candidates = owner.api_key_envs if owner else ()
    for name in candidates:
        if env.get(name):
            return KeyLookup(api_key=env[name], env_name=name)
    return KeyLookup(missing=True, candidates=candidates)


def missing_key_advice(lookup: KeyLookup, *, in_file: bool) -> str:
    """What to set, e.g. ``set ANTHROPIC_API_KEY or api_key`` (``in_file`` offers ``api_key``)."""
    names = lookup.candidates
    if not names:
        where = "set api_key" if in_file else "use a config file with api_key"
        return f"{where} (no environment variable is used for this base_url)"
    named = names[0] + "".join(f" (or {name})" for name in names[1:])
    return f"set {named} or api_key" if in_file else f"set {named}"
