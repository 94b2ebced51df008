"""Reduce each protocol's request body to one neutral view: system text, messages and tools.

Messages are dicts ``{"role": "user"|"assistant"|"tool", "text", "tool_calls", "tool_call_id"}``;
a tool call is ``{"id", "name", "arguments"}`` with the arguments parsed from JSON when they parse
(left as the raw string otherwise). Every tool result becomes its own ``role: "tool"`` message.
Tools are ``{"name", "description", "parameters"}``; a provider's built-in tool (web search, code
execution) appears under its type name with empty parameters.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple


class Conversation(NamedTuple):
    system: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]


def _message(role: str, text: str = "", tool_calls: list | None = None, tool_call_id: str | None = None) -> dict:
    return {"role": role, "text": text, "tool_calls": tool_calls or [], "tool_call_id": tool_call_id}


def _tool_call(call_id: Any, name: str, arguments: Any) -> dict:
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError:
            pass
    return {"id": call_id, "name": name, "arguments": arguments}


def _tool(name: str, description: str | None, parameters: Any) -> dict:
    return {"name": name, "description": description or "", "parameters": parameters or {}}


def _text_of(content: Any) -> str:
    """Text of a message content that is a string or a list of typed parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    texts = []
    for part in content:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            texts.append(part["text"])
    return "\n".join(texts)


def _get(mapping: dict, camel: str, snake: str, default: Any = None) -> Any:
    """Gemini request keys arrive camelCase from REST clients and snake_case from some SDK paths."""
    return mapping.get(camel, mapping.get(snake, default))


def read_chat(body: dict) -> Conversation:
    system: list[str] = []
    messages = []
    for msg in body.get("messages") or []:
        role = msg.get("role")
        text = _text_of(msg.get("content"))
        if role in ("system", "developer"):
            system.append(text)
        elif role == "tool":
            messages.append(_message("tool", text, tool_call_id=msg.get("tool_call_id")))
        elif role == "assistant":
            calls = [
                _tool_call(call.get("id"), call["function"]["name"], call["function"].get("arguments", ""))
                for call in msg.get("tool_calls") or []
            ]
            messages.append(_message("assistant", text, calls))
        else:
            messages.append(_message("user", text))
    tools = []
    for tool in body.get("tools") or []:
        if tool.get("type") == "function":
            fn = tool["function"]
            tools.append(_tool(fn["name"], fn.get("description"), fn.get("parameters")))
        else:
            tools.append(_tool(tool.get("type", ""), None, None))
    return Conversation("\n".join(system), messages, tools)


def read_responses(body: dict) -> Conversation:
    system = [body["instructions"]] if isinstance(body.get("instructions"), str) else []
    messages: list[dict] = []
    items = body.get("input") or []
    if isinstance(items, str):
        items = [{"role": "user", "content": items}]
    for item in items:
        kind = item.get("type", "message")
        if kind == "function_call":
            call = _tool_call(item.get("call_id"), item["name"], item.get("arguments", ""))
            if messages and messages[-1]["role"] == "assistant":
                messages[-1]["tool_calls"].append(call)
            else:
                messages.append(_message("assistant", tool_calls=[call]))
        elif kind == "function_call_output":
            messages.append(_message("tool", _text_of(item.get("output")), tool_call_id=item.get("call_id")))
        elif kind == "message":
            role = item.get("role")
            text = _text_of(item.get("content"))
            if role in ("system", "developer"):
                system.append(text)
            else:
                messages.append(_message("assistant" if role == "assistant" else "user", text))
    tools = []
    for tool in body.get("tools") or []:
        if tool.get("type") == "function":
            tools.append(_tool(tool["name"], tool.get("description"), tool.get("parameters")))
        else:
            tools.append(_tool(tool.get("type", ""), None, None))
    return Conversation("\n".join(system), messages, tools)


def read_anthropic(body: dict) -> Conversation:
    messages = []
    for msg in body.get("messages") or []:
        content = msg.get("content")
        blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content or []
        texts, calls = [], []
        for block in blocks:
            kind = block.get("type")
            if kind == "text":
                texts.append(block["text"])
            elif kind == "tool_use":
                calls.append(_tool_call(block.get("id"), block["name"], block.get("input", {})))
            elif kind == "tool_result":
                result = _text_of(block.get("content"))
                messages.append(_message("tool", result, tool_call_id=block.get("tool_use_id")))
        if msg.get("role") == "assistant":
            messages.append(_message("assistant", "\n".join(texts), calls))
        elif texts:
            messages.append(_message("user", "\n".join(texts)))
    tools = [
        _tool(tool["name"], tool.get("description"), tool.get("input_schema"))
        if "input_schema" in tool
        else _tool(tool.get("name") or tool.get("type", ""), None, None)
        for tool in body.get("tools") or []
    ]
    return Conversation(_text_of(body.get("system")), messages, tools)


def _gemini_result_text(response: Any) -> str:
    """A functionResponse's payload: the bare value of a single output/result/content key, else JSON."""
    if isinstance(response, dict) and len(response) == 1:
        (key, value), = response.items()
        if key in ("output", "result", "content") and isinstance(value, str):
            return value
    return json.dumps(response, ensure_ascii=False)


def read_gemini(body: dict) -> Conversation:
    instruction = _get(body, "systemInstruction", "system_instruction")
    if isinstance(instruction, dict):
        instruction = instruction.get("parts")
    messages = []
    for content in body.get("contents") or []:
        texts, calls = [], []
        for part in content.get("parts") or []:
            call = _get(part, "functionCall", "function_call")
            result = _get(part, "functionResponse", "function_response")
            if call is not None:
                calls.append(_tool_call(call.get("id"), call["name"], call.get("args", {})))
            elif result is not None:
                text = _gemini_result_text(result.get("response"))
                messages.append(_message("tool", text, tool_call_id=result.get("id") or result.get("name")))
            elif isinstance(part.get("text"), str) and not part.get("thought"):
                texts.append(part["text"])
        if content.get("role") == "model":
            messages.append(_message("assistant", "\n".join(texts), calls))
        elif texts:
            messages.append(_message("user", "\n".join(texts)))
    tools = []
    for tool in body.get("tools") or []:
        for kind, value in tool.items():
            if kind in ("functionDeclarations", "function_declarations"):
                for decl in value:
                    parameters = decl.get("parameters") or _get(decl, "parametersJsonSchema", "parameters_json_schema")
                    tools.append(_tool(decl["name"], decl.get("description"), parameters))
            else:
                tools.append(_tool(kind, None, None))
    return Conversation(_text_of(instruction), messages, tools)


READERS = {"chat": read_chat, "responses": read_responses, "anthropic": read_anthropic, "gemini": read_gemini}
