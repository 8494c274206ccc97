"""Multi-intent detector: how many separate requests one query makes.

The query is cut into candidate units (``units.py``: enumeration items, lines, sentences, and
clauses at joins such as "also", "then", ";", "and"). A unit is a request when it asks (a
question, an imperative, a want, a problem report) or, inside an enumeration of asks or after an
announcement ("Two things:"), when it names what is wanted ("a synonym for 'important'"). A
request is *separate* from the one before unless it depends on it:

- it elaborates it ("What about ...", "Like, ...") or constrains it ("Use a formal tone.");
- it is an embedded question joined to it ("Explain X and why Y", "how to avoid it");
- it refers back and says little of its own ("How old is it?", "Recommend one.", "Give an
  example."), or picks among what the request before named ("... and tell me which is better");
- it is a later sentence about the same things (a content word of an earlier unit recurs).

A lead that changes the topic ("unrelated", "separately", "btw", "P.S.") makes a request separate
whatever it says. An enumeration after a request that introduces it ("Translate these
sentences:") is that request's input; an enumeration followed by a question is its context; later
paragraphs after an instruction that points at them ("the text below") are its input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from analyzer.detect.constraints import is_constraint
from analyzer.detect.dependence import content_words, depends
from analyzer.detect.intent_lexicon import TOPIC_CHANGE as TOPIC_LEXICON
from analyzer.detect.layout import after_fence, lone_question, query_list, sibling
from analyzer.detect.more_requests import MODAL_ASK as TEN_MODAL_ASK
from analyzer.detect.more_requests import TEN_ASK, adds_to_earlier, looks_ten, points_at_input
from analyzer.detect.payload import embedded_prompt
from analyzer.detect.units import Unit, split_units

#: Texts longer than this count as one request (counting asks inside a pasted document is not
#: meaningful).
MAX_CHARS = 4000
#: A later paragraph longer than this is a document the request works on, not a request.
MAX_REQUEST_BLOCK_CHARS = 400

#: Anything that can cut a text into units: a line break, a sentence end inside the text, a
#: semicolon, a comma, a plus, a join word, an inline list marker.
_MAY_SPLIT = re.compile(
    r"[\n;,+]|[.?!。？！؟।]\s+\S|[。？！]\S|\b(?:and|also|then|plus|btw|y|et|und|e|en|o|aur|um|uh|poi|luego|dann|puis"
    r"|depois|daarna|next|after|och|og|și|és|και|kai)\b|\d[.)/]\s|(?:^|\s)\(?[a-h][.)]\s|\s[/|]\s",
    re.IGNORECASE,
)
#: ... or, in a text of round 12's ten languages, "a", "i", "ja" before one of their asks, or a
#: modal ask whose verbs "a", "i" may join ("muzes mi pripomenout ... a najit ...").
_MAY_SPLIT_TEN = re.compile(
    rf"\s(?:a|i|si|es|ja)\s+(?:{TEN_ASK})|^\s*{TEN_MODAL_ASK}", re.IGNORECASE
)
#: Leads that mark a new, unrelated ask even inside material ("PS: ...", "btw ...").
_TOPIC_LEADS = frozenset(
    {"ps", "p.s.", "p.s", "btw", "by the way", "unrelated", "separately", "and unrelated"}
)
_REQUEST_KINDS = frozenset({"question", "imperative", "want", "report"})
#: Leads that add a further ask ("also"), as against sequencers ("then", "first").
_ALSO = frozenset(
    {"also", "and also", "plus", "additionally", "aussi", "et aussi", "également", "también",
     "y también", "auch", "und auch", "também", "e também", "anche", "e anche", "ook", "en ook",
     "också", "også", "myös", "taky", "také", "tiež", "tiez", "még"}
)  # fmt: skip
TOPIC_CHANGE = frozenset(TOPIC_LEXICON)
_META_ANSWER = re.compile(
    r"^(?:i\s+)?need (?:some\s+)?help\W*$|^help(?: me)?(?: please)?\W*$"
    r"|\b(?:answer|respond to|reply to|help(?: me)? with|handle|address|do|complete|take care of"
    r"|sort out|get done|action)\b.*\b(?:each|both|all"
    r"|these|following|questions?|things|them|user|user's)\b|\bplease answer\b"
    r"|\bquestions?\b.*:\s*$|\bfor each\b.*\b(?:below|following)\b"
    r"|\bseparate (?:answers?|responses?|replies)\b",
    re.IGNORECASE,
)
_INPUT_POINTER = re.compile(
    r":\s*$|\b(?:these|this|following|below|the list|each of|ces|cette|ces|estas|estos|esta"
    r"|este|diese|dieses|folgende|queste|questo|seguinte|estas|deze|dit)\b|下面|以下|这些|这几",
    re.IGNORECASE,
)
#: A lead-in that introduces notes or context, not asks.
_NOTES = re.compile(
    r"^(?:my\s+|some\s+)?(?:notes?|context|background|info|details|facts|status)\b", re.IGNORECASE
)
#: A short prepositional phrase that continues the clause before ("... in room B and also in C
#: (same floor)"): at most three words before a comma, a bracket or the end.
_FRAGMENT = re.compile(
    r"^(?:in|on|at|for|with|from|of|to|by|during|after|before)(?:\s+[^\s,(]+){1,3}\s*(?:[,(]|$)",
    re.IGNORECASE,
)
#: An ask that stops before its verb, completed by the items after it ("Could you 1. ...").
_INCOMPLETE = re.compile(
    r"^(?:(?:can|could|would|will) (?:you|u)|please|pls|kindly|i need you to|i want you to)"
    r"(?:\s+(?:please|kindly|also))?\s*$",
    re.IGNORECASE,
)
#: An instruction that carries its own input after a colon on its line ("Translate to French:
#: The meeting is moved.", "Classify the sentiment of: ...").
_SELF_CONTAINED = re.compile(r"^[^:\n]{3,80}:[ \t]*\S")
_FOLLOWING = re.compile(r"\b(?:the following|below)\b", re.IGNORECASE)
_DOCUMENT_POINTER = re.compile(
    r"\b(?:given|provided|following|attached|below|above)\b"
    r"|\b(?:this|these|the)\s+(?:\w+\s+)?(?:text"
    r"|article|paragraph|email|e-mail|code|passage|document|essay|story|review|poem|message"
    r"|letter|transcript|report|snippet|function|script|data|list|sentences?|summary"
    r"|description|information|joke|input|words|points|table|query|conversation|dialogue"
    r"|question|prompt|problem|request|statement|quote|song|lyrics|program|facts|details)\b"
    r"|:\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Context:
    """What the units around a unit say about it."""

    announced: bool
    single_sentence: bool
    query_list: bool


def _is_request(unit: Unit, index: int, units: Sequence[Unit], context: _Context) -> bool:
    """Whether ``unit`` asks for something (before deciding whether it is a separate ask)."""
    if unit.kind in _REQUEST_KINDS:
        return True
    if unit.kind in ("embedded", "wh_other"):
        return unit.joined != "sentence" or index == 0 or bool(unit.leads)
    if unit.kind != "statement":
        return False
    after = units[index + 1] if index + 1 < len(units) else None
    if (
        after is not None
        and after.joined == "sentence"
        and adds_to_earlier(after.text, after.leads)
    ):
        return True  # "Tilaukseni saapui rikki. Voitteko samalla ...": "also" says it asked
    # "flights to denver and then the cheapest fare": a search-style ask after a strong join
    also = unit.joined == "plus" or (
        unit.joined == "strong"
        and not {"dann", "und dann"}.intersection(unit.leads)
        and not _FRAGMENT.match(unit.text)
    )
    if context.single_sentence and (index == 0 or also):
        # a query of one sentence asks, whatever its form ("flights to denver", "lasagna
        # recipe + how to reset airpods")
        return True
    if context.announced or context.query_list:
        return True  # "I need 3 things. a synonym for ... the conversion of ..."
    if index == len(units) - 1 and index > 0 and TOPIC_CHANGE.intersection(unit.leads):
        return True  # "... can you refund one? Separately, the export button does nothing."
    if unit.item:
        siblings = [u for u in units if u.item and u.block == unit.block and u is not unit]
        asking = sum(
            u.kind in _REQUEST_KINDS or u.kind in ("embedded", "wh_other") for u in siblings
        )
        return bool(siblings) and asking * 2 >= len(siblings)
    return False


def _drop_inputs(units: list[Unit], text: str) -> list[Unit]:
    """Leave out enumerations and paragraphs that are the input, spec or context of a request
    rather than requests of their own."""
    kept: list[Unit] = []
    index = 0
    while index < len(units):
        unit = units[index]
        if not unit.item:
            kept.append(unit)
            index += 1
            continue
        end = index
        while end < len(units) and (units[end].item or units[end].joined in ("weak", "strong")):
            end += 1
        items = units[index:end]
        lead_in = kept[-1] if kept else None
        trailing = [u for u in units[end:] if u.kind in _REQUEST_KINDS]
        pointed = any(
            u.kind in _REQUEST_KINDS and _follows(u.text) and not _is_meta(u, text) for u in kept
        )
        if not pointed and not _items_are_input(items, lead_in, trailing, text):
            if lead_in is not None and (_is_meta(lead_in, text) or _INCOMPLETE.match(lead_in.text)):
                kept.pop()  # "Answer the user's question:", "Could you": no requests of their own
            kept.extend(items)
        index = end
    return _drop_documents(kept, text)


def _may_split(text: str) -> bool:
    return bool(_MAY_SPLIT.search(text)) or (
        looks_ten(text.lower()) and bool(_MAY_SPLIT_TEN.search(text))
    )


def _follows(text: str) -> bool:
    """A request that points at the material after it ("the following", "below", "följande")."""
    return bool(_FOLLOWING.search(text)) or points_at_input(text)


def _colon_after(unit: Unit, text: str) -> str:
    return ":" if text[unit.end : unit.end + 2].strip().startswith(":") else ""


def _is_meta(lead_in: Unit, text: str) -> bool:
    """A lead-in that asks for the items to be answered ("Answer each:", "Need help:")."""
    return bool(_META_ANSWER.search(lead_in.text + _colon_after(lead_in, text)))


def _items_are_input(
    items: Sequence[Unit], lead_in: Unit | None, trailing: Sequence[Unit], text: str
) -> bool:
    if lead_in is not None and lead_in.kind == "announce":
        return False
    if lead_in is not None and _NOTES.match(lead_in.text):
        return True  # "Notes from 1:1 w/ Sam:\n- ...": the context of what is asked
    if lead_in is not None and (_is_meta(lead_in, text) or _INCOMPLETE.match(lead_in.text)):
        return False  # "Answer each:", "Could you 1. ... and 2. ...": the items are the asks
    lead_text = lead_in.text + _colon_after(lead_in, text) if lead_in is not None else ""
    if lead_in is not None and lead_in.kind in _REQUEST_KINDS:
        # "Translate these sentences:\n1. ..." / "Write an email.\n- keep it short\n- ..."
        questions = sum(u.kind == "question" for u in items)
        pointer = _INPUT_POINTER.search(lead_text) or points_at_input(lead_text)
        return bool(pointer) or questions * 2 < len(items)
    questions = sum(u.kind == "question" for u in items)
    # steps, ingredients or attempts listed before the question about them
    return bool(trailing) and questions * 2 < len(items)


def _drop_documents(units: list[Unit], text: str) -> list[Unit]:
    """Later paragraphs after an instruction that points at them ("the text below"), and long
    paragraphs, are the request's material unless they open with a further-request lead; so
    is everything after a request that ends its line with a colon ("... with an
    explanation:\n<passage>")."""
    if not units:
        return units
    for index, unit in enumerate(units[:-1]):
        pointing = unit.kind in _REQUEST_KINDS | {"statement"} and not _is_meta(unit, text)
        if pointing and _follows(unit.text):
            # "Answer the following math problem ... <problem>", "This question refers to the
            # following information.\n<passage>": what follows is material, bar a P.S.
            rest = units[index + 1 :]
            kept = [u for u in rest if _further(u, units) or _led_ask(u, unit) or sibling(u, unit)]
            return units[: index + 1] + kept
        line_end = text.find("\n", unit.end)
        ends_line = text[unit.end : line_end if line_end >= 0 else len(text)].strip() == ":"
        if (
            unit.kind != "announce"
            and (ends_line or unit.text.rstrip().endswith(":"))
            and _DOCUMENT_POINTER.search(unit.text.rstrip().rstrip(":"))
            and not units[index + 1].item
        ):
            rest = units[index + 1 :]
            writer = [
                u for u in rest if _topic_first(u, units) or after_fence(text, unit.end, u.start)
            ]
            return units[: index + 1] + writer
    first_block = next((u.block for u in units if u.kind != "preamble"), units[0].block)
    head_units = [u for u in units if u.block == first_block]
    head = " ".join(u.text for u in head_units)
    head_end = head_units[-1].end
    # "Instruction.\n\n<its input>": after an instruction (not a question), a later paragraph
    # is its material unless it opens with a further-request lead
    instructs = head_units[-1].kind in ("imperative", "want", "statement")
    pointer = bool(_DOCUMENT_POINTER.search(head)) or head.rstrip().endswith(":")
    points = pointer or instructs
    block_chars: dict[int, int] = {}
    for unit in units:
        block_chars[unit.block] = block_chars.get(unit.block, 0) + len(unit.text)
    kept = []
    for unit in units:
        later = unit.block > first_block
        further = bool(unit.leads) and unit.joined in ("line", "sentence")
        long_block = block_chars[unit.block] > MAX_REQUEST_BLOCK_CHARS
        material = long_block or (points and not unit.item)
        parallel = _parallel_task(unit, head_units[-1], units)
        # after a code block that closed, or a short question after an instruction that
        # pointed at nothing: the writer's own words again ("... ```\nCan you tell me ...?")
        resumed = (pointer and after_fence(text, head_end, unit.start)) or (
            not pointer and lone_question(unit, units, block_chars[unit.block])
        )
        own = parallel or resumed or (further and unit is _first_of(units, unit))
        if later and material and not own:
            continue
        kept.append(unit)
    return kept


def _further(unit: Unit, units: Sequence[Unit]) -> bool:
    """A later paragraph that opens with a further-request lead ("P.S. ...", "Also, ...")."""
    return bool(unit.leads) and unit is _first_of(units, unit) and unit.block != units[0].block


def _led_ask(unit: Unit, pointing: Unit) -> bool:
    """After a request that points at the material below, a unit with a topic-change lead, or
    an ask led by "also" in the pointing request's own paragraph ("Summarize the notes below.
    Also, what's a good name for a puppy?"), is a request, not material."""
    if _TOPIC_LEADS.intersection(unit.leads):
        return True
    same_paragraph = unit.block == pointing.block and unit.kind in _REQUEST_KINDS
    further = bool(_ALSO.intersection(unit.leads)) or bool(TOPIC_CHANGE.intersection(unit.leads))
    return same_paragraph and further and unit.joined in ("sentence", "strong")


def _topic_first(unit: Unit, units: Sequence[Unit]) -> bool:
    """A unit that opens its paragraph with a topic-change lead ("And unrelated - ...")."""
    return bool(_TOPIC_LEADS.intersection(unit.leads)) and unit is _first_of(units, unit)


def _parallel_task(unit: Unit, head: Unit, units: Sequence[Unit]) -> bool:
    """A later paragraph that is an instruction with its own input after a colon, like the
    head ("Translate to French: ...\n\nClassify the sentiment of: ..."): a task of its own."""
    return (
        unit is _first_of(units, unit)
        and unit.kind == "imperative"
        and head.kind == "imperative"
        and bool(_SELF_CONTAINED.match(unit.text))
        and bool(_SELF_CONTAINED.match(head.text))
    )


def _first_of(units: Sequence[Unit], unit: Unit) -> Unit:
    return next(u for u in units if u.block == unit.block)


def request_units(text: str) -> list[Unit]:
    """The separate requests of one query, each with the units that continue it merged in.

    Parameters
    ----------
    text
        One query.

    Returns
    -------
    list of Unit
        One unit per separate request, in text order (its ``text`` is where it starts; the
        ``end`` offset covers the units merged into it). Empty for a blank text; a text with
        no recognisable request (or over ``MAX_CHARS``) gives one unit spanning it.
    """
    if not text.strip():
        return []
    prompt = embedded_prompt(text)
    if prompt is not None:
        # '{"prompt": "..."}', 'task=assist; input="..."': the asks are the prompt's
        return request_units(prompt)
    lead = len(text) - len(text.lstrip())
    whole = Unit(text.strip(), lead, len(text.rstrip()), "statement", (), False, 0, "")
    if len(text) > MAX_CHARS:
        return [whole]
    if not _may_split(text.strip()):
        return [whole]  # one clause: no line break, sentence end, list marker or join word
    units = _drop_inputs(split_units(text), text)
    content = [u for u in units if u.kind not in ("preamble", "announce")]
    context = _Context(
        announced=any(u.kind == "announce" for u in units),
        single_sentence=all(u.joined in ("weak", "strong", "plus") for u in content[1:]),
        query_list=query_list(content),
    )
    requests: list[Unit] = []
    earlier: set[str] = set()
    for index, unit in enumerate(content):
        if is_constraint(unit, after_request=bool(requests)):
            continue
        if _is_request(unit, index, content, context):
            between = text[requests[-1].end : unit.start] if requests else ""
            # the items after "two unrelated things:" are separate by the writer's own count
            counted = context.announced and unit.item
            if requests and not counted and depends(unit, requests[-1], earlier, between):
                last = requests[-1]
                requests[-1] = Unit(
                    last.text,
                    last.start,
                    unit.end,
                    last.kind,
                    last.leads,
                    last.item,
                    last.block,
                    last.joined,
                )
            else:
                requests.append(unit)
        earlier |= content_words(unit.text)
    return requests or [whole]


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
    return len(request_units(text))
