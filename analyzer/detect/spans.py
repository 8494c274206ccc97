"""Per-word language likelihoods and language spans of Latin-script text.

Each word gets a log-likelihood under English, Spanish, French, German, Italian, Portuguese and
Dutch from wordfreq's bundled frequency lists (Zipf scale; a word missing from a list gets a
floor, lowered further when its accented letters do not belong to that language's alphabet).
A Viterbi pass with a fixed cost per switch labels every word with one language, so a switch
only pays when a run of words is clearly better explained by another language. Words that carry
no language of the writer are left out before: names (capitalized inside a sentence), quoted
spans (a phrase the query asks about), code identifiers, URLs, e-mail addresses and numbers.

:func:`language_spans` returns the runs; :func:`mixed_spans` decides whether a second language
carries content (a run of words, not a loanword or a dish name).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

#: Languages of the span model, in table order.
SPAN_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "it", "pt", "nl", "ca")
#: Log10 likelihood of a word missing from a language's list (Zipf 1.5, i.e. 3e-8 per word).
FLOOR = -7.5
#: Extra log10 penalty for a word whose accented letters that language does not use.
ALPHABET_PENALTY = 2.0
#: Log10 cost of one switch of language between two neighbouring words.
SWITCH_COST = 3.0
#: Words of the second language, known to its list, that make it carry content.
MIN_SPAN_WORDS = 3
#: Share of the words that must be in at least one list for the span model to judge a text.
MIN_COVERAGE = 0.7
#: Coverage and main-language share of a text clearly in a European language (not Hinglish).
EUROPEAN_COVERAGE = 0.9
EUROPEAN_SHARE = 0.7
#: Log10 margin by which a word must favour a span's language over the main one to count.
CLEAR_MARGIN = 1.0
#: Share of the labelled words the second language must hold.
MIN_SPAN_SHARE = 0.12
#: Words up to which a run of a second language with the main one on both sides is a name, a
#: dish or a set phrase ("Can I freeze pão de queijo dough", "..., c'est la vie I guess"), not
#: a switch.
ISLAND_MAX_WORDS = 3

# fmt: off
_ALPHABETS = {
    "en": "", "es": "áéíóúñü", "fr": "àâæçéèêëîïôœùûüÿ", "de": "äöüß",
    "it": "àèéìíîòóùú", "pt": "áâãàçéêíóôõú", "nl": "éëïöüáèó", "ca": "àçèéíïòóúü·",
}
# fmt: on
_TOKEN = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+\.\w+|[@#]\w+"  # URLs, addresses, handles, hashtags
    r"|`[^`]*`|[\w.]*[_.(][\w.()]*\w[\w.()]*"  # code: backticks, snake_case, dotted, calls
    r"|[^\W\d_]+(?:['’][^\W\d_]+)*['’]?"  # words, with elisions (l'esame, don't)
)
_QUOTE = re.compile(
    r"(?<![\w])'(?:[^'\n]|(?<=\w)'(?=\w)){1,120}'(?![\w])|\"[^\"\n]{1,120}\"|“[^”\n]{1,120}”|«[^»\n]{1,120}»"
    r"|„[^“\n]{1,120}“|`[^`\n]{1,120}`"
)
_I_FORMS = frozenset({"i'm", "i’m", "i'd", "i’d", "i've", "i’ve", "i'll", "i’ll"})
_SENTENCE_START = re.compile(r"(?:^|[.!?¿¡:;\n\"“”«»()\[\]–—-])\s*$")


@dataclass(frozen=True)
class Span:
    """A run of words labelled with one language: ``start``/``end`` character offsets in the
    text, ``n_words`` words, ``n_clear`` of them favouring that language by ``CLEAR_MARGIN``
    over the other of the text's two most frequent languages (the main one, or the second for
    a span of the main language)."""

    lang: str
    start: int
    end: int
    n_words: int
    n_clear: int


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[float, ...]]:
    """Word -> log10 frequency per span language (``FLOOR`` where the list lacks the word)."""
    from wordfreq import get_frequency_dict

    table: dict[str, list[float]] = {}
    for index, lang in enumerate(SPAN_LANGUAGES):
        for word, freq in get_frequency_dict(lang, wordlist="small").items():
            row = table.setdefault(word, [FLOOR] * len(SPAN_LANGUAGES))
            row[index] = math.log10(freq)
    return {word: tuple(row) for word, row in table.items()}


_NO_PENALTY = (0.0,) * len(SPAN_LANGUAGES)


def _alphabet_penalties(word: str) -> tuple[float, ...]:
    if word.isascii():
        return _NO_PENALTY
    accents = {ch for ch in word if not ch.isascii()}
    return tuple(
        0.0 if accents <= set(_ALPHABETS[lang]) else -ALPHABET_PENALTY for lang in SPAN_LANGUAGES
    )


@lru_cache(maxsize=48)
def small_list(lang: str) -> dict[str, float]:
    """wordfreq's small frequency list of one language (frequency per word), loaded once: the
    small lists hold every word from Zipf 3 and load in tens of milliseconds, where
    ``wordfreq.zipf_frequency`` loads the large list of each language it is asked about."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict(lang, wordlist="small")


def zipf(word: str, lang: str) -> float:
    """Zipf frequency of a lower-cased word in ``lang``'s small list (0 when the list lacks it)."""
    freq = small_list(lang).get(word)
    return math.log10(freq * 1e9) if freq else 0.0


@lru_cache(maxsize=50_000)
def word_scores(word: str) -> tuple[tuple[float, ...], tuple[bool, ...]]:
    """Log10 likelihood of one lower-cased word under each span language, and whether each
    language's list holds it (an elided word such as ``l'esame`` is scored by its parts)."""
    table = _table()
    row = table.get(word)
    if row is None and ("'" in word or "’" in word):
        parts = [p for p in re.split(r"['’]", word) if p]
        rows = [table.get(p) for p in parts]
        if parts and all(r is not None for r in rows):
            row = tuple(
                sum(r[i] for r in rows if r is not None) / len(rows)
                for i in range(len(SPAN_LANGUAGES))
            )
    penalties = _alphabet_penalties(word)
    if row is None:
        return tuple(FLOOR + p for p in penalties), (False,) * len(SPAN_LANGUAGES)
    known = tuple(value > FLOOR for value in row)
    return tuple(v + p for v, p in zip(row, penalties)), known


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    scores: tuple[float, ...]
    known: tuple[bool, ...]

    @property
    def favourite(self) -> int:
        """Index of the language that gives this word the highest likelihood."""
        return _favourite(self.scores)


@lru_cache(maxsize=50_000)
def _favourite(scores: tuple[float, ...]) -> int:
    return max(range(len(scores)), key=scores.__getitem__)


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTE.finditer(text)]


def without_quotes(text: str) -> str:
    """The text with quoted phrases blanked: what the writer says, not what they ask about
    ("Was heißt 'I couldn't care less' auf Deutsch?")."""
    return _QUOTE.sub(" ", text)


@lru_cache(maxsize=16)
def writer_tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """``(start, end, lower-cased word)`` of the words that can carry the writer's language:
    names (capitalized inside a sentence), quoted phrases, code identifiers, URLs, addresses
    and numbers left out (cached: the language detector asks several questions of a text)."""
    quoted = _quoted_ranges(text)
    tokens = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        start = match.start()
        if not token[0].isalpha() or any(a <= start < b for a, b in quoted):
            continue  # URL, address, code identifier, or inside a quoted phrase
        if text[match.end() : match.end() + 1].isdigit():
            continue  # letters glued to a number: "d4", "v2", "x86" are names, not words
        if token[0].isupper() and not token.isupper() and token.lower() not in _I_FORMS:
            before = text[max(0, start - 6) : start]
            if before.strip() and not _SENTENCE_START.search(before):
                continue  # a capitalized word inside a sentence: a name
        tokens.append((start, match.end(), token.lower().replace("’", "'").rstrip("'")))
    return tuple(tokens)


@lru_cache(maxsize=16)
def _words(text: str) -> tuple[_Word, ...]:
    """The words that can carry the writer's language, with their scores."""
    return tuple(_Word(a, b, *word_scores(word)) for a, b, word in writer_tokens(text))


def _viterbi(words: Sequence[_Word]) -> list[int]:
    """Most likely language index per word, paying ``SWITCH_COST`` per change."""
    k = len(SPAN_LANGUAGES)
    score = list(words[0].scores)
    back: list[list[int]] = []
    for word in words[1:]:
        best = max(range(k), key=score.__getitem__)
        switch = score[best] - SWITCH_COST
        pointers = []
        new = []
        for lang in range(k):
            if score[lang] >= switch:
                pointers.append(lang)
                new.append(score[lang] + word.scores[lang])
            else:
                pointers.append(best)
                new.append(switch + word.scores[lang])
        back.append(pointers)
        score = new
    state = max(range(k), key=score.__getitem__)
    path = [state]
    for pointers in reversed(back):
        state = pointers[state]
        path.append(state)
    return path[::-1]


def language_spans(text: str) -> list[Span]:
    """Runs of words labelled with one span language, in text order.

    Parameters
    ----------
    text
        One query (Latin script is what the model reads; other words count as unknown).

    Returns
    -------
    list of Span
        Consecutive runs; empty when the text has no word that carries a language.
    """
    words = _words(text)
    if not words:
        return []
    path = _viterbi(words)
    counts = [path.count(lang) for lang in range(len(SPAN_LANGUAGES))]
    ranked = sorted(range(len(SPAN_LANGUAGES)), key=lambda lang: (-counts[lang], lang))
    main, second = ranked[0], ranked[1]
    spans: list[Span] = []
    run_start = 0
    for index in range(1, len(words) + 1):
        if index == len(words) or path[index] != path[run_start]:
            lang = path[run_start]
            run = words[run_start:index]
            spans.append(
                Span(
                    SPAN_LANGUAGES[lang],
                    run[0].start,
                    run[-1].end,
                    len(run),
                    sum(_is_clear(w, lang, second if lang == main else main) for w in run),
                )
            )
            run_start = index
    return spans


def _is_clear(word: _Word, lang: int, other: int) -> bool:
    return word.scores[lang] - word.scores[other] >= CLEAR_MARGIN


def span_shares(spans: Sequence[Span]) -> dict[str, float]:
    """Share of the labelled words per language (summing to 1; empty without spans)."""
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.lang] = counts.get(span.lang, 0) + span.n_words
    total = sum(counts.values())
    return {lang: n / total for lang, n in counts.items()} if total else {}


def mixed_spans(spans: Sequence[Span]) -> list[str]:
    """Languages that carry content in ``spans``: the main one (most words) and every other
    with at least ``MIN_SPAN_WORDS`` clear words and ``MIN_SPAN_SHARE`` of the words. One
    language alone (or none) means the text is not mixed: the result then has at most one."""
    shares = span_shares(spans)
    if len(shares) < 2:
        return list(shares)
    known: dict[str, int] = {}
    for span in spans:
        known[span.lang] = known.get(span.lang, 0) + span.n_clear
    ordered = sorted(shares, key=lambda lang: (-shares[lang], lang))
    main = ordered[0]
    if known[main] < MIN_SPAN_WORDS:
        return [main]
    others = [
        lang
        for lang in ordered[1:]
        if known[lang] >= MIN_SPAN_WORDS and shares[lang] >= MIN_SPAN_SHARE
    ]
    return [main, *others]


def clear_words(text: str, lang: str, other: str) -> list[str]:
    """Distinct lower-cased words of ``text`` (names, quotes and code left out) that favour
    ``lang`` over ``other`` by ``CLEAR_MARGIN`` and are at least as likely in ``lang`` as in
    any other span language but Catalan (which shares most of Spanish's small words, and
    English's "i")."""
    a, b = SPAN_LANGUAGES.index(lang), SPAN_LANGUAGES.index(other)
    rivals = [i for i, code in enumerate(SPAN_LANGUAGES) if code != "ca"]
    found = []
    for word in _words(text):
        scores = word.scores
        if scores[a] - scores[b] >= CLEAR_MARGIN and scores[a] >= max(scores[i] for i in rivals):
            found.append(text[word.start : word.end].lower())
    return sorted(set(found))


def european_language(text: str) -> str | None:
    """The span language other than English that the text is clearly written in: the lists
    know ``EUROPEAN_COVERAGE`` of its words and that language labels ``EUROPEAN_SHARE`` of them;
    else ``None``. (Romanized Hindi is mostly unknown to the lists; German "mein" or Italian
    "mai, se, ho" are Hindi look-alikes that this check keeps from reading as Hinglish.)"""
    words = _words(text)
    if not words or sum(any(w.known) for w in words) < EUROPEAN_COVERAGE * len(words):
        return None
    shares = span_shares(language_spans(text))
    main = max(shares, key=lambda lang: shares[lang])
    return main if main != "en" and shares[main] >= EUROPEAN_SHARE else None


def log_frequency(word: str, lang: str) -> float:
    """Log10 frequency of the lower-cased ``word`` in ``lang``'s list (a span language),
    ``FLOOR`` when the list lacks it."""
    row = _table().get(word)
    return FLOOR if row is None else row[SPAN_LANGUAGES.index(lang)]


def is_island(runs: Sequence[tuple[object, int]], lang: object) -> bool:
    """Whether every run of ``lang`` (runs given in text order as ``(language, words)``) has
    at most ``ISLAND_MAX_WORDS`` words and other runs on both sides: a name, a dish or a set
    phrase inside the main language, not a switch."""
    where = [i for i, (run_lang, _) in enumerate(runs) if run_lang == lang]
    return (
        bool(where)
        and where[0] > 0
        and where[-1] < len(runs) - 1
        and all(runs[i][1] <= ISLAND_MAX_WORDS for i in where)
    )


def is_known(word: str, lang: str) -> bool:
    """Whether ``lang``'s frequency list holds the lower-cased ``word``."""
    row = _table().get(word)
    return row is not None and row[SPAN_LANGUAGES.index(lang)] > FLOOR


_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def favourite_language(text: str) -> int:
    """Index in ``SPAN_LANGUAGES`` of the language most of the text's known words favour (0,
    English, when no word is known); plain words only, names and quotes not set apart."""
    counts: Counter[int] = Counter()
    for word in _PLAIN_WORD.findall(text):
        scores, known = word_scores(word.lower().replace("’", "'"))
        if any(known):
            counts[_favourite(scores)] += 1
    return counts.most_common(1)[0][0] if counts else 0


def could_judge(text: str) -> bool:
    """Whether the lists know ``MIN_COVERAGE`` of the text's words (else the text is in a
    language the span model does not read, and chance matches mislead)."""
    words = _words(text)
    return bool(words) and sum(any(w.known) for w in words) >= MIN_COVERAGE * len(words)


def could_mix(text: str) -> bool:
    """Cheap pre-check: do at least ``MIN_SPAN_WORDS`` words favour a language other than the
    one most words favour, among words mostly known to the lists (``MIN_COVERAGE``)? When not,
    no second span language can carry content: the text is monolingual, or in a language the
    lists do not know (Swahili, Polish, romanized Hindi ...), where chance matches mislead."""
    words = _words(text)
    if len(words) < MIN_SPAN_WORDS + 1:
        return False
    if sum(any(w.known) for w in words) < MIN_COVERAGE * len(words):
        return False
    counts = Counter(w.favourite for w in words)
    return len(words) - max(counts.values()) >= MIN_SPAN_WORDS
