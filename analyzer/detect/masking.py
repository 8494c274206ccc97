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
    """The text with quoted passages, fenced code and code after a colon blanked (same length):
    their sentences and joins are not the user's units."""
    return _CODE_AFTER_COLON.sub(_blank_code, _MASKED.sub(_blank, text))


#: The rest of a line after a colon, which may be inline code ("... and fix it: SELECT a,
#: COUNT(*) FROM t", "...: i = 0; while i < 10: print(i)").
_CODE_AFTER_COLON = re.compile(r"(?<=:)[ \t]+([^\n]{6,})")
#: Signs of code: an assignment or comparison, a call, a statement end, a brace, SQL.
_CODE_SIGNS = (
    re.compile(r"(?<![=!<>])==?(?!=)|[<>]=?\s*\d"),
    re.compile(r"\w\((?:[^()\n]*)\)"),
    re.compile(r";\s*\w"),
    re.compile(r"[{}]"),
    re.compile(r"\bSELECT\b.*\bFROM\b"),
)
#: Signs a line needs to be taken for code.
MIN_CODE_SIGNS = 2


def _blank_code(match: re.Match[str]) -> str:
    code = match.group(1)
    if sum(bool(sign.search(code)) for sign in _CODE_SIGNS) < MIN_CODE_SIGNS:
        return match.group(0)
    return match.group(0)[: match.start(1) - match.start(0)] + "x" * len(code)


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
