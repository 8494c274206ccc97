"""Malformed-query detector: input that is not what a person typed as a request.

Pastes with no request around them (markup, JSON, logs, stack traces, encoded blobs, tables,
SQL, mail headers, YAML, machine output), escapes and encoding damage (HTML entities, mojibake,
control characters), unfilled templates and stand-in values, serialisation debris, bare error
messages, degenerate repetition, runs of punctuation, nothing at all, or far too much. A request
*about* a paste ("why does this stack trace happen? ...") keeps the request: the paste-type
reasons only fire when the text around the paste carries no request (``cues.has_request``).
Plain source code is never malformed by itself (code-completion prompts are legitimate traffic).

``malformed_reasons`` gives the reason codes; ``malformed_evidence`` gives each with a short
snippet of what fired, for the report's "why".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from analyzer.detect.artefacts import SURFACE_CHECKS
from analyzer.detect.cues import has_request
from analyzer.detect.dumps import email_headers, machine_output, sql_dump, yaml_dump
from analyzer.detect.pastes import (
    Paste,
    encoded_blob,
    html,
    json_dump,
    log_dump,
    snippet,
    stack_trace,
    table_dump,
)

#: The paste detectors in the order they are checked: (reason code, detector, strict cues).
PASTE_DETECTORS: tuple[tuple[str, Callable[[str], Paste | None], bool], ...] = (
    ("html", html, False),
    ("json_dump", json_dump, False),
    ("log_dump", log_dump, False),
    ("stack_trace", stack_trace, True),
    ("encoded_blob", encoded_blob, False),
    ("table_dump", table_dump, False),
    ("sql_dump", sql_dump, False),
    ("email_headers", email_headers, False),
    ("yaml_dump", yaml_dump, False),
    ("machine_output", machine_output, False),
)

#: Every malformed reason code the detector can emit, in the order they are checked.
MALFORMED_REASONS: tuple[str, ...] = (
    "empty",
    "too_long",
    "control_chars",
    "mojibake",
    "html_entities",
    "placeholder",
    "serialization_debris",
    "error_message",
    "repetition",
    "truncated",
    "repeated_punct",
    "html",
    "json_dump",
    "log_dump",
    "stack_trace",
    "encoded_blob",
    "table_dump",
    "sql_dump",
    "email_headers",
    "yaml_dump",
    "machine_output",
)
#: The reasons that are pastes: the text a person framed them with is not theirs to judge.
PASTE_REASONS: frozenset[str] = frozenset(code for code, _, _ in PASTE_DETECTORS)
#: A query longer than this many characters is ``too_long`` (about 8k tokens; the longest prompt
#: in the LLM eval sets of the benchmark data has 27,586 characters).
MAX_CHARS = 32_000

_REPEATED_PUNCT = re.compile(r"([?!.,;:\u2026\u00bf\u00a1])\1{3,}")
#: Share of the non-space characters that runs of one repeated punctuation mark must reach.
REPEATED_PUNCT_SHARE = 0.3
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")


def is_blank(text: str) -> bool:
    """Whether ``text`` holds nothing visible: whitespace and invisible format characters."""
    return all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in text)


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
    return [code for code, _ in malformed_evidence(text)]


def malformed_evidence(text: str) -> list[tuple[str, str]]:
    """Every malformed reason that applies to one query, each with a snippet of what fired.

    Parameters
    ----------
    text
        The query exactly as the user sent it.

    Returns
    -------
    list of (str, str)
        ``(reason code, evidence)`` pairs in the order of ``MALFORMED_REASONS``; the evidence is
        at most about 40 characters of the text (or a short description such as "×12").
    """
    if is_blank(text):
        return [("empty", "")]
    stripped = text.strip()
    found: list[tuple[str, str]] = []
    if len(text) > MAX_CHARS:
        found.append(("too_long", f"{len(text):,} characters"))
    control = _CONTROL.search(text)
    if control is not None:
        found.append(("control_chars", f"U+{ord(control.group(0)):04X}"))
    for code, check in SURFACE_CHECKS:
        evidence = check(text)
        if evidence is not None:
            found.append((code, evidence))
    punct = _repeated_punct(stripped, text)
    if punct is not None:
        found.append(("repeated_punct", punct))
    if len(stripped) >= 12:
        found += _paste_evidence(text)
    return found


def _paste_evidence(text: str) -> list[tuple[str, str]]:
    """Pastes (markup, payloads, logs, traces, blobs, tables, ...) not framed by a request."""
    found = []
    for code, detector, strict in PASTE_DETECTORS:
        paste = detector(text)
        # prose None: the detector already found the paste framed by the user's own words
        if (
            paste is not None
            and paste.prose is not None
            and not has_request(paste.prose, strict=strict)
        ):
            found.append((code, paste.evidence))
    return found


def _repeated_punct(stripped: str, text: str) -> str | None:
    """No letters or digits and 3+ punctuation marks, or runs of one repeated mark covering
    ``REPEATED_PUNCT_SHARE`` of the non-space characters."""
    if not any(ch.isalnum() for ch in stripped):
        if sum(unicodedata.category(ch)[0] == "P" for ch in stripped) >= 3:
            return snippet(stripped, 12)
        return None
    runs = list(_REPEATED_PUNCT.finditer(text))
    run_chars = sum(len(m.group(0)) for m in runs)
    if run_chars and run_chars >= REPEATED_PUNCT_SHARE * len("".join(text.split())):
        return runs[0].group(0)[:12]
    return None


__all__ = [
    "MALFORMED_REASONS",
    "PASTE_REASONS",
    "has_request",
    "is_blank",
    "malformed_evidence",
    "malformed_reasons",
]
