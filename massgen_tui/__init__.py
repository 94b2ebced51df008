"""massgen-tui: a terminal home for MassGen-style multi-agent LLM sessions."""

__version__ = "0.1.0"
