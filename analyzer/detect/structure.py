"""Structure features of a query (length, lines, character classes) and their shift.

The features are cheap, language-agnostic descriptors of *how* a query looks rather than what it
says. They feed the report (per-feature shift between reference and production) and the
``structure_outliers`` test, which marks production queries whose shape lies far outside anything
the reference contains.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analyzer.errors import SchemaError

#: Integer-valued structure features.
COUNT_FEATURES: tuple[str, ...] = ("n_chars", "n_words", "n_lines")
#: Share-valued structure features, each in [0, 1] (share of the query's characters).
SHARE_FEATURES: tuple[str, ...] = (
    "share_alpha",
    "share_digit",
    "share_punct",
    "share_space",
    "share_non_ascii",
    "share_upper",
)
#: Features compared by ``structure_shift`` (``n_words`` follows ``n_chars`` closely, so it is left
#: out of the tests to keep the number of comparisons small).
SHIFT_FEATURES: tuple[str, ...] = ("n_chars", "n_lines", *SHARE_FEATURES)
#: Features checked by ``structure_outliers``: the shift features without ``share_non_ascii``
#: (a query in another script is a language matter, reported by the language detector).
OUTLIER_FEATURES: tuple[str, ...] = tuple(f for f in SHIFT_FEATURES if f != "share_non_ascii")
#: Quantiles reported by ``structure_shift``.
SHIFT_QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
#: Reference quantile band outside which a production query counts as a structure outlier.
OUTLIER_LOW_Q = 0.005
OUTLIER_HIGH_Q = 0.995
#: Relative margin beyond the reference band (a query must be this much further out).
OUTLIER_MARGIN = 0.5
#: Minimum number of reference rows for the outlier band to be meaningful.
MIN_REFERENCE_ROWS = 20


def structure_features(text: str) -> dict[str, Any]:
    """Count characters, words and lines and the share of each character class.

    Parameters
    ----------
    text
        One query as the user sent it.

    Returns
    -------
    dict
        ``n_chars``, ``n_words``, ``n_lines`` (ints; ``n_lines`` is 0 for an empty text) and
        ``share_alpha``, ``share_digit``, ``share_punct``, ``share_space``, ``share_non_ascii``,
        ``share_upper`` (floats in [0, 1], shares of ``n_chars``).
    """
    n = len(text)
    if n == 0:
        return {
            "n_chars": 0,
            "n_words": 0,
            "n_lines": 0,
            **{name: 0.0 for name in SHARE_FEATURES},
        }
    alpha, digit, punct, space, non_ascii, upper = _classes(text, text.isascii())
    return {
        "n_chars": n,
        "n_words": len(text.split()),
        "n_lines": text.count("\n") + 1,
        "share_alpha": alpha / n,
        "share_digit": digit / n,
        "share_punct": punct / n,
        "share_space": space / n,
        "share_non_ascii": non_ascii / n,
        "share_upper": upper / n,
    }


def _classes(text: str, is_ascii: bool) -> tuple[int, int, int, int, int, int]:
    """(alpha, digit, punct, space, non-ASCII, upper) counts. In an ASCII text every other
    character is punctuation; otherwise punctuation and symbols go by Unicode category."""
    alpha = digit = punct = space = upper = 0
    for ch in text:
        if ch.isalpha():
            alpha += 1
            upper += ch.isupper()
        elif ch.isdigit():
            digit += 1
        elif ch.isspace():
            space += 1
        elif is_ascii or unicodedata.category(ch)[0] in "PS":
            punct += 1
    non_ascii = 0 if is_ascii else sum(ord(ch) > 127 for ch in text)
    return alpha, digit, punct, space, non_ascii, upper


def _require(frame: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"The {name} frame lacks the structure column(s) {missing}; it has "
            f"{list(frame.columns)}. Pass the output of detect_queries() for {name}."
        )


def structure_outliers(reference: pd.DataFrame, production: pd.DataFrame) -> np.ndarray:
    """Mark production queries whose shape lies far outside the reference's.

    For each feature in ``n_chars``, ``n_lines`` and the ``share_*`` columns except
    ``share_non_ascii`` (another script is a language matter, not a shape), the reference's
    0.5 % and 99.5 % quantiles form a band; the band is widened by half its width (and by at
    least one unit for counts, 0.2 for shares) and a production query outside the widened band on
    any feature is an outlier. ``n_chars`` and ``n_lines`` are compared on a log scale, so a query
    must be about twice as long as the reference's 99.5 % quantile to count. In cause
    attribution an outlier counts toward ``new_domain`` when no detector explains it: pastes and
    artefacts are already ``malformed`` by their own rules, and what remains (long documents
    where the reference holds short commands, multi-line prompts) is a kind of traffic the
    reference does not cover. Measured: against a CLINC reference, 14 % of AlpacaEval prompts and
    1.4 % of Banking77 queries are outliers; against LLM eval sets, no NQ or CLINC query is.

    Parameters
    ----------
    reference, production
        Frames from ``detect_queries`` (at least the structure columns), one row per query.

    Returns
    -------
    numpy.ndarray
        Boolean array of shape (len(production),).

    Raises
    ------
    SchemaError
        When a structure column is missing from either frame.
    """
    _require(reference, "reference", SHIFT_FEATURES)
    _require(production, "production", SHIFT_FEATURES)
    out = np.zeros(len(production), dtype=bool)
    if len(reference) < MIN_REFERENCE_ROWS or len(production) == 0:
        return out
    for feature in OUTLIER_FEATURES:
        ref = reference[feature].to_numpy(dtype=float)
        prod = production[feature].to_numpy(dtype=float)
        if feature in COUNT_FEATURES:
            ref, prod = np.log1p(ref), np.log1p(prod)
            floor = np.log1p(1.0)
        else:
            floor = 0.2
        low, high = np.quantile(ref, [OUTLIER_LOW_Q, OUTLIER_HIGH_Q])
        margin = max(OUTLIER_MARGIN * (high - low), floor)
        out |= (prod < low - margin) | (prod > high + margin)
    return out


def structure_shift(reference: pd.DataFrame, production: pd.DataFrame) -> list[dict[str, Any]]:
    """Compare each structure feature's distribution between reference and production.

    Uses the two-sample Kolmogorov-Smirnov test (exact for small samples, asymptotic otherwise)
    on ``n_chars``, ``n_lines`` and every ``share_*`` feature. The p-values are not corrected for
    the eight comparisons; apply Benjamini-Hochberg downstream when flagging.

    Parameters
    ----------
    reference, production
        Frames from ``detect_queries``, one row per query.

    Returns
    -------
    list of dict
        One dict per feature: ``feature``, ``test`` ("ks_2samp"), ``statistic`` (KS D in [0, 1]),
        ``p_value``, ``reference_mean``, ``production_mean``, ``reference_quantiles`` and
        ``production_quantiles`` (dicts from quantile level, e.g. ``"q50"``, to value). Statistic
        and p-value are NaN when either side is empty.

    Raises
    ------
    SchemaError
        When a structure column is missing from either frame.
    """
    _require(reference, "reference", SHIFT_FEATURES)
    _require(production, "production", SHIFT_FEATURES)
    results: list[dict[str, Any]] = []
    for feature in SHIFT_FEATURES:
        ref = reference[feature].to_numpy(dtype=float)
        prod = production[feature].to_numpy(dtype=float)
        if len(ref) == 0 or len(prod) == 0:
            statistic, p_value = float("nan"), float("nan")
        else:
            test = stats.ks_2samp(ref, prod)
            statistic, p_value = float(test.statistic), float(test.pvalue)
        results.append(
            {
                "feature": feature,
                "test": "ks_2samp",
                "statistic": statistic,
                "p_value": p_value,
                "reference_mean": float(ref.mean()) if len(ref) else float("nan"),
                "production_mean": float(prod.mean()) if len(prod) else float("nan"),
                "reference_quantiles": _quantiles(ref),
                "production_quantiles": _quantiles(prod),
            }
        )
    return results


def _quantiles(values: np.ndarray) -> dict[str, float]:
    if len(values) == 0:
        return {f"q{round(q * 100):02d}": float("nan") for q in SHIFT_QUANTILES}
    levels = np.quantile(values, SHIFT_QUANTILES)
    return {f"q{round(q * 100):02d}": float(v) for q, v in zip(SHIFT_QUANTILES, levels)}
