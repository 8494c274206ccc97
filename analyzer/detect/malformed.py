"""Malformed-query detector: pastes with no request around them, encoding damage, artefacts.

A query is malformed when it is not a request a person typed but something that ended up in the
input box: a log dump, a stack trace, raw HTML, a JSON payload, a pasted table, an encoded blob,
mojibake, control characters, an unfilled template placeholder, a run of punctuation, nothing at
all, or far too much. A question *about* a paste ("why does this stack trace happen? ...") is not
malformed: the paste-type reasons (``html``, ``json_dump``, ``log_dump``, ``stack_trace``,
``encoded_blob``, ``table_dump``) only fire when the text around the paste carries no request.
Plain source code is never malformed by itself (code-completion prompts are legitimate traffic).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ftfy import badness, fix_encoding

#: Every reason code the detector can emit, in the order they are checked.
MALFORMED_REASONS: tuple[str, ...] = (
    "empty",
    "too_long",
    "control_chars",
    "mojibake",
    "placeholder",
    "repeated_punct",
    "html",
    "json_dump",
    "log_dump",
    "stack_trace",
    "encoded_blob",
    "table_dump",
)
#: A query longer than this many characters is ``too_long`` (about 8k tokens; the longest prompt
#: in the LLM eval sets of the benchmark data has 27,586 characters).
MAX_CHARS = 32_000

# ---------------------------------------------------------------------------------------------
# request cues: is somebody asking for something around the paste?
_STRONG_REQUEST = re.compile(
    r"[^\W\d_)\]'\"]\?+(?:\s|$)|\b(?:can|could|would|will|do|did) you\b"
    r"|\bplease\b|\bhelp\b|\bpls\b|\bplz\b"
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


# ---------------------------------------------------------------------------------------------
# single-signal checks
_PLACEHOLDER_ANYWHERE = re.compile(
    r"\[object Object\]|\{\{\s*[a-z_][a-z0-9_.]*\s*\}\}|\b[Ll]orem ipsum\b"
)
_CODE_MARKERS = re.compile(
    r"^\s*(?:import |from \w+ import|def |class |function |const |let |var |#include|public )"
    r"|=>|;\s*$|\{%",
    re.MULTILINE,
)
_TEMPLATE_CONTEXT = re.compile(
    r"\b(?:template|jinja|handlebars|mustache|vue|angular|django|liquid|javascript|js|"
    r"string interpolation|f-string|placeholder|format string|bash|shell)\b",
    re.IGNORECASE,
)
# fmt: off
_PLACEHOLDER_TOKENS = frozenset(
    {"undefined", "null", "nan", "none", "nil", "n/a", "[object object]", "(null)", "<null>",
     "#n/a", "#value!", "#ref!", "#name?", "[blank]", "<blank>", "test", "asdf", "asdfgh",
     "qwerty", "lorem ipsum", "placeholder", "todo", "tbd", "xxx", "{}", "[]", "''", '""'}
)
# fmt: on
_REPEATED_PUNCT = re.compile(r"([?!.,;:\u2026\u00bf\u00a1])\1{3,}")
#: Share of the non-space characters that runs of one repeated punctuation mark must reach.
REPEATED_PUNCT_SHARE = 0.3
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")
_REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def _is_placeholder(text: str) -> bool:
    stripped = text.strip().lower()
    if stripped in _PLACEHOLDER_TOKENS:
        return True
    tokens = stripped.split()
    if tokens and len(tokens) <= 6:
        hits = sum(
            t.strip(".,:;!") in {"undefined", "null", "nan", "[object", "object]"} for t in tokens
        )
        if hits * 2 >= len(tokens):
            return True
    match = _PLACEHOLDER_ANYWHERE.search(text)
    if match is None:
        return False
    if match.group(0).lower().startswith(("[object", "lorem")):
        return True
    # a template variable inside code or a question about templates is content, not an artefact
    return not _TEMPLATE_CONTEXT.search(text) and not _CODE_MARKERS.search(text)


def _is_mojibake(text: str) -> bool:
    if _SURROGATE.search(text):
        # lone surrogates: bytes decoded with surrogateescape or a broken UTF-16 round trip
        return True
    n_replacement = text.count(_REPLACEMENT)
    if n_replacement and (len(text) < 200 or n_replacement >= 0.02 * len(text.replace(" ", ""))):
        return True
    if text.isascii():
        return False
    if badness.is_bad(text):
        return True
    return fix_encoding(text) != text


# ---------------------------------------------------------------------------------------------
# paste detectors; each returns (is_paste_shaped, prose_around_it)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL)
#: Words outside the first and last tag that make an HTML paste a framed question.
HTML_FRAMING_WORDS = 8


def _html(text: str) -> tuple[bool, str | None]:
    tags = _TAG.findall(text)
    if len(tags) < 2:
        return False, text
    tag_chars = sum(len(t) for t in tags)
    stripped = text.lstrip()
    starts_with_tag = stripped.startswith("<") and _TAG.match(stripped) is not None
    shaped = (len(tags) >= 3 and tag_chars >= 0.15 * len(text)) or (
        starts_with_tag and len(tags) >= 2
    )
    if not shaped:
        return False, text
    prose = _TAG.sub(" ", text)
    # prose inside the markup (page text) is not the user's request; keep only what sits outside
    # the first and last tag
    first = _TAG.search(text)
    last = tags[-1]
    head = text[: first.start()] if first else ""
    tail = text[text.rfind(last) + len(last) :]
    outside = head + "\n" + tail
    if len(outside.split()) >= HTML_FRAMING_WORDS:
        # several words typed before or after the markup: the user wrote around the paste
        return True, None
    return True, outside if starts_with_tag else prose


_JSON_KEY = re.compile(r'"[^"\n]{1,80}"\s*:\s*(?:["{\[\d\-tfn])')
_JSON_LINE = re.compile(
    r'^\s*(?:[{}\[\],]+|"[^"\n]*"\s*:.*|[\d.eE+\-]+,?|"[^"\n]*",?|true,?|'
    r"false,?|null,?)\s*$"
)


def _json(text: str) -> tuple[bool, str]:
    stripped = text.strip()
    keys = _JSON_KEY.findall(text)
    if len(keys) < 2:
        return False, text
    starts = stripped[:1] in "{["
    key_chars = sum(len(k) for k in keys)
    if not starts and key_chars < 0.2 * len(text):
        return False, text
    lines = text.split("\n")
    if len(lines) > 1:
        prose = "\n".join(line for line in lines if not _JSON_LINE.match(line))
    else:
        prose = ""
    if starts:
        # only text after the payload can be a request (the payload itself contains strings)
        end = max(stripped.rfind("}"), stripped.rfind("]"))
        prose = stripped[end + 1 :] if end >= 0 else ""
        prose += "\n" + "\n".join(
            line for line in lines if not _JSON_LINE.match(line) and '"' not in line
        )
    return True, prose


_LOG_TIME = re.compile(
    r"\b\d{1,2}:\d{2}:\d{2}\b|\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|^\d{6} \d{6}\b|\b1\d{9}\b"
    r"|^\[?\d{1,2}[./]\d{2} \d{2}:\d{2}"
)
_LOG_LEVEL = re.compile(
    r"\b(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|NOTICE|SEVERE|CRITICAL|Info|Warning)\b"
    r"|\[(?:info|warn|error|debug|notice|crit|alert|emerg)\]|\s[VDIWEF] [\w.$]+:"
)


def _log_line(line: str) -> bool:
    head = line[:60]
    if _LOG_TIME.search(head):
        return True
    return bool(_LOG_LEVEL.search(head)) and sum(c.isdigit() for c in line) >= 4


def _log(text: str) -> tuple[bool, str]:
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return False, text
    flags = [_log_line(line) for line in lines]
    n_log = sum(flags)
    if n_log == 0 or n_log < 0.5 * len(lines):
        return False, text
    prose = "\n".join(line for line, is_log in zip(lines, flags) if not is_log)
    return True, _with_ends(prose, lines)


_FRAME = re.compile(
    r"^\s*at [\w$.<>/\[\]]+\([^()]*(?:\)|$)|^\s*at [\w$.<>]+ \(.+:\d+(?::\d+)?\)\s*$"
    r"|^\s*File \".+\", line \d+|^\s*\.\.\. \d+ more\s*$|^\s*#\d+\s+0x[0-9a-f]+ in "
)
_TRACE_HEAD = re.compile(
    r"Traceback \(most recent call last\)|^\s*Exception in thread|"
    r"^\s*(?:Caused by: )?[\w$.]+(?:Exception|Error)(?::|\s*$)|^\s*Caused by: ",
    re.MULTILINE,
)


def _stack_trace(text: str) -> tuple[bool, str]:
    lines = text.split("\n")
    frames = [bool(_FRAME.match(line)) for line in lines]
    n_frames = sum(frames)
    if n_frames == 0:
        return False, text
    if n_frames < 2 and not _TRACE_HEAD.search(text):
        return False, text
    prose = "\n".join(
        line
        for line, is_frame in zip(lines, frames)
        if not is_frame and not _TRACE_HEAD.match(line)
    )
    return True, prose


_B64 = re.compile(r"[A-Za-z0-9+/]{80,}={0,2}|[A-Za-z0-9_\-]{120,}")
_HEX = re.compile(r"(?:0x)?[0-9a-fA-F]{64,}|(?:[0-9a-fA-F]{2}[ :]){32,}")


def _blob(text: str) -> tuple[bool, str]:
    spans = [m.span() for m in _B64.finditer(text)]
    spans = [
        (a, b)
        for a, b in spans
        if any(c.isdigit() for c in text[a:b])
        and any(c.isupper() for c in text[a:b])
        and any(c.islower() for c in text[a:b])
    ]
    spans += [m.span() for m in _HEX.finditer(text)]
    blob_chars = sum(b - a for a, b in spans)
    if blob_chars == 0 or blob_chars < 0.5 * len(text.strip()):
        return False, text
    prose = text
    for a, b in sorted(spans, reverse=True):
        prose = prose[:a] + " " + prose[b:]
    return True, prose


_OPTION = re.compile(r"^\s*\(?[A-Ha-h1-9][.)]\s")


def _with_ends(prose: str, lines: list[str]) -> str:
    """Add the first and last line: a request usually opens or closes a paste."""
    return "\n".join([lines[0], prose, lines[-1]])


def _table(text: str) -> tuple[bool, str]:
    lines = [line for line in text.split("\n") if line.strip() and not _OPTION.match(line)]
    if len(lines) < 3:
        return False, text
    for sep in ("\t", ",", ";", "|"):
        counts = [line.count(sep) for line in lines]
        common = Counter(counts).most_common(1)[0][0]
        # commas also separate clauses, so a comma table needs three per row
        if common < (3 if sep == "," else 2):
            continue
        rows = [c == common for c in counts]
        if sum(rows) >= max(3, 0.7 * len(lines)):
            prose = "\n".join(line for line, r in zip(lines, rows) if not r)
            return True, _with_ends(prose, lines)
    return False, text


# ---------------------------------------------------------------------------------------------
def malformed_reasons(text: str) -> list[str]:
    """Every malformed reason code that applies to one query.

    Parameters
    ----------
    text
        The query exactly as the user sent it (not normalized: the artefacts are the signal).

    Returns
    -------
    list of str
        Reason codes from ``MALFORMED_REASONS`` in that order; empty when the query is fine.
    """
    stripped = text.strip()
    if not stripped:
        return ["empty"]
    reasons = _surface_reasons(text, stripped)
    if len(stripped) < 12:
        return reasons
    return reasons + _paste_reasons(text)


def _surface_reasons(text: str, stripped: str) -> list[str]:
    """Reasons visible on the surface: length, control characters, mojibake, a placeholder,
    runs of punctuation."""
    reasons: list[str] = []
    if len(text) > MAX_CHARS:
        reasons.append("too_long")
    if _CONTROL.search(text):
        reasons.append("control_chars")
    if _is_mojibake(text):
        reasons.append("mojibake")
    if _is_placeholder(text):
        reasons.append("placeholder")
    if not any(ch.isalnum() for ch in stripped):
        if sum(unicodedata.category(ch)[0] == "P" for ch in stripped) >= 3:
            reasons.append("repeated_punct")
    else:
        run_chars = sum(len(m.group(0)) for m in _REPEATED_PUNCT.finditer(text))
        if run_chars and run_chars >= REPEATED_PUNCT_SHARE * len("".join(text.split())):
            reasons.append("repeated_punct")
    return reasons


def _paste_reasons(text: str) -> list[str]:
    """Pastes (markup, payloads, logs, traces, blobs, tables) not framed by a request."""
    reasons = []
    for code, detector, strict in (
        ("html", _html, False),
        ("json_dump", _json, False),
        ("log_dump", _log, False),
        ("stack_trace", _stack_trace, True),
        ("encoded_blob", _blob, False),
        ("table_dump", _table, False),
    ):
        shaped, prose = detector(text)
        # prose None: the detector already found the paste framed by the user's own words
        if shaped and prose is not None and not has_request(prose, strict=strict):
            reasons.append(code)
    return reasons
