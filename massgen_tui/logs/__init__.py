"""Session logs: the append-only ``events.jsonl`` with its side files, and secret redaction."""
