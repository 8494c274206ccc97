"""A JSON request body sent as the query (``{"prompt": "..."}``, a chat-completions body): the
prompt inside it is what the user asked."""

from __future__ import annotations

import json

#: Bodies longer than this are not read (the multi-intent detector's own limit).
MAX_BODY_CHARS = 4000
#: Fields of an API request body that carry the user's prompt.
_PROMPT_KEYS = ("prompt", "input", "query", "question", "message", "text", "content", "instruction")


def payload_prompt(text: str) -> str | None:
    """The prompt inside a JSON request body sent as the query (``{"prompt": "..."}``, or the
    last user message of ``{"messages": [...]}``), or ``None``."""
    stripped = text.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")) or len(stripped) > MAX_BODY_CHARS:
        return None
    try:
        body = json.loads(stripped)
    except (ValueError, RecursionError):  # not JSON, or nested past the parser
        return None
    if not isinstance(body, dict):
        return None
    fields = {str(k).lower(): v for k, v in body.items()}
    messages = fields.get("messages")
    if isinstance(messages, list):
        users = [
            m.get("content") for m in messages if isinstance(m, dict) and m.get("role") == "user"
        ]
        fields = {"content": users[-1]} if users else {}
    found = (fields.get(key) for key in _PROMPT_KEYS)
    return next((v for v in found if isinstance(v, str) and v.strip()), None)
