"""``massgen-tui eval``: score single agents, majority vote and the full protocol on a question set.

A core package: no Textual, no app imports.
"""
