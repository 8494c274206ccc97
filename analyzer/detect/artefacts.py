"""Surface artefacts: escapes, encoding damage, placeholders, serialisation debris, bare error
messages and degenerate repetition.

Each check returns a short evidence snippet (for the report's "why") or ``None``. The damage
checks (entities, mojibake, repetition, unfilled template slots) hold whatever the text around
them says: a question typed into a box that escaped it is still damaged input. The checks for
things people also talk about (``[object Object]``, an object repr, an error message) hold only
when no request is around them.
"""

from __future__ import annotations

import re

from ftfy import badness, fix_encoding

from analyzer.detect.cues import has_request
from analyzer.detect.damage import code_page_damage, encoding_residue, truncated
from analyzer.detect.pastes import HTML_TAGS, snippet

_QUOTED_SPAN = re.compile(r"'[^'\n]{0,120}'|\"[^\"\n]{0,120}\"|`[^`\n]{0,120}`|“[^”\n]{0,120}”")


def _unquoted(text: str) -> str:
    """The text with quoted and back-ticked spans blanked (what the user talks *about*)."""
    return _QUOTED_SPAN.sub(" ", text)


# ---- escapes --------------------------------------------------------------------------------
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#[xX][0-9a-fA-F]{2,5});")
_STRONG_ENTITY = re.compile(r"&amp;(?:#\d+|[a-z]{2,8});|[^\W\d_]&#\d{2,6};|&#\d{2,6};[^\W\d_]")
_ABOUT_ENTITIES = re.compile(r"\b(?:entit(?:y|ies)|escap\w*|unescap\w*|html code)\b", re.IGNORECASE)


def html_entities(text: str) -> str | None:
    """Two or more HTML entities outside quotes, or one double-escaped or inside a word
    (``I&#39;m``); not when the text is about entities."""
    if "&" not in text:
        return None
    bare = _unquoted(text)
    entities = _ENTITY.findall(bare)
    if not entities or (len(entities) < 2 and not _STRONG_ENTITY.search(bare)):
        return None
    if _ABOUT_ENTITIES.search(text) and has_request(text, strict=True):
        return None
    return snippet(text[text.find(entities[0]) :], 30)


# ---- encoding damage ------------------------------------------------------------------------
_REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def mojibake(text: str) -> str | None:
    """Lone surrogates, U+FFFD replacement characters (always under 200 characters, else 2 % of
    the non-space characters), or text that ftfy judges bad or would re-decode. A request that
    quotes the garbage as tokens of its own ("shows Ã© instead of é") is not damaged."""
    if _SURROGATE.search(text):
        # lone surrogates: bytes decoded with surrogateescape or a broken UTF-16 round trip
        return "lone surrogate"
    residue = encoding_residue(text) or code_page_damage(text)
    if residue is not None:
        return residue  # quoted-printable escapes: "can=E2=80=99t"
    n_replacement = text.count(_REPLACEMENT)
    dense = n_replacement and (
        len(text) < 200 or n_replacement >= 0.02 * len(text.replace(" ", ""))
    )
    if dense and not (n_replacement <= _FEW_DAMAGED and _asks_about_encoding(text)):
        return snippet(text[max(0, text.find(_REPLACEMENT) - 10) :], 30)
    if text.isascii():
        return None
    if not (badness.is_bad(text) or fix_encoding(text) != text):
        return None
    damaged = [t for t in text.split() if not t.isascii() and fix_encoding(t) != t]
    # quoted garbage: a few short damaged tokens without a letter of their own among clean words
    quoted_only = (
        damaged
        and len(damaged) <= 0.3 * len(text.split())
        and all(
            len(token.strip("'\"()")) <= 4 and not any(c.isascii() and c.isalpha() for c in token)
            for token in damaged
        )
    )
    if quoted_only and has_request(text, strict=True):
        return None
    if damaged and len(damaged) <= _FEW_DAMAGED and _asks_about_encoding(text):
        return None  # "Why does my CSV show cafÃ© instead of café?": a question about the damage
    return snippet(damaged[0] if damaged else text, 30)


#: Damaged tokens a question about encoding may quote.
_FEW_DAMAGED = 3
_ABOUT_ENCODING = re.compile(
    r"\b(?:encod\w*|decod\w*|utf-?8|utf-?16|charset|character set|instead of|garbled|weird"
    r" (?:characters?|symbols?|letters)|strange (?:characters?|symbols?)|replacement char\w*"
    r"|mojibake|unicode|latin-?1|cp1252|windows-1252|iso-8859|accents?|diacritics)\b",
    re.IGNORECASE,
)


def _asks_about_encoding(text: str) -> bool:
    """A request that talks about encoding or what the text shows "instead of" what."""
    return bool(_ABOUT_ENCODING.search(text)) and has_request(text, strict=True)


# ---- placeholders and unfilled templates ----------------------------------------------------
_CODE_MARKERS = re.compile(
    r"^\s*(?:import |from \w+ import|def |class |function |const |let |var |#include|public )"
    r"|=>|;\s*$",
    re.MULTILINE,
)
_TEMPLATE_CONTEXT = re.compile(
    r"\b(?:templates?|jinja|handlebars|mustache|vue|angular|django|liquid|javascript|js|"
    r"string interpolation|f-strings?|placeholders?|format strings?|bash|shell|mail merge"
    r"|merge fields?|variables?|literal|literally|instead of|prompt|prompts|system message"
    r"|curly braces|braces|syntax|escape|docker-compose|compose file|env file|default value)\b"
    r"|\{(?:code|noformat|quote|panel)\b|^h[1-6]\. ",  # JIRA markup: {{x}} is monospace there
    re.IGNORECASE | re.MULTILINE,
)
# fmt: off
_PLACEHOLDER_TOKENS = frozenset(
    {"undefined", "null", "nan", "none", "nil", "n/a", "[object object]", "(null)", "<null>",
     "#n/a", "#value!", "#ref!", "#name?", "[blank]", "<blank>", "asdf", "asdfgh",
     "qwerty", "lorem ipsum", "placeholder", "todo", "tbd", "xxx", "{}", "[]", "''", '""',
     "%s", "%d", "{0}"}
)
# fmt: on
#: A slot of a template that nobody filled: ``{{ var }}``, ``${var}``, ``{% ... %}``.
_CODE_SLOT = re.compile(
    r"\{\{\s*[a-z_][a-z0-9_]*\s*\}\}|\{\{\s+[A-Za-z_][\w.]*\s+\}\}|\{%[^%\n]{1,80}%\}"
    r"|\$\{\s*[A-Za-z_]\w*\s*\}"
    r"|(?<![\w<{])(?<!\{ )<(?:your |insert |enter |user )?(?:text|document|question|query|input"
    r"|name|email|date|placeholder|prompt|context|article|topic|content|message|answer|language"
    r"|here|value|city|product|company)>"
)
#: Slots that only mark a template when nothing around them asks: "$name", "[NAME] ... [EMAIL]".
_WEAK_SLOT = re.compile(
    r"(?<![\w$])\$[a-z_][a-z0-9_]{2,}\b|(?<![\w<])<<\s*[a-z_][\w.]*\s*>>"
    r"|(?<!\w)%[A-Z][A-Z0-9_]{2,}%|\{\{[#/]\w+[^}]*\}\}"
)
_CAPS_SLOT = re.compile(r"\[([A-Z][A-Z_ ]{2,24})\]")
_NOT_SLOT = frozenset(
    {
        "ERROR",
        "INFO",
        "WARN",
        "WARNING",
        "DEBUG",
        "TRACE",
        "FATAL",
        "OK",
        "DONE",
        "FAIL",
        "PASS",
        "SKIP",
        "NOTE",
        "TODO",
        "EDIT",
        "UPDATE",
        "SOLVED",
        "HELP",
        "URGENT",
    }
)
_EXAMPLE_OF_FORMAT = re.compile(
    r"(?:i\.e\.|e\.g\.|such as|like|for example|format)\W{0,4}<<", re.IGNORECASE
)
#: A single-brace format slot (``{first_name}``): counted only where no maths, no JIRA macro.
_BRACE_SLOT = re.compile(r"(?<![\w$\\^_{])\{([a-z_][a-z0-9_]*)\}(?!\})")
_NOT_TEMPLATE = re.compile(
    r"[$\\^=∞→∑∫]|\blim\b|\{(?:code|noformat|quote|panel|color)\b", re.IGNORECASE
)
#: The whole text is one slot: ``<PLACEHOLDER>``, ``<<QUERY>>``, ``$INPUT``, ``[INSERT ...]``.
_WHOLE_SLOT = re.compile(
    r"^\s*(?:<<?\s*[A-Z][A-Z0-9_ ]*\s*>>?|\$[A-Z][A-Z0-9_]*|\[\[?\s*[A-Z][A-Z0-9_ ]*\]?\]"
    r"|__[A-Z0-9_]+__|%\(\w+\)s)\s*$"
)
_BRACKET_SLOT = re.compile(r"\[(?:[A-Z][a-z]*|[A-Z]{2,})(?: [A-Z][A-Za-z]*){0,3}\](?!\()")
_MULTIWORD_SLOT = re.compile(r"\[[A-Z][A-Za-z]* [A-Z][A-Za-z]*")
_LOREM = re.compile(r"\b[Ll]orem ipsum\b")
#: An upper-case slot in angle brackets that is no HTML tag: ``<PRODUCT_NAME>``, ``<AUDIENCE>``.
_ANGLE_CAPS = re.compile(r"<([A-Z][A-Z0-9_]{2,30})>")
#: A printf slot standing for the input: alone on a line, or after a colon at the end.
_PRINTF_SLOT = re.compile(r"(?:^|\n|:[ \t]*\n?)[ \t]*%[sd][ \t]*$")


def placeholder(text: str) -> str | None:
    """The whole text is a stand-in value (``undefined``, ``null``, ``[object Object]``, ``%s``,
    ``<PLACEHOLDER>``...), half of at most six tokens are, a template slot is left unfilled
    (``{{user_question}}``, ``{first_name}``, ``${text}``) outside quotes and code, two or more
    ``[Title Case]`` slots with no request, or "lorem ipsum" with no request."""
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered in _PLACEHOLDER_TOKENS or _WHOLE_SLOT.match(stripped):
        return snippet(stripped, 30)
    tokens = lowered.split()
    if tokens and len(tokens) <= 6:
        hits = sum(
            t.strip(".,:;!") in {"undefined", "null", "nan", "[object", "object]"} for t in tokens
        )
        if hits * 2 >= len(tokens):
            return snippet(stripped, 30)
    if "[object Object]" in text and not has_request(
        text.replace("[object Object]", " "), strict=True
    ):
        return "[object Object]"
    slot = _CODE_SLOT.search(_unquoted(text)) or _brace_slot(text) or _caps_or_printf(text)
    if slot is not None and not _TEMPLATE_CONTEXT.search(text) and not _CODE_MARKERS.search(text):
        return slot.group(0)
    weak = _weak_slot(text)
    if weak is not None:
        return weak
    if slot is not None and slot.group(0).startswith("{%") and not has_request(text, strict=True):
        return slot.group(0)
    brackets = set(_BRACKET_SLOT.findall(text))
    if (
        len(brackets) >= 2
        and any(_MULTIWORD_SLOT.match(b) for b in brackets)
        and not has_request(_BRACKET_SLOT.sub(" ", text))
    ):
        return ", ".join(sorted(brackets)[:3])
    lorem = _LOREM.search(text)
    if lorem is not None and not has_request(_unquoted(text), strict=True):
        return snippet(text[lorem.start() :], 30)
    return None


def _caps_or_printf(text: str) -> re.Match[str] | None:
    """``<PRODUCT_NAME>`` (or two upper-case angle slots that are no HTML tags), or a printf
    ``%s`` standing for the input at the end of an instruction."""
    printf = _PRINTF_SLOT.search(text)
    if printf is not None:
        return printf
    slots = [m for m in _ANGLE_CAPS.finditer(text) if m.group(1).lower() not in HTML_TAGS]
    if any("_" in m.group(1) for m in slots) or len({m.group(1) for m in slots}) >= 2:
        return slots[0]
    return None


def _weak_slot(text: str) -> str | None:
    """``$name`` or two ``[NAME]`` slots in a text that asks for nothing (a filled-in form that
    was not filled in: "Hello $name, welcome back!", "Thank you, [NAME]. ... [EMAIL].")."""
    caps = {m for m in _CAPS_SLOT.findall(text) if m.strip() not in _NOT_SLOT}
    maths = "\\" in text or "^" in text or bool(re.search(r"\$[^$\n]{1,80}\$", text))
    dollar = None if maths else _WEAK_SLOT.search(_unquoted(text))
    if not (len(caps) >= 2 or dollar is not None) or _CODE_MARKERS.search(text):
        return None
    if has_request(text, strict=True) or _TEMPLATE_CONTEXT.search(text):
        return None
    return dollar.group(0) if dollar is not None else ", ".join(f"[{c}]" for c in sorted(caps)[:3])


def _brace_slot(text: str) -> re.Match[str] | None:
    """A ``{name}`` slot of 3+ letters (or two slots) in a text without maths or JIRA macros."""
    slots = list(_BRACE_SLOT.finditer(_unquoted(text)))
    if not slots or _NOT_TEMPLATE.search(text):
        return None
    if len(slots) >= 2 or len(slots[0].group(1)) >= 3:
        return slots[0]
    return None


# ---- serialisation debris -------------------------------------------------------------------
_DEBRIS = re.compile(
    r"\[object [A-Z]\w*\]|<[\w.]+ object at 0x[0-9a-fA-F]+>"  # JS toString, Python repr
    r"|^\s*b(?:'[^'\n]*'|\"[^\"\n]*\")\s*$"  # Python bytes repr
    r"|^\s*\[?\{\s*'[^'\n]{1,40}'\s*:\s*"  # Python dict repr (single-quoted keys)
    r"|^\s*[A-Z]\w+\((?:\w+=[^,()]*(?:, )?){2,}\)\s*$"  # dataclass / namedtuple repr
    r"|^\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*){2,}(?:`\d+)?(?:\[[\w.,` ]+\])?\s*$"  # .NET type name
    r"|^\s*(?:[A-Z]\w*|[a-z_]\w*\.[\w.]+)\((?:[^()\n]|\([^()\n]*\))*\)\s*$"  # Type(args) repr
    r"|^\s*Promise\s*\{|\[native code\]|^\s*#<[A-Z][\w:]*[\s>]"  # JS promise, Ruby inspect
    r"|^\s*[\w.$]+@[0-9a-f]{6,8}\s*$"  # Java default toString
    r"|^\s*[A-Z]\w*\{\w+=[^{}\n]*(?:,\s*\w+=[^{}\n]*)+\}\s*$"  # Java toString: User{id=42, ...}
    r"|^\s*[\[(]\s*(?:None|null|undefined|NaN|nil)(?:\s*,\s*(?:None|null|undefined|NaN|nil))+"
    r"\s*,?\s*[\])]\s*$"  # a list of null values
    r"|^\s*<(?:Response|Request|Future|Task|coroutine|function|bound method|module)\b[^>]*>\s*$",
)


def serialization_debris(text: str) -> str | None:
    """A program's representation of an object sent as text: ``[object Promise]``, ``<x.Y object
    at 0x..>``, ``b'...'``, a Python dict repr, a dataclass repr, a .NET type name; not when a
    request is around it ("Why does my app render [object Object]?")."""
    match = _DEBRIS.search(text)
    if match is None:
        return None
    rest = text[: match.start()] + " " + text[match.end() :]
    if match.group(0).lstrip().startswith(("{", "[{")):
        # the whole repr is the payload: its strings are the user's words, not a request
        rest = ""
    if has_request(_unquoted(rest), strict=True) or rest.strip().endswith("?"):
        return None
    return snippet(match.group(0).strip(), 30)


# ---- bare error messages --------------------------------------------------------------------
_ERROR_LINE = re.compile(
    r"^\s*(?:Uncaught\s+)?(?:[\w$]+\.)*(?:[A-Z]\w*)?(?:Error|Exception|Fault)\b\s*[:(]"
    r"|^\s*(?:WARNING|WARN|INFO|DEBUG|CRITICAL|NOTICE|SEVERE)\s*:"
    r"|^\s*(?:sh|bash|zsh|cmd|powershell|fish)\s*:"
    r"|^\s*[A-Z][A-Z0-9]*_[A-Z0-9_]{3,}\s*$"  # ERR_CONNECTION_REFUSED
    r"|^\s*[A-Z]{2,5}-\d{3,5}:\s"  # ORA-12154: ..., PLS-00201: ..., TNS-12541: ...
    r"|^\s*(?:Cannot find module|Cannot resolve|Module not found|Could not find|Unable to"
    r" (?:locate|find|resolve|connect)|Cannot read propert)"
    r"|^\s*\S{1,40} is not (?:a function|defined|iterable|a constructor)\b"
    r"|^\s*(?:fatal|error|panic|FATAL|ERROR|Error|E\d{3,5})\b\s*[:!(\d]|^\s*npm ERR!"
    r"|^\s*(?:Segmentation fault|Bus error|Illegal instruction|Aborted)(?: \(core dumped\))?\s*$"
    r"|^\s*(?:HTTP/\d(?:\.\d)? )?[45]\d\d [A-Z][a-z]+(?: [A-Z][a-z]+){0,3}\s*$"
    r"|^\s*(?:Object reference not set to an instance of an object|Access is denied"
    r"|Permission denied|No such file or directory|command not found|Connection refused"
    r"|Killed)\b",
)


def error_message(text: str) -> str | None:
    """A bare error message of at most three lines (``TypeError: ...``, ``fatal: ...``,
    ``Segmentation fault``, ``503 Service Unavailable``) with no request around it."""
    stripped = text.strip()
    lines = stripped.split("\n")
    if len(lines) > 3 or len(stripped) > 400 or not _ERROR_LINE.match(lines[0]):
        return None
    if has_request("\n".join(lines[1:]), strict=True) or stripped.endswith("?"):
        return None
    return snippet(lines[0], 40)


# ---- degenerate repetition ------------------------------------------------------------------
#: The most tokens (or characters) a repeated unit may have.
MAX_PERIOD = 30
#: Times a unit must repeat.
MIN_REPEATS = 3


def _period(items: list[str] | str) -> int | None:
    """Smallest period p <= MAX_PERIOD with at least MIN_REPEATS full repeats (tail may be cut)."""
    n = len(items)
    for p in range(1, min(MAX_PERIOD, n // MIN_REPEATS) + 1):
        if all(items[i] == items[i - p] for i in range(p, n)):
            return p
    return None


def repetition(text: str) -> str | None:
    """The text is one unit repeated at least three times: a word ("test test test ..."), a
    line, a sentence ("How do I reset my password? How do I ..."), or a run of characters of 10
    or more ("aaaa...", "asdfasdf...", "1111...", emoji)."""
    tokens = text.split()
    if len(tokens) >= 6:
        period = _period(tokens)
        if period is not None:
            return snippet(" ".join(tokens[:period]), 30) + f" ×{len(tokens) // period}"
        return _degenerate_tail(tokens)
    squeezed = "".join(tokens)
    if len(tokens) <= 2 and len(squeezed) >= 10:
        period = _period(squeezed)
        if period is not None and period <= 8:
            return snippet(squeezed[:period], 10) + f" ×{len(squeezed) // period}"
    return None


def _degenerate_tail(tokens: list[str]) -> str | None:
    """A text that ends in one word repeated ``MIN_TAIL`` times or more, covering half of it
    ("The answer is the the the the ..."): generation that fell into a loop."""
    run = 1
    while run < len(tokens) and tokens[-run - 1].lower() == tokens[-1].lower():
        run += 1
    if run >= MIN_TAIL and run * 2 >= len(tokens):
        return snippet(tokens[-1], 20) + f" ×{run}"
    return None


#: Repeats of one word at the end of a text that make it a degenerate tail.
MIN_TAIL = 8

#: Surface checks in the order they are checked: (reason code, check).
SURFACE_CHECKS = (
    ("mojibake", mojibake),
    ("html_entities", html_entities),
    ("placeholder", placeholder),
    ("serialization_debris", serialization_debris),
    ("error_message", error_message),
    ("repetition", repetition),
    ("truncated", truncated),
)
