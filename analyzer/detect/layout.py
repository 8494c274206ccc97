"""Where asks stand in a query's layout (round 8): one query per line, a lone question in its
own paragraph, the writer's words after a code block, the items of one enumeration."""

from __future__ import annotations

import re
from collections.abc import Sequence

from analyzer.detect.openers import opening
from analyzer.detect.units import Unit

#: A subject, a finite verb or a pronoun: a line that says something rather than names a query.
_SAYS = re.compile(
    r"\b(?:i|i'm|im|we|my|our|you|your|he|she|it|they|this|that|is|are|was|were|am|have|has"
    r"|had|do|does|did|will|would|can|could|should)\b",
    re.IGNORECASE,
)


def query_list(units: Sequence[Unit]) -> bool:
    """Three or more short lines of one paragraph (two of at most six words), each an ask or a
    search phrase of 2+ words not opening with a preposition, and at least one an ask
    ("what's 15% of 240\nbest time to visit Iceland\nsynonym for 'happy'", "how to reset
    airpods\nbest sushi downtown seattle"): a batch of queries, one per line."""
    if len(units) < 2 or any(u.joined != "line" or u.block != units[0].block for u in units):
        return False
    longest = _PAIR_WORDS if len(units) == 2 else _LIST_WORDS
    if any(len(u.text.split()) > longest or u.text.rstrip().endswith(":") for u in units):
        return False
    phrases = [u for u in units if u.kind == "statement"]
    if len(phrases) == len(units):
        return False
    return all(
        len(u.text.split()) >= 2 and not _SAYS.search(u.text) and not _LINKED.match(u.text)
        for u in phrases
    )


#: Words a line of a two-line (and a longer) batch may have.
_PAIR_WORDS = 6
_LIST_WORDS = 10
#: A phrase that continues the line before ("without eggs", "for beginners").
_LINKED = re.compile(
    r"^(?:without|with|for|in|on|at|to|from|and|or|but|no|not|the|a|an|my|your|of|by|near|vs"
    r"|like|using|instead)\b",
    re.IGNORECASE,
)


#: A later paragraph this short that is a question is an ask, not a document.
_SHORT_BLOCK = 120


def lone_question(unit: Unit, units: Sequence[Unit], chars: int) -> bool:
    """A paragraph of one short direct question ("what's the best time to post on linkedin")."""
    alone = sum(u.block == unit.block for u in units) == 1
    return alone and chars <= _SHORT_BLOCK and opening(unit.text) == "question"


def after_fence(text: str, head_end: int, start: int) -> bool:
    """Whether a fenced code block opened and closed between the head and ``start``."""
    between = text[head_end:start]
    return between.count("```") >= 2 and between.count("```") % 2 == 0


def sibling(unit: Unit, pointing: Unit) -> bool:
    """An item of the enumeration the pointing item belongs to ("- Summarize the notes below.
    - Suggest a subject line."): a further ask, not the material below."""
    return pointing.item and unit.item and unit.block == pointing.block and unit.joined == "item"
