"""Explanations for the report: why a detector cause fired on a query, and the language mix of
reference and production.

Pure functions over detector outputs; no I/O. :func:`why` gives one short human-readable line
per fired cause; :func:`language_mix` compares the ``language`` columns of the two sides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from analyzer.errors import InputError
from analyzer.stats import wilson_bounds

#: Human-readable names of the malformed reason codes.
MALFORMED_LABELS: dict[str, str] = {
    "empty": "empty",
    "too_long": "too long",
    "control_chars": "control characters",
    "mojibake": "mojibake",
    "html_entities": "HTML entities",
    "placeholder": "placeholder / unfilled template",
    "serialization_debris": "serialisation debris",
    "error_message": "bare error message",
    "repetition": "repeated token",
    "truncated": "cut off",
    "repeated_punct": "run of punctuation",
    "html": "markup",
    "json_dump": "JSON payload",
    "log_dump": "log lines",
    "stack_trace": "stack trace",
    "encoded_blob": "encoded blob",
    "table_dump": "table / CSV",
    "sql_dump": "SQL",
    "email_headers": "mail headers",
    "yaml_dump": "YAML",
    "machine_output": "machine output",
}
#: Characters of each request unit shown in a multi-intent explanation.
UNIT_CHARS = 40
#: A language whose production share is at least this ...
THIN_MIN_SHARE = 0.01
#: ... and whose reference share is below production share / THIN_RATIO, with the reference's
#: upper 95 % Wilson bound below the production share, is thin in the reference.
THIN_RATIO = 4.0
#: Languages under this share on both sides are pooled into "other".
OTHER_MAX_SHARE = 0.005
#: The label of queries without a language (pastes, punctuation, empty).
UNDETERMINED = "und"


def _cut(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def why_malformed(evidence: Sequence[tuple[str, str]]) -> str:
    """One line for a malformed query: each reason's label with its evidence snippet, e.g.
    ``"HTML entities (&lt;p&gt;Can I…)"``; empty when there is no reason."""
    parts = []
    for code, snippet in evidence:
        label = MALFORMED_LABELS.get(code, code)
        parts.append(f"{label} ({snippet})" if snippet else label)
    return "; ".join(parts)


def why_multi_intent(units: Sequence[str]) -> str:
    """One line for a multi-intent query: the count and each request unit's start, e.g.
    ``"2 request units: '1. book a flight…' | 'what is…'"``; empty for fewer than 2 units."""
    if len(units) < 2:
        return ""
    shown = " | ".join(f"'{_cut(u, UNIT_CHARS)}'" for u in units)
    return f"{len(units)} request units: {shown}"


def why_mixed_language(languages: Sequence[dict[str, Any]], evidence: str) -> str:
    """One line for a mixed-language query: the shares and the evidence, e.g.
    ``"fr 60% / en 40% (spans: fr 'je cherche…' | en 'he's really…')"``."""
    shares = " / ".join(f"{entry['lang']} {entry['share']:.0%}" for entry in languages)
    return f"{shares} ({evidence})" if evidence else shares


def language_mix(
    reference_languages: Sequence[str], production_languages: Sequence[str]
) -> dict[str, Any]:
    """Per language, its count and share on each side with 95 % Wilson intervals, and the
    languages the reference covers thinly.

    Parameters
    ----------
    reference_languages, production_languages
        The ``language`` column of each side (one ISO 639-1 code per query, ``"und"`` for a
        query without a language: a paste, punctuation, an empty text).

    Returns
    -------
    dict
        ``{"languages": [...], "thin": [...], "definition": str}``. ``languages`` holds one
        entry per language, sorted by production share (then reference share, then code):
        ``{"lang", "reference": {"n", "total", "share", "ci_low", "ci_high"}, "production":
        {...}, "thin": bool}``. Shares are over all queries of the side, ``und`` included as
        its own entry; languages under ``OTHER_MAX_SHARE`` on both sides are pooled into
        ``"other"``. ``thin`` lists the languages with production share >= ``THIN_MIN_SHARE``,
        reference share < production share / ``THIN_RATIO`` and the reference's upper Wilson
        bound below the production share (so a small reference does not flag noise);
        ``"und"`` and ``"other"`` are never thin.

    Raises
    ------
    InputError
        When an element is not a string.
    """
    sides = {"reference": reference_languages, "production": production_languages}
    counts: dict[str, Counter[str]] = {}
    for side, languages in sides.items():
        bad = [x for x in languages if not isinstance(x, str)][:1]
        if bad:
            raise InputError(
                f"{side}_languages must hold language codes (str), got "
                f"{type(bad[0]).__name__} ({bad[0]!r:.40}). Pass the 'language' column of "
                "detect_queries' frame."
            )
        counts[side] = Counter(languages)
    totals = {side: sum(c.values()) for side, c in counts.items()}
    pooled = _pool_rare(counts, totals)
    entries = [_entry(lang, pooled, totals) for lang in _ordered(pooled, totals)]
    return {
        "languages": entries,
        "thin": [e["lang"] for e in entries if e["thin"]],
        "definition": (
            f"thin: production share >= {THIN_MIN_SHARE:.0%}, reference share < production "
            f"share / {THIN_RATIO:g} and the reference's upper 95% Wilson bound below the "
            f"production share; languages under {OTHER_MAX_SHARE:.1%} on both sides pooled "
            f"into 'other'; '{UNDETERMINED}' = no language (pastes, punctuation, empty)"
        ),
    }


def _share(k: int, total: int) -> float:
    return k / total if total else 0.0


def _pool_rare(counts: dict[str, Counter[str]], totals: dict[str, int]) -> dict[str, Counter[str]]:
    languages = set(counts["reference"]) | set(counts["production"])
    rare = {
        lang
        for lang in languages
        if lang != UNDETERMINED
        and all(_share(counts[s][lang], totals[s]) < OTHER_MAX_SHARE for s in counts)
    }
    pooled: dict[str, Counter[str]] = {}
    for side, counter in counts.items():
        pooled[side] = Counter()
        for lang, n in counter.items():
            pooled[side]["other" if lang in rare else lang] += n
    return pooled


def _ordered(pooled: dict[str, Counter[str]], totals: dict[str, int]) -> list[str]:
    languages = set(pooled["reference"]) | set(pooled["production"])
    return sorted(
        languages,
        key=lambda lang: (
            -_share(pooled["production"][lang], totals["production"]),
            -_share(pooled["reference"][lang], totals["reference"]),
            lang,
        ),
    )


def _entry(lang: str, pooled: dict[str, Counter[str]], totals: dict[str, int]) -> dict[str, Any]:
    entry: dict[str, Any] = {"lang": lang}
    for side in ("reference", "production"):
        k, total = pooled[side][lang], totals[side]
        low, high = wilson_bounds(k, total)
        entry[side] = {
            "n": k,
            "total": total,
            "share": k / total if total else float("nan"),
            "ci_low": low,
            "ci_high": high,
        }
    prod = _share(pooled["production"][lang], totals["production"])
    ref = _share(pooled["reference"][lang], totals["reference"])
    entry["thin"] = (
        lang not in (UNDETERMINED, "other")
        and totals["production"] > 0
        and prod >= THIN_MIN_SHARE
        and ref < prod / THIN_RATIO
        and entry["reference"]["ci_high"] < prod
    )
    return entry
