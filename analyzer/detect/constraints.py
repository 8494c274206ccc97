"""Constraints on a request: sentences that shape the answer instead of asking for something
("Use a formal tone.", "Put your entire response in quotes", "in less than 6 sentences",
"Bitte das Markdown-Format beibehalten.", "Es para un trabajo del cole, así que sencillito").
"""

from __future__ import annotations

import re

from analyzer.detect.cjk import cjk_constraint
from analyzer.detect.continuations import is_spec
from analyzer.detect.intent_lexicon import CONSTRAINT, alternation
from analyzer.detect.units import Unit

#: Instructions about the response itself ("Put your entire response in quotes", "Explain
#: your reasoning", "in less than 6 sentences"): constraints wherever they stand.
_OUTPUT_META = re.compile(
    r"\b(?:your|the|entire|whole|exactly \w+|two|different)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:response|answer|output|reply|responses|answers|explanation)\b|\byour final \w+"
    r"|\b(?:make sure|be sure|don't forget|do not forget|remember to)\b"
    r"|\banswer the (?:request|question|prompt)\b"
    r"|\b(?:put|wrap|enclose|surround|format)\b.{0,40}\b(?:in|with|around|as|between)\s+(?:double\s+|single\s+"
    r"|square\s+|angular\s+|curly\s+)?(?:quotation marks|quotes|brackets|parentheses|asterisks"
    r"|markdown|bold|italics?|json|a list|bullet points)\b|\bbetween\s*\[\s*\]"
    r"|\brepeat (?:the|this|my|it|\")(?:\s*\w+)?\s*(?:request|question|prompt|sentence|line|text"
    r"|word|words)?\b|\b(?:answer|respond|reply|write)\s+(?:using|with)\b"
    r"|\b(?:in|with) (?:a|an|the) [\w-]+(?:\s+[\w-]+)? (?:style|tone|voice|manner|format)\b"
    r"|\bin the style of\b|\b(?:from|in) the perspective of\b|\bas if you\b|\bpostscript\b"
    r"|\bp\.s\.|\bexplain in (?:a|an|one|two|three|\d+|simple|plain)\b"
    r"|\b(?:give|include|add|list|provide|with)\s+(?:the\s+|your\s+|some\s+)?(?:citations?"
    r"|references|sources)\b|\bbonus points\b"
    r"|\b(?:explain|show|justify|describe|walk me through) (?:your|the) (?:reasoning|thinking"
    r"|work|steps|logic|answer)\b",
    re.IGNORECASE,
)
#: A length limit ("in less than 6 sentences", "em 3 linhas"): a constraint after a request, a
#: modifier of the task when it stands in the first one ("resume esse texto em 3 linhas: ...").
_LENGTH_LIMIT = re.compile(
    r"\b(?:less|more|fewer|at least|at most|exactly|no more than|under|over|maximum of|within)\s+"
    r"(?:than\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:words|sentences"
    r"|paragraphs|bullet points|bullets|lines|characters|sections|times|highlighted sections)\b"
    r"|\b(?:max(?:imal|imum|imo)?|höchstens|hoogstens|maximaal|como máximo|au maximum|al massimo"
    r"|no máximo|unter|moins de|menos de|meno di|minder dan|weniger als|en|in|em|op|su)\s+"
    r"\d+\s+(?:wörter|wörtern|sätze|sätzen|zeilen|palabras|frases|líneas|mots|phrases|lignes"
    r"|parole|frasi|righe|palavras|linhas|woorden|zinnen|regels)\b",
    re.IGNORECASE,
)
_CONSTRAINT = re.compile(
    rf"^(?:(?:please|kindly|also|and)[,\s]+)?(?:{alternation(CONSTRAINT)})\b"
    r"|^(?:please\s+)?(?:provide|give|be|make it)\s+(?:a\s+|an\s+|it\s+)?(?:very\s+)?"
    r"(?:detailed|brief|short|concise|thorough|step-by-step|comprehensive|in-depth)\b"
    r"|^(?:please\s+)?write\s+(?:a\s+|an\s+|it\s+)?(?:very\s+)?"
    r"(?:detailed|brief|short|concise|thorough|step-by-step|comprehensive|in-depth)"
    r"(?:\s+(?:and\s+\w+\s+)?(?:answer|response|reply|explanation|description|overview"
    r"|summary|version|one|analysis|breakdown|solution))?(?:\W*$|\s+(?:of|for|with|that|and)\b)"
    r"|^make (?:it|this|the|them|each|every|all|your|sentences|paragraphs)\b"
    r"|^\W*(?:in|under|around|about|at most|max(?:imum)?|no more than|within)?\s*\d+\s*"
    r"(?:words|sentences|paragraphs|bullets?|lines|characters|chars|pages|minutes|items)\b",
    re.IGNORECASE,
)

#: Keeping a property of the input, in the other six languages ("das Format beibehalten").
_KEEP = re.compile(
    r"^(?=(?:\S+\s+){0,9}\S+\W*$).*\b(?:beibehalten|behalten|beibehält|mantén|mantenga|mantener"
    r"|garde[rz]?|conserve[rz]?|mantieni|mantenere|mantenha|manter|behoud|behouden)\b",
    re.IGNORECASE,
)
#: What the answer is for ("It's for my daughter's class", "Es para un trabajo del cole").
_PURPOSE = re.compile(
    r"^(?:it's|it is|this is|that's|es|esto es|c'est|das ist|es ist|è|é|isso é|het is|dit is)\s+"
    r"(?:(?:just|only|solo|juste|nur|só|alleen)\s+)?(?:para|pour|für|per|voor|for)\b",
    re.IGNORECASE,
)


def is_constraint(unit: Unit, *, after_request: bool) -> bool:
    """A sentence that constrains the request before it ("Use a formal tone.", "Make it
    sad."), or an instruction about the response wherever it stands ("Put your entire response
    in quotes", "Explain your reasoning", "in less than 6 sentences")."""
    if after_request and unit.joined != "weak" and _CONSTRAINT.match(unit.text):
        return True
    if after_request and unit.kind not in ("question", "embedded") and is_spec(unit.text):
        return True
    if after_request and unit.kind != "question" and _KEEP.search(unit.text):
        return True  # "Bitte das Markdown-Format beibehalten.": keep what the input has
    if after_request and unit.kind != "question" and _PURPOSE.match(unit.text):
        return True  # "Es para un trabajo del cole, así que sencillito por favor": who it is for
    if after_request and unit.kind != "question" and cjk_constraint(unit.text):
        return True  # "俳句にしてください" (make it a haiku), "不超过一百字" (at most 100)
    if unit.kind == "question":
        return False
    limit = after_request and _LENGTH_LIMIT.search(unit.text)
    return bool(_OUTPUT_META.search(unit.text) or limit)
