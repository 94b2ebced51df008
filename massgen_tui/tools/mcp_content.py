"""The text a model gets back for an MCP tool result, from its content blocks."""

from __future__ import annotations

import json

import mcp_types

NO_OUTPUT = "(the tool returned no output)"


def result_text(result: mcp_types.CallToolResult) -> str:
    """Text blocks as they are; images, audio and binary resources as a short note; else structured content."""
    parts = [_block_text(block) for block in result.content]
    if not parts and result.structured_content is not None:
        parts.append(json.dumps(result.structured_content, ensure_ascii=False))
    return "\n".join(parts) or NO_OUTPUT


def _block_text(block: mcp_types.ContentBlock) -> str:
    if isinstance(block, mcp_types.TextContent):
        return block.text
    if isinstance(block, (mcp_types.ImageContent, mcp_types.AudioContent)):
        return f"[{block.type}: {block.mime_type}, {_decoded_size(block.data)} bytes, not shown]"
    if isinstance(block, mcp_types.EmbeddedResource):
        contents = block.resource
        if isinstance(contents, mcp_types.TextResourceContents):
            return contents.text
        kind = f"{contents.mime_type}, " if contents.mime_type else ""
        return f"[resource {contents.uri}: {kind}{_decoded_size(contents.blob)} bytes, not shown]"
    if isinstance(block, mcp_types.ResourceLink):
        return f"[resource link: {block.uri}" + (f" ({block.description})]" if block.description else "]")
    return str(block)


def _decoded_size(base64_text: str) -> int:
    return len(base64_text) * 3 // 4 - base64_text.count("=")
