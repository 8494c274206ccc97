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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from analyzer.detect.foreign import foreign_mix, listed_language
from analyzer.detect.lexicon import (
    COURTESY,
    ENGLISH,
    HINDI_HOMOGRAPHS,
    HINDI_ROMAN,
    SCRIPT_LANGUAGE,
    SPANISH,
    TAGALOG,
    TAGALOG_STRONG,
)
from analyzer.detect.scripts import ScriptProfile, script_profile
from analyzer.detect.spans import (
    ISLAND_MAX_WORDS,
    SPAN_LANGUAGES,
    Span,
    clear_words,
    could_judge,
    could_mix,
    european_language,
    language_spans,
    mixed_spans,
    span_shares,
    without_quotes,
)

#: Characters of a query the language detector reads (its head).
LANGUAGE_MAX_CHARS = 2000
#: Minimum distinct words each side of a Latin-script language pair must match.
MIN_LEXICON_WORDS = 2
#: Distinct words each side of a short Spanish-English switch needs.
MIN_SPANGLISH_WORDS = 2
#: Share of the words the span model must give to English and Spanish for a short switch.
MIN_EN_ES_SHARE = 0.8
#: Share of English words (by the word lists) from which an ASCII text skips the span model.
PLAIN_ENGLISH_SHARE = 0.9
#: Minimum share of romanized Hindi among the Hindi and English words of a Hinglish query.
MIN_HINDI_SHARE = 0.05
#: Minimum words (CJK: characters / 2) and share a second script needs for script mixing.
MIN_SCRIPT_WORDS = 2
MIN_SCRIPT_SHARE = 0.15

#: Spanish words that mostly occur inside names in English text ("Los Angeles", "El Paso").
# fmt: off
_NAME_PARTICLES = frozenset({"el", "la", "los", "las", "de", "del", "san", "santa", "un", "y",
                             "fe", "dia", "mar", "sierra", "madre", "casa", "rio", "loma"})
# fmt: on
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
#: The languages lingua is asked first (the common languages of LLM traffic); English by them
#: is English. Any other answer is asked again of all lingua's languages but Latin and
#: Esperanto (rarely a query's language), which name Swedish, Czech or Catalan rightly but read
#: short English ("hell nah", "tell me the timezone for hong kong") as Sesotho or Somali.
# fmt: off
_COMMON_CODES = (
    "EN", "ES", "FR", "DE", "PT", "IT", "NL", "HI", "BN", "TE", "TA", "UR", "AR", "FA", "RU",
    "UK", "ZH", "JA", "KO", "TH", "SW", "ID", "TR", "VI", "PL", "TL",
)
# fmt: on
_LINGUA_LEFT_OUT = frozenset({"LA", "EO"})
#: Span languages with a relative outside the span model that their word list reads as them:
#: Afrikaans is Dutch to the lists, so a Dutch answer is asked again of all 73 languages.
_LOOK_ALIKE_OUTSIDE = frozenset({"nl"})
#: Confidence under which the 73 languages' answer gives way to the common languages' one.
WIDE_MIN = 0.25


@dataclass(frozen=True)
class LanguageResult:
    """Language fields of one query (see ``detect_language``); ``evidence``: for a mixed query,
    what showed it (the language spans, the romanized Hindi words, the scripts)."""

    language: str
    languages: list[dict[str, Any]]
    is_mixed_language: bool
    evidence: str = ""


@lru_cache(maxsize=2)
def _lingua(common: bool = False) -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    if common:
        codes = [getattr(IsoCode639_1, code) for code in _COMMON_CODES]
        return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
    kept = [lang for lang in Language.all() if lang.iso_code_639_1.name not in _LINGUA_LEFT_OUT]
    return LanguageDetectorBuilder.from_languages(*kept).build()


def _shares(counts: dict[str, float]) -> list[dict[str, Any]]:
    total = sum(counts.values())
    if total <= 0:
        return []
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"lang": lang, "share": value / total} for lang, value in ordered]


#: Scripts whose table language shares them with another that lingua knows: Devanagari is
#: Hindi unless lingua gives Marathi ``SHARED_SCRIPT_SURE`` in a text of
#: ``SHARED_SCRIPT_WORDS`` words ("मला माझा पासवर्ड बदलायचा आहे": 0.88); a greeting such as
#: "नमस्ते" (Marathi 0.62 alone) stays Hindi, the far more common of the two.
SHARED_SCRIPTS = frozenset({"devanagari"})
SHARED_SCRIPT_SURE = 0.6
SHARED_SCRIPT_WORDS = 3


def _script_language(script: str, text: str = "") -> str | None:
    if script in SHARED_SCRIPTS and len(text.split()) >= SHARED_SCRIPT_WORDS:
        ranked = _lingua_ranked(text)
        if ranked and ranked[0][1] >= SHARED_SCRIPT_SURE:
            return ranked[0][0]
    if script in SCRIPT_LANGUAGE:
        return SCRIPT_LANGUAGE[script]
    if script == "han":
        return "zh"
    return None


@lru_cache(maxsize=1)
def _zipf_tables() -> tuple[dict[str, float], dict[str, float]]:
    """English and Spanish word frequencies (Zipf scale) from wordfreq's bundled small lists."""
    import math

    from wordfreq import get_frequency_dict

    def zipf(lang: str) -> dict[str, float]:
        table = get_frequency_dict(lang, wordlist="small")
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
        lang = _script_language(profile.main_script, text) or _lingua_main(text)
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
    found = _span_mix(text)
    if found is None and len(hits["es"]) >= MIN_SPANGLISH_WORDS:
        found = _spanglish(text, hits)
    if found is not None:
        return found
    lang = _latin_language(latin_words, hits, own)
    if lang == "en" or lang not in SPAN_LANGUAGES:
        # English or a language the span model does not read: English mixed with another
        # language outside the span model (``foreign.py``)
        found = _foreign(text)
        if found is not None:
            return found
    return LanguageResult(lang, [{"lang": lang, "share": 1.0}], False)


def _foreign(text: str) -> LanguageResult | None:
    mix = foreign_mix(text, _lingua_ranked, _lingua_main)
    if mix is None:
        return None
    shares = _shares(mix.shares)
    evidence = "spans: " + " | ".join(f"{lang} '{_cut(run)}'" for lang, run in mix.runs)
    return LanguageResult(shares[0]["lang"], shares, True, evidence)


def _romanized(
    text: str, latin_words: list[str], hits: dict[str, set[str]]
) -> LanguageResult | None:
    """Taglish, Tagalog, Hinglish or romanized Hindi by the word lists, unless the text is in a
    language whose words look like them."""
    names = _names(latin_words)
    found = _taglish(latin_words, hits, names) or _hinglish(hits, names)
    if found is not None and european_language(text) is not None:
        return None  # German "mein", Italian "mai, se, ho": Hindi look-alikes
    hindi = found is not None and any(share["lang"] == "hi" for share in found.languages)
    if hindi and _hindi_look_alikes(text, hits):
        return None  # Malay "bro ko dah sampai ke blm?"
    return found


def _hindi_look_alikes(text: str, hits: dict[str, set[str]]) -> bool:
    """Whether the romanized Hindi words are all short ("ke", "ko", "se") and the text is in
    a listed language that has them (Malay "bro ko dah sampai ke blm?")."""
    if any(len(word) > 2 for word in hits["hi"]):
        return False
    return listed_language(text, _lingua_main(text))


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
        lang = _script_language(script, script_words) if script != "latin" else None
        if lang is None:
            # lingua on this script's words alone, or it would name the majority language
            lang = (
                _latin_language(latin_words, hits)
                if script == "latin"
                else _lingua_main(script_words)
            )
        counts[lang] = counts.get(lang, 0.0) + n
    if len(counts) < 2:
        return None
    shares = _shares(counts)
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
        shares = _shares({"hi": float(n_hi), "en": float(n_en)})
        evidence = f"romanized Hindi: {_few(hits['hi'])}; English: {_few(hits['en'])}"
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
    shares = _shares({"tl": float(len(tagalog)), "en": float(len(english))})
    evidence = f"Tagalog: {_few(tagalog)}; English: {_few(english)}"
    return LanguageResult(shares[0]["lang"], shares, True, evidence)


def _span_mix(text: str) -> LanguageResult | None:
    """Two or more of en/es/fr/de/it/pt/nl each carrying a run of words (``spans.py``)."""
    if not could_mix(text):
        return None
    spans = language_spans(text)
    mixed = [lang for lang in mixed_spans(spans) if not _island(spans, lang)]
    if len(mixed) < 2:
        return None
    shares = span_shares(spans)
    counts = {lang: shares[lang] for lang in mixed}
    runs = [s for s in spans if s.lang in mixed and s.n_words >= 2][:4]
    evidence = "spans: " + " | ".join(f"{s.lang} '{_cut(text[s.start : s.end])}'" for s in runs)
    return LanguageResult(mixed[0], _shares(counts), True, evidence)


def _island(spans: Sequence[Span], lang: str) -> bool:
    """Whether every run of ``lang`` is short and has other words on both sides."""
    runs = [i for i, span in enumerate(spans) if span.lang == lang]
    return (
        0 not in runs
        and len(spans) - 1 not in runs
        and all(spans[i].n_words <= ISLAND_MAX_WORDS for i in runs)
    )


def _spanglish(text: str, hits: dict[str, set[str]]) -> LanguageResult | None:
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
    shares = _shares({"es": float(len(spanish)), "en": float(len(english))})
    evidence = f"Spanish: {_few(spanish)}; English: {_few(english)}"
    return LanguageResult(shares[0]["lang"], shares, True, evidence)


def _few(words: Iterable[str], n: int = 4) -> str:
    return ", ".join(sorted(words)[:n])


def _cut(snippet: str, limit: int = 30) -> str:
    flat = " ".join(snippet.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


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
    return _lingua_main(text if text is not None else " ".join(latin_words))


def _lingua_ranked(text: str) -> list[tuple[str, float]]:
    """lingua's languages for ``text`` with their confidence, most likely first."""
    values = _lingua().compute_language_confidence_values(text)
    return [(str(v.language.iso_code_639_1.name.lower()), float(v.value)) for v in values]


def _lingua_main(text: str) -> str:
    """The language of ``text`` by lingua: English when the 26 common languages say so (the
    cheap pass: most traffic is English); else the answer of all 73 languages when it has
    ``WIDE_MIN`` confidence, else the common one ("hell nah" is German to the common languages
    and Sesotho at 0.14 to all of them; "Hur lång tid tar det" is Dutch to the common ones and
    Swedish to all)."""
    common = _lingua(common=True).detect_language_of(text)
    if common is None:
        return "und"
    code = str(common.iso_code_639_1.name.lower())
    if code == "en" or (
        code in SPAN_LANGUAGES
        and code not in _LOOK_ALIKE_OUTSIDE
        and european_language(text) == code
    ):
        return code  # English, or a span language the word lists agree on: no second pass
    ranked = _lingua_ranked(text)
    if ranked and ranked[0][1] >= WIDE_MIN:
        return ranked[0][0]
    return code
