"""Where a weak join of round 12's ten languages cuts a sentence ("... och spela lite jazz",
", i pošalji ...", "muzes mi pripomenout ... a najit ..."): used by ``units.py``."""

from __future__ import annotations

import re

from analyzer.detect.joins import TEN_JOIN_START, TEN_JOINS
from analyzer.detect.more_requests import (
    modal_infinitive,
    ten_language_question,
    ten_language_request,
)
from analyzer.detect.openers import opening, strip_leads


def ten_language_cut(head: str, joiner: str, rest: str) -> tuple[int, str] | None:
    """What a weak join does in the ten languages: ``None`` when it is not theirs (English and
    the other languages decide), else (offset into ``rest`` where the next clause starts, how it
    joined: "weak", "governed" for a second verb of a modal ask, or "" when it cuts nothing).

    ``head`` is the clause before the join, ``joiner`` the join word ("" for a bare comma)."""
    skip = 0
    if joiner == "":
        after_comma = TEN_JOIN_START.match(rest)
        if after_comma is None or not ten_language_ask(rest[after_comma.end() :]):
            return None  # a bare comma, or ", i want ...": English
        joiner, skip = after_comma.group(0).strip().lower(), after_comma.end()
    if joiner not in TEN_JOINS:
        return None
    head_low = head.strip().lower()
    if ":" in head_low:
        return 0, ""  # "Naplánuj mi víkend: kde prespať, ... a kde sa najesť?": parts of a plan
    if modal_infinitive(head_low, joiner, rest[skip:].lower()):
        return skip, "governed"
    asks = ten_language_ask(rest[skip:]) or (
        joiner in OWN_JOINS and opening(rest[skip:]) in ("question", "imperative", "want")
    )
    return (skip, "weak") if asks else (0, "")


#: Words for "and" no other language writes: after them an English-like opening asks too
#: ("... og find et tidspunkt", "... och boka ett bord"); after "a", "i", "ja" it must be one of
#: the ten languages' own ("was star wars a book or a movie" is English).
OWN_JOINS = frozenset({"och", "og", "και", "és", "și"})


def ten_language_ask(clause: str, *, stripped: bool = False) -> bool:
    """A clause that opens (after its leads, unless ``stripped`` already) with a request or a
    question word of the ten languages."""
    low = (clause if stripped else strip_leads(clause)[0]).lower()
    return ten_language_request(low) or ten_language_question(low)


def close_clause(
    spans: list[tuple[int, int, str]],
    current: tuple[int, str],
    match: re.Match[str],
    cut: tuple[int, str],
) -> tuple[int, str]:
    """Close the clause at a join when ``cut`` says so (its join kind is not empty); the start
    and join of the clause that is open after it."""
    if not cut[1]:
        return current
    spans.append((current[0], match.start(), current[1]))
    return match.end() + cut[0], cut[1]
