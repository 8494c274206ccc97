"""Request cues: does the text around a paste ask for something?

Shared by the malformed detector (a paste framed by a request is not malformed) and the shape
checks of ``artefacts.py``. English cues plus the common ones of French, Spanish, Portuguese,
German and Italian, and a closing line in a non-Latin script.
"""

from __future__ import annotations

import re

_STRONG_REQUEST = re.compile(
    r"[^\W\d_)\]'\"]\?+(?:\s|$)|\b(?:can|could|would|will|do|did) you\b"
    r"|\bplease\b|\bhelp\b|(?-i:\b[Pp]l[sz]\b)"
    r"|(?:^|[.!:;\n]\s*)(?:how|why|what|whats|what's|which|where|is there|explain|tell me"
    r"|show me|give me)\b"
    r"|\bi (?:need|want|would like|am trying|'m trying)\b"
    r"|\bhow (?:do|can|to|should|would)\b|\bwhy (?:does|do|is|am|are|did)\b"
    r"|\bwhat (?:does|do|is|are)\b",
    re.IGNORECASE,
)
_IMPERATIVE_REQUEST = re.compile(
    r"(?:^|[.!?:;\n]\s*)(?:write|explain|fix|convert|summari[sz]e|translate|tell|show|give"
    r"|describe|analy[sz]e|review|rewrite|create|generate|make|find|list|extract|parse|debug"
    r"|implement|identify|classify|correct|improve|optimi[sz]e|refactor|complete|check|format"
    r"|compare|suggest|provide|read|use|decode|encode|validate|clean|transform|modify|update"
    r"|add|remove|sort|filter|count|turn|change|here is|here's|below is|given|based on|get"
    r"|return|calculate|solve|answer|determine|predict|output|build|design|draft|edit"
    r"|consider|look at|assume|act as|you are)\b",
    re.IGNORECASE,
)

#: The same cues in French, Spanish, Portuguese, German and Italian (Latin script, so the
#: non-Latin fallback below cannot see them). Strong: polite or modal asks anywhere.
_STRONG_REQUEST_OTHER = re.compile(
    r"s'il (?:te|vous) pla[iî]t|\bsvp\b|\b(?:peux|pouvez|pourrais|pourriez)[- ](?:tu|vous)\b"
    r"|\bpor favor\b|\b(?:puedes|podr[ií]as|podr[ií]a usted)\b|\b(?:voc[eê] pode|poderia)\b"
    r"|\bbitte\b|\b(?:kannst du|k[oö]nnen sie|k[oö]nntest du|k[oö]nnten sie)\b"
    r"|\bper favore\b|\b(?:puoi|potresti)\b"
    r"|(?:^|[.!:;\n]\s*)(?:comment|pourquoi|qu'est-ce|que (?:signifie|veut dire)"
    r"|c[oó]mo|por qu[eé]|qu[eé] (?:significa|quiere decir|es)|o que (?:significa|é)"
    r"|wie (?:kann|mache|funktioniert)|warum|was (?:bedeutet|ist)"
    r"|perch[eé]|cosa (?:significa|è))\b",
    re.IGNORECASE,
)
#: Sentence-initial imperatives (non-strict only, like the English ones).
_IMPERATIVE_REQUEST_OTHER = re.compile(
    r"(?:^|[.!?:;\n]\s*)(?:explique[zr]?|corrige[zr]?|tradui[st]|traduisez|r[ée]sume[zr]?"
    r"|analyse[zr]?|[ée]cri[st]|[ée]crivez|convertis|convertissez|aide[z]?[- ]moi"
    r"|donne[zr]?[- ]moi|dis[- ]moi|montre[zr]?[- ]moi|voici|ci-dessous"
    r"|explica|expl[ií]came|corrige|traduce|resume|analiza|escribe|convierte|ay[uú]dame|dame"
    r"|mu[eé]strame|aqu[ií] (?:est[aá]|tienes)|a continuaci[oó]n"
    r"|explique|corrija|traduza|resuma|analise|escreva|converta|me ajude|aqui est[aá]"
    r"|erkl[äa]re|erkl[äa]ren sie|korrigiere|[üu]bersetze|fasse|analysiere|schreibe|wandle"
    r"|hilf mir|zeig mir|gib mir|hier ist"
    r"|spiega|spiegami|correggi|traduci|riassumi|analizza|scrivi|converti|aiutami|dammi"
    r"|dimmi|ecco)\b",
    re.IGNORECASE,
)


_HEADER_LINE = re.compile(r"^\s*(?:h[1-6]\.|#{1,6} |\*[^*\n]{1,40}:?\*:?\s*$).*$", re.MULTILINE)


def has_request(prose: str, *, strict: bool = False) -> bool:
    """Whether ``prose`` (the text around a paste) asks for something.

    Parameters
    ----------
    prose
        Text left after the paste's lines or markup are removed.
    strict
        When true only explicit asks count (a question mark, "can you", "please", "help",
        sentence-initial wh-words, "I need/want ..."); sentence-initial imperative verbs such
        as "Fix ..." do not, because bug-report titles read like imperatives.

    The cues are English, the same in French, Spanish, Portuguese, German and Italian, and any
    closing line in a non-Latin script. Section headers (JIRA ``h2.``, markdown ``##``,
    ``*Bold:*`` lines) are dropped first:
    "What happened?" as a header of a pasted report asks nothing.
    """
    prose = _HEADER_LINE.sub("", prose)
    if _STRONG_REQUEST.search(prose) or _STRONG_REQUEST_OTHER.search(prose):
        return True
    if _non_english_request(prose):
        return True
    if strict:
        return False
    return bool(
        _IMPERATIVE_REQUEST.search(prose)
        or _IMPERATIVE_REQUEST_OTHER.search(prose)
        or _LEAD_IN.search(prose)
    )


#: "... of this invoice:" - a sentence that ends in a colon introduces the paste it asks about.
_LEAD_IN = re.compile(
    r"\b[A-Za-z]{3,}\b[^\n:]{0,200}\b(?:this|these|following|below|code|data"
    r"|text|output|log|error|file|json|html|table|document)\b[^\n]{0,40}:\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_NON_LATIN_LETTERS = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F]")


def _non_english_request(prose: str) -> bool:
    """A closing line in a non-Latin script (the English cues cannot read it) frames the paste."""
    lines = [line for line in prose.split("\n") if line.strip()][-3:]
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(("#", "//", "/*", "*", "--", "<")):
            continue
        if len(_NON_LATIN_LETTERS.findall(stripped)) >= 4:
            return True
    return False
