"""Mask personal data and secrets in user text before anything is written (``--redact``).

Pure functions, no I/O: :func:`redact_text` masks one string; :func:`redact_result` and
:func:`redact_segments` return copies of a :class:`~analyzer.result.ShiftResult` and a
:class:`~analyzer.segments.SegmentAnalysis` with every piece of user text masked (queries and
their other string columns, cluster labels, keywords and examples, the summary's examples and
segment values, the labelling queue). :func:`analyzer.report.outputs.write_outputs` applies them
once, so every output file (report.html, queries.parquet, clusters.csv, summary.json,
to_label.jsonl) is built from the masked result.

What is masked, and by what:

- ``[EMAIL]``: e-mail addresses.
- ``[CARD]``: 13 to 19 digits, optionally grouped by spaces or dashes, that pass the Luhn check.
- ``[PHONE]``: international numbers (``+`` and 8 to 15 digits), North-American numbers with
  separators and an area code that can exist (first digit 2-9: ``(555) 123-4567``,
  ``555.123.4567``; not ``100 100 1000``) and numbers with a trunk ``0`` and separators
  (``020 7946 0958``).
- ``[SECRET]``: PEM private keys (from ``-----BEGIN ... PRIVATE KEY-----`` to its end line),
  webhook URLs (Slack, Discord, Microsoft Teams), the ``user:password@`` of a URL
  (``https://user:pw@host``, ``mysql://root:pw@10.0.0.5``), AWS secret access keys (40
  characters after an ``aws...secret``/``key`` name), API keys and tokens: ``sk-...`` (OpenAI,
  Anthropic), ``AKIA``/``ASIA`` (AWS),
  ``ghp_``/``gho_``/``ghs_``/``ghu_``/``ghr_``/``github_pat_`` (GitHub), ``xox?-`` (Slack),
  ``AIza`` (Google), ``sk_live_``/``pk_test_``... (Stripe), JSON Web Tokens, the value after
  ``Bearer`` or ``Basic``, the value of ``api_key=``/``token:``/``password=``-like
  assignments, hex strings of 32 or more digits and base64-like runs of 32 or more characters
  that mix upper case, lower case and digits.

The masks are idempotent (masking masked text changes nothing) and text with none of these
patterns comes back unchanged. Dates, times, IP addresses, version numbers and short numbers
are not phone numbers; digit runs that fail the Luhn check are not cards.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from analyzer.result import ShiftResult
    from analyzer.segments import SegmentAnalysis

EMAIL, CARD, PHONE, SECRET = "[EMAIL]", "[CARD]", "[PHONE]", "[SECRET]"

_KNOWN_KEYS = re.compile(
    r"(?<![A-Za-z0-9_-])(?:"
    r"sk-(?:proj-|ant-(?:api\d\d-)?|svcacct-)?[A-Za-z0-9_-]{16,}"
    r"|(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}"
    r"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}"
    r"|xox[abposr]-[A-Za-z0-9-]{10,}"
    r"|AIza[0-9A-Za-z_-]{35}"
    r"|(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"
    r"|glpat-[A-Za-z0-9_-]{20,}"
    r"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
    r")(?![A-Za-z0-9_-])"
)
_MASKED = r"(?!\[(?:SECRET|EMAIL|PHONE|CARD)\])"
_PEM = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----.*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\Z)",
    re.DOTALL,
)
_WEBHOOK_URL = re.compile(
    r"https?://(?:hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+"
    r"|(?:discord(?:app)?\.com)/api/webhooks/[0-9]+/[A-Za-z0-9_-]+"
    r"|[a-z0-9-]+\.webhook\.office\.com/[A-Za-z0-9/@_.-]+)"
)
_URL_CREDENTIALS = re.compile(
    r"(?i)\b([a-z][a-z0-9+.-]{1,20}://)" + _MASKED + r"[^\s/?#@:]+:[^\s/?#@]+@"
)
_AWS_SECRET = re.compile(
    r"(?i)(aws[\w.-]{0,30}?(?:secret|key)[\w.-]{0,20}[\"']?\s*[:=]\s*[\"']?)"
    + _MASKED
    + r"[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])"
)
_AUTH_HEADER = re.compile(r"(?i)\b(bearer|basic)(\s+)" + _MASKED + r"([A-Za-z0-9._~+/=-]{16,})")
_ASSIGNMENT = re.compile(
    r"(?i)\b((?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|secret(?:[_-]?key)?|"
    r"client[_-]?secret|password|passwd|pwd)[\"']?\s*[:=]\s*[\"']?)"
    + _MASKED
    + r"([^\s\"',;()]{6,}+)(?!\()"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    r"(?![A-Za-z0-9-])"
)
_DIGIT_RUN = re.compile(r"(?<![\w.,-])\d+(?:[ -]\d+)*(?![\w-]|[.,]\d)")
_DIGIT_GROUP = re.compile(r"\d+")
_PHONE = re.compile(
    r"(?<![\w+.-])(?:"
    r"\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}"
    r"|\([2-9]\d{2}\)[ .-]?\d{3}[ .-]\d{4}"
    r"|[2-9]\d{2}([.-])\d{3}\1\d{4}"
    r"|[2-9]\d{2} \d{3} \d{4}"
    r"|0\d{1,4}[ -]\d{3,4}[ -]\d{3,4}"
    r")(?![\w.-]\w|\w)"
)
_HEX = re.compile(r"(?<![A-Za-z0-9_-])[0-9a-fA-F]{32,}(?![A-Za-z0-9_-])")
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/_=-])")


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (credit-card numbers do)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _is_card(digits: str, sizes: list[int]) -> bool:
    """13-19 digits with a card network's first digit (2-6), grouped as cards are printed
    (no separator, groups of four, or Amex/Diners 4-6-5 and 4-6-4), passing the Luhn check."""
    if not (13 <= len(digits) <= 19 and digits[0] in "23456" and len(set(digits)) > 1):
        return False
    grouped = (
        len(sizes) == 1
        or (all(n == 4 for n in sizes[:-1]) and 1 <= sizes[-1] <= 4)
        or sizes in ([4, 6, 5], [4, 6, 4])
    )
    return grouped and luhn_ok(digits)


def _cards(match: re.Match[str]) -> str:
    """Mask the card numbers in a run of digit groups: the longest consecutive groups that
    hold 13 to 19 digits and pass the Luhn check, from left to right."""
    run = match.group(0)
    groups = [(m.start(), m.end()) for m in _DIGIT_GROUP.finditer(run)]
    if sum(e - s for s, e in groups) < 13:
        return run
    out, pos, i = [], 0, 0
    while i < len(groups):
        for j in range(len(groups) - 1, i - 1, -1):
            digits = "".join(run[s:e] for s, e in groups[i : j + 1])
            if _is_card(digits, [e - s for s, e in groups[i : j + 1]]):
                out.append(run[pos : groups[i][0]] + CARD)
                pos, i = groups[j][1], j + 1
                break
        else:
            i += 1
    return "".join(out) + run[pos:]


def _phone(match: re.Match[str]) -> str:
    n = sum(ch.isdigit() for ch in match.group(0))
    return PHONE if 8 <= n <= 15 else match.group(0)


def _auth(match: re.Match[str]) -> str:
    value = match.group(3)
    if any(c.isdigit() for c in value):
        return f"{match.group(1)}{match.group(2)}{SECRET}"
    return match.group(0)


def _kind(c: str) -> int:
    return 0 if c.isdigit() else 1 if c.isupper() else 2 if c.islower() else 3


def _is_mixed(value: str) -> bool:
    """Random-looking: upper case, lower case and digits, 16+ distinct characters, and the
    character class switching often (random base64 switches at about 60% of positions,
    CamelCase identifiers and ``WORD_123_Word`` names far less)."""
    if not (
        any(c.isupper() for c in value)
        and any(c.islower() for c in value)
        and any(c.isdigit() for c in value)
        and len(set(value)) >= 16
    ):
        return False
    kinds = [_kind(c) for c in value if c.isalnum()]
    switches = sum(a != b for a, b in pairwise(kinds))
    return switches >= 0.4 * (len(kinds) - 1)


def _mixed(match: re.Match[str]) -> str:
    value = match.group(0)
    if "/" in value:  # a URL path (a part in plain lower-case letters) is no secret
        parts = value.split("/")
        if any(len(p) >= 3 and p.isalpha() and p.islower() for p in parts):
            return value
    return SECRET if _is_mixed(value) else value


def redact_text(text: str) -> str:
    """Mask e-mail addresses, phone numbers, card numbers and secrets in ``text``.

    Parameters
    ----------
    text
        Any user text (a query, a keyword, a segment value).

    Returns
    -------
    str
        The text with each match replaced by ``[EMAIL]``, ``[PHONE]``, ``[CARD]`` or
        ``[SECRET]``; everything else is kept as it was. Idempotent.
    """
    if len(text) < 6:
        return text
    out = _PEM.sub(SECRET, text) if "PRIVATE KEY-----" in text else text
    if "://" in out:
        out = _WEBHOOK_URL.sub(SECRET, out)
        out = _URL_CREDENTIALS.sub(lambda m: f"{m.group(1)}{SECRET}@", out)
    out = _AWS_SECRET.sub(lambda m: f"{m.group(1)}{SECRET}", out)
    out = _KNOWN_KEYS.sub(SECRET, out)
    out = _AUTH_HEADER.sub(_auth, out)
    out = _ASSIGNMENT.sub(lambda m: f"{m.group(1)}{SECRET}", out)
    if "@" in out:
        out = _EMAIL.sub(EMAIL, out)
    out = _DIGIT_RUN.sub(_cards, out)
    out = _PHONE.sub(_phone, out)
    out = _HEX.sub(SECRET, out)
    out = _BASE64.sub(_mixed, out)
    return out


def redact_value(value: Any) -> Any:
    """Mask every string inside ``value`` (strings, lists, tuples, dicts' values, recursively).

    Numbers, booleans, ``None`` and dictionary keys are returned as they are.
    """
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(v) for v in value)
    if hasattr(value, "tolist") and getattr(value, "dtype", None) == object:
        return [redact_value(v) for v in value.tolist()]
    return value


def redact_frame(frame: pd.DataFrame, skip: tuple[str, ...] = ()) -> pd.DataFrame:
    """A copy of ``frame`` with every string (also inside list and dict cells) masked, and
    card numbers in numeric columns (a CSV column of card numbers reads as numbers).

    ``skip`` names columns to leave as they are.
    """
    out = frame.copy()
    for column in out.columns:
        if column in skip:
            continue
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[column] = _map_cells(series, redact_value)
        elif pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
            series.dtype
        ):
            masked = _numeric_cards(series)
            if masked is not None:
                out[column] = masked
    return out


#: Integers above this are not exact in a float64: their digits cannot be checked.
_EXACT_FLOAT = 2**53


def _numeric_card(value: float) -> bool:
    """A number that reads as a card: 13-19 digits starting 2-6, passing the Luhn check (or,
    for a float too large to be exact, 16-19 digits: it cannot be checked, so it is masked)."""
    if not math.isfinite(value) or value != math.floor(value) or value < 1e12:
        return False
    digits = f"{int(value)}"
    if not (13 <= len(digits) <= 19 and digits[0] in "23456"):
        return False
    if isinstance(value, float) and value > _EXACT_FLOAT:
        return True
    return luhn_ok(digits)


def _numeric_cards(series: pd.Series) -> pd.Series | None:
    """The column as text with card numbers masked, or None when it holds no card number."""
    values = series.tolist()
    hits = [v is not None and _numeric_card(float(v)) for v in values]
    if not any(hits):
        return None

    def text(v: Any) -> Any:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        return str(int(v)) if float(v) == math.floor(float(v)) else str(v)

    return pd.Series(
        [CARD if hit else text(v) for v, hit in zip(values, hits, strict=True)],
        index=series.index,
        name=series.name,
        dtype=object,
    )


def _map_cells(series: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    values = [
        v if v is None or (isinstance(v, float) and math.isnan(v)) else func(v)
        for v in series.tolist()
    ]
    return pd.Series(values, index=series.index, dtype=series.dtype, name=series.name)


def redact_result(result: ShiftResult) -> ShiftResult:
    """A copy of ``result`` with all user text masked by :func:`redact_text`.

    Masks every string column of the query table, the label, keywords and examples of every
    cluster, string columns added to the cluster table by later stages (top segments), the
    summary's additions (cause examples, segment values) and the skipped rows' reasons.
    Statistics, ids of clusters, parameters and versions are unchanged; the summary is marked
    ``redacted``. Stages after the first masking add user values to the summary and the
    cluster table (segments), so those are masked again every time; the query table, which no
    later stage extends, is masked once (masking is idempotent).
    """
    from analyzer.result import ClusterRow, ClusterTable, QueryTable

    rows = tuple(
        ClusterRow(
            stats=row.stats,
            label=redact_text(row.label),
            keywords=tuple(redact_text(k) for k in row.keywords),
            examples=tuple(redact_text(e) for e in row.examples),
        )
        for row in result.clusters.rows
    )
    extra = result.clusters.extra
    clusters = ClusterTable(rows=rows, extra=None if extra is None else redact_frame(extra))
    queries = (
        result.queries
        if result.summary.redacted
        else QueryTable(frame=redact_frame(result.queries.frame))
    )
    summary = replace(
        result.summary,
        extra=redact_value(dict(result.summary.extra)),
        skipped_rows=redact_value(list(result.summary.skipped_rows)),
        redacted=True,
    )
    emerging = replace(
        result.emerging,
        rows=tuple(
            replace(
                row,
                label=redact_text(row.label),
                keywords=tuple(redact_text(k) for k in row.keywords),
                examples=tuple(redact_text(e) for e in row.examples),
            )
            for row in result.emerging.rows
        ),
    )
    return replace(result, summary=summary, clusters=clusters, queries=queries, emerging=emerging)


def redact_segments(analysis: SegmentAnalysis) -> SegmentAnalysis:
    """A copy of the segment stage's results with segment values (in the table, the routing
    rows and the per-row ``buckets``) and queued texts masked."""
    table = analysis.table
    if table is not None:
        table = replace(
            table, frame=redact_frame(table.frame), cluster_lift=redact_frame(table.cluster_lift)
        )
    routing = replace(analysis.routing, frame=redact_frame(analysis.routing.frame))
    queue = replace(analysis.queue, frame=redact_frame(analysis.queue.frame))
    buckets = None if analysis.buckets is None else redact_frame(analysis.buckets)
    return replace(analysis, table=table, routing=routing, queue=queue, buckets=buckets)


__all__ = [
    "CARD",
    "EMAIL",
    "PHONE",
    "SECRET",
    "luhn_ok",
    "redact_frame",
    "redact_result",
    "redact_segments",
    "redact_text",
    "redact_value",
]
