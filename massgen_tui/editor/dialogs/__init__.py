"""The editor's dialogs: choosing a config, unsaved changes, Save As, API keys, MCP servers."""

from massgen_tui.editor.dialogs.api_key import ApiKeyDialog, KeyEntry
from massgen_tui.editor.dialogs.changed import ChangedOnDiskDialog
from massgen_tui.editor.dialogs.chooser import Choice, ConfigChooser
from massgen_tui.editor.dialogs.mcp_server import McpServerDialog
from massgen_tui.editor.dialogs.save_as import SaveAsDialog
from massgen_tui.editor.dialogs.unsaved import UnsavedChangesDialog

__all__ = ["ApiKeyDialog", "ChangedOnDiskDialog", "Choice", "ConfigChooser", "KeyEntry", "McpServerDialog",
           "SaveAsDialog", "UnsavedChangesDialog"]
