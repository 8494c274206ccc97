"""Damage a text took on its way in: cut off mid-word or inside a quoted input, and
quoted-printable residue from a mail body.

:func:`truncated` fires when a text of six or more words stops inside a word (its last fragment
is no word of the seven span languages but begins a frequent one: "the followi", "my ord") or
stops inside the quoted input an instruction introduced (``Rewrite this: "We are pleased to
inform``). :func:`encoding_residue` finds quoted-printable escapes (``=E2=80=99``, soft line
breaks) left in the text.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from analyzer.detect.pastes import snippet
from analyzer.detect.spans import SPAN_LANGUAGES, favourite_language, is_known

#: Words a text needs before a cut-off last word counts as truncation (search-box partials are
#: shorter).
MIN_WORDS = 6
#: Letters the cut fragment needs ("ro" begins too many words to tell).
MIN_FRAGMENT = 3
#: Log10 frequency a word needs to be the word a fragment was cut from (Zipf 3: "excursion").
MIN_LOG_FREQUENCY = -6.0
#: Zipf frequency in the text language's large list above which a fragment is a word of its own
#: (a stem such as "transact", a dish such as "pho", an abbreviation such as "ord").
MAX_FRAGMENT_ZIPF = 2.5
#: Share of the other words the text language's list must know before its last word is judged.
MIN_KNOWN_SHARE = 0.85
_PLAIN = re.compile(r"[^\W\d_]+")
_COMPOSED = re.compile(r"^[^\w]*[A-Z]|[.?!:,]\s")

_LAST_FRAGMENT = re.compile(r"(?<![\w'’-])([^\W\d_]+)$")
_OPEN_QUOTE = re.compile(r":\s*([\"“«])(?=\S)")
_CLOSERS = {'"': '"', "“": "”", "«": "»"}
_QP_ESCAPE = re.compile(r"=[0-9A-F]{2}")
_QP_RUN = re.compile(r"(?:=[0-9A-F]{2}){2,}|=\n")


@lru_cache(maxsize=len(SPAN_LANGUAGES))
def _frequent_words(lang: str) -> list[str]:
    """Frequent words of one span language, sorted (for prefix look-ups)."""
    from wordfreq import get_frequency_dict

    words = get_frequency_dict(lang, wordlist="small").items()
    return sorted(w for w, freq in words if freq >= 10**MIN_LOG_FREQUENCY and w.isalpha())


def _begins_a_word(fragment: str, lang: str) -> bool:
    words = _frequent_words(lang)
    index = bisect.bisect_left(words, fragment)
    return index < len(words) and words[index].startswith(fragment) and words[index] != fragment


def _cut_word(text: str) -> str | None:
    match = _LAST_FRAGMENT.search(text)
    if match is None or len(text.split()) < MIN_WORDS or not _COMPOSED.search(text):
        return None  # lower-case voice and search queries end in names and codes ("to sfo")
    fragment = match.group(1)
    low = fragment.lower()
    if len(low) < MIN_FRAGMENT or not fragment[1:].islower():
        return None  # an acronym or a code name
    if any(is_known(low, lang) for lang in SPAN_LANGUAGES):
        return None
    lang = SPAN_LANGUAGES[favourite_language(text)]
    if _known_share(text[: match.start()], lang) < MIN_KNOWN_SHARE:
        return None  # romanized Hindi, names, jargon: the lists cannot tell a cut word there
    if not _begins_a_word(low, lang) or _zipf(low, lang) >= MAX_FRAGMENT_ZIPF:
        return None
    if _is_typo(low, lang):
        return None  # "order another crad": a swapped or doubled letter, not a cut
    return snippet(text[max(0, match.start() - 25) :], 40)


def _cut_quote(text: str) -> str | None:
    opened = list(_OPEN_QUOTE.finditer(text))
    if not opened or text.rstrip()[-1:] in ".?!…)]}":
        return None
    last = opened[-1]
    inside = text[last.end() :]
    if _CLOSERS[last.group(1)] in inside or len(inside.split()) < 3:
        return None
    return snippet(text[last.start(1) :], 40)


def _known_share(text: str, lang: str) -> float:
    words = [w.lower() for w in _PLAIN.findall(text)]
    return sum(is_known(w, lang) for w in words) / len(words) if words else 0.0


def _is_typo(fragment: str, lang: str) -> bool:
    """Whether swapping two neighbouring letters or dropping one (not the last: "followi" is
    "follow" cut one letter later) makes a word of ``lang``."""
    swaps = (
        fragment[:i] + fragment[i + 1] + fragment[i] + fragment[i + 2 :]
        for i in range(len(fragment) - 1)
    )
    drops = (fragment[:i] + fragment[i + 1 :] for i in range(len(fragment) - 1))
    return any(len(v) >= 2 and is_known(v, lang) for v in (*swaps, *drops))


def _zipf(word: str, lang: str) -> float:
    """Zipf frequency in English's large list (the other languages' small lists already said
    the word is missing; loading six more large lists costs two seconds for little)."""
    if lang != "en":
        return 0.0
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, lang, wordlist="large"))


def truncated(text: str) -> str | None:
    """A text cut off mid-word, or inside the quoted input an instruction introduced."""
    stripped = text.rstrip()
    if not stripped or not stripped[-1].isalpha():
        return None
    return _cut_quote(stripped) or _cut_word(stripped)


#: Traces of text decoded with the wrong code page: a Cyrillic letter before a Latin-1 sign
#: (cp866 "mГ©dicament"), a square root inside a word (Mac Roman "pi√π"), box drawing for an
#: inverted question mark (cp437 "┬┐que"), a Latin compatibility digraph ("ŉ", "ǌ").
_MIXED_TOKEN = re.compile(r"[\u0400-\u04ff][©®¬±°]|[a-zà-ÿ]√[^\W\d_]|┬[┐í]|[\u0149\u01c4-\u01cc]")


def code_page_damage(text: str) -> str | None:
    """A trace of text decoded with the wrong code page (Cyrillic, Mac Roman, DOS)."""
    match = _MIXED_TOKEN.search(text)
    if match is None:
        return None
    return snippet(text[max(0, match.start() - 10) :], 30)


def encoding_residue(text: str) -> str | None:
    """Quoted-printable escapes left in the text: a run of two escapes (``=E2=80=99``) or a soft
    line break, with at least three escapes in all."""
    run = _QP_RUN.search(text)
    if run is None or len(_QP_ESCAPE.findall(text)) < 3:
        return None
    return snippet(text[max(0, run.start() - 15) :], 30)
