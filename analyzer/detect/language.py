"""Language and mixed-language (code-switching) detector.

Four signals, cheapest first:

1. **Scripts.** Every letter is assigned to a script by code-point range. Two scripts that each
   hold a real share of the query's words (e.g. Devanagari and Latin, Chinese and Latin) mean
   script mixing. A script that names its language (Devanagari, Bengali, Thai, Hangul, Kana, ...)
   gives ``language`` directly.
2. **Romanized Hindi.** A hand-written list (``lexicon.py``; lingua cannot see romanized Hindi
   at all, so this is the only route to Hinglish): two romanized Hindi words with an English
   one make Hinglish, unless the text is clearly in a European language whose words look like
   Hindi (German "mein", Italian "mai, se, ho"; ``spans.european_language``).
3. **Language spans** (``spans.py``): per-word likelihoods under en/es/fr/de/it/pt/nl from
   wordfreq and a Viterbi labelling with a cost per switch. A second language with a run of
   at least three words that clearly favour it is code-switching; names, quoted phrases, code
   identifiers and loanwords alone are not. For Spanish-English, the pair of chat and tweets,
   two clear words on each side suffice.
4. **lingua** (high-accuracy mode; 26 common languages first, then 73: all but Latin and
   Esperanto, when the first answer is not English) names the language of a
   monolingual query where the word lists leave doubt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from analyzer.detect.foreign import listed_language
from analyzer.detect.lexicon import (
    COURTESY,
    ENGLISH,
    HINDI_HOMOGRAPHS,
    HINDI_ROMAN,
    SPANISH,
    TAGALOG,
    TAGALOG_STRONG,
)
from analyzer.detect.naming import lingua_main, script_language
from analyzer.detect.romanized import LANGUAGE_NAMES, is_mixed, read_roman
from analyzer.detect.scripts import ScriptProfile, script_profile
from analyzer.detect.spans import (
    SPAN_LANGUAGES,
    european_language,
    small_list,
    without_quotes,
)
from analyzer.detect.switches import (
    MIN_SPANGLISH_WORDS,
    LanguageResult,
    few,
    foreign_switch,
    lang_shares,
    span_mix,
    spanglish,
)

#: Characters of a query the language detector reads (its head).
LANGUAGE_MAX_CHARS = 2000
#: Minimum distinct words each side of a Latin-script language pair must match.
MIN_LEXICON_WORDS = 2
#: Share of English words (by the word lists) from which an ASCII text skips the span model.
PLAIN_ENGLISH_SHARE = 0.9
#: Minimum share of romanized Hindi among the Hindi and English words of a Hinglish query.
MIN_HINDI_SHARE = 0.05
#: Minimum words (CJK: characters / 2) and share a second script needs for script mixing.
MIN_SCRIPT_WORDS = 2
MIN_SCRIPT_SHARE = 0.15

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@lru_cache(maxsize=1)
def _zipf_tables() -> tuple[dict[str, float], dict[str, float]]:
    """English and Spanish word frequencies (Zipf scale) from wordfreq's bundled small lists."""
    import math

    def zipf(lang: str) -> dict[str, float]:
        table = small_list(lang)
        return {w: math.log10(f * 1e9) for w, f in table.items() if f >= MIN_FREQUENCY}

    return zipf("en"), zipf("es")


#: Frequency (per word of running text) a word needs in wordfreq's list to count for a language:
#: 1e-6 is Zipf 3, "once per million words".
MIN_FREQUENCY = 1e-6
#: How much more frequent (in Zipf units, i.e. x10) a word must be in one language than in the
#: other to count for it alone.
ZIPF_MARGIN = 1.0


def _lexicon_hits(words: list[str]) -> dict[str, set[str]]:
    """Distinct words that belong to English, Spanish or romanized Hindi alone."""
    zipf_en, zipf_es = _zipf_tables()
    hits: dict[str, set[str]] = {"en": set(), "es": set(), "hi": set()}
    shared: list[str] = []
    for raw in words:
        word = raw.lower().replace("’", "'")
        if len(word) == 1 and word not in ("i", "y"):
            continue
        in_hi = word in HINDI_ROMAN
        in_es = word in SPANISH
        if in_hi and in_es:
            shared.append(word)
            continue
        if in_hi:
            hits["hi"].add(word)
            continue
        f_en = zipf_en.get(word, 0.0)
        f_es = zipf_es.get(word, 0.0)
        if word in ENGLISH or (f_en and f_en >= f_es + ZIPF_MARGIN):
            hits["en"].add(word)
        elif in_es or (f_es and f_es >= f_en + ZIPF_MARGIN):
            hits["es"].add(word)
    for word in shared:
        # a word in both lists joins whichever of the two the rest of the query supports
        hits["hi" if len(hits["hi"]) >= len(hits["es"]) else "es"].add(word)
    return hits


def detect_language(text: str) -> LanguageResult:
    """Detect the main language, the language mix and code-switching of one query.

    Parameters
    ----------
    text
        One query.

    Returns
    -------
    LanguageResult
        ``language``: ISO 639-1 code or ``"und"``; ``languages``: list of ``{"lang", "share"}``
        with shares summing to 1 (empty when undetermined); ``is_mixed_language``.
    """
    # the head of a long text decides: language does not change at character 2,000, and the
    # cost of the word lists and lingua grows with the length
    text = text[:LANGUAGE_MAX_CHARS]
    if not text.isascii():
        # lone surrogates cannot be encoded for lingua; they carry no language anyway
        text = text.encode("utf-8", "replace").decode("utf-8")
    # quoted phrases are what the query asks about ("Was heißt 'I couldn't care less'?"), not
    # the writer's language; a text that is all quotes keeps them
    own = without_quotes(text)
    words = _WORD.findall(own)
    if not words:
        own, words = text, _WORD.findall(text)
    if not words:
        return LanguageResult("und", [], False)
    profile = script_profile(words)
    latin_words = profile.words_by_script.get("latin", [])
    hits = _lexicon_hits(latin_words) if latin_words else {"en": set(), "es": set(), "hi": set()}
    mixed = _script_mix(profile, latin_words, hits)
    if mixed is not None:
        return mixed
    if profile.main_script != "latin":
        lang = script_language(profile.main_script, text) or lingua_main(text)
        return LanguageResult(lang, [{"lang": lang, "share": 1.0}], False)
    found = _romanized(text, latin_words, hits)
    if found is not None:
        return found
    if _plainly_english(own, latin_words, hits):
        return LanguageResult("en", [{"lang": "en", "share": 1.0}], False)
    return _latin_text(text, own, latin_words, hits)


def _latin_text(
    text: str, own: str, latin_words: list[str], hits: dict[str, set[str]]
) -> LanguageResult:
    """A Latin-script text that is not romanized Hindi or Tagalog: span mixing, a short
    Spanish-English switch, English with a language outside the span model, or one language."""
    found = span_mix(text)
    if found is None and len(hits["es"]) >= MIN_SPANGLISH_WORDS:
        found = spanglish(text, hits)
    if found is not None:
        return found
    lang = _latin_language(latin_words, hits, own)
    if lang == "en" or lang not in SPAN_LANGUAGES:
        # English or a language the span model does not read: English mixed with another
        # language outside the span model (``foreign.py``)
        found = foreign_switch(text)
        if found is not None:
            return found
    return LanguageResult(lang, [{"lang": lang, "share": 1.0}], False)


def _romanized(
    text: str, latin_words: list[str], hits: dict[str, set[str]]
) -> LanguageResult | None:
    """Romanized Arabic or Bengali, Taglish, Tagalog, Hinglish or romanized Hindi by the word
    lists, unless (for the last four) the text is in a language whose words look like them."""
    names = _names(latin_words)
    roman = _roman(without_quotes(text), hits, names)
    if roman is not None:
        return roman  # its strong words are rare in every European language: no look-alikes
    found = _taglish(latin_words, hits, names) or _hinglish(hits, names)
    if found is not None and european_language(text) is not None:
        return None  # German "mein", Italian "mai, se, ho": Hindi look-alikes
    hindi = found is not None and any(share["lang"] == "hi" for share in found.languages)
    if hindi and _hindi_look_alikes(text, hits):
        return None  # Malay "bro ko dah sampai ke blm?"
    return found


def _roman(text: str, hits: dict[str, set[str]], names: frozenset[str]) -> LanguageResult | None:
    """Romanized Arabic or Bengali by their word lists (``romanized.py``), alone or with
    English."""
    reading = read_roman(text, hits["en"], names)
    if reading is None:
        return None
    if not is_mixed(reading):
        return LanguageResult(reading.lang, [{"lang": reading.lang, "share": 1.0}], False)
    counts = {reading.lang: float(len(reading.words)), "en": float(len(reading.english))}
    shares = lang_shares(counts)
    evidence = (
        f"{LANGUAGE_NAMES[reading.lang]}: {few(reading.strong)}; English: {few(reading.english)}"
    )
    return LanguageResult(shares[0]["lang"], shares, True, evidence)


def _hindi_look_alikes(text: str, hits: dict[str, set[str]]) -> bool:
    """Whether the romanized Hindi words are all short ("ke", "ko", "se") and the text is in
    a listed language that has them (Malay "bro ko dah sampai ke blm?")."""
    if any(len(word) > 2 for word in hits["hi"]):
        return False
    return listed_language(text, lingua_main(text))


def _script_mix(
    profile: ScriptProfile, latin_words: list[str], hits: dict[str, set[str]]
) -> LanguageResult | None:
    """Two scripts each carrying enough words: each script's language by its own words."""
    ranked = profile.ranked
    if len(ranked) < 2:
        return None
    second, second_words = ranked[1]
    if not (
        second != "other"
        and second_words >= MIN_SCRIPT_WORDS
        and second_words / profile.total >= MIN_SCRIPT_SHARE
    ):
        return None
    counts: dict[str, float] = {}
    for script, n in ranked:
        if script == "other":
            continue
        script_words = " ".join(profile.words_by_script.get(script, []))
        lang = script_language(script, script_words) if script != "latin" else None
        if lang is None:
            # lingua on this script's words alone, or it would name the majority language
            lang = (
                _latin_language(latin_words, hits)
                if script == "latin"
                else lingua_main(script_words)
            )
        counts[lang] = counts.get(lang, 0.0) + n
    if len(counts) < 2:
        return None
    shares = lang_shares(counts)
    scripts = " + ".join(
        f"{script} '{' '.join(profile.words_by_script[script][:3])}'"
        for script, _ in ranked[:2]
        if script != "other"
    )
    return LanguageResult(shares[0]["lang"], shares, True, f"scripts: {scripts}")


#: English Zipf frequency under which a capitalized word inside a text is a name ("Jaipur",
#: "Amit", "Orlando"), not English content ("Today", "Temperature").
NAME_MAX_ZIPF = 4.0


def _names(words: Sequence[str]) -> frozenset[str]:
    """Capitalized words after the first that are rare in English (names), lower-cased."""
    zipf_en = _zipf_tables()[0]
    return frozenset(
        w.lower()
        for w in words[1:]
        if w[:1].isupper() and not w.isupper() and zipf_en.get(w.lower(), 0.0) < NAME_MAX_ZIPF
    )


def _hinglish(hits: dict[str, set[str]], names: frozenset[str]) -> LanguageResult | None:
    """Romanized Hindi words with English ones (or romanized Hindi alone); names, courtesy
    words and (in a text with romanized Hindi) Hindi homographs are not English content."""
    english = hits["en"] - names - COURTESY
    if len(hits["hi"]) >= MIN_LEXICON_WORDS:
        english -= HINDI_HOMOGRAPHS
    hits = {**hits, "en": english}
    n_en, n_es, n_hi = len(hits["en"]), len(hits["es"]), len(hits["hi"])
    strong_hi = any(len(w) >= 4 for w in hits["hi"])
    if not (n_hi >= MIN_LEXICON_WORDS or (n_hi == 1 and strong_hi and n_en >= 2)) or n_hi < n_es:
        return None
    if n_en >= 1 and n_hi / (n_hi + n_en) >= MIN_HINDI_SHARE:
        shares = lang_shares({"hi": float(n_hi), "en": float(n_en)})
        evidence = f"romanized Hindi: {few(hits['hi'])}; English: {few(hits['en'])}"
        return LanguageResult(shares[0]["lang"], shares, True, evidence)
    if n_en == 0:
        return LanguageResult("hi", [{"lang": "hi", "share": 1.0}], False)
    return None


#: Distinct Tagalog words a text needs to be read as Tagalog: three with two strong ones (in
#: no other list), or four with one.
MIN_TAGALOG_WORDS = 3
MIN_TAGALOG_STRONG = 2


def _taglish(
    latin_words: Sequence[str], hits: dict[str, set[str]], names: frozenset[str]
) -> LanguageResult | None:
    """Tagalog (three distinct Tagalog words, two of them in no other list, or four with one;
    more than the romanized Hindi ones) with English:
    mixed when two English content words remain besides names and courtesy words, Tagalog
    alone when none or one does; ``None`` when the text is not Tagalog."""
    tagalog = {w.lower() for w in latin_words} & TAGALOG
    n_strong = len(tagalog & TAGALOG_STRONG)
    enough = (len(tagalog) >= MIN_TAGALOG_WORDS and n_strong >= MIN_TAGALOG_STRONG) or (
        len(tagalog) > MIN_TAGALOG_WORDS and n_strong >= 1
    )
    if not enough or len(tagalog) <= len(hits["hi"]):
        return None
    english = hits["en"] - TAGALOG - names - COURTESY
    if len(english) < MIN_LEXICON_WORDS:
        return LanguageResult("tl", [{"lang": "tl", "share": 1.0}], False)
    shares = lang_shares({"tl": float(len(tagalog)), "en": float(len(english))})
    evidence = f"Tagalog: {few(tagalog)}; English: {few(english)}"
    return LanguageResult(shares[0]["lang"], shares, True, evidence)


def _plainly_english(text: str, latin_words: Sequence[str], hits: dict[str, set[str]]) -> bool:
    """An ASCII text whose words are ``PLAIN_ENGLISH_SHARE`` English by the word lists, with no
    Spanish or romanized Hindi word: no second language can hold a run of words in it, so the
    span model is skipped (the cheap path of most traffic)."""
    if not text.isascii() or hits["es"] or hits["hi"] or not latin_words:
        return False
    n_en = sum(w.lower().replace("’", "'") in hits["en"] for w in latin_words)
    return n_en >= PLAIN_ENGLISH_SHARE * len(latin_words)


def _latin_language(
    latin_words: Sequence[str], hits: dict[str, set[str]], text: str | None = None
) -> str:
    """Main language of Latin-script words: English by word list when clear, else lingua."""
    n = len(latin_words)
    if n == 0:
        return "und"
    n_en_tokens = sum(w.lower().replace("’", "'") in hits["en"] for w in latin_words)
    if n_en_tokens >= 0.6 * n and not hits["es"] and len(hits["hi"]) < MIN_LEXICON_WORDS:
        return "en"
    if len(hits["hi"]) >= 3 and len(hits["hi"]) > len(hits["en"]):
        return "hi"
    return lingua_main(text if text is not None else " ".join(latin_words))
