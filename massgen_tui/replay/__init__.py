"""Replay: reading saved sessions (ours and MassGen's) back as the one event stream."""
