"""A JSON request body sent as the query (``{"prompt": "..."}``, a chat-completions body): the
prompt inside it is what the user asked."""

from __future__ import annotations

import json
import re

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


#: A field of a record line that carries the user's words: ``input="..."``, ``msg=...``,
#: ``query: ...`` (quoted, or up to a tab, bar, semicolon or line end).
_RECORD_FIELD = re.compile(
    r"(?:^|(?<=[\s;|,&]))(?:input|prompt|query|q|msg|message|text|question|content|user_input"
    r"|request)\s*[=:]\s*(?:\"((?:[^\"\\]|\\.)+)\"|'([^'\n]+)'|([^\t|;\n]+))",
    re.IGNORECASE,
)
#: What makes the text before that field a record: another ``key=value``, a bar or a tab.
_RECORD_HEAD = re.compile(r"\w=\S|\||\t")
#: Words the field's value needs to be a prompt.
MIN_PROMPT_WORDS = 3


def record_prompt(text: str) -> str | None:
    """The user's words in one line of a bulk job's record (``task=assist; input="..."``,
    ``id=77103<TAB>msg=...``, ``Row 1184 | query: ...``), or ``None``."""
    if "=" not in text and "|" not in text and "\t" not in text:
        return None
    match = _RECORD_FIELD.search(text)
    if match is None or not (match.start() == 0 or _RECORD_HEAD.search(text[: match.start()])):
        return None
    value = next(group for group in match.groups() if group is not None).strip()
    return value if len(value.split()) >= MIN_PROMPT_WORDS else None


def embedded_prompt(text: str) -> str | None:
    """The user's words inside a request body or a record line (see :func:`payload_prompt`,
    :func:`record_prompt`), when they are not the whole text; ``None`` otherwise."""
    prompt = payload_prompt(text) or record_prompt(text)
    return prompt if prompt is not None and prompt != text else None
