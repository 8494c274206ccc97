"""Bucketing of metadata columns into readable segment values (:func:`bucket_segment`).

Pure computation (no I/O, no printing).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analyzer.errors import InputError

MISSING = "(missing)"
OTHER = "(other)"

# Upper bounds of the count buckets: 0, 1, 2-3, 4-10, 11-30, 31-100, ... (half-decades).
_COUNT_UPPER = (0, 1, 3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000)


def _format_number(x: float) -> str:
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.3g}"


def bucket_segment(
    values: pd.Series, *, max_levels: int = 6, max_categories: int = 20
) -> pd.Series:
    """Turn one metadata column into readable segment values (strings).

    * Missing values (and empty strings) become ``"(missing)"``.
    * Numeric columns with at most ``max_levels`` distinct values stay as they are ("1", "2").
    * Non-negative whole numbers (turn counts, lengths) go into half-decade buckets "0", "1",
      "2-3", "4-10", "11-30", "31-100", ...; the highest non-empty bucket is open ("11+"), and
      the top buckets merge until at most ``max_levels`` remain.
    * Other numbers go into quantile buckets (quintile edges at 3 significant digits):
      "< a", "a to < b", ">= c".
    * Other columns keep their values as text; past ``max_categories`` distinct values, the
      rarest become ``"(other)"``.

    Parameters
    ----------
    values
        One column of the production frame.
    max_levels
        Most numeric buckets.
    max_categories
        Most categories kept by name.

    Returns
    -------
    pandas.Series
        Strings, same index as ``values``.
    """
    if max_levels < 2 or max_categories < 1:
        raise InputError(
            f"bucket_segment needs max_levels >= 2 and max_categories >= 1. Got "
            f"max_levels={max_levels}, max_categories={max_categories}."
        )
    missing = values.isna().to_numpy()
    out = np.full(len(values), MISSING, dtype=object)
    present = values[~missing]
    is_numeric = pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
        values.dtype
    )
    if is_numeric and len(present):
        numbers = present.to_numpy(dtype=float)
        distinct = np.unique(numbers)
        if len(distinct) <= max_levels:
            out[~missing] = [_format_number(x) for x in numbers]
        elif (numbers >= 0).all() and np.equal(np.floor(numbers), numbers).all():
            out[~missing] = _count_buckets(numbers, max_levels)
        else:
            out[~missing] = _quantile_buckets(numbers, max_levels)
    else:
        text = np.array([str(v).strip() for v in present], dtype=object)
        text[text == ""] = MISSING
        out[~missing] = text
        kept = pd.Series(out).value_counts()
        if len(kept) > max_categories:
            order = sorted(kept.items(), key=lambda item: (-item[1], str(item[0])))
            keep = {name for name, _ in order[:max_categories]} | {MISSING}
            out = np.array([v if v in keep else OTHER for v in out], dtype=object)
    return pd.Series(out, index=values.index, dtype=object, name=values.name)


def _count_buckets(numbers: NDArray[np.float64], max_levels: int) -> list[str]:
    upper = np.array(_COUNT_UPPER + (math.inf,))
    index = np.searchsorted(upper, numbers, side="left")
    used = sorted(set(index.tolist()))
    # Merge the highest buckets into one open bucket until few enough remain.
    while len(used) > max_levels:
        index[index == used[-1]] = used[-2]
        used = used[:-1]
    top = used[-1]
    labels: list[str] = []
    for i in index.tolist():
        low = 0 if i == 0 else int(_COUNT_UPPER[i - 1]) + 1
        if i == top and (len(used) > 1 or numbers.max() > low):
            labels.append(f"{low}+")
            continue
        high = int(upper[i]) if math.isfinite(upper[i]) else low
        labels.append(str(low) if high == low else f"{low}-{high}")
    return labels


def _quantile_buckets(numbers: NDArray[np.float64], max_levels: int) -> list[str]:
    n_bins = min(max_levels, 5)
    cuts = np.quantile(numbers, np.linspace(0, 1, n_bins + 1)[1:-1])
    edges = sorted({float(f"{c:.3g}") for c in cuts})
    edges = [e for e in edges if numbers.min() < e <= numbers.max()]
    if not edges:
        return [
            _format_number(float(f"{numbers.min():.3g}"))
            + " to "
            + _format_number(float(f"{numbers.max():.3g}"))
        ] * len(numbers)
    index = np.searchsorted(np.array(edges), numbers, side="right")
    labels = [f"< {_format_number(edges[0])}"]
    labels += [
        f"{_format_number(a)} to < {_format_number(b)}" for a, b in itertools.pairwise(edges)
    ]
    labels.append(f">= {_format_number(edges[-1])}")
    return [labels[i] for i in index.tolist()]


__all__ = ["MISSING", "OTHER", "bucket_segment"]
