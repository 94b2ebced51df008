"""Agent workspaces: confined file tools, answer snapshots shared under anonymous labels, the final workspace."""
