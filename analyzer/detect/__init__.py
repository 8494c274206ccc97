"""Per-query detectors (malformed, multi-intent, language / mixed-language, structure) and cause
attribution. Pure computation: no file I/O and no printing.

The pipeline calls ``detect_queries`` on reference and production texts, ``structure_outliers``
and ``structure_shift`` on the two frames, ``attribute_causes`` once coverage and clusters are
known, and ``cluster_causes`` / ``cause_summary`` for the report.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import pandas as pd
from ftfy import fix_text

from analyzer.detect.causes import (
    CAUSES,
    MIN_DOMINANT_SHARE,
    attribute_causes,
    cause_summary,
    cluster_causes,
)
from analyzer.detect.explain import (
    MALFORMED_LABELS,
    language_mix,
    why_malformed,
    why_mixed_language,
    why_multi_intent,
)
from analyzer.detect.language import detect_language
from analyzer.detect.malformed import (
    MALFORMED_REASONS,
    PASTE_REASONS,
    malformed_evidence,
    malformed_reasons,
)
from analyzer.detect.multi_intent import count_intents, request_units
from analyzer.detect.payload import payload_prompt
from analyzer.detect.structure import (
    SHARE_FEATURES,
    structure_features,
    structure_outliers,
    structure_shift,
)
from analyzer.detect.switches import LanguageResult
from analyzer.errors import InputError

#: Reasons whose text carries no language of the user's (a paste: markup, payload, log, trace,
#: blob, table; a placeholder; punctuation only): language "und".
_NO_LANGUAGE_REASONS = PASTE_REASONS | {
    "placeholder",
    "serialization_debris",
    "error_message",
    "repetition",
    "repeated_punct",
}
_UNDETERMINED = LanguageResult("und", [], False)

#: Columns of ``detect_queries``' frame, in order.
DETECTION_COLUMNS: tuple[str, ...] = (
    "is_malformed",
    "malformed_reasons",
    "n_intents",
    "is_multi_intent",
    "language",
    "languages",
    "is_mixed_language",
    "n_chars",
    "n_words",
    "n_lines",
    *SHARE_FEATURES,
    "malformed_evidence",
    "intent_units",
    "language_evidence",
    "why_malformed",
    "why_multi_intent",
    "why_mixed_language",
)


def detect_queries(texts: Sequence[str]) -> pd.DataFrame:
    """Run every per-query detector.

    Parameters
    ----------
    texts
        The queries as sent (n strings; not normalized, the artefacts are the signal).

    Returns
    -------
    pandas.DataFrame
        n rows in input order with the columns of ``DETECTION_COLUMNS``: ``is_malformed``,
        ``malformed_reasons`` (list of codes from ``MALFORMED_REASONS``), ``n_intents`` (0 for an
        empty text, 1 for a malformed one, else >= 1), ``is_multi_intent``, ``language`` (ISO
        639-1, or "und" when there are no letters, or the query is a paste such as a log dump, a
        placeholder or punctuation only),
        ``languages`` (list of ``{"lang", "share"}``), ``is_mixed_language``, the structure
        features ``n_chars``, ``n_words``, ``n_lines``, ``share_*``, and for explanations:
        ``malformed_evidence`` (a snippet per reason, aligned with ``malformed_reasons``),
        ``intent_units`` (the text of each separate request when there are two or more, else
        ``[]``), ``language_evidence`` (the spans, romanized Hindi words or scripts that made a
        query mixed, else ``""``) and ``why_malformed``, ``why_multi_intent``,
        ``why_mixed_language`` (one human-readable line when that cause fired, else ``""``;
        see ``explain.py``).

    Raises
    ------
    InputError
        When an element of ``texts`` is not a string.
    """
    if isinstance(texts, str):
        raise InputError(
            "texts must be a sequence of strings, got one string of "
            f"{len(texts)} characters. Wrap it in a list: detect_queries([text])."
        )
    rows = []
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise InputError(
                f"texts[{index}] must be a str, got {type(text).__name__} ({text!r:.60}). "
                "Convert missing values to '' before detection."
            )
        rows.append(_detect_one(text))
    frame = pd.DataFrame(rows, columns=list(DETECTION_COLUMNS))
    if not rows:
        frame = frame.astype(
            {"is_malformed": bool, "is_multi_intent": bool, "is_mixed_language": bool}
        )
    return frame


def _detect_one(text: str) -> dict[str, Any]:
    """Every detector field of one query."""
    evidence = malformed_evidence(text)
    reasons = [code for code, _ in evidence]
    # a paste has no intents to count, and the language of a log dump is not the user's; a
    # request body sent as the query ('{"prompt": ...}') has its prompt's (a record line's
    # "msg=..." in a malformed text is a log's message, not a prompt: not counted)
    counted = not reasons or payload_prompt(text) is not None
    units = [u.text for u in request_units(text)] if counted else []
    n_intents = 0 if not text.strip() else (len(units) if counted else 1)
    lang = _language(text, reasons)
    is_mixed = lang.is_mixed_language and not reasons
    return {
        "is_malformed": bool(reasons),
        "malformed_reasons": reasons,
        "n_intents": n_intents,
        "is_multi_intent": n_intents > 1,
        "language": lang.language,
        "languages": lang.languages,
        "is_mixed_language": is_mixed,
        **structure_features(text),
        "malformed_evidence": [snippet for _, snippet in evidence],
        "intent_units": units if n_intents > 1 else [],
        "language_evidence": lang.evidence if is_mixed else "",
        "why_malformed": why_malformed(evidence),
        "why_multi_intent": why_multi_intent(units) if n_intents > 1 else "",
        "why_mixed_language": (
            why_mixed_language(lang.languages, lang.evidence) if is_mixed else ""
        ),
    }


def _language(text: str, reasons: list[str]) -> LanguageResult:
    if not _NO_LANGUAGE_REASONS.isdisjoint(reasons):
        return _UNDETERMINED
    if "mojibake" in reasons:
        # read the language of the repaired text, not of its encoding debris
        repaired = text.encode("utf-8", "replace").decode("utf-8")
        return detect_language(fix_text(repaired))
    if "html_entities" in reasons:
        return detect_language(html.unescape(html.unescape(text)))
    return detect_language(text)


__all__ = [
    "CAUSES",
    "DETECTION_COLUMNS",
    "MALFORMED_LABELS",
    "MALFORMED_REASONS",
    "MIN_DOMINANT_SHARE",
    "attribute_causes",
    "cause_summary",
    "cluster_causes",
    "count_intents",
    "detect_language",
    "detect_queries",
    "language_mix",
    "malformed_evidence",
    "malformed_reasons",
    "request_units",
    "structure_features",
    "structure_outliers",
    "structure_shift",
]
