"""Tools beyond the workflow: MCP servers, offered to the agents through the coordinator's tool loop."""
