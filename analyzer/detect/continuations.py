"""Shapes in which a later unit continues the request before it (round 5 of the rules).

:func:`shapes_one_deliverable`: extending a deliverable ("Write a Flask server. Also add an index
page."), a verdict closing an evaluation ("Analyze the pros and cons of X and recommend a
policy"), yes/no criteria of a review ("Give me feedback on my intro. Is the thesis clear?").
:func:`is_spec` tells a labelled spec ("Requirements: 300 words, ..."); :func:`points_back` a
question about "this <noun>"; :func:`shares_word` compares content words, forms of one word
included ("charged"/"charge"). :func:`completes_ask` (round 8): a part of the thing asked
about with no owner of its own ("... and list the main characters"), a worry about it ("...,
and should I be worried?"), a pick after a comparison ("... e qual rende mais hoje?").
"""

from __future__ import annotations

import re

from analyzer.detect.units import Unit

#: An ask to build a deliverable (code, a text, a plan) ...
_BUILD = re.compile(
    r"^(?:please\s+)?(?:(?:can|could|would) you\s+)?(?:please\s+)?(?:write|create|build|make"
    r"|generate|implement|design|code|develop|draft|compose|set up)\b",
    re.IGNORECASE,
)
#: ... and an ask that extends or shapes it ("add an index page", "include a legend", "show
#: the folder structure", "get inspiration from Rumi").
_EXTEND = re.compile(
    r"^(?:(?:and|also|then|please)[,\s]+)*(?:add|include|show(?! me\b)|handle|support"
    r"|get inspiration|take inspiration|let it|allow|have it|give it)\b"
    r"(?!.*\bto (?:my|our|the) (?:[\w-]+ )?(?:list|calendar|cart|basket|playlist|queue|contacts"
    r"|agenda|reminders|library|watchlist)\b)",
    re.IGNORECASE,
)
#: Weighing options or judging a thing, which a short verdict ask concludes.
_EVALUATION = re.compile(
    r"\b(?:analy[sz]e|compare|evaluate|assess|weigh|review|pros and cons|trade-?offs"
    r"|advantages|drawbacks|vergleiche|compara|confronta|vergelijk|analiza|analyse"
    r"|analysiere|analizza|analise)\b",
    re.IGNORECASE,
)
#: A verdict ask with at most four words of its own ("recommend a policy", "pick the best",
#: "suggest a clearer title").
_VERDICT = re.compile(
    r"^(?:please\s+)?(?:then\s+)?(?:recommend|suggest|propose|pick|choose|decide|conclude"
    r"|give (?:me )?(?:your|a) (?:verdict|pick|recommendation))(?:\s+[\w'-]+){0,4}\W*$",
    re.IGNORECASE,
)
#: An ask to review a thing the user gives.
_REVIEW = re.compile(
    r"\b(?:feedback|review|critique|proofread|look over|go over|check|evaluate|assess|rate"
    r"|grade|comments? on|thoughts on|opinion on)\b",
    re.IGNORECASE,
)
#: A yes/no question about a part of that thing ("Is the thesis clear?", "Does the hook
#: work?"): a criterion of the review.
_CRITERION = re.compile(
    r"^(?:is|are|does|do|did|can|could|should|would|will|has|have)\s+(?:the|my|it|this|these"
    r"|that|its|our)\b(?:\s+[\w'-]+){0,4}?\s+(?:(?:too|very|more|less|enough)\s+)?(?:clear"
    r"|good|ok|okay|work|flow|make sense|long|short|convincing|professional|correct|right"
    r"|strong|weak|readable|natural|consistent|efficient|clean|fine|appropriate|formal"
    r"|informal|enough|needed|necessary|accurate|engaging|persuasive|polite|funny|wordy"
    r"|confusing|missing|catchy|work well|hold up|land|read well|sound right|sound)\W*$",
    re.IGNORECASE,
)

#: A demonstrative noun phrase that points back at what the request before named ("this
#: knowledge", "that approach", "these results"); not a time ("this weekend") or a place.
_POINTING_NP = re.compile(
    r"\b(?:this|that|these|those)\s+(?!(?:week|weekend|year|month|morning|afternoon|evening"
    r"|night|time|summer|winter|spring|fall|autumn|season|semester|quarter|friday|monday"
    r"|tuesday|wednesday|thursday|saturday|sunday|place|city|town|country|site|website|page"
    r"|cinema|theater|theatre|restaurant|area|neighbo[u]?rhood|store|shop|location|room|building"
    r"|street|address"
    r"|app|one|ones|is|was|are|were|will|would|can|could|should|has|have|does|do|did)\b)"
    r"[^\W\d_]{3,}",
    re.IGNORECASE,
)

#: A label that introduces the spec of the request before ("Requirements: 300 words, ...").
_SPEC_LABEL = re.compile(
    r"^(?:requirements?|constraints?|rules|format|tone|length|style|audience|notes?|guidelines"
    r"|criteria|specs?|specifications?|output(?: format)?|word limit|limits?|deadline|budget"
    r"|requisitos|restricciones|exigences|contraintes|anforderungen|vorgaben|requisiti|vincoli"
    r"|eisen|formato|ton|tono|toon|longitud|longueur|länge|lunghezza|lengte|estilo|stil|stijl"
    r"|público|public|zielgruppe|pubblico|doelgroep)\s*:",
    re.IGNORECASE,
)


def shapes_one_deliverable(unit: Unit, before: Unit) -> bool:
    """Whether ``unit`` extends, concludes or sets the criteria of the request ``before``."""
    text = unit.text
    judged = _EVALUATION.search(before.text) or _REVIEW.search(before.text)
    if unit.kind == "imperative" and judged and _VERDICT.match(text):
        # "Analyze the pros and cons of X and recommend a policy", "check my cover letter and
        # suggest a better opening line": one decision, one review
        return True
    if before.kind == "imperative" and _BUILD.match(before.text) and _EXTEND.match(text):
        return True  # "Write a Flask server with basic auth. Also add an index page."
    separate_sentence = unit.joined in ("sentence", "line") and not unit.leads
    # "Give me feedback on my intro. Is the thesis clear?": what to review
    return separate_sentence and bool(_REVIEW.search(before.text)) and bool(_CRITERION.match(text))


def is_spec(text: str) -> bool:
    """A labelled spec of the request before ("Requirements: ...", "Tone: ...", "Vorgaben: ...")."""
    return bool(_SPEC_LABEL.match(text))


def points_back(unit: Unit) -> bool:
    """A question without a lead, joined in its sentence or the next, about "this <noun>"."""
    asks_about = unit.kind in ("question", "embedded", "wh_other")
    joined = unit.joined in ("weak", "sentence")
    return asks_about and not unit.leads and joined and bool(_POINTING_NP.search(unit.text))


def _same_word(a: str, b: str) -> bool:
    """One word, or two forms of it: the shorter (5+ letters) is the other's prefix, or all of
    it but its last letter is ("charge"/"charged", "validate"/"validation")."""
    short, long_ = sorted((a, b), key=len)
    if short == long_:
        return True
    if len(short) < 5:
        return False
    return long_.startswith(short[:-1])


def shares_word(own: set[str], earlier: set[str]) -> bool:
    """Whether a unit's content words meet an earlier unit's, forms of one word included."""
    return bool(own & earlier) or any(_same_word(a, b) for a in own for b in earlier)


#: A part or property of a thing, named with "the"/"its" and no owner of its own: it belongs to
#: what the request before is about ("Summarize the novel and list the main characters").
_PART = (
    r"(?:characters?|themes?|plot|setting|genre|tone|moral|author|protagonist|main character"
    r"|causes?|effects?|side effects|consequences|symptoms|treatments?|risks|benefits"
    r"|steps|ingredients|pros and cons|pros|cons|advantages|disadvantages|drawbacks"
    r"|(?:key|main) (?:points|ideas|events|terms|arguments|takeaways|findings|dates)|takeaways"
    r"|differences|similarities|price|cost|requirements|sources|references|dates|timeline"
    r"|lessons?|arguments|conclusions?|findings|limitations|alternatives|origin|history"
    r"|meaning|etymology|pronunciation|definition|rules|components|features|outcome|results"
    r"|summary|vocabulary|time complexity|complexity|output|return value)"
)
_PART_ASK = re.compile(
    r"^(?:please\s+)?(?:(?:can|could|would) you\s+)?(?:also\s+)?(?:list|name|give(?: me)?"
    r"|identify|describe|summari[sz]e|outline|mention|highlight|point out|include|add"
    r"|tell me|explain|state|note)\s+(?:the|its|their|his|her)\s+(?:(?:main|key|major|most"
    r"|important|top|primary|biggest|central|possible|common|\d+|two|three|four|five)\s+)*"
    rf"{_PART}\W*$"
    r"|^(?:what|who|which)\s+(?:are|is|were|was|'s)\s+(?:the|its|their|his|her)\s+"
    rf"(?:(?:main|key|major|most|important|top|primary|biggest|central|possible|common)\s+)*{_PART}\W*$",
    re.IGNORECASE,
)
#: Whether to worry about, or act on, what the request before asks about.
_WORRY = re.compile(
    r"^(?:(?:should|do|must|need)\s+(?:i|we)\s+(?:to\s+)?(?:be\s+)?(?:worried|concerned|worry"
    r"|panic|care|be afraid|do anything|do something|act|take action|fix (?:it|this|that)"
    r"|replace (?:it|them))|(?:is|are)\s+(?:this|that|it|these|those)\s+(?:\w+\s+)?(?:bad"
    r"|serious|normal|dangerous|a problem|an issue|concerning|critical|harmful|expected"
    r"|something to worry about))\W*$",
    re.IGNORECASE,
)
#: A comparison, and the pick among what it compares.
_COMPARISON = re.compile(
    r"\b(?:differences? between|diferen[çc]as? entre|diferencias? entre|différences? entre"
    r"|unterschiede? zwischen|differenz[ae] (?:tra|fra)|verschil(?:len)? tussen|compare|comparar"
    r"|comparer|compara|vergleiche|vergleich|confronta|vergelijk|versus|vs)\b",
    re.IGNORECASE,
)
_PICK = re.compile(
    r"^(?:(?:tell me|dime|dis-moi|dites-moi|sag mir|dimmi|me diz|me diga|me fala|zeg)\s+)?"
    r"(?:which|qual|quale|cuál|cual|welche[rs]?|welke?|lequel|laquelle|quel(?:le)?)\b",
    re.IGNORECASE,
)


def completes_ask(unit: Unit, before: Unit) -> bool:
    """A part of the thing asked about named with no owner ("... and list the main
    characters"), whether to worry about it ("..., and should I be worried?"), or the pick
    after a comparison ("Qual a diferença entre CDB e Tesouro, e qual rende mais?")."""
    text = unit.text
    if _PART_ASK.match(text) or _WORRY.match(text):
        return True
    return bool(_COMPARISON.search(before.text)) and bool(_PICK.match(text))
