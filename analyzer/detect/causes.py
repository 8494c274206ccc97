"""Cause attribution: why a query (and a cluster) is uncovered.

Per query, a cause holds when its detector fired (``malformed``, ``multi_intent``,
``mixed_language``) or, for ``new_domain``, when the query is uncovered by the reference, sits in
a flagged production-heavy region or has a shape the reference never shows (a structure
outlier), and no other cause explains it. Per cluster, the cause shares
and the dominant cause; per side (reference, production), the share of each cause with a 95 %
Wilson interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analyzer.errors import InputError, SchemaError
from analyzer.stats import wilson_bounds

#: The causes a flagged region can be attributed to, in report order.
CAUSES: tuple[str, ...] = ("malformed", "multi_intent", "mixed_language", "new_domain")
#: A cluster's dominant cause must hold for at least this share of its queries; below it the
#: dominant cause is "none" (the cluster is a mix, or plain traffic).
MIN_DOMINANT_SHARE = 0.3
_DETECTION_COLUMNS = ("is_malformed", "is_multi_intent", "is_mixed_language")


def _as_bool(name: str, values: Any, n: int) -> np.ndarray:
    array = np.asarray(values)
    if array.shape != (n,):
        raise InputError(
            f"{name} must be a 1-d array with one entry per detection row ({n}); got shape "
            f"{array.shape}. Pass one boolean per query, in the order of detect_queries()."
        )
    return array.astype(bool)


def attribute_causes(
    detections: pd.DataFrame,
    is_uncovered: np.ndarray,
    in_flagged_region: np.ndarray,
    structure_outlier: np.ndarray | None = None,
) -> pd.DataFrame:
    """Attach the causes that hold for each query.

    Parameters
    ----------
    detections
        Output of ``detect_queries`` (n rows).
    is_uncovered
        Boolean array of shape (n,): the reference does not cover the query.
    in_flagged_region
        Boolean array of shape (n,): the query lies in a flagged production-heavy region.
    structure_outlier
        Optional boolean array of shape (n,) from ``structure_outliers``; an outlier that no
        detector explains counts toward ``new_domain`` (a shape the reference never shows, such
        as long documents where the reference holds short commands, is traffic it does not
        cover) and is kept in the column ``is_structure_outlier``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``detections`` with ``is_structure_outlier`` (all false when not given),
        ``is_new_domain`` (bool) and ``flags`` (list of the ``CAUSES`` that hold, in ``CAUSES``
        order).

    Raises
    ------
    SchemaError
        When a detection column is missing.
    InputError
        When an array's length differs from the number of rows.
    """
    missing = [c for c in _DETECTION_COLUMNS if c not in detections.columns]
    if missing:
        raise SchemaError(
            f"detections lacks column(s) {missing}; it has {list(detections.columns)}. "
            "Pass the frame detect_queries() returned."
        )
    n = len(detections)
    uncovered = _as_bool("is_uncovered", is_uncovered, n)
    flagged = _as_bool("in_flagged_region", in_flagged_region, n)
    out = detections.copy()
    outlier = (
        np.zeros(n, dtype=bool)
        if structure_outlier is None
        else _as_bool("structure_outlier", structure_outlier, n)
    )
    malformed = out["is_malformed"].to_numpy(dtype=bool)
    multi = out["is_multi_intent"].to_numpy(dtype=bool)
    mixed = out["is_mixed_language"].to_numpy(dtype=bool)
    explained = malformed | multi | mixed
    new_domain = (uncovered | flagged | outlier) & ~explained
    out["is_structure_outlier"] = outlier
    out["is_new_domain"] = new_domain
    table = np.column_stack([malformed, multi, mixed, new_domain])
    out["flags"] = [[c for c, on in zip(CAUSES, row) if on] for row in table]
    return out


def _cause_matrix(flags: Sequence[Sequence[str]]) -> np.ndarray:
    unknown = {f for row in flags for f in row} - set(CAUSES)
    if unknown:
        raise InputError(
            f"flags contain unknown cause(s) {sorted(unknown)}; the causes are {list(CAUSES)}. "
            "Pass the 'flags' column attribute_causes() returned."
        )
    return np.array([[c in row for c in CAUSES] for row in flags], dtype=bool).reshape(
        len(flags), len(CAUSES)
    )


def cluster_causes(cluster_ids: np.ndarray, flags: Sequence[list[str]]) -> pd.DataFrame:
    """Share of each cause per cluster and the cluster's dominant cause.

    Parameters
    ----------
    cluster_ids
        Array of shape (n,): the cluster of each query (any hashable labels; noise, e.g. -1, is
        a cluster like any other here).
    flags
        Sequence of n lists of causes (``attribute_causes(...)["flags"]``).

    Returns
    -------
    pandas.DataFrame
        One row per cluster id (sorted): ``cluster_id``, ``n``, ``share_<cause>`` for each cause in
        ``CAUSES`` and ``dominant_cause``: the cause with the largest share when that share is at
        least ``MIN_DOMINANT_SHARE`` (ties go to the earlier cause in ``CAUSES``), else "none".

    Raises
    ------
    InputError
        When the lengths differ or a flag is not a known cause.
    """
    ids = np.asarray(cluster_ids)
    if ids.ndim != 1 or len(ids) != len(flags):
        raise InputError(
            f"cluster_ids (shape {ids.shape}) and flags (length {len(flags)}) must describe the "
            "same queries; pass one cluster id and one flag list per query."
        )
    matrix = _cause_matrix(flags)
    columns = ["cluster_id", "n", *(f"share_{c}" for c in CAUSES), "dominant_cause"]
    if len(ids) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    rows: list[dict[str, Any]] = []
    for cluster in np.unique(ids):
        members = matrix[ids == cluster]
        shares = members.mean(axis=0)
        best = int(np.argmax(shares))
        row: dict[str, Any] = {
            "cluster_id": cluster.item() if hasattr(cluster, "item") else cluster,
            "n": len(members),
        }
        for cause, share in zip(CAUSES, shares):
            row[f"share_{cause}"] = float(share)
        row["dominant_cause"] = CAUSES[best] if shares[best] >= MIN_DOMINANT_SHARE else "none"
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def cause_summary(
    flags_reference: Sequence[Sequence[str]], flags_production: Sequence[Sequence[str]]
) -> dict[str, dict[str, Any]]:
    """Count and share of each cause in reference and production, with 95 % Wilson intervals.

    Parameters
    ----------
    flags_reference, flags_production
        Per-query lists of causes for each side.

    Returns
    -------
    dict
        ``{cause: {"reference": {"n", "total", "share", "ci_low", "ci_high"},
        "production": {...}}}`` for every cause in ``CAUSES``; share is NaN for an empty side.

    Raises
    ------
    InputError
        When a flag is not a known cause.
    """
    summary: dict[str, dict[str, Any]] = {}
    sides = {
        "reference": _cause_matrix(flags_reference),
        "production": _cause_matrix(flags_production),
    }
    for j, cause in enumerate(CAUSES):
        entry: dict[str, Any] = {}
        for side, matrix in sides.items():
            total = int(matrix.shape[0])
            k = int(matrix[:, j].sum()) if total else 0
            low, high = wilson_bounds(k, total)
            entry[side] = {
                "n": k,
                "total": total,
                "share": k / total if total else float("nan"),
                "ci_low": low,
                "ci_high": high,
            }
        summary[cause] = entry
    return summary
