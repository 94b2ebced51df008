"""The live screen's widgets: agent panels, the sidebar and the final answer view."""
