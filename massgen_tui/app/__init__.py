"""The full-screen Textual app: every agent side by side, driven by the session's event stream.

Importing this package is cheap; the Textual app itself is in :mod:`massgen_tui.app.main`.
"""
