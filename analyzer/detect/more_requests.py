"""How clauses of ten more languages ask and continue (round 12): Swedish, Danish, Norwegian,
Finnish, Czech, Slovak, Romanian, Hungarian, Croatian (Serbian and Bosnian in Latin letters share
most forms) and Greek. The word lists are in ``lexicon_ten.py``; where the words for "and" cut a
sentence is in ``ten_joins.py``. Everything here reads a lower-cased clause:

- ``ten_language_kind``: a want ("jag behöver", "haluaisin", "θα ήθελα"), a request
  (imperatives, polite and modal asks: "skriv", "kan du", "voitko", "můžeš", "tudnál"), a
  question word, or a problem reported ("fungerar inte", "ei toimi", "nem működik", charged
  twice);
- ``modal_infinitive``: the verb after "and" that a modal ask governs ("muzes mi pripomenout ...
  a najit ...", "poti sa ... si sa-mi zici ...");
- ``ten_language_continues``: a clause that works on what the one before named (an object
  pronoun), asks for an example, or picks among what a comparison named;
- ``adds_to_earlier``, ``points_at_input``, ``ON_INPUT``: "also", "the following", "this
  e-mail";
- ``function_words``: their wordfreq Zipf-6 words, which are no content words, and
  ``looks_ten``, a cheap gate before searching a whole clause.
"""

from __future__ import annotations

import re
from functools import lru_cache

from analyzer.detect.intent_lexicon import alternation
from analyzer.detect.lexicon_ten import IMPERATIVES, QUESTION_WORDS, WANTS
from analyzer.detect.spans import small_list, zipf

_REQUEST_START = re.compile(
    rf"(?:(?:mi|mu|ti|si|mě|me|nám|nam)\s+)?(?:{alternation(IMPERATIVES + WANTS)})(?![\w-])"
    r"|(?:jeg|jag)\s+(?:vil|skulle|ville)\s+(?:også\s+|ogsa\s+|också\s+|ocksa\s+)?(?:gerne"
    r"|gjerne|gärna|garna)\b"
    r"|(?:jeg|jag|vi)\s+(?:trenger|behöver|behover|har brug for)\s+(?:også|ogsa|också|ocksa)\b"
    r"|(?:haluaisin|tarvitsen|haluan)\s+myös\b"
    r"|(?:behöver|behover|vill|skulle)\s+jag\b|(?:trenger|vil|skal|trænger)\s+jeg\b"
    r"|(?:bych|by som|by sme)\s+(?:(?:sa|si|se|také|taky|tiež|ešte|este)\s+)?(?:chtěl|chtel|chtěla"
    r"|chcel|chcela|chceli|potřeboval|potreboval|potrebovala|potrebovali)\b"
    r"|(?:aș|as)\s+(?:mai\s+)?(?:vrea|dori)\b|(?:mai\s+)?am\s+nevoie\b"
    r"|(?:még\s+|meg\s+)?szeretné[km]\b"
)
#: Question words a clause may open with when it is not a question in another language too
#: (Romanian "ce" is French, Hungarian "mit" German, Czech "co" English, Slovak "ako" Tagalog;
#: those ask only after a join of their own language).
_SHARED = frozenset(
    {"ce", "co", "mit", "cum", "hol", "cate", "cat", "ako", "mika", "proc", "cine", "missa"}
)
_QUESTION_START = re.compile(rf"(?:{alternation(QUESTION_WORDS)})(?![\w-])")
#: A request or question word of the ten languages, as a pattern to embed (after "a", "i").
TEN_ASK = rf"(?:{alternation(IMPERATIVES + WANTS + QUESTION_WORDS)})(?![\w-])"
_QUESTION_OWN = re.compile(
    rf"(?:{alternation(tuple(w for w in QUESTION_WORDS if w not in _SHARED))})(?![\w-])"
)

#: A problem reported in one of the ten languages.
TEN_REPORT = re.compile(
    r"\b(?:fungerar|funkar)\s+inte\b|\bhar inte kommit\b|\b(?:virker|fungerer)\s+ikke\b"
    r"|\ber ikke (?:kommet|ankommet)\b|\bhar ikke (?:kommet|fått)\b|\bei (?:toimi|onnistu|tule)\b"
    r"|\bei ole (?:tullut|saapunut)\b|\bnefunguj[eí]\b|\bnejde\b|\bnepřišl[aoy]?\b"
    r"|\bneprišl[aoy]?\b"
    r"|\bnu (?:funcționează|functioneaza|merge|mai merge|am primit|a ajuns)\b"
    r"|\bnem (?:működik|mukodik|érkezett|erkezett|jött|jott|tudok|tudom)\b"
    r"|\bne (?:radi|funkcionira|mogu)\b|\bnije (?:stigl[aoi]?|došl[aoi]?|dosl[aoi]?)\b"
    r"|δεν (?:λειτουργεί|λειτουργει|δουλεύει|δουλευει|έρχεται|ερχεται|ήρθε|ηρθε|μπορώ|μπορω)"
    r"|\b(?:drogs|dragits|dragit|trukket|veloitettiin|veloitettu|strženo|strzeno|strhli"
    r"|stiahli|stiahnuté|taxat|încasat|incasat|retras|plătit|platit|naplaćeno|naplaceno"
    r"|naplatili|skinuto|χρεώθηκα|χρεωθηκα|χρεώθηκε|χρεωθηκε)\W+(?:\w+\W+){0,3}?(?:två gånger"
    r"|to gange|to ganger|kahdesti|kahteen kertaan|dvakrát|dvakrat|de două ori|de doua ori"
    r"|dvaput|dva puta|δύο φορές|δυο φορες)|\b(?:kétszer|ketszer)\s+(?:vonták|vontak|terhelték"
    r"|terheltek)\b"
    r"|\b(?:felkod|fejlkode|feilkode|virhekoodi|chybov[áa] hláška|eroare|hibakód|hibakod"
    r"|greška|greska)\b|σφάλμα|\b(?:spärrat|sparrat|spærret|sperret|blokeret|zablokován"
    r"|zablokovan[aáyý]|blocat[ăa]?|letiltották|blokiran[ao]?)\b"
)


_WANT_START = re.compile(
    rf"(?:{alternation(WANTS)})(?![\w-])|(?:jeg|jag|vi)\s+(?:vil|skulle|ville|trenger|behöver"
    r"|behover|har brug for)\b|(?:bych|by som|by sme)\s+|(?:aș|as)\s+(?:mai\s+)?(?:vrea|dori)\b"
    r"|(?:mai\s+)?am\s+nevoie\b|(?:még\s+|meg\s+)?szeretné[km]\b|haluaisin\b|tarvitsen\b"
    r"|(?:behöver|behover|vill|skulle)\s+jag\b|(?:trenger|vil|skal|trænger)\s+jeg\b"
)
#: "also" inside a clause: a want that says it is a further ask ("Jeg trenger også ...").
_ALSO_INSIDE = re.compile(
    r"\b(?:samalla|också|ocksa|også|ogsa|myös|myos|taky|také|tiež|tiez|még|de asemenea"
    r"|također|takoder"
    r"|isto tako)\b|επίσης|επισης"
)
#: "The following", "below" and "these" of the ten languages: a request that points at its input.
_POINTERS = re.compile(
    r"\b(?:följande|foljande|nedan|nedanstående|dessa|følgende|nedenfor|disse|seuraava|seuraavat"
    r"|alla olevat|nämä|näitä|následující|nasledujici|nasledujúce|nasledujuce|nasledovné|tyto"
    r"|tieto|următoarele|urmatoarele|de mai jos|aceste|acestea|következő|kovetkezo|alábbi|alabbi"
    r"|ezeket|sljedeće|sljedece|sledeće|sledece|ove|ovih)\b|ακόλουθ|παρακάτω|παρακατω|αυτές τις"
)
#: An object pronoun right after the verb, or a Romanian clitic on it: the clause works on what
#: the clause before named ("Hitta buggen och rätta den", "oprav ho", "Skriv den som en tabel",
#: "corectează-l", "διόρθωσέ το").
_BACK_REFERENCE = re.compile(
    r"^\S+\s+(?:(?:mi|mig|meg|mulle|minulle|mu|ми|μου)\s+)?(?:den|det|dem|ho|ju|ji|je|ich|ga|ih"
    r"|to|sen|sitä|sita|niitä|niita|ne|azt|ezt|őket|oket|το|την|τα|τον|τους)(?![\w-])"
    r"|^\S+-(?:l|o|le|i)(?![\w-])"
)
#: An object pronoun (not one spelled like an article) among a clause's first words.
_OBJECT_PRONOUN = re.compile(
    r"(?<!\w)(?:ju|ho|ji|ich|ga|ih|sen|sitä|sita|niitä|niita|azt|őket|oket|dem)(?!\w)"
)
PRONOUN_WINDOW = 5
#: "This/these" of the ten languages before the input a second instruction works on too
#: ("Zhrň tento e-mail ... a navrhni termín").
ON_INPUT = re.compile(
    r"\b(?:tento|tuto|toto|tieto|tyto|túto|denna|detta|dessa|denne|dette|disse|tämä|tämän|tätä"
    r"|nämä|acest|această|aceasta|acestea|aceste|ezt|ezeket|ez a|ezt a|ovaj|ovo|ovu|ove)\s+"
    r"(?:\S+\s+)?(?:e-?mail|mejl|mail|text|tekst|kód|kod|koodi|dokument|článok|článek|clanek"
    r"|clanok|članak|artik|szöveg|level|dopis|list|pism|poruk|zpráv|zprav|správ|sprav|mesaj"
    r"|odsek|odstav|kapitol|kappale|avsnitt|afsnit|paragraf|bekezdés|skript|funk|fraz|věty|vety"
    r"|vet|sætning|setning|mening|lause)"
    r"|αυτ\w+\s+(?:το\s+|την\s+|τα\s+)?(?:κείμενο|email|μήνυμα|έγγραφο|άρθρο|κώδικα)"
)
#: An example asked for.
_EXAMPLE = re.compile(
    r"exempel|eksempel|\beks\b|esimerk|příklad|priklad|príklad|exempl|példa|pelda|példá|primjer"
    r"|παράδειγμα|παραδειγμα"
)
#: Verbs that compare: the ask after them picks among what was compared.
_COMPARE = re.compile(
    r"^(?:jämför|jamfor|sammenlign|vertaa|porovnej|porovnaj|compară|compara|hasonlítsd"
    r"|hasonlitsd|usporedi|uporedi|σύγκρινε|συγκρινε)\b"
)
#: At most this many words in a clause that asks for an example of what was asked.
EXAMPLE_MAX_WORDS = 10


#: A polite ask with a modal ("can you", "could you") in the ten languages: the verbs joined to
#: it by "and" are asks of their own ("kan du minne meg ... og sjekke ...", "muzes mi
#: pripomenout ... a najit ...", "poti sa ... si sa-mi zici ...", "μπορεις να ... και να ...").
MODAL_ASK = (
    r"(?:(?:hej|hei|moi|ahoj|cau|čau|bok|buna|bună|szia|γεια)\W+)?(?:kan du|kan ni|kan dere"
    r"|kan i|kunne du|kunde du|skulle du kunna|voitko|voisitko|voitteko|voisitteko|můžeš|muzes"
    r"|můžete|muzete|mohl bys|mohla bys|môžeš|mozes|môžete|vieš mi|vies mi|viete mi|poți|poti"
    r"|puteți|puteti|ai putea|tudnál|tudnal|tudnád|tudnad|tudna|možeš|možete|mozete"
    r"|μπορείς|μπορεις|μπορείτε|μπορειτε|θα μπορούσες|θα μπορουσες)\b"
)
_MODAL_ASK = re.compile(MODAL_ASK)
#: The infinitive (or subjunctive) after "and" that a modal ask governs, by the join word.
_JOINED_INFINITIVE = {
    "och": re.compile(r"[^\W\d_]{3,}a\b"),
    "og": re.compile(r"[^\W\d_]{3,}e\b"),
    "ja": re.compile(r"[^\W\d_]{3,}(?:a|ä|da|dä)\b"),
    "a": re.compile(r"(?:mi\s+|si\s+|se\s+)?[^\W\d_]{3,}(?:t|ť)\b"),
    "i": re.compile(r"(?:mi\s+|si\s+|se\s+)?[^\W\d_]{3,}(?:ti|t|ći)\b"),
    "és": re.compile(r"[^\W\d_]{3,}ni\b"),
    "es": re.compile(r"[^\W\d_]{3,}ni\b"),
    "și": re.compile(r"(?:să|sa)(?:-mi|-ți|-ti|-ne|\s+(?:îmi|imi|mi|ne|îi|ii))?\s*[^\W\d_]{2,}"),
    "si": re.compile(r"(?:să|sa)(?:-mi|-ți|-ti|-ne|\s+(?:îmi|imi|mi|ne|îi|ii))?\s*[^\W\d_]{2,}"),
    "και": re.compile(r"να\s+\S+"),
    "kai": re.compile(r"na\s+\S+"),
}


def modal_infinitive(head: str, joiner: str, rest: str) -> bool:
    """Whether ``rest``, after the word for "and" ``joiner``, is a second verb governed by the
    modal ask that opens ``head`` (all lower-cased)."""
    pattern = _JOINED_INFINITIVE.get(joiner)
    return pattern is not None and bool(_MODAL_ASK.match(head)) and bool(pattern.match(rest))


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Function words of the ten languages: Zipf 6 or more in any of their wordfreq lists
    ("och", "att", "til", "että", "jsem", "și", "hogy", "και"), except words English uses often
    ("men", "care", "most")."""
    words: set[str] = set()
    for lang in ("sv", "da", "nb", "fi", "cs", "sk", "ro", "hu", "sh", "el"):
        words |= {w for w, f in small_list(lang).items() if f >= FUNCTION_WORD_FREQUENCY}
    return frozenset(w for w in words if zipf(w, "en") < ENGLISH_CONTENT_ZIPF)


#: Frequency per word (Zipf 6) from which a word of the ten languages is a function word.
FUNCTION_WORD_FREQUENCY = 1e-3
#: English Zipf frequency from which such a word stays a content word.
ENGLISH_CONTENT_ZIPF = 4.5


def ten_language_kind(low: str) -> str | None:
    """The kind of a lower-cased clause by the ten languages' lists: "want" ("jag behöver",
    "haluaisin", "θα ήθελα"), "imperative" ("skriv", "kan du", "napiš"), "wh_other" (a question
    word), "report" ("fungerar inte", "nem működik"), or ``None``."""
    if _WANT_START.match(low):
        return "want"
    if _REQUEST_START.match(low):
        return "imperative"
    if _QUESTION_OWN.match(low):
        return "wh_other"
    return "report" if looks_ten(low) and TEN_REPORT.search(low) else None


_WORDS = re.compile(r"[^\W\d_]+")


def looks_ten(low: str) -> bool:
    """Whether a lower-cased text holds a function word of the ten languages (a cheap gate
    before the searches through a whole clause)."""
    return not function_words().isdisjoint(_WORDS.findall(low))


def says_also(text: str) -> bool:
    """Whether a clause of the ten languages says "also" ("Jeg trenger også ...")."""
    low = text.lower()
    return looks_ten(low) and _ALSO_INSIDE.search(low) is not None


#: Leads that add to an ask made before ("also", "as well").
_ALSO_LEADS = frozenset(
    {"också", "også", "myös", "lisäksi", "lisaksi", "ještě", "taky", "také", "a ještě",
     "a jeste", "ešte", "este", "tiež", "tiez", "a ešte", "a este", "de asemenea", "még",
     "također", "takoder", "i još", "i jos", "επίσης", "επισης"}
)  # fmt: skip


def adds_to_earlier(text: str, leads: tuple[str, ...]) -> bool:
    """Whether a clause of the ten languages says it adds to an ask made before ("Voitteko
    samalla ...", "Ešte by som sa chcel ...", "Θα ήθελα επίσης ...")."""
    return not _ALSO_LEADS.isdisjoint(leads) or _ALSO_INSIDE.search(text.lower()) is not None


def points_at_input(text: str) -> bool:
    """Whether a clause of the ten languages points at the material after it ("följande",
    "următoarele", "alábbi")."""
    low = text.lower()
    return looks_ten(low) and _POINTERS.search(low) is not None


def ten_language_continues(text: str, before: str, *, same_sentence: bool) -> bool:
    """Whether a clause of the ten languages continues the request before it: it works on what
    that request named (an object pronoun after its verb), asks for an example, or, in the same
    sentence, picks among what a comparison named ("Porovnej A a B a doporuč mi jednu")."""
    low = text.strip().lower()
    if _BACK_REFERENCE.match(low) and ten_language_request(low):
        return True  # the verb is one of theirs: "wish to see" is English
    head = " ".join(low.split()[:PRONOUN_WINDOW])
    if _OBJECT_PRONOUN.search(head) and looks_ten(low):
        return True  # "Koľko stojí známka a kde si ju môžem kúpiť?": where to buy *it*
    if len(low.split()) <= EXAMPLE_MAX_WORDS and _EXAMPLE.search(low):
        return True
    return same_sentence and _COMPARE.match(before.strip().lower()) is not None


def ten_language_request(low: str) -> bool:
    """Whether a lower-cased clause opens with a request in one of the ten languages."""
    return _REQUEST_START.match(low) is not None


def ten_language_question(low: str) -> bool:
    """Whether a lower-cased clause, after one of the ten languages' words for "and", opens with
    one of their question words (there "ce", "co", "mit" ask too; ``ten_language_kind`` reads a
    clause on its own with ``_QUESTION_OWN``)."""
    return _QUESTION_START.match(low) is not None
