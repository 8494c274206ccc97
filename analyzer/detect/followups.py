"""Follow-ups that continue the request before them by their form, whatever their words: a
conditional follow-up ("and if not, where did I go wrong?"), a want about the thing asked for
("I need it by Saturday"), an example asked for in another language ("donne-moi un exemple"),
and the comma-separated details after an instruction's colon."""

from __future__ import annotations

import re

from analyzer.detect.openers import opening
from analyzer.detect.units import Unit

#: "donne-moi un exemple concret", "fammi un esempio", "geef een rekenvoorbeeld": asking for
#: an example of what was just asked about, in the other six languages.
_FOREIGN_EXAMPLE_ASK = re.compile(
    r"^\S+(?:\s+(?:me|moi|mir|mi|nos|ons))?\s+(?:un|une|ein|einen|uno|um|een|des|unos|alcuni"
    r"|algunos|quelques|einige|enkele|alguns)\s+(?:\w+\s+)?\w*(?:exemple|ejemplo|beispiel"
    r"|esempio|exemplo|voorbeeld)",
    re.IGNORECASE,
)
#: A question that only holds if the one before is answered a certain way: "Is that right,
#: and if not where did I go wrong?", "si no, ¿qué hago?".
_IF_NOT = re.compile(
    r"\b(?:if not|if so|otherwise|si no|sinon|si c'est le cas|wenn nicht|falls nicht|se no"
    r"|altrimenti|se não|caso contrário|zo niet|anders)\b",
    re.IGNORECASE,
)
_DETAIL_COLON = re.compile(r"(?<!\d):\s+")
#: A want whose object is what the request before is about: "I need it by Saturday".
_WANT_IT = re.compile(
    r"^(?:i|we)\s+(?:really\s+)?(?:need|want|would like|'d like)\s+(?:it|them|this|that|these"
    r"|those|the (?:answer|reply|result|results|file|package|order|list))\b",
    re.IGNORECASE,
)


def same_ask(unit: Unit, before: Unit) -> bool:
    """A conditional follow-up ("and if not, where did I go wrong?"), a want about the thing
    asked for ("I need it by Saturday"), an example asked for in another language ("donne-moi
    un exemple"), or the spec after an instruction's colon ("Schreib eine Einladung: Samstag 14
    Uhr, im Garten, bitte Salat mitbringen")."""
    text = unit.text
    if _IF_NOT.search(text) or _WANT_IT.match(text):
        return True
    if unit.kind == "imperative" and _FOREIGN_EXAMPLE_ASK.match(text):
        return True
    return unit.joined == "weak" and unit.kind != "question" and _spec_after_colon(before)


def _spec_after_colon(before: Unit) -> bool:
    """An instruction followed by a colon and the details of what it asks for, in the same
    sentence: the comma-separated pieces after it are that deliverable's spec."""
    parts = _DETAIL_COLON.split(before.text, maxsplit=1)
    if len(parts) < 2 or "," not in parts[1] or before.kind not in ("imperative", "want"):
        return False  # a list of details after the colon, not a time or a title
    return opening(parts[0].strip()) in ("imperative", "want")
