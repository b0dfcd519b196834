"""MCP (Model Context Protocol) servers as tools: configuration, secrets, running servers."""
