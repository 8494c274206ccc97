"""Romanized Arabic (Arabizi) and romanized Bengali, alone or mixed with English.

lingua reads Arabic and Bengali in their own scripts only; written in Latin letters they come out
as Somali, Yoruba or English, so their mixing with English was never found. Like romanized Hindi
they are read here by hand-written word lists (``roman_lexicon.py``):

- a list word is **strong** when English does not use it often (Zipf under
  ``ENGLISH_MAX_ZIPF``), no other Latin-script language of wordfreq does (under
  ``OTHER_MAX_ZIPF``) and the romanized Hindi and Tagalog lists do not hold it; other list
  words ("ana", "ami", "ache") are **weak** and count only beside strong ones;
- Arabizi spells sounds with digits ("3ayez", "7abibi", "ba2a"), so words are read with their
  digits here (the other detectors drop digits from words);
- greetings, oaths and exclamations ("inshallah", "habibi", "yalla") make a text Arabizi but
  are no content: an English text with one of them is English.

A text is in the language when it holds ``MIN_WORDS`` list words in all and ``MIN_STRONG``
distinct strong content words (or one, when ``MIN_WORDS`` of its list words are not English
words: "ami ekhon office e achi"), more strong words than romanized Hindi words outside the list
(Bengali and Hindi share "ki", "ke", "na"); it is mixed with English when ``MIN_ENGLISH`` English
content words remain besides list words, names and courtesy words, as Taglish is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from analyzer.detect.lexicon import COURTESY, HINDI_ROMAN, TAGALOG
from analyzer.detect.roman_lexicon import ARABIZI, ARABIZI_INTERJECTIONS, BANGLISH
from analyzer.detect.roman_weak import WEAK
from analyzer.detect.spans import zipf

#: Zipf frequency (3 = once per million words) from which a list word is common in English, or
#: in another Latin-script language, and so only weak evidence ("ami" is Hungarian and French,
#: "niye" Turkish, "lage" German; "tumi" at 3.5 in Icelandic stays strong).
ENGLISH_MAX_ZIPF = 3.0
OTHER_MAX_ZIPF = 4.0
#: Distinct strong content words a text needs to be read as the language.
MIN_STRONG = 2
#: Distinct list words (strong or weak, content or not) it needs in all.
MIN_WORDS = 3
#: English content words besides list words, names and courtesy words that make it mixed.
MIN_ENGLISH = 2
#: Latin-script languages of wordfreq whose frequent words are weak evidence.
OTHER_LATIN = (
    "en", "es", "fr", "de", "it", "pt", "nl", "ca", "tr", "id", "ms", "sv", "da", "nb", "fi",
    "pl", "cs", "sk", "sl", "sh", "ro", "hu", "lt", "lv", "is", "fil", "vi",
)  # fmt: skip
#: The romanized languages read here, with their lists and their non-content words.
LISTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "ar": (ARABIZI, ARABIZI_INTERJECTIONS),
    "bn": (BANGLISH, frozenset()),
}
LANGUAGE_NAMES = {"ar": "romanized Arabic", "bn": "romanized Bengali"}

_TOKEN = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")
_LONG_RUN = re.compile(r"([a-z])\1{2,}")
#: An Arabizi digit between letters or before them ("sama7t", "3ayez", "fja2a"), in a word with
#: a vowel and at most two digits; units, ordinals and text-speak are left out below.
_DIGIT_WORD = re.compile(r"^(?=[a-z0-9]*[aeiouy])(?!(?:[a-z]*\d){3})[a-z]*[235679][a-z]+[a-z0-9]*$")
#: A number with a unit or an ordinal ("3am", "5gb", "2nd"), text-speak ("2day", "2fa"), or a
#: tool name of the "x2y" kind ("word2vec", "seq2seq").
_NOT_ARABIZI = re.compile(
    r"^\d+(?:am|pm|gb|mb|kb|tb|ghz|mhz|km|kg|mm|cm|ml|hr|hrs|min|mins|st|nd|rd|th|x|fa|ds|"
    r"day|days|nite|night|moro|morow|morrow|mrw|gether|go)$"
    r"|^[a-z]{2,}2(?:vec|seq|txt|img|pdf|csv|json|html|doc|text|md|py|go|js|sql|tex|png|jpg)$"
)
#: English Zipf frequency from which a part of four or more letters of a digit word is English
#: ("2question", "sentences2vec" are English words glued to a number, not Arabizi).
ENGLISH_PART_ZIPF = 3.5


@dataclass(frozen=True)
class RomanReading:
    """What the word lists find in one text for one romanized language."""

    lang: str
    words: frozenset[str]  # list words, strong or weak, content or not
    strong: frozenset[str]  # strong content words
    english: frozenset[str]  # English content words outside the list


def _weak_words() -> frozenset[str]:
    """Words of the lists that English or another Latin-script language uses often, or that the
    romanized Hindi and Tagalog lists hold (``roman_weak.py``, kept in step with
    :func:`weak_words_from_wordfreq` by a test)."""
    return WEAK


def weak_words_from_wordfreq() -> frozenset[str]:
    """The weak words computed from wordfreq (27 languages' lists, about 6 s)."""
    from wordfreq import zipf_frequency

    every = frozenset().union(*(words for words, _ in LISTS.values()))
    common = {
        word
        for word in every
        if zipf_frequency(word, "en") >= ENGLISH_MAX_ZIPF
        or any(zipf_frequency(word, lang) >= OTHER_MAX_ZIPF for lang in OTHER_LATIN)
    }
    return frozenset(common | (every & (HINDI_ROMAN | TAGALOG)))


def roman_tokens(text: str) -> list[str]:
    """Lower-cased words with their digits ("3ayez", "ma3lesh"), codes left out; a run of three
    or more of one letter is also read cut to one ("yallaaa" -> "yalla"); numbers are no words."""
    tokens = []
    for raw in _TOKEN.findall(text):
        if not (raw.islower() or raw[1:].islower()) and _is_code(raw):
            continue  # codes and product names ("AB7K2", "iPhone15", "bKash")
        token = raw.lower()
        tokens.append(token)
        short = _LONG_RUN.sub(r"\1", token)
        if short != token:
            tokens.append(short)
    return tokens


@lru_cache(maxsize=1)
def _strong_words() -> frozenset[str]:
    """Every list's strong content words."""
    every = frozenset().union(*(words - stop for words, stop in LISTS.values()))
    return every - _weak_words()


_QUICK_TOKEN = re.compile(r"[a-z0-9]+")
_LETTER_DIGIT = re.compile(r"[a-z][0-9]|[0-9][a-z]")


def _may_be_romanized(text: str) -> bool:
    """A cheap test before reading: a strong word of a list, or a word with a digit and a
    letter, is in the text."""
    low = text.lower()
    if _LETTER_DIGIT.search(low):
        return True
    return not _strong_words().isdisjoint(_QUICK_TOKEN.findall(low))


def _digit_word(token: str) -> bool:
    """An Arabizi word spelled with digits ("3ayez", "sama7t"): not a unit, an ordinal, text-
    speak or a tool name, and no part of four or more letters between its digits is English."""
    if not _DIGIT_WORD.match(token) or _NOT_ARABIZI.match(token):
        return False
    parts = [p for p in re.split(r"\d+", token) if len(p) >= 4]
    return not any(zipf(p, "en") >= ENGLISH_PART_ZIPF for p in parts)


def _is_code(raw: str) -> bool:
    """A code or a product name: a capital after a small letter ("iPhone15", "bKash"), or
    capitals after the first character with a digit after the first ("AB7K2", "H2O"; not a
    shouted "3AYEZ" or a capitalized "Ma3lesh")."""
    if any(a.islower() and b.isupper() for a, b in pairwise(raw)):
        return True
    return any(c.isupper() for c in raw[1:]) and any(c.isdigit() for c in raw[1:])


def read_roman(text: str, english: Iterable[str], names: frozenset[str]) -> RomanReading | None:
    """The romanized language the text is in (Arabizi or Bengali) with its English content
    words, or ``None`` when neither list reads it (``english``: the words the English lists
    find in the text; ``names``: capitalized rare words, lower-cased)."""
    if not _may_be_romanized(text):
        return None  # no strong word and no word spelled with digits: the common case
    tokens = set(roman_tokens(text)) - names
    english_words = frozenset(english)
    weak = _weak_words()
    best: RomanReading | None = None
    for lang, (words, interjections) in LISTS.items():
        found = frozenset(tokens & words)
        if lang == "ar":
            found |= {t for t in tokens if _digit_word(t)}
        strong = frozenset(found - weak - interjections)
        own = frozenset(found - english_words)
        if len(found) < MIN_WORDS or not (
            len(strong) >= MIN_STRONG or (strong and len(own) >= MIN_WORDS)
        ):
            continue
        if best is None or len(strong) > len(best.strong):
            rest = frozenset(english_words - words - names - COURTESY - found)
            best = RomanReading(lang, found, strong, rest)
    if best is None:
        return None
    hindi_only = tokens & HINDI_ROMAN - LISTS[best.lang][0]
    if len(hindi_only) >= len(best.strong):
        return None  # romanized Hindi with a few look-alikes
    return best


def is_mixed(reading: RomanReading) -> bool:
    """Whether English carries content beside the romanized language."""
    return len(reading.english) >= MIN_ENGLISH
