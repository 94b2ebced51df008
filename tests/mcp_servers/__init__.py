"""Real MCP servers for the tests, written with the SDK's MCPServer (FastMCP before mcp 2)."""
