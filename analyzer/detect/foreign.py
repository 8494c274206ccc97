"""Code-switching between English and a language the span model does not read.

The span model (``spans.py``) labels words under seven European languages. A message that
mixes English with Swedish, Polish, Turkish, Indonesian, Vietnamese, Swahili ... has most of
its other words unknown to those lists, so it is not judged there. Here the other language is
named first, then the words are labelled under English and that language alone:

1. the words that English's frequency list finds rare (under ``ENGLISH_COMMON``; names, quoted
   phrases and code are left out as in ``spans.writer_tokens``) are given to lingua, which names
   the candidate language;
2. each word gets a log10 likelihood under English and under that language, from wordfreq's
   list for it where wordfreq has one (Swedish, Danish, Norwegian, Finnish, Polish, Czech,
   Slovak, Slovenian, Serbo-Croatian, Romanian, Hungarian, Turkish, Indonesian, Malay,
   Vietnamese, Tagalog, Icelandic, Latvian, Lithuanian), else a flat ``UNLISTED`` likelihood for
   every word (Swahili, Estonian, Welsh, Basque ...: a word is then the other language's when
   English finds it rarer than that);
3. a two-state Viterbi pass with ``spans.SWITCH_COST`` per switch labels every word, and the
   text is mixed when each language holds ``spans.MIN_SPAN_WORDS`` clear words (favouring it by
   ``spans.CLEAR_MARGIN``) and ``spans.MIN_SPAN_SHARE`` of the words, as in the span model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from analyzer.detect.lexicon import HINDI_ROMAN
from analyzer.detect.spans import (
    CLEAR_MARGIN,
    FLOOR,
    MIN_SPAN_SHARE,
    MIN_SPAN_WORDS,
    SPAN_LANGUAGES,
    SWITCH_COST,
    is_island,
    log_frequency,
    small_list,
    writer_tokens,
)

#: wordfreq's list for each language it has that the span model does not read (lingua code ->
#: wordfreq code); Latin-script languages only: other scripts mix by script.
WORDFREQ_CODES = {
    "sv": "sv", "da": "da", "nb": "nb", "nn": "nb", "fi": "fi", "pl": "pl", "cs": "cs",
    "sk": "sk", "sl": "sl", "hr": "sh", "sr": "sh", "bs": "sh", "ro": "ro", "hu": "hu",
    "tr": "tr", "id": "id", "ms": "ms", "vi": "vi", "tl": "fil", "is": "is", "lv": "lv",
    "lt": "lt",
}  # fmt: skip
#: Log10 frequency under which a word is rare in English (Zipf 3.5): such words name the
#: candidate language.
ENGLISH_COMMON = -5.5
#: Log10 likelihood of every word under a language wordfreq has no list for (Zipf 3.5).
UNLISTED = -5.5
#: Confidence lingua needs to name the other language from the words English finds rare.
MIN_NAMING_CONFIDENCE = 0.4
#: ... or this much when the language's wordfreq list knows the words.
MIN_LISTED_CONFIDENCE = 0.15
#: Languages lingua tells apart less surely than from the rest: their confidences add up when
#: the other language is named.
CLOSE_LANGUAGES = (
    frozenset({"da", "nb", "nn", "sv"}),
    frozenset({"id", "ms"}),
    frozenset({"cs", "sk"}),
    frozenset({"hr", "sr", "bs"}),
)
#: Share of a text's plain words a language's list must know for the text to be in it.
LISTED_COVERAGE = 0.9
_CAMEL = re.compile(r"[a-z][A-Z]")
_PLAIN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


@dataclass(frozen=True)
class ForeignMix:
    """English and ``other`` each carry content: shares of the labelled words and two runs."""

    other: str
    shares: dict[str, float]
    runs: list[tuple[str, str]]


@lru_cache(maxsize=32)  # the twenty-two lists above
def _log_table(code: str) -> dict[str, float]:
    return {w: math.log10(f) for w, f in small_list(code).items()}


def _english(word: str) -> float:
    return log_frequency(word, "en")


def _plain(text: str) -> list[tuple[int, int, str]]:
    """The writer's words (``spans.writer_tokens``) that are plain words: no code identifier,
    no dotted name, no acronym or camelCase name ("SSD", "PCIe", "sourceFS" stay with
    English)."""
    return [
        (a, b, w)
        for a, b, w in writer_tokens(text)
        if _PLAIN.fullmatch(w) and not text[a:b].isupper() and not _CAMEL.search(text[a:b])
    ]


def candidate_words(tokens: Sequence[tuple[int, int, str]]) -> list[str]:
    """The words that English finds rare: what names the other language."""
    return [w for _, _, w in tokens if _english(w) < ENGLISH_COMMON and len(w) > 1]


def foreign_mix(
    text: str, rank: Callable[[str], list[tuple[str, float]]], main: Callable[[str], str]
) -> ForeignMix | None:
    """English mixed with a language outside the span model, or ``None``.

    Parameters
    ----------
    text
        One query.
    rank
        Languages (ISO 639-1) of a string of words with their confidence, most likely first
        (lingua in the detector).
    main
        The language of a string of words (the detector's lingua, which keeps short English
        English).
    """
    tokens = _plain(text)
    rare = candidate_words(tokens)
    if len(rare) < max(MIN_SPAN_WORDS, MIN_SPAN_SHARE * len(tokens)):
        return None  # too few words for the other language to hold its share (cheap: no lingua)
    if len(tokens) - len(rare) < MIN_SPAN_WORDS:
        return None
    other = _named(rank(" ".join(rare)), rare)
    if other is None:
        return None
    code = WORDFREQ_CODES.get(other)
    table = _log_table(code) if code is not None else None
    scores = [
        (_english(w), (table.get(w, FLOOR) if table is not None else UNLISTED))
        for _, _, w in tokens
    ]
    path = _viterbi(scores)
    if is_island([(state, len(list(run))) for state, run in groupby(path)], 1):
        return None  # a name, a dish or a set phrase inside English
    english, foreign = _clear_words(tokens, scores, path)
    n_other = sum(path)
    shares = {"en": (len(path) - n_other) / len(path), other: n_other / len(path)}
    if min(len(english), len(foreign)) < MIN_SPAN_WORDS or min(shares.values()) < MIN_SPAN_SHARE:
        return None
    # each side's clear words read alone must be its language: Afrikaans "of die winkel more
    # oop is" is English word by word, not to lingua
    foreign_ranked = rank(" ".join(foreign))
    if main(" ".join(english)) != "en" or not foreign_ranked or foreign_ranked[0][0] == "en":
        return None
    if code is None and any(w in HINDI_ROMAN for (_, _, w), s in zip(tokens, path) if s):
        # lingua has no romanized Hindi: a Hindi title in English ("taarak mehta ka ooltah
        # chashmah") is named Swahili or Yoruba; the Hinglish rule reads romanized Hindi
        return None
    return ForeignMix(other, shares, _runs(text, tokens, path, other))


def _named(ranked: Sequence[tuple[str, float]], words: Sequence[str]) -> str | None:
    """lingua's first language when it is outside the span model and has, with its close
    relatives (Danish, Norwegian and Swedish; Malay and Indonesian ...), at least
    ``MIN_NAMING_CONFIDENCE``, or ``MIN_LISTED_CONFIDENCE`` when its wordfreq list knows
    ``LISTED_COVERAGE`` of ``words`` (short informal runs, "tolong bantu aku bikin"); else
    ``None``."""
    if not ranked:
        return None
    top = ranked[0][0]
    if top in SPAN_LANGUAGES or top == "und":
        return None
    group = next((g for g in CLOSE_LANGUAGES if top in g), frozenset({top}))
    confidence = sum(value for lang, value in ranked if lang in group)
    if confidence >= MIN_NAMING_CONFIDENCE:
        return top
    if confidence >= MIN_LISTED_CONFIDENCE and _listed(words, top):
        return top
    return None


def _clear_words(
    tokens: Sequence[tuple[int, int, str]],
    scores: Sequence[tuple[float, float]],
    path: Sequence[int],
) -> tuple[list[str], list[str]]:
    """The words of each state (English, the other language) that favour it by
    ``CLEAR_MARGIN``."""
    sides: tuple[list[str], list[str]] = ([], [])
    for (_, _, word), (en, ot), state in zip(tokens, scores, path):
        if (en - ot if state == 0 else ot - en) >= CLEAR_MARGIN:
            sides[state].append(word)
    return sides


def listed_language(text: str, lang: str) -> bool:
    """Whether wordfreq's list for ``lang`` (a language outside the span model) knows
    ``LISTED_COVERAGE`` of the text's plain words: Malay "ke, ko, aku" are not romanized Hindi
    in a Malay text."""
    return _listed([w for _, _, w in _plain(text)], lang)


def _listed(words: Sequence[str], lang: str) -> bool:
    """Whether ``lang`` has a wordfreq list that knows ``LISTED_COVERAGE`` of ``words``."""
    code = WORDFREQ_CODES.get(lang)
    if code is None or not words:
        return False
    table = _log_table(code)
    return sum(w in table for w in words) >= LISTED_COVERAGE * len(words)


def _viterbi(scores: Sequence[tuple[float, float]]) -> list[int]:
    """Most likely state per word (0 English, 1 the other language), ``SWITCH_COST`` per
    change of state."""
    total = list(scores[0])
    back: list[tuple[int, int]] = []
    for word in scores[1:]:
        # best way into each state: stay, or switch from the other state and pay for it
        came = [s if total[s] >= total[1 - s] - SWITCH_COST else 1 - s for s in (0, 1)]
        back.append((came[0], came[1]))
        total = [total[came[s]] - (SWITCH_COST if came[s] != s else 0.0) + word[s] for s in (0, 1)]
    state = 0 if total[0] >= total[1] else 1
    path = [state]
    for pointers in reversed(back):
        state = pointers[state]
        path.append(state)
    return path[::-1]


def _runs(
    text: str, tokens: Sequence[tuple[int, int, str]], path: Sequence[int], other: str
) -> list[tuple[str, str]]:
    """Up to four runs of two or more words: ``(language, the run's text)``."""
    runs: list[tuple[str, str]] = []
    start = 0
    for index in range(1, len(path) + 1):
        if index == len(path) or path[index] != path[start]:
            if index - start >= 2:
                lang = other if path[start] else "en"
                runs.append((lang, text[tokens[start][0] : tokens[index - 1][1]]))
            start = index
    return runs[:4]
