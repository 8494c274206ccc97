"""Multi-intent detector: how many separate requests one query makes.

The query is cut into sentences (``? ! .`` and line breaks) and each sentence into clauses at
joins (``and``, ``and also``, ``and then``, ``also``, a comma). A sentence counts as a request when
it asks a question or opens like a request (a wh-word, an auxiliary question, an imperative verb,
"I want/need/would like ..."); a clause after a join counts as a further request only when it, too,
opens like a request. Statements ("She eats three for breakfast.") never count, so a word problem
of several sentences with one question is one request, while "What year did the Wall fall? Also,
recommend three novels" is two. Politeness preambles ("Can you help me?", "Hi!") count as nothing.
The openers and joins are English plus the common ones of French, Spanish, Portuguese, German
and Italian; a question mark ends a request sentence in any language.
"""

from __future__ import annotations

import re

# fmt: off
# openers: first words of a clause that starts a request -------------------------------------
_WH = (
    "what", "what's", "whats", "what're", "which", "who", "who's", "whom", "whose", "where",
    "where's", "when", "when's", "how", "how's", "why",
)
_AUX_QUESTION = (
    "is there", "are there", "is it", "is the", "is this", "will it", "will there", "will the",
    "does", "do you", "do i", "do we", "did", "can you", "can i", "can we", "could you",
    "could i", "would you", "would it", "should i", "should we", "may i", "are you", "is my",
    "are my", "has", "have you", "was there", "were there",
)
_IMPERATIVE = (
    "show", "list", "give", "tell", "find", "search", "look up", "look for", "book", "reserve",
    "play", "add", "put", "rate", "set", "remind", "get", "check", "display", "explain",
    "describe", "recommend", "suggest", "name", "translate", "write", "compose", "calculate",
    "compute", "convert", "send", "call", "text", "open", "turn", "schedule", "cancel", "order",
    "buy", "make", "create", "let me know", "please", "kindly", "summarize", "summarise",
    "define", "compare", "draft", "plan", "share", "start", "stop", "pause", "resume", "skip",
    "change", "update", "delete", "remove", "read", "email", "message", "navigate", "direct",
    "help me", "provide", "identify", "offer",
)
_FIRST_PERSON = (
    "i want", "i wanna", "i need", "i would like", "i'd like", "i d like", "i'm looking",
    "i am looking", "i wish", "i'd love", "i would love", "looking for", "i'm interested",
    "i am interested", "we want", "we need", "we would like",
)
#: The same openers in French, Spanish, Portuguese, German and Italian (polite/modal asks,
#: imperatives, first-person wants). Their wh-words are left out on purpose: a word problem's
#: statements open with them too, and a question ends with "?" in every one of these languages.
_OTHER_OPENERS = (
    # French
    "peux-tu", "pouvez-vous", "pourrais-tu", "pourriez-vous", "explique", "expliquez",
    "explique-moi", "donne-moi", "donnez-moi", "dis-moi", "dites-moi", "montre-moi", "trouve",
    "trouvez", "écris", "écrivez", "recommande", "recommandez", "recommande-moi", "traduis",
    "traduisez", "calcule", "calculez", "résume", "résumez", "cherche", "réserve", "réservez",
    "ajoute", "envoie", "rappelle-moi", "je veux", "je voudrais", "j'ai besoin", "j'aimerais",
    # Spanish
    "puedes", "podrías", "podrias", "explica", "explícame", "explicame", "dame", "dime",
    "muéstrame", "muestrame", "encuentra", "busca", "escribe", "recomienda", "recomiéndame",
    "recomiendame", "traduce", "calcula", "resume", "enumera", "reserva", "añade", "envía",
    "recuérdame", "quiero", "necesito", "me gustaría", "me gustaria",
    # Portuguese
    "você pode", "voce pode", "pode me", "poderia", "me dê", "me de", "me diga",
    "mostre", "encontre", "procure", "escreva", "recomende", "traduza", "calcule", "resuma",
    "adicione", "envie", "lembre-me", "eu quero", "preciso", "gostaria",
    # German
    "kannst du", "können sie", "könntest du", "könnten sie", "erkläre", "erklär", "gib mir",
    "sag mir", "zeig mir", "finde", "suche", "schreibe", "schreib", "empfiehl", "übersetze",
    "berechne", "fasse", "buche", "sende", "erinnere mich", "ich möchte", "ich brauche",
    "ich will", "ich hätte gern",
    # Italian
    "puoi", "potresti", "spiega", "spiegami", "dammi", "dimmi", "mostrami", "trova", "cerca",
    "scrivi", "consiglia", "consigliami", "traduci", "calcola", "riassumi", "elenca", "prenota",
    "aggiungi", "invia", "ricordami", "voglio", "vorrei", "ho bisogno",
)
#: "also", "then" ... in those languages: they may lead a request clause like the English ones.
_OTHER_LEADS = (
    "aussi", "également", "ensuite", "puis", "et aussi", "et puis", "también", "además", "luego",
    "y también", "y luego", "auch", "außerdem", "dann", "und auch", "und dann", "também",
    "além disso", "depois", "e também", "anche", "inoltre", "poi", "e anche", "e poi",
)
#: Noun-phrase requests of terse search/booking traffic ("flights from boston to denver"), only
#: accepted after an explicit join ("and also", a comma), never after a bare "and".
_NOUN_REQUEST = (
    "flights", "flight", "all flights", "cheapest", "fares", "fare", "ground transportation",
    "round trip", "one way", "airlines", "airline", "nonstop", "weather", "forecast",
)
_PREAMBLE = re.compile(
    r"^(?:hi|hello|hey|thanks|thank you|ok|okay|please|good (?:morning|afternoon|evening)"
    r"|(?:can|could|would) you (?:please )?help(?: me)?(?: with (?:this|something|a question))?"
    r"|(?:please )?help(?: me)?|i have (?:a|some|one|two|few|a few) questions?"
    r"|quick question|question|help me out)\W*$"
)
# fmt: on


def _alternation(phrases: tuple[str, ...]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


_REQUEST_OPENER = re.compile(
    rf"^(?:(?:and|also|then|so|now|plus|additionally|lastly|finally|too|{_alternation(_OTHER_LEADS)})"
    rf"\W+)*(?:{_alternation(_WH + _AUX_QUESTION + _IMPERATIVE + _FIRST_PERSON + _OTHER_OPENERS)})"
    rf"(?![\w-])"
)
_INSERTED_ADVERB = re.compile(r"^(i|we|i'd|we'd)\s+(?:also|really|just|still|then|now)\s+")
_WH_START = re.compile(rf"^\W*(?:{_alternation(_WH)})\b")
_NOUN_OPENER = re.compile(rf"^(?:{_alternation(_NOUN_REQUEST)})\b")
_SENTENCE_END = re.compile(r"(?<=[?!])\s+|(?<=[.;])\s+(?=[A-Za-z])|\n+")
#: A join between two clauses: the strong ones need no comma and accept noun-phrase requests.
_STRONG_JOIN = re.compile(
    r"\s*,?\s+and\s+(?:also|then)\s+|\s*[,;]\s*(?:and\s+)?also,?\s+"
    r"|\s*[,;]\s*(?:and\s+)?then\s+|\s+also\s*,\s+"
    r"|\s*,?\s+(?:et|y|und|e)\s+(?:aussi|également|también|auch|também"
    r"|anche)\s+"
    r"|\s*[,;]\s*(?:aussi|également|también|además|außerdem|também"
    r"|além disso|inoltre|anche),?\s+"
)
_WEAK_JOIN = re.compile(r"\s*,\s*(?!and\b)|\s+and\s+|\s*,\s*and\s+|\s+(?:et|y|und|e)\s+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
#: "..., who dislikes public speaking, ...": who/whom/whose/where/when after a join open a
#: relative clause unless an auxiliary follows ("..., where do the flights stop").
_RELATIVE_CLAUSE = re.compile(
    r"^(?:who|whom|whose|where|when)\s+(?!(?:is|are|was|were|do|does|did|can|could|will"
    r"|would|should|has|have|had|may|might|must|shall|i|we|you)\b)"
)
_BLOCK_BREAK = re.compile(r"\n\s*\n")
_FURTHER_REQUEST = re.compile(
    r"^\W*(?:also|and|additionally|then|next|second|secondly|third|finally|lastly|plus"
    r"|another|one more|p\.?s\.?|btw|by the way|oh and"
    rf"|{_alternation(_OTHER_LEADS)})\b"
)
#: Imperatives that constrain the request before them rather than start a new one.
_CONSTRAINT = re.compile(
    r"^\W*(?:please\s+)?(?:use|keep|make sure|ensure|be|avoid|limit|include|format|output"
    r"|respond|reply|answer in|try|don't|do not|focus|mention|start|end|begin|remember|note"
    r"|assume|make it|stay|write (?:it )?in|wrap|highlight|cite|base|feel free|only|return"
    r"|separate|number|label|organize|structure|cover|address|incorporate|add a|provide "
    r"(?:a |an |the )?(?:brief|short|concise|detailed)|keep it|don't|no more than)\b"
)


def _opens_request(clause: str, *, allow_noun: bool) -> bool:
    text = clause.strip().lower().lstrip("\"'(*-•0123456789.) ")
    text = _INSERTED_ADVERB.sub(r"\1 ", text)
    if _REQUEST_OPENER.match(text):
        return True
    return allow_noun and bool(_NOUN_OPENER.match(text))


_DECLARATIVE_START = re.compile(
    r"^(?:she|he|they|it|we|you|i|her|his|their|its|our|the|a|an|this|that|these|those|there"
    r"|then|so|but|now|after|before|when|if|later|finally|each|every|one|two|three)\b"
)


def _count_units(sentence: str) -> int:
    """Number of requests inside one request sentence (at least 1)."""
    lowered = sentence.lower()
    units = 0
    for index, piece in enumerate(_STRONG_JOIN.split(lowered)):
        words = _WORD.findall(piece)
        if index == 0:
            units += _weak_units(piece)
        elif len(words) >= 2 and (
            _opens_request(piece, allow_noun=True) or not _DECLARATIVE_START.match(piece.strip())
        ):
            # after "and also" / "and then" / ", also" anything but a statement is a new request
            units += _weak_units(piece)
    return max(units, 1)


def _weak_units(piece: str) -> int:
    """Requests in a piece joined only by "and" or commas: each must open like a request."""
    parts = _WEAK_JOIN.split(piece)
    if len(parts) == 1 or not _opens_request(parts[0], allow_noun=True):
        # "If she works 50 weeks, what's her salary?": a lead-in that is no request itself
        # (a condition, a setting) introduces the one request that follows it
        return 1
    units = 1
    left_words = len(_WORD.findall(parts[0]))
    for part in parts[1:]:
        words = len(_WORD.findall(part))
        if (
            left_words >= 2
            and words >= 2
            and _opens_request(part, allow_noun=False)
            and not _RELATIVE_CLAUSE.match(part.strip().lower())
        ):
            units += 1
            left_words = words
        else:
            left_words += words
    return units


def count_intents(text: str) -> int:
    """Number of distinct requests in one query.

    Parameters
    ----------
    text
        One query.

    Returns
    -------
    int
        0 for an empty (or whitespace-only) text, otherwise at least 1.
    """
    if not text.strip():
        return 0
    if len(text) > 4000:
        # long pastes and documents: counting requests in them is not meaningful
        return 1
    blocks = _BLOCK_BREAK.split(text.strip())
    # an instruction followed by a blank line and its input ("Summarize the text below.\n\n
    # <text>"): later blocks count only when they open with a marker of a further request
    kept = blocks[:1] + [b for b in blocks[1:] if _FURTHER_REQUEST.match(b.strip().lower())]
    sentences = [
        s for block in kept for s in (p.strip() for p in _SENTENCE_END.split(block.strip())) if s
    ]
    sentences = [s for s in sentences if not _PREAMBLE.match(s.lower())]
    if len(sentences) == 1:
        # a query of one sentence is a request by definition, whatever its form
        return _count_units(sentences[0])
    n = 0
    for index, sentence in enumerate(sentences):
        lowered = sentence.lower()
        if index > 0 and n > 0 and _CONSTRAINT.match(lowered):
            # "Write an email. Use a formal tone." - a constraint on the request before it
            continue
        if sentence.endswith("?") or (
            _opens_request(sentence, allow_noun=False) and not _WH_START.match(lowered)
        ):
            # a sentence opening with a wh-word but ending without "?" is a statement
            # ("When the alarm goes off, it rings.")
            n += _count_units(sentence)
    return max(n, 1)
