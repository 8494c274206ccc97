"""Quoted passages and fenced code blanked out of a query, so that their sentences and joins are
not taken for the user's own request units (``units.py``)."""

from __future__ import annotations

import re

_MASKED = re.compile(
    r"```.*?(?:```|$)|(?<!\w)'(?:[^'\n]|(?<=\w)'(?=\w))+?'(?!\w)|\"[^\"\n]+?\"|“[^”\n]+?”|«[^»\n]+?»|`[^`\n]+`"
    r"|\([^()\n]{4,200}\)|\[[^\[\]\n]{4,200}\]",
    re.DOTALL,
)


def mask_quotes(text: str) -> str:
    """The text with quoted passages and fenced code blanked (same length): their sentences and
    joins are not the user's units."""
    return _MASKED.sub(_blank, text)


def _blank(match: re.Match[str]) -> str:
    quoted = match.group(0)
    if len(quoted) < 3:
        return quoted
    end = quoted[-2] if quoted[-2:-1] in (".", "?", "!", "。", "？", "！") else "x"
    return quoted[0] + "x" * (len(quoted) - 3) + end + quoted[-1]


#: A sentence that is one quoted passage (blanked by ``mask_quotes``): material, not an ask.
_QUOTE_ONLY = re.compile(r"^\s*['\"“«`]x+[.?!x]['\"”»`]\W*$")


def is_quote_only(sentence: str) -> bool:
    """Whether a sentence of the masked text is one quoted passage ("... suggest a clearer
    title? 'fix stuff in auth'"): the ask's input."""
    return bool(_QUOTE_ONLY.match(sentence))
