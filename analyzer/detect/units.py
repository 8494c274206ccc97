"""Candidate request units of a query: enumeration items, lines, sentences and joined clauses.

:func:`split_units` cuts a query into :class:`Unit` pieces in text order and gives each a kind
(``question``, ``imperative``, ``want``, ``report``, ``announce``, ``preamble`` or
``statement``) and the leads stripped from its start ("also", "then", "unrelated", "2)" ...).
Whether a unit is a separate request is decided in ``multi_intent.py`` from the kinds and the
units around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from analyzer.detect.hinglish import hinglish_kind, hinglish_second_ask
from analyzer.detect.joins import STRONG_HINT, STRONG_JOIN, TEN_JOINS, WEAK_JOIN
from analyzer.detect.masking import is_quote_only, mask_quotes
from analyzer.detect.openers import (
    AUX_VP,
    AUX_WORD,
    RELATIVE,
    WH_OTHER_OPENER,
    classify,
    is_lead_only,
    opening,
    strip_leads,
)
from analyzer.detect.ten_joins import close_clause, ten_language_ask, ten_language_cut


@dataclass(frozen=True)
class Unit:
    """One candidate request: ``text`` (leads stripped), its ``start``/``end`` offsets in the
    query, its ``kind``, the ``leads`` stripped from it (lower-case), whether it is an
    enumeration ``item``, the ``block`` (paragraph) it sits in, and how it ``joined`` the unit
    before ("item", "line", "sentence", "strong", "weak")."""

    text: str
    start: int
    end: int
    kind: str
    leads: tuple[str, ...]
    item: bool
    block: int
    joined: str


_ITEM_MARKER = re.compile(
    r"^\s*(?:(?:\d{1,2}|[a-hA-H])\s*[.):]\s+|\d{1,2}/\s+|\d{1,2}\s*[-–—]\s*(?=\S)"
    r"|\(\s*(?:\d{1,2}|[a-hA-H])\s*\)\s*|[-*•·▪◦‣]\s+|[\u2190-\u2bff\U0001f300-\U0001faff]\ufe0f?\s+"
    r"|(?:q|question|task|job|prompt|request|item|step|query|frage|anfrage|aufgabe|pregunta|tarea"
    r"|pergunta|tarefa|domanda|vraag|demande)\s*#?\s*\w{0,3}\s*[:.)—–-]\s+"
    r"|\[[\w .-]{1,24}\]\s*|(?:user|human)\s*:\s*)",
    re.IGNORECASE,
)
_HEADER = re.compile(r"^\s*#{1,6}\s+\S")
#: Answer options ("A. ...", "ii) ...") and code lines are the material of a request, never one.
_OPTION = re.compile(r"^\s*(?:[A-H][.)]|\(?(?:i|ii|iii|iv|v|vi|vii)[.)])\s+")
_CODE_LINE = re.compile(
    r"^(?: {4,}|\t)|^\s*(?:def|class|import|from\s+\S+\s+import|return|#include|function|const"
    r"|let|var|public|private|static|async|print\(|>>>|[{}\]])(?:\b|\s|$)|[;{]\s*$"
    r"|^\s*[\w.\[\]]+\s*[+\-*/]?=\s*\S|^\s*@[\w.]+(?:\(.*\))?\s*$"  # a decorator, not "@bot ..."
)
#: A Greek question mark (";" after a Greek letter).
_GREEK_QUESTION = re.compile(r"(?<=[\u0370-\u03FF\u1F00-\u1FFF]);")
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|={3,}|\*{3,}|_{3,})\s*$")
_INLINE_MARKER = re.compile(
    r"(?:^|(?<=[\s,;:：]))(?:\(\s*([1-9a-h])\s*\)|([1-9a-h])[.)]|([1-9])/)\s+"
)
_SENTENCE_END = re.compile(
    r"(?<=[.?!]['\"”»])\s+(?=[A-Za-z¿¡])|(?<=[?!؟।])\s+|(?<=[.。])\s+(?=[^\W\d_¿¡\"'(]|[¿¡\"'(])|(?<=[？！。])(?![”」』])"
    r"|(?<=[。？！][”」』])\s*|(?<=\.)\s*[—–]\s+"
)
_ABBREVIATION = re.compile(
    r"\b(?:e\.g|i\.e|etc|vs|mr|mrs|ms|dr|st|no|approx|ca|z\.b|p\.ex|u\.s|u\.k|[A-Z])\.$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Segment:
    start: int
    end: int
    item: bool
    block: int


def _segments(text: str) -> list[_Segment]:
    """Items, lines and paragraphs of the text with their offsets."""
    segments: list[_Segment] = []
    block = 0
    offset = 0
    header_open = False
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip() or _SEPARATOR.match(line):
            block += 1
            header_open = False
            continue
        if _HEADER.match(line):
            header_open = True
            block += 1
            continue
        if _OPTION.match(line) or _CODE_LINE.search(line) or _data_line(line):
            continue
        if _MAIL_FIELD.match(line) and len(line.split()) <= _MAX_FIELD_WORDS:
            continue  # "Subject: ...", "Ticket #4412": the message's metadata, not an ask
        marker = _ITEM_MARKER.match(line)
        if marker is not None and len(_inline_items(line)) > 2:
            marker = None  # "1) best time to visit Japan 2) how to make sushi rice"
        if header_open and segments and segments[-1].block == block and marker is None:
            segments[-1] = replace(segments[-1], end=end)  # the body of a "### Request 1" item
            continue
        if marker is not None:
            segments.append(_Segment(start + marker.end(), end, True, block))
        elif segments and _wrapped(text, segments[-1], start, block):
            segments[-1] = replace(segments[-1], end=end)
        else:
            segments.append(_Segment(start, end, header_open, block))
    return segments


#: A "Subject:" or "Ticket:" line this short is the message's metadata; a longer one is its body.
_MAX_FIELD_WORDS = 12
_MAIL_FIELD = re.compile(
    r"^\s*(?:subject|betreff|asunto|objet|oggetto|assunto|onderwerp|re|fwd?|ticket)\s*[:#]",
    re.IGNORECASE,
)


_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")


def _data_line(line: str) -> bool:
    """A line of numbers or identifiers (a pasted vector, a CSV row): under 30 % letters."""
    stripped = line.strip()
    if len(stripped) < 12 or not _DIGIT.search(stripped):
        return False
    return len(_LETTER.findall(stripped)) < 0.3 * len(stripped)


def _wrapped(text: str, previous: _Segment, start: int, block: int) -> bool:
    """A hard-wrapped continuation: a long previous line without end punctuation, then a line
    that starts lower-case, in the same paragraph."""
    before = text[previous.start : start - 1].rstrip()
    after = text[start:].lstrip()
    return (
        previous.block == block
        and len(before) - before.rfind("\n") >= 60
        and before[-1:] not in ".?!:;"
        and after[:1].islower()
        and _FURTHER_LINE.match(after) is None
    )


#: A line that opens with a further ask ("also how do i ..."), never a wrapped continuation.
_FURTHER_LINE = re.compile(r"(?:also|btw|ps|p\.s\.|unrelated|separately|oh and|and also)\b")


def _inline_items(text: str) -> list[tuple[int, int]]:
    """Spans of inline enumeration items ("1) ... 2) ...", "(a) ... (b) ..."), or []."""
    markers = list(_INLINE_MARKER.finditer(text))
    labels = [m.group(1) or m.group(2) or m.group(3) for m in markers]
    if len(markers) < 2 or labels[0] not in "1a" or labels[1] not in "2b":
        return []
    spans = []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        spans.append((marker.end(), end))
    return [(0, markers[0].start()), *spans]


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[start : match.start()]):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _strong_clauses(text: str) -> list[tuple[int, int, str]]:
    """Clauses cut at strong joins (";", "also", "then", "after that", ...): (start, end,
    join)."""
    if not STRONG_HINT.search(text):
        return [(0, len(text), "")] if text.strip(" ,;+") else []
    spans: list[tuple[int, int, str]] = []
    joins = [""]
    start = 0
    for match in STRONG_JOIN.finditer(text):
        if match.start() == 0 or not text[start : match.start()].strip():
            continue
        spans.append((start, match.start(), joins[-1] if spans else ""))
        joins.append("plus" if match.group(0).strip() == "+" else "strong")
        # keep the join word ("also", "after that") as a lead of the next clause
        word = re.search(r"[^\W\d_]", match.group(0))
        start = match.start() + word.start() if word is not None else match.end()
    spans.append((start, len(text), joins[-1] if spans else ""))
    return [(a, b, j) for a, b, j in spans if text[a:b].strip(" ,;+")]


def _weak_clauses(text: str) -> list[tuple[int, int, str]]:
    """Clauses cut at "and" and commas where the clause after opens like a request (a
    question, an imperative, a want; another language's question word after "y/et/und/e/en",
    or after a comma when the clause before opened with one too): (start, end, join), the
    join "plus" after a bar ("/", "|") and "weak" otherwise."""
    spans: list[tuple[int, int, str]] = []
    start, join = 0, ""
    for match in WEAK_JOIN.finditer(text):
        rest = text[match.end() :]
        head = strip_leads(text[start : match.start()])[0]
        if len(head.split()) < 2 or len(rest.split()) < 2 or is_lead_only(head):
            continue
        if _ASK_WITHOUT_VERB.match(head):
            continue  # "Can you also explain ...": the ask's verb comes after "also"
        joiner = match.group(0).strip(" ,").lower()
        ten = ten_language_cut(text[start : match.start()], joiner, rest)
        if ten is not None:  # round 12's ten languages: "... och spela ...", ", i pošalji ..."
            start, join = close_clause(spans, (start, join), match, ten)
            continue
        kind = opening(rest, unpunctuated=not re.search(r"[.?!]", text))
        if joiner == "aur":
            kind = hinglish_second_ask(head.lower(), rest.lower())
        if joiner in ("/", "|"):
            # "... / also what temp to bake salmon": any ask after a bar, its leads aside
            after = _ITEM_MARKER.sub("", strip_leads(rest)[0], count=1)
            kind = "question" if opening(after) is not None else None
        if joiner == "" and kind == "question" and AUX_WORD.match(rest.lower()):
            continue  # "..., does it require a visa", "How much, in dollars, did she ...": one ask
        if kind == "question" and AUX_VP.match(rest.lower()):
            continue  # "a goodness that is objective and is known a priori": no inversion
        relative = joiner == "" and RELATIVE.match(rest.lower())
        wh_other = WH_OTHER_OPENER.match(rest.lower().lstrip("¿ ")) is not None and (
            joiner in ("y", "et", "und", "e", "en")
            or (joiner == "" and WH_OTHER_OPENER.match(head.lower().lstrip("¿ ")) is not None)
        )
        embedded_vp = kind == "imperative" and _EMBEDDED_VP.search(head)
        if (kind in ("question", "imperative", "want") and not relative and not embedded_vp) or (
            wh_other
        ):
            spans.append((start, match.start(), join))
            start, join = match.end(), "plus" if joiner in ("/", "|") else "weak"
    spans.append((start, len(text), join))
    return spans


#: An ask that stops before its verb ("Can you", "could you please").
_ASK_WITHOUT_VERB = re.compile(
    r"^\s*(?:(?:can|could|would|will) (?:you|u)|please|pls)(?:\s+please)?\s*$", re.IGNORECASE
)
#: A head that builds something described by an infinitive or relative clause ("Write a
#: function to load the GOT and call ...", "how to train and implement ..."): an imperative
#: after "and" continues that clause.
_EMBEDDED_VP = re.compile(
    r"^(?:please\s+)?(?:write|make|create|generate|build|design|code|develop|implement|program)"
    r"\b.*\b(?:to|that|which|who|will)\s+\w+|\bhow\s+to\s+\w+",
    re.IGNORECASE,
)
_LABEL_COLON = re.compile(r"^[^:?!.]{1,60}:\s+(?=\S)")


def split_units(text: str) -> list[Unit]:
    """The candidate request units of a query, in text order.

    Parameters
    ----------
    text
        One query.

    Returns
    -------
    list of Unit
        Items, lines, sentences and clauses with their kinds and offsets.
    """
    units: list[Unit] = []
    # the Greek question mark is ";": a question, not a clause join or a line of code
    masked = _GREEK_QUESTION.sub("?", mask_quotes(text))
    for segment in _segments(masked):
        body = masked[segment.start : segment.end]
        pieces = _inline_items(body) or [(0, len(body))]
        for index, (a, b) in enumerate(pieces):
            inline_item = len(pieces) > 1 and index > 0
            joined = "item" if segment.item or inline_item else "line"
            for s_start, s_end in _sentences(body[a:b]):
                sentence_offset = segment.start + a + s_start
                sentence = body[a + s_start : a + s_end]
                if is_quote_only(sentence):
                    continue  # "... suggest a clearer title? 'fix stuff in auth'": its input
                label = _LABEL_COLON.match(sentence)
                if label is not None and classify(sentence[: label.end()]) == "announce":
                    # "Two questions from our finance team: how do we ..., and who ..."
                    units.append(
                        _unit(
                            text,
                            sentence_offset,
                            sentence_offset + label.end(),
                            segment.item,
                            segment.block,
                            joined,
                        )
                    )
                    units.extend(
                        _listed(
                            text,
                            sentence_offset + label.end(),
                            sentence[label.end() :],
                            segment.block,
                        )
                    )
                    joined = "sentence"
                    continue
                for clause in _clauses(sentence):
                    c_start, c_end, join = clause
                    units.append(
                        _unit(
                            text,
                            sentence_offset + c_start,
                            sentence_offset + c_end,
                            segment.item or inline_item,
                            segment.block,
                            join or joined,
                        )
                    )
                    joined = "sentence"
    return [u for u in units if u.text]


_SUBORDINATE = re.compile(
    r"(?:if|because|since|although|that|wenn|weil|ob|dass|als|obwohl"
    r"|si|cuando|porque|que|quand|parce|qu'|se|quando|perché|che|als|omdat|dat)\b"
)


def _listed(text: str, offset: int, body: str, block: int) -> list[Unit]:
    """The asks after an announcement, cut at every comma and "and" ("... : trocar o endereço,
    saber se aceitam Pix e qual é a garantia")."""
    spans = []
    start = 0
    for match in WEAK_JOIN.finditer(body):
        rest = body[match.end() :]
        if _SUBORDINATE.match(rest.lower()):
            continue
        if match.group(0).strip(" ,").lower() in TEN_JOINS and not ten_language_ask(rest):
            continue  # "how do i center a div": English "i" and "a" cut nothing
        if len(body[start : match.start()].split()) >= 2 and len(rest.split()) >= 2:
            spans.append((start, match.start()))
            start = match.end()
    spans.append((start, len(body)))
    return [_unit(text, offset + a, offset + b, True, block, "item") for a, b in spans]


def _clauses(sentence: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for a, b, join in _strong_clauses(sentence):
        piece = sentence[a:b]
        head, _ = strip_leads(piece)
        opens = opening(head) in ("question", "imperative", "want")
        hinglish = " aur " in piece and hinglish_kind(head.lower()) is not None
        wh_other = WH_OTHER_OPENER.match(head.lower())
        may_split = opens or hinglish or wh_other or ten_language_ask(head, stripped=True)
        weak = _weak_clauses(piece) if may_split else []
        if len(weak) > 1:
            out.extend((a + wa, a + wb, wj or join) for wa, wb, wj in weak)
        else:
            out.append((a, b, join))
    return out


def _unit(text: str, start: int, end: int, item: bool, block: int, joined: str) -> Unit:
    raw = text[start:end]
    body, leads = strip_leads(raw)
    body = body.strip().rstrip(",;")
    offset = start + raw.find(body) if body else start
    voice = not _PUNCTUATED.search(text) and text.lstrip()[:1].islower()
    governed = joined == "governed"  # a second verb of a modal ask (``_weak_clauses``)
    joined = "weak" if governed else joined
    if _GREEK_QUESTION.search(raw):
        body_kind = body.rstrip(";") + "?"  # "Πότε ανοίγει η τράπεζα;"
    else:
        body_kind = body
    kind = classify(body_kind, unpunctuated=voice, clause=joined in ("weak", "strong"))
    if governed and kind == "statement":
        kind = "imperative"  # "muzes mi pripomenout ... a najit ...": "(can you) find ..."
    if kind == "statement" and leads and leads[-1] in _GREETINGS and len(body.split()) <= 3:
        kind = "preamble"  # "Hi team,", "Hallo Frau Weber,"
    return Unit(body, offset, offset + len(body), kind, leads, item, block, joined)


_GREETINGS = frozenset(
    {"hi", "hello", "hey", "dear", "hola", "bonjour", "salut", "hallo", "ciao", "olá", "oi", "hoi"}
)
_PUNCTUATED = re.compile(r"[.?!](?:\s|$)")
