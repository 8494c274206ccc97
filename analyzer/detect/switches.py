"""Latin-script code-switching: the language result and the switches the word lists find.

Mixes of the span model's languages (``spans.py``; a short run inside the main language is a
name, not a switch), short Spanish-English switches of chat and tweets, and English with a
language outside the span model (``foreign.py``). ``language.detect_language`` asks them in turn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from analyzer.detect.foreign import foreign_mix
from analyzer.detect.naming import lingua_main, lingua_ranked
from analyzer.detect.spans import (
    clear_words,
    could_judge,
    could_mix,
    is_island,
    language_spans,
    mixed_spans,
    span_shares,
)

#: Distinct words each side of a short Spanish-English switch needs.
MIN_SPANGLISH_WORDS = 2
#: Share of the words the span model must give to English and Spanish for a short switch.
MIN_EN_ES_SHARE = 0.8
#: Spanish words that mostly occur inside names in English text ("Los Angeles", "El Paso").
# fmt: off
_NAME_PARTICLES = frozenset({"el", "la", "los", "las", "de", "del", "san", "santa", "un", "y",
                             "fe", "dia", "mar", "sierra", "madre", "casa", "rio", "loma"})
# fmt: on


@dataclass(frozen=True)
class LanguageResult:
    """Language fields of one query (see ``detect_language``); ``evidence``: for a mixed query,
    what showed it (the language spans, the romanized Hindi words, the scripts)."""

    language: str
    languages: list[dict[str, Any]]
    is_mixed_language: bool
    evidence: str = ""


def lang_shares(counts: dict[str, float]) -> list[dict[str, Any]]:
    """``[{"lang", "share"}]`` from counts per language, largest first, shares summing to 1."""
    total = sum(counts.values())
    if total <= 0:
        return []
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"lang": lang, "share": value / total} for lang, value in ordered]


def foreign_switch(text: str) -> LanguageResult | None:
    """English mixed with a language outside the span model (``foreign.py``), or ``None``."""
    mix = foreign_mix(text, lingua_ranked, lingua_main)
    if mix is None:
        return None
    shares = lang_shares(mix.shares)
    evidence = "spans: " + " | ".join(f"{lang} '{cut_snippet(run)}'" for lang, run in mix.runs)
    return LanguageResult(shares[0]["lang"], shares, True, evidence)


def span_mix(text: str) -> LanguageResult | None:
    """Two or more of en/es/fr/de/it/pt/nl/ca each carrying a run of words (``spans.py``) that
    is not a short island inside the main language."""
    if not could_mix(text):
        return None
    spans = language_spans(text)
    runs_by_lang = [(span.lang, span.n_words) for span in spans]
    mixed = [lang for lang in mixed_spans(spans) if not is_island(runs_by_lang, lang)]
    if len(mixed) < 2:
        return None
    shares = span_shares(spans)
    counts = {lang: shares[lang] for lang in mixed}
    runs = [s for s in spans if s.lang in mixed and s.n_words >= 2][:4]
    evidence = "spans: " + " | ".join(
        f"{s.lang} '{cut_snippet(text[s.start : s.end])}'" for s in runs
    )
    return LanguageResult(mixed[0], lang_shares(counts), True, evidence)


def spanglish(text: str, hits: dict[str, set[str]]) -> LanguageResult | None:
    """Spanish-English with short switches (chat and tweets): at least ``MIN_SPANGLISH_WORDS``
    distinct words that favour Spanish over English (and over French, Italian, Portuguese,
    ...) and as many that favour English, names, quotes and code left out."""
    # "los angeles", "la vida loca": name particles alone make no Spanish
    spanish = clear_words(text, "es", "en")
    if len(spanish) < MIN_SPANGLISH_WORDS or set(spanish) <= _NAME_PARTICLES:
        return None
    if not could_judge(text):
        return None
    english = clear_words(text, "en", "es")
    if len(english) < MIN_SPANGLISH_WORDS:
        return None
    shares_by_span = span_shares(language_spans(text))
    if shares_by_span.get("en", 0.0) + shares_by_span.get("es", 0.0) < MIN_EN_ES_SHARE:
        return None  # French, Portuguese, Italian ... words that happen to match Spanish
    shares = lang_shares({"es": float(len(spanish)), "en": float(len(english))})
    evidence = f"Spanish: {few(spanish)}; English: {few(english)}"
    return LanguageResult(shares[0]["lang"], shares, True, evidence)


def few(words: Iterable[str], n: int = 4) -> str:
    return ", ".join(sorted(words)[:n])


def cut_snippet(snippet: str, limit: int = 30) -> str:
    flat = " ".join(snippet.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
