"""Scripts of a text: each word's script by code-point range, and the words per script.

Used by the language detector: two scripts that each hold a real share of a query's words are
script mixing; a script that names its language (Devanagari, Thai, Hangul, ...) gives it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "latin"),
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0530, 0x058F, "armenian"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x0900, 0x097F, "devanagari"),
    (0x0980, 0x09FF, "bengali"),
    (0x0A00, 0x0A7F, "gurmukhi"),
    (0x0A80, 0x0AFF, "gujarati"),
    (0x0B00, 0x0B7F, "oriya"),
    (0x0B80, 0x0BFF, "tamil"),
    (0x0C00, 0x0C7F, "telugu"),
    (0x0C80, 0x0CFF, "kannada"),
    (0x0D00, 0x0D7F, "malayalam"),
    (0x0D80, 0x0DFF, "sinhala"),
    (0x0E00, 0x0E7F, "thai"),
    (0x0E80, 0x0EFF, "lao"),
    (0x1000, 0x109F, "myanmar"),
    (0x10A0, 0x10FF, "georgian"),
    (0x1100, 0x11FF, "hangul"),
    (0x1200, 0x139F, "ethiopic"),
    (0x1780, 0x17FF, "khmer"),
    (0x1E00, 0x1EFF, "latin"),
    (0x3040, 0x30FF, "kana"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xAC00, 0xD7AF, "hangul"),
    (0xF900, 0xFAFF, "han"),
    (0xFF21, 0xFF5A, "latin"),
    (0xFF66, 0xFF9F, "kana"),
    (0x20000, 0x2FA1F, "han"),
)
#: Scripts written without spaces, counted per two characters as words.
UNSPACED = frozenset({"han", "kana", "thai", "lao", "khmer", "myanmar"})


@lru_cache(maxsize=4096)
def script_of(code: int) -> str:
    for low, high, name in RANGES:
        if low <= code <= high:
            return name
    return "other"


def word_script(word: str) -> str:
    if word.isascii():
        return "latin"
    counts = Counter(script_of(ord(ch)) for ch in word)
    return counts.most_common(1)[0][0]


@dataclass(frozen=True)
class ScriptProfile:
    """Word weights per script, ranked (unspaced scripts weigh by length), and words by script."""

    ranked: list[tuple[str, float]]
    total: float
    words_by_script: dict[str, list[str]]

    @property
    def main_script(self) -> str:
        return self.ranked[0][0]


def script_profile(words: list[str]) -> ScriptProfile:
    script_words: dict[str, float] = {}
    words_by_script: dict[str, list[str]] = {}
    for word in words:
        script = word_script(word)
        if script == "han" and any(script_of(ord(c)) == "kana" for c in word):
            script = "kana"
        weight = max(1.0, len(word) / 2) if script in UNSPACED else 1.0
        script_words[script] = script_words.get(script, 0.0) + weight
        words_by_script.setdefault(script, []).append(word)
    # Japanese is written in kanji and kana together: one script family
    if script_words.get("kana") and script_words.get("han"):
        script_words["kana"] += script_words.pop("han")
    ranked = sorted(script_words.items(), key=lambda kv: (-kv[1], kv[0]))
    return ScriptProfile(ranked, sum(script_words.values()), words_by_script)
