"""The editor's fixtures, for the editor's reliability tests."""

from tests.editor.conftest import keys  # noqa: F401  (a fixture)
