"""Paste shapes: markup, payloads, logs, traces, blobs, tables, SQL, mail headers, machine output.

Each detector looks at one shape and returns ``None`` when the text does not have it, else a
:class:`Paste`: a short ``evidence`` snippet (for the report's "why") and the ``prose`` left
around the paste, which the caller checks for a request (``cues.has_request``). ``prose`` is
``None`` when the detector already saw the user's own words around the paste (framed).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Paste:
    """A paste found in a text: a snippet of it and the prose around it (``None``: framed)."""

    evidence: str
    prose: str | None


def snippet(text: str, limit: int = 40) -> str:
    """The first ``limit`` characters of ``text`` on one line, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def with_ends(prose: str, lines: list[str]) -> str:
    """Add the first and last line: a request usually opens or closes a paste."""
    return "\n".join([lines[0], prose, lines[-1]])


# ---- markup ---------------------------------------------------------------------------------
_TAG = re.compile(
    r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>|<!--.*?-->|<!DOCTYPE[^>]*>|<\?xml[^>]*\?>"
    r"|<!\[CDATA\[|\]\]>",
    re.DOTALL,
)
_BBCODE = re.compile(r"\[(b|i|u|s|quote|url|img|code|size|color|center|list)(?:=[^\]\n]*)?\]")
_BBCODE_TAG = re.compile(
    r"\[/?(?:b|i|u|s|quote|url|img|code|size|color|center|list)(?:=[^\]\n]*)?\]"
)
# fmt: off
#: HTML element names (a "<name>" that is none of them is a template slot, not markup).
HTML_TAGS: tuple[str, ...] = (
    "a", "abbr", "address", "article", "aside", "audio", "b", "base", "bdi", "blockquote", "body",
    "br", "button", "canvas", "caption", "center", "cite", "code", "col", "data", "dd", "del",
    "details", "dfn", "dialog", "div", "dl", "dt", "em", "embed", "fieldset", "figure", "font",
    "footer", "form", "h[1-6]", "head", "header", "hr", "html", "i", "iframe", "img", "input",
    "ins", "kbd", "label", "legend", "li", "link", "main", "map", "mark", "meta", "meter", "nav",
    "noscript", "object", "ol", "optgroup", "option", "output", "p", "param", "picture", "pre",
    "progress", "q", "s", "samp", "script", "section", "select", "small", "source", "span",
    "strong", "style", "sub", "summary", "sup", "svg", "table", "tbody", "td", "template",
    "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "u", "ul", "var",
    "video", "wbr", "path", "g", "rect", "circle", "slot", "nobr",
)
# fmt: on
_LEADING_TAG = re.compile(rf"^\s*<(?:{'|'.join(HTML_TAGS)})\b[^<>]*>", re.IGNORECASE)
#: Words outside the first and last tag that make an HTML paste a framed question.
HTML_FRAMING_WORDS = 8


def _tags(text: str) -> list[re.Match[str]]:
    tags = list(_TAG.finditer(text))
    opened = {m.group(1) for m in _BBCODE.finditer(text)}
    if any(f"[/{name}]" in text for name in opened):
        # BBCode counts only when a tag is closed (``a[i]`` is an index, not markup)
        tags += list(_BBCODE_TAG.finditer(text))
        tags.sort(key=lambda m: m.start())
    return tags


def html(text: str) -> Paste | None:
    """HTML, XML or BBCode markup: 3+ tags making 15 % of the text, or a text that starts with
    a tag and has 2, or one tag that is the whole text."""
    tags = _tags(text)
    stripped = text.strip()
    if len(tags) == 1 and len(tags[0].group(0)) >= 15 and tags[0].group(0) == stripped:
        return Paste(snippet(stripped), "")
    if len(tags) == 1 and _LEADING_TAG.match(text):
        # "<p>Our return policy allows": markup leaked in front of (cut) page text
        return Paste(snippet(stripped), text[tags[0].end() :])
    if len(tags) < 2:
        return None
    tail = text[tags[0].start() :]
    if tags[0].start() > 0 and not _TAG.sub("", tail).strip():
        # "How do I reset my PIN?<br/><br/>": markup leaked after the typed text
        return Paste(snippet(tail), "")
    tag_chars = sum(len(t.group(0)) for t in tags)
    starts_with_tag = tags[0].start() == len(text) - len(text.lstrip())
    if not ((len(tags) >= 3 and tag_chars >= 0.15 * len(text)) or starts_with_tag):
        return None
    evidence = snippet(text[tags[0].start() :])
    # prose inside the markup (page text) is not the user's request; keep only what sits outside
    # the first and last tag
    outside = text[: tags[0].start()] + "\n" + text[tags[-1].end() :]
    if len(outside.split()) >= HTML_FRAMING_WORDS:
        # several words typed before or after the markup: the user wrote around the paste
        return Paste(evidence, None)
    prose = outside
    if not starts_with_tag:
        prose = _TAG.sub(" ", text)
    return Paste(evidence, prose)


# ---- JSON -----------------------------------------------------------------------------------
_JSON_KEY = re.compile(r'"[^"\n]{1,80}"\s*:\s*(?:["{\[\d\-tfn])')
_JSON_LINE = re.compile(
    r'^\s*(?:[{}\[\],]+|"[^"\n]*"\s*:.*|[\d.eE+\-]+,?|"[^"\n]*",?|true,?|'
    r"false,?|null,?)\s*$"
)
_QUOTED = re.compile(r'"[^"\n]*(?:"|$)')


def json_dump(text: str) -> Paste | None:
    """Two or more ``"key":`` pairs in a text that starts with ``{``/``[`` or whose keys make a
    fifth of it; the prose is what lies outside the payload and its strings."""
    stripped = text.strip()
    keys = _JSON_KEY.findall(text)
    starts = stripped[:1] in "{["
    object_start = stripped.startswith(('{"', "[{", '["', '{ "'))
    if len(keys) < 2 and not (keys and object_start):
        return None
    if not starts and sum(len(k) for k in keys) < 0.2 * len(text):
        return None
    lines = text.split("\n")
    first = min((i for i in (stripped.find("{"), stripped.find("[")) if i >= 0), default=0)
    end = max(stripped.rfind("}"), stripped.rfind("]"))
    # the prose: before the payload, after it (without its strings), lines that are not JSON
    prose = stripped[:first] + "\n" + _QUOTED.sub(" ", stripped[end + 1 :] if end >= 0 else "")
    prose += "\n" + "\n".join(
        line for line in lines if not _JSON_LINE.match(line) and '"' not in line
    )
    return Paste(snippet(stripped[first:]), prose)


# ---- logs -----------------------------------------------------------------------------------
_LOG_TIME = re.compile(
    r"\b\d{1,2}:\d{2}:\d{2}\b|\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|^\d{6} \d{6}\b|\b1\d{9}\b"
    r"|^\[?\d{1,2}[./]\d{2} \d{2}:\d{2}"
)
_LOG_LEVEL = re.compile(
    r"\b(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|NOTICE|SEVERE|CRITICAL|Info|Warning)\b"
    r"|\[(?:info|warn|error|debug|notice|crit|alert|emerg)\]|\s[VDIWEF] [\w.$]+:"
)


_LOGFMT = re.compile(r"(?:^|\s)[a-z_]{2,12}=(?:\"[^\"]*\"|\S+)")


def _log_line(line: str) -> bool:
    if len(_LOGFMT.findall(line)) >= 3 and re.search(r"\b(?:level|lvl|ts|time|msg)=", line):
        return True  # logfmt: level=info ts=... msg="..."
    head = line[:60]
    if _LOG_TIME.search(head):
        return True
    return bool(_LOG_LEVEL.search(head)) and sum(c.isdigit() for c in line) >= 4


def log_dump(text: str) -> Paste | None:
    """At least half of the non-empty lines carry a timestamp or a log level with digits."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return None
    flags = [_log_line(line) for line in lines]
    n_log = sum(flags)
    if n_log == 0 or n_log < 0.5 * len(lines):
        return None
    first_log = next(line for line, is_log in zip(lines, flags) if is_log)
    prose = "\n".join(line for line, is_log in zip(lines, flags) if not is_log)
    return Paste(snippet(first_log), with_ends(prose, lines))


# ---- stack traces ---------------------------------------------------------------------------
_FRAME = re.compile(
    r"^\s*at [\w$.<>/\[\]]+\([^()]*(?:\)|$)|^\s*at [\w$.<>]+ \(.+:\d+(?::\d+)?\)\s*$"
    r"|^\s*at .{1,200}[(\s][\w:/\\.@-]+:\d+:\d+\)?\s*[{]?\s*$"
    r"|^\s*File \".+\", line \d+|^\s*\.\.\. \d+ more\s*$|^\s*#\d+\s+0x[0-9a-f]+ in "
    r"|^\s*/?[\w./-]+\.go:\d+(?: \+0x[0-9a-f]+)?\s*$|^goroutine \d+ \[\w+"
    r"|^\s*[\w./-]+\.rb:\d+:in [`']|^\s*#\d+ [\w/\\.:-]+\(\d+\): "
    r"|^\s*\d+: 0x[0-9a-f]+ - "
)
_TRACE_HEAD = re.compile(
    r"Traceback \(most recent call last\)|^\s*Exception in thread|"
    r"^\s*(?:Caused by: )?[\w$.]*(?:Exception|Error)(?::|\s*$|\s\()|^\s*Caused by: "
    r"|^panic: |^thread '[^']*' panicked at |^Uncaught \w*(?:Error|Exception)",
    re.MULTILINE,
)


def stack_trace(text: str) -> Paste | None:
    """Two or more frames (Java, Python, JavaScript, Go, Ruby, PHP, Rust, gdb), or one with an
    exception header, or a Rust/Go panic header."""
    lines = text.split("\n")
    frames = [bool(_FRAME.match(line)) for line in lines]
    n_frames = sum(frames)
    head = _TRACE_HEAD.search(text)
    is_panic = head is not None and "panic" in head.group(0)
    if n_frames == 0 and not is_panic:
        return None
    if n_frames < 2 and head is None:
        return None
    prose = "\n".join(
        line
        for line, is_frame in zip(lines, frames)
        if not is_frame and not _TRACE_HEAD.match(line)
    )
    anchor = head.start() if head is not None else 0
    return Paste(snippet(text[anchor:].lstrip()), prose)


# ---- encoded blobs --------------------------------------------------------------------------
_B64 = re.compile(r"[A-Za-z0-9+/]{80,}={0,2}|[A-Za-z0-9_\-]{120,}")
_HEX = re.compile(
    r"(?:0x)?[0-9a-fA-F]{64,}|(?:[0-9a-fA-F]{2}[ :]){32,}|(?:[0-9a-fA-F]{4}\s){12,}[0-9a-fA-F]{2,4}"
)
_TOKEN_BLOB = re.compile(
    r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*|data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+"
    r"|\beyJ[A-Za-z0-9_-]{20,}={0,2}"  # base64 of a JSON object ('{"...')
    r"|(?:^[A-Za-z0-9+/]{40,}={0,2}\n)+[A-Za-z0-9+/]{4,}={0,2}$"  # base64 wrapped in lines
    r"|(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-\w+)\s+AAAA[A-Za-z0-9+/=]{16,}(?:\s+\S+@\S+)?"
    r"|-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|\Z)",
    re.MULTILINE,
)
_WHOLE_B64 = re.compile(r"^[A-Za-z0-9+/_-]{24,}={0,2}$")


def _mixed_case_digits(chunk: str) -> bool:
    return (
        any(c.isdigit() for c in chunk)
        and any(c.isupper() for c in chunk)
        and any(c.islower() for c in chunk)
    )


def encoded_blob(text: str) -> Paste | None:
    """Base64 or hex runs covering half the text, a JWT, a data URI, a PEM block, or a text that
    is one base64-looking token of 24+ characters."""
    stripped = text.strip()
    spans = [m.span() for m in _B64.finditer(text) if _mixed_case_digits(m.group(0))]
    spans += [m.span() for m in _HEX.finditer(text)]
    spans += [m.span() for m in _TOKEN_BLOB.finditer(text)]
    if _WHOLE_B64.match(stripped) and _mixed_case_digits(stripped):
        spans.append((text.find(stripped), text.find(stripped) + len(stripped)))
    blob_chars = sum(b - a for a, b in spans)
    if blob_chars == 0 or blob_chars < 0.5 * len(stripped):
        return None
    prose = text
    for a, b in sorted(set(spans), reverse=True):
        prose = prose[:a] + " " + prose[b:]
    first = min(spans)[0]
    return Paste(snippet(text[first:]), prose)


# ---- tables ---------------------------------------------------------------------------------
_OPTION = re.compile(r"^\s*\(?[A-Ha-h1-9][.)]\s")
_CSV_HEADER = re.compile(r"^\s*[A-Za-z_][\w]*(?:\s*,\s*[A-Za-z_][\w]*){3,}\s*$")
_CSV_HEADER2 = re.compile(r"^\s*[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*){2,}\s*$")
_QUOTED_FIELD = re.compile(r'"[^"\n]*"')
_ALIGNED = re.compile(r"\S(?: {2,}|\t)\S")


def table_dump(text: str) -> Paste | None:
    """3+ lines with the same count (2+, commas 3+) of tabs, commas, semicolons or pipes in 70 %
    of the lines, space-aligned columns, or a lone CSV header row of identifiers."""
    lines = [line for line in text.split("\n") if line.strip() and not _OPTION.match(line)]
    if len(lines) == 1 and _CSV_HEADER.match(lines[0]) and " " not in lines[0].strip():
        return Paste(snippet(lines[0]), "")
    if len(lines) < 3:
        return None
    for sep in ("\t", ",", ";", "|", "  "):
        if sep == "  ":
            counts = [len(_ALIGNED.findall(line.strip())) for line in lines]
        else:
            # a separator inside a quoted field ("great service, will come back") is no column
            counts = [_QUOTED_FIELD.sub('""', line).count(sep) for line in lines]
        common = Counter(counts).most_common(1)[0][0]
        quoted = sep == "," and (
            sum('","' in line for line in lines) >= 0.7 * len(lines)
            or bool(_CSV_HEADER2.match(lines[0]))
        )
        # commas also separate clauses, so a comma table needs three per row (or quoted fields)
        if common < (3 if sep in (",", "  ") and not quoted else 2):
            continue
        rows = [c == common for c in counts]
        if sum(rows) >= max(3, 0.7 * len(lines)):
            prose = "\n".join(line for line, r in zip(lines, rows) if not r)
            return Paste(snippet(lines[0]), with_ends(prose, lines))
    return None
