"""More paste shapes: SQL, mail headers, YAML and machine output (progress bars, hex dumps,
diffs, minified code). Same contract as ``pastes.py``: ``None`` or a :class:`Paste`.
"""

from __future__ import annotations

import re

from analyzer.detect.pastes import Paste, snippet, with_ends

# ---- SQL ------------------------------------------------------------------------------------
_SQL_START = re.compile(
    r"^\s*(?:--|(?:SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX|VIEW|UNIQUE"
    r"|OR\s+REPLACE|DATABASE|SCHEMA)|ALTER\s+TABLE|DROP\s+(?:TABLE|INDEX|VIEW)|WITH\s+\w+\s+AS"
    r"|SET\s+\w+\s*=|COPY\s+[\w.]+|GRANT\s|TRUNCATE\s)\b)",
    re.IGNORECASE,
)
_SQL_HINT = re.compile(
    r"^\s*(?:--|select|insert|update|delete|create|alter|drop|with|set|copy|grant|truncate)\b",
    re.IGNORECASE | re.MULTILINE,
)
_SQL_CLAUSE = re.compile(
    r"\b(?:FROM|WHERE|JOIN|GROUP\s+BY|ORDER\s+BY|LIMIT|HAVING|VALUES|SET|INTO|TABLE"
    r"|PRIMARY\s+KEY|NOT\s+NULL|REFERENCES|LIKE|IN\s*\()\b",
    re.IGNORECASE,
)
#: Words outside the SQL lines that make a SQL paste a framed question.
SQL_FRAMING_WORDS = 8
_SQL_CONTINUATION = re.compile(r"^\s+\S|[,(;]\s*$|^\s*\)")


def sql_dump(text: str) -> Paste | None:
    """A statement that opens a line with a SQL keyword and has two SQL clauses (``FROM``,
    ``WHERE``, ``SET``, ``TABLE``, ...); prose is every line that is neither."""
    if not _SQL_HINT.search(text):
        return None
    lines = [line for line in text.split("\n") if line.strip()]
    starts = [bool(_SQL_START.match(line)) for line in lines]
    if not any(starts):
        return None
    first = lines[starts.index(True)]
    if len({m.group(0).upper() for m in _SQL_CLAUSE.finditer(text)}) < 2 and not first.startswith(
        "--"
    ):
        return None
    in_sql = False
    prose_lines = []
    for line, is_start in zip(lines, starts):
        in_sql = is_start or (in_sql and bool(_SQL_CONTINUATION.search(line)))
        if not in_sql:
            prose_lines.append(line)
    prose = "\n".join(prose_lines)
    if len(prose.split()) >= SQL_FRAMING_WORDS:
        # sentences typed around the statements: the user wrote about the SQL
        return Paste(snippet(first), None)
    return Paste(snippet(first), prose)


# ---- mail headers, YAML, machine output -----------------------------------------------------
_MAIL_HEADER = re.compile(
    r"^(?:Received|From|To|Cc|Subject|Date|Return-Path|Message-ID|Content-Type|MIME-Version"
    r"|Content-Transfer-Encoding|Reply-To|Delivered-To|DKIM-Signature|Auto-Submitted"
    r"|X-[\w-]+):\s|^--[\w=.-]{8,}(?:--)?\s*$|^\s+(?:by|for|with|id)\s",
)


def email_headers(text: str) -> Paste | None:
    """Two or more mail header or MIME boundary lines making half of the lines."""
    if "\n" not in text:
        return None
    lines = [line for line in text.split("\n") if line.strip()]
    flags = [bool(_MAIL_HEADER.match(line)) for line in lines]
    if sum(flags) < 2 or sum(flags) < 0.5 * len(lines):
        return None
    strong = [line for line in lines if not line.startswith(("From:", "To:", "Subject:", "Date:"))]
    if not any(_MAIL_HEADER.match(line) for line in strong) and not _MAIL_STRONG.search(text):
        # From/To/Subject/Date alone is how people quote an e-mail they ask about
        return None
    prose = "\n".join(line for line, f in zip(lines, flags) if not f)
    return Paste(snippet(lines[0]), prose)


_MAIL_STRONG = re.compile(
    r"=\?[\w-]+\?[BbQq]\?|^Date: \w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d(?::\d\d)? [+-]\d{4}",
    re.MULTILINE,
)
_YAML_LINE = re.compile(r"^(\s*)(?:- )?[A-Za-z_][\w.-]*:(?:\s+\S.*)?$|^\s*- \S|^---\s*$")


def yaml_dump(text: str) -> Paste | None:
    """Four or more ``key: value`` / ``- item`` lines making 80 % of the lines, nested (an
    indented key) or opened by ``---``."""
    if text.count("\n") < 3 or ":" not in text:
        return None
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 4:
        return None
    flags = [bool(_YAML_LINE.match(line)) for line in lines]
    if sum(flags) < 0.8 * len(lines):
        return None
    nested = any(f and line[:1] in " \t" and ":" in line for line, f in zip(lines, flags))
    if not (nested or lines[0].strip() == "---"):
        return None
    prose = "\n".join(line for line, f in zip(lines, flags) if not f)
    return Paste(snippet(lines[0]), with_ends(prose, lines) if prose else "")


_MACHINE = re.compile(
    r"\d{1,3}%\s*\|[█▏▎▍▌▋▊▉ #]*\||\[[#=]{3,}>?[ .-]*\]\s*\d{1,3}%"  # progress bars
    r"|^[0-9a-fA-F]{7,8}[: ] +(?:[0-9a-fA-F]{2} +){8}"  # hex dumps (od, hexdump -C)
    r"|^[0-9a-fA-F]{7,8}: (?:[0-9a-fA-F]{4} ){4}"  # hex dumps (xxd)
    r"|^diff --git |^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@|^(?:\+\+\+|---) [ab]/",  # diffs
    re.MULTILINE,
)


#: A field of a crash report or event record, its value aligned ("Exception Type:    EXC_...").
_FIELD_LINE = re.compile(r"^\s*[A-Z][\w ()/.-]{1,30}:(?: {2,}|\t)\S")
#: A line a build tool, package manager or shell prints ("> vite build", "Step 4/9 : RUN",
#: "---> Running in", "✓ 1203 modules transformed.", "npm WARN", "transforming...").
_TOOL_LINE = re.compile(
    r"^(?:[>$#] \S|\s*--->|Step \d+/\d+ ?:|\s*[✓✔✗✘×⚠❯›»]\s|npm (?:WARN|ERR!|notice)"
    r"|added \d+ packages?|Removing intermediate container|Successfully (?:built|tagged|installed)"
    r"|Collecting \S|Downloading \S|Installing collected packages|Requirement already satisfied"
    r"|#\d+ \[|\[\d+/\d+\] |error during build:|(?:error|warning|fatal)(?:\[\w+\])?: "
    r"|[\w.-]+ v\d+\.\d+\.\d+\s|\s*[A-Za-z]+ing\b[^.!?]*(?:\.{3}|…)\s*$)",
    re.IGNORECASE,
)
_ALIGNED_VALUE = re.compile(r":(?: {2,}|\t)\S")
#: Lines (3+, this share of the lines) a tool printed: a run's output.
MIN_TOOL_SHARE = 0.5


def _tool_lines(text: str, pattern: re.Pattern[str]) -> Paste | None:
    """Three or more lines that ``pattern`` (aligned fields, tool output) matches, making
    ``MIN_TOOL_SHARE`` of the lines; the other lines are the prose."""
    if text.count("\n") < 2:
        return None
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 3:
        return None
    flags = [bool(pattern.match(line)) for line in lines]
    if sum(flags) < 3 or sum(flags) < MIN_TOOL_SHARE * len(lines):
        return None
    prose = "\n".join(line for line, f in zip(lines, flags) if not f)
    first = next(line for line, f in zip(lines, flags) if f)
    return Paste(snippet(first), with_ends(prose, lines))


def machine_output(text: str) -> Paste | None:
    """Progress bars, hex dumps, diffs, minified code (one line of 150+ characters with under
    5 % spaces and a fifth punctuation), crash-report or event fields with aligned values, or
    the output of a build tool or package manager."""
    aligned = _ALIGNED_VALUE.search(text) is not None
    found = (_tool_lines(text, _FIELD_LINE) if aligned else None) or _tool_lines(text, _TOOL_LINE)
    if found is not None:
        return found
    match = _MACHINE.search(text)
    if match is not None:
        lines = [line for line in text.split("\n") if line.strip()]
        prose = "\n".join(
            line for line in lines if not _MACHINE.search(line) and line[:1] not in "+- "
        )
        return Paste(snippet(text[match.start() :]), with_ends(prose, lines))
    stripped = text.strip()
    if len(stripped) >= 150 and "\n" not in stripped and stripped.isascii():
        n_space = stripped.count(" ")
        n_punct = sum(not c.isalnum() and not c.isspace() for c in stripped)
        if n_space < 0.05 * len(stripped) and n_punct >= 0.2 * len(stripped):
            return Paste(snippet(stripped), "")
    return None
