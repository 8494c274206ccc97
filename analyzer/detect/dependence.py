"""When a request unit continues the request before it instead of making a new one.

:func:`depends` holds the rules (form first, then content); :func:`content_words` gives the
specific content words of a unit (no function words in any of seven languages, no generic
words, not the asking words and verb); constraints on a request ("Use a formal tone.") are told
apart in ``constraints.py``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from analyzer.detect.cjk import cjk_bigrams, cjk_follow_up, has_cjk
from analyzer.detect.continuations import (
    completes_ask,
    points_back,
    shapes_one_deliverable,
    shares_word,
)
from analyzer.detect.followups import same_ask
from analyzer.detect.intent_lexicon import (
    ANAPHORA,
    ELABORATION,
    GENERIC,
    IMPERATIVE,
    STOPWORDS,
    TOPIC_CHANGE,
    alternation,
)
from analyzer.detect.more_requests import ON_INPUT as TEN_ON_INPUT
from analyzer.detect.more_requests import function_words, says_also, ten_language_continues
from analyzer.detect.openers import opening
from analyzer.detect.spans import favourite_language, word_scores
from analyzer.detect.units import Unit

#: Own content words a unit that refers back needs to be a separate request.
MIN_OWN_WORDS = 2
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_STOP = frozenset(STOPWORDS) | frozenset(ANAPHORA)
_GENERIC = frozenset(GENERIC)
_TOPIC_CHANGE = frozenset(TOPIC_CHANGE)
#: Words that open an ask before its verb ("can you please", "I'd like to").
_ASKING_WORDS = frozenset(
    {
        "can", "could", "would", "will", "should", "you", "u", "please", "kindly", "me", "i", "we",
        "they", "he", "she", "it", "do", "does", "did", "is", "are", "let", "let's", "lets", "i'd",
        "i'm", "like", "want", "need", "wanna", "also", "just", "to", "know", "help", "tell",
    }
)  # fmt: skip
_REQUEST_VERBS = frozenset(w for phrase in IMPERATIVE for w in phrase.split())
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
_STRONG_ANAPHORA = re.compile(
    r"\b(?:which one|which ones|the one|either|both|them|those|these|the other)\b"
    r"|\b(?:the|your|that) (?:answer|advice|recommendation)\b"
    r"|\b(?:about|on|of|for|with|to)\s+(?:this|that|it)\W*$|^another\b"
    r"|\b(?:of|for|about|on|in) each\b|\beach (?:one|of them|of these|of those)\b|^\w+\s+each\b"
    r"|\b(?:with|about|in|of|for|on|from)\s+(?:it|them)\b|\b(?:this|that|it)\W*$"
    r"|^(?!(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have)\b)"
    r"\w+(?:\s+me)?\s+(?:one|them|it|both|either)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
#: A demonstrative before the colon that opens its input ("the total of these line items: ...").
_CATAPHORA = re.compile(r"\b(?:these|this|those)\b(?=[^:.?!]{0,40}:\s*\S)", re.IGNORECASE)
#: Asking for an example of what was just asked about: "give an example", "show me examples".
_EXAMPLE_ASK = re.compile(
    r"^(?:please\s+)?(?:give|show|provide|include|add|list|write|share|make)(?:\s+me)?\s+"
    r"(?:an?\s+|some\s+|one\s+|two\s+|three\s+|a few\s+|your\s+)?(?:\w+\s+){0,2}(?:examples?"
    r"|sample|recommendation|verdict|conclusion|summary|opinion|assessment|suggestion|analog(?:y|ies)"
    r"|illustration|metaphor|snippet|demo|use cases?|walkthrough|breakdown|counterexample)\b",
    re.IGNORECASE,
)
#: A pronoun subject that refers back ("why is it ...", "do they ..."), unless expletive ("is
#: it safe to ...", "will it rain").
_SUBJECT_PRONOUN = re.compile(
    r"^(?:\w+\s+){0,2}?(?:is|are|was|were|does|do|did|can|could|will|would|should|has|have)\s+"
    r"(?:it|they|he|she)\b|^(?:it|they|he|she)\s+(?:is|are|was|were|does|do|did|can|will|has"
    r"|have)\b",
    re.IGNORECASE,
)
_EXPLETIVE = re.compile(
    r"\bis it\s+['\"‘“][^'\"’”]+['\"’”]\s+or\s+['\"‘“]"  # "is it 'affect' or 'effect'": which word
    r"|\b(?:it|it's)\s+(?:\w+\s+)?(?:safe|possible|ok|okay|legal|worth|true|better|normal"
    r"|necessary|hard|easy|bad|good|wise|allowed|illegal|cheaper|faster|required)\b"
    r"|\bit\s+(?:be\s+|get\s+)?(?:rain|snow|hot|cold|sunny|windy|take|cost|chilly|warm|warmer"
    r"|colder|freezing|cloudy|overcast|humid|foggy|stormy|hail|drizzle|nice|clear|sleet)",
    re.IGNORECASE,
)
_SEQUENCERS = frozenset(
    {
        "first",
        "firstly",
        "then",
        "next",
        "second",
        "secondly",
        "third",
        "thirdly",
        "finally",
        "lastly",
        "after that",
        "and then",
        "ensuite",
        "puis",
        "luego",
        "dann",
        "danach",
        "poi",
        "depois",
        "daarna",
        "eerst",
        "primero",
        "zuerst",
        "prima",
        "d'abord",
    }
)
_ALSO_INSIDE = re.compile(r"\b(?:also|too|as well|another|separately)\b", re.IGNORECASE)
_HOW_TO = re.compile(
    r"^(?:how|why|where|when)\s+(?:can|could|do|should|would|to|shall)\b", re.IGNORECASE
)
_IF_SO = re.compile(r"\bif (?:so|not|yes|no)\W*$", re.IGNORECASE)
_OPEN_APP = re.compile(
    r"^(?:please\s+)?(?:open|launch|start|go to|pull up|load)\s+(?:up\s+)?(?:the\s+|my\s+)?"
    r"[\w-]+(?:\s+app)?\W*$|^(?:(?:can|could|would) you\s+|please\s+)?(?:take a look at"
    r"|have a look at|look at|look over|go through|read through)\b",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"\b(?:his|her|its|their)\b", re.IGNORECASE)
#: A question that ends on a predicate missing its complement ("What processes are involved?").
_ELLIPTIC_END = re.compile(
    r"\b(?:involved|required|needed|included|eligible|affected|responsible|related"
    r"|available|allowed|recommended|instead|else|of each|for each|each of them|each one"
    r"|supported|accepted|support|accept|offered|accordingly|as well|respectively|likewise"
    r"|as possible|as needed|if needed|if possible)\W*$",
    re.IGNORECASE,
)
_EXAMPLES = re.compile(
    r"\b(?:examples?|instances?|cases?|ideas?|tips|ways|reasons)\b", re.IGNORECASE
)
_WEAK_ANAPHORA = re.compile(
    rf"\b(?:{alternation(tuple(a for a in ANAPHORA if a not in _DEMONSTRATIVES))})\b"
    r"|\b(?:this|that|these|those)\b(?=\s*(?:$|[?.!,;:]|is\b|are\b|was\b|were\b|does\b|do\b"
    r"|mean|work|happen|include|apply|cover|one\b|ones\b|in\b|for\b|with\b|to\b|on\b|sound"
    r"|look|seem|be\b|more\b|less\b|information|info\b|issue|problem|thing|process|option"
    r"|step|error|service|feature|method|case|situation))",
    re.IGNORECASE,
)
#: Picking among what the request before named: "which one would you pick", "cuál me conviene".
_CHOICE = re.compile(
    r"\b(?:which|cuál|cuáles|quale|quali|qual|quais|welche|welcher|welches|welk|welke"
    r"|lequel|laquelle|quel|quelle)(?:\s+one)?\s+(?:is|are|would|should|do|you|you'd|i|me|te"
    r"|ti|di|de|of|ist|sind|raad|conviene|vale|vaut|fits|suits)\b"
    r"|\b(?:sinnvoller|aanraadt|raad je aan|you'd pick|would you pick|me conviene"
    r"|conviene|vaut mieux|vale la pena)\b",
    re.IGNORECASE,
)
_TELL_VERB = re.compile(
    r"\b(?:tell|explain|show|describe|dime|explica|explícame|explicame|dis-moi|dites-moi"
    r"|explique|expliquez|sag mir|erkläre|erklären|erklär|dimmi|spiega|spiegami|me diga"
    r"|me explica|vertel|leg uit|explicar|expliquer|spiegare|uitleggen|erklärst)\b"
)
_ON_INPUT = re.compile(
    r"\b(?:the following|below|above)\b|\bthis\W*$|:\s*$"
    r"|\bthe (?:given |provided )?(?:text|sentence|sentences|paragraph|passage|code|input"
    r"|article|email|essay|document|data|list|table|description|problem|implementation"
    r"|solution|question|task|exercise)\b"
    r"|\b(?:this|these|my|ce|cette|ces|este|esta|estos|estas|diesen|diese|dieses|questo|questa"
    r"|questi|deze|dit)\s+(?:\w+\s+)?(?:text|texts|paragraph|email|e-mail|code|article|sentences?"
    r"|function|document|essay|passage|message|letter|clause|error|story|poem|headline"
    r"|paragraphs|script|draft|names|words|numbers|items|values|lines|dates|urls|links|titles"
    r"|tags|keywords|entries|records|rows|files|notes|questions|answers|reviews|comments"
    r"|tweets|messages|phrases|terms|texte|erreur|correo|texto|error|fehler|testo|errore|tekst"
    r"|fout|mail|brief|lettre|carta|lettera)\b",
    re.IGNORECASE,
)
_ELABORATION = re.compile(rf"^(?:{alternation(ELABORATION)})\b", re.IGNORECASE)
#: Log10 frequency (Zipf 6) from which a word counts as a function word in any language.
FUNCTION_WORD_LOG_FREQ = -3.0


@lru_cache(maxsize=50_000)
def _is_function_word(word: str, lang: int) -> bool:
    """A stop word, or a word of Zipf 6+ in English or in the unit's language ``lang`` (index
    in ``SPAN_LANGUAGES``): "uma", "les", "para" in Portuguese or French units, but not
    Italian "fare" in an English one."""
    if word in _STOP or len(word) < 3 or word in function_words():
        return True
    scores, known = word_scores(word)
    return any(known[i] and scores[i] >= FUNCTION_WORD_LOG_FREQ for i in {0, lang})


#: An elided article or pronoun before a word ("l'adresse", "dell'hotel", "qu'il").
_ELISION = re.compile(r"^(?:l|d|j|qu|n|s|c|m|t|dell|all|nell|sull|dall|un)'(?=\w{3})")


def _words(text: str) -> list[str]:
    return [_ELISION.sub("", w.lower().replace("’", "'")) for w in _WORD.findall(text)]


def content_words(text: str) -> set[str]:
    """Specific content words: not function words, not generic ones, not request verbs, 3+
    letters or digits, plurals folded; the opening ("can you give", "tell me") left out."""
    words = _words(text)
    if words:
        # "can you please give me ...", "I'd like to know ...": the asking words and one verb
        index = 0
        while index < len(words) and words[index] in _ASKING_WORDS:
            index += 1
        if index < len(words) and (index > 0 or words[index] in _REQUEST_VERBS):
            index += 1  # the verb of the ask ("do they *sell* ...", "*write* a poem")
        words = words[max(index, 1) :]
    if has_cjk(text):
        return cjk_bigrams(text)
    lang = favourite_language(text)
    return {
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in words
        if not w.isdigit() and w not in _GENERIC and not _is_function_word(w, lang)
    }


def _empty_ask(text: str) -> bool:
    """A short ask with nothing of its own ("What do I do?", "please look up"); not one that
    points back ("Could you correct it?")."""
    return (
        len(text.split()) <= 5
        and not content_words(text)
        and not re.search(r"\d", text)
        and not _WEAK_ANAPHORA.search(text)
    )


def depends(unit: Unit, before: Unit, earlier_words: set[str], between: str) -> bool:
    """Whether ``unit`` continues the request ``before`` instead of making a new one.

    Parameters
    ----------
    unit, before
        The unit and the (merged) request before it.
    earlier_words
        Content words of every unit before ``unit`` (requests and context).
    between
        The text between ``before`` and ``unit`` ("," for a bare comma).
    """
    if _TOPIC_CHANGE.intersection(unit.leads):
        return False
    by_form = _continues_by_form(unit, before, between)
    if by_form is not None:
        return by_form
    return _continues_by_content(unit, before, earlier_words)


def _continues_by_form(unit: Unit, before: Unit, between: str) -> bool | None:
    """Elaborations, choices, embedded questions, asks on one input, empty asks before; ``None``
    when the form does not decide."""
    text = unit.text
    elaborates = _ELABORATION.match(text.lower()) or cjk_follow_up(text)
    if elaborates or _CHOICE.search(text) or same_ask(unit, before) or completes_ask(unit, before):
        return True
    if ten_language_continues(text, before.text, same_sentence=unit.joined in ("weak", "strong")):
        return True  # "Hitta buggen och rätta den", "porovnej A a B a doporuč mi jednu"
    if unit.kind == "embedded" or opening(text) == "embedded":
        # "explain X and why Y", "tell me how to A, and then how to B"
        return unit.joined not in ("line", "item", "plus")
    if unit.kind == "wh_other" and unit.joined == "weak":
        # "explica qué es X y por qué Y" (a second complement of "explain"), but not
        # "pon música y cuánto mide el Aconcagua" (a question of its own)
        return bool(_TELL_VERB.search(before.text.lower()))
    if _same_input(unit, before) or _item_of_input(unit, before) or _defines(unit, before):
        return True
    weak_after_opening = unit.joined == "weak" and _OPEN_APP.match(before.text)
    if _empty_ask(before.text) or _IF_SO.search(before.text) or weak_after_opening:
        # "please look up and find me ...", "What do I do? My card is broken.", "Do you hold
        # money and if so, what ...", "open contacts and call john": one ask
        return True
    if _context_and_ask(unit, before, between) or shapes_one_deliverable(unit, before):
        return True
    if unit.joined == "weak" and unit.kind == "imperative" and _HOW_TO.match(before.text):
        return True  # "how can I print X and add a zero": one question's two verbs
    return None


def _context_and_ask(unit: Unit, before: Unit, between: str) -> bool:
    """A want or a problem report, then the ask it is the context of; or an instruction, then
    the want that specifies it. Only in the next sentence or line, with no lead of its own."""
    next_sentence = unit.joined in ("sentence", "line") and not unit.leads
    if before.kind == "want" and (between.strip() == "," or next_sentence):
        # "I need to hold money, what currencies can I use?", "I want to apply at Google.
        # Can you write me a cover letter?": the want is the context of the ask after it
        return True
    if before.kind == "report" and unit.kind == "question" and next_sentence:
        return True  # "My flight got cancelled. Is there anything earlier?": about the problem
    # "Write me a training plan. I want to train 6 days a week ...": its spec
    spec = unit.kind == "want" and before.kind == "imperative" and next_sentence
    return spec and not (_ALSO_INSIDE.search(unit.text) or says_also(unit.text))


def _same_input(unit: Unit, before: Unit) -> bool:
    """Two instructions on one input: "Summarize this and list the key points", or "Sort these
    names and then remove duplicates: <names>" (the input after the second, "these" before)."""
    if unit.kind != "imperative":
        return False
    if not (_ON_INPUT.search(before.text) or TEN_ON_INPUT.search(before.text.lower())):
        return False
    if unit.joined == "weak" and before.kind == "imperative":
        return True
    pipeline = unit.joined == "strong" and set(unit.leads) <= _SEQUENCERS
    return pipeline and ":" in unit.text and ":" not in before.text


#: An instruction whose input is listed after its colon ("Translate these into Spanish: ...").
_LISTED_INPUT = re.compile(r"^[^:]{3,80}\b(?:these|the following|this|each)\b[^:]{0,40}:\s*\S")
#: A question that asks what a short term is ("what is intermittent fasting").
_DEFINITION = re.compile(
    r"^(?:what|what's|whats)\s+(?:is|are|'s)?\s*(?:an?\s+|the\s+)?[\w-]+(?:\s+[\w-]+){0,2}\W*$",
    re.IGNORECASE,
)
_HOW_WHY = re.compile(r"^(?:how|why)\s+(?:does|do|is|are|did|can)\b", re.IGNORECASE)


def _item_of_input(unit: Unit, before: Unit) -> bool:
    """A comma-joined piece of the input listed after an instruction's colon ("Translate these
    into Spanish: good morning, ..., where is the bathroom")."""
    return unit.joined == "weak" and bool(_LISTED_INPUT.match(before.text))


def _defines(unit: Unit, before: Unit) -> bool:
    """ "what is X and how does Y work" in one sentence: how the thing just defined works."""
    return (
        unit.joined == "weak"
        and bool(_DEFINITION.match(before.text))
        and bool(_HOW_WHY.match(unit.text))
    )


def _continues_by_content(unit: Unit, before: Unit, earlier_words: set[str]) -> bool:
    """A unit that refers back and says little of its own, or a later sentence on the same
    things."""
    text = unit.text
    own = content_words(text)
    if unit.kind == "question":
        own |= set(_NUMBER.findall(text))  # "what's 12% of 80?" asks about its numbers
    if _EXAMPLE_ASK.search(text):
        return True  # "... and give a short example in JavaScript"
    if _SUBJECT_PRONOUN.search(text) and not _EXPLETIVE.search(text) and not unit.item:
        return True  # "How does a heat pump work, and why is it efficient ...?"
    # "these line items: 3 x $14.50, ...": a demonstrative that points at the input after it
    backward = _CATAPHORA.sub(" ", text)
    if not own or _STRONG_ANAPHORA.search(backward) or _ELLIPTIC_END.search(text):
        return True
    if points_back(unit):
        return True  # "..., and how can this knowledge be used to promote healthier diets?"
    if unit.joined == "weak" and unit.kind == "want" and len(own) < MIN_OWN_WORDS:
        return True  # "get me a car rental ..., and i'd like a sedan if possible"
    if _POSSESSIVE.search(text) and len(own) <= MIN_OWN_WORDS:
        return True  # "where does john smith live and what is his phone number"
    if _WEAK_ANAPHORA.search(text) and (len(own) < MIN_OWN_WORDS or _EXAMPLES.search(text)):
        return True
    also = _ALSO_INSIDE.search(text) or says_also(text)
    short = len(own) < MIN_OWN_WORDS and not unit.leads and not also
    if short and (unit.joined == "sentence" or (unit.joined == "line" and unit.kind == "question")):
        # "List three impacts.", "Propose 4 options.", "Any suggestions?": a short follow-up
        return True
    # a later sentence, line or item about the same things as an earlier unit ("First, figure
    # out the legs of a QQQ bear put spread ... Then, figure out the legs of ..."); a lead such
    # as "also" or "and" announces a further ask, a sequencer ("then", "next") does not
    sequenced = not unit.leads or set(unit.leads) <= _SEQUENCERS
    joined = unit.joined in ("sentence", "line", "item")
    return joined and sequenced and shares_word(own, earlier_words)
