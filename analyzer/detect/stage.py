"""The detect stage of the pipeline: run the detectors on a scored result and attach causes.

``add_detections`` takes what ``Baseline.score`` returned and returns the same result with

- the detector columns (``detect_queries``) plus ``is_new_domain`` and ``flags`` on every query
  row of both sides (a detector column whose name an input column already uses is written as
  ``detected_<name>``; ``flags`` is what the segment stage reads);
- ``share_<cause>`` and ``dominant_cause`` per cluster (from the cluster's production rows);
- ``causes`` (``cause_summary`` of reference vs production) and ``structure_shift`` in the
  summary.

Pure computation: it reads nothing and writes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analyzer.detect import detect_queries
from analyzer.detect.causes import CAUSES, attribute_causes, cause_summary, cluster_causes
from analyzer.detect.structure import structure_outliers, structure_shift
from analyzer.errors import SchemaError

if TYPE_CHECKING:
    from analyzer.result import ShiftResult


def add_detections(result: ShiftResult, *, text_col: str = "text") -> ShiftResult:
    """Extend a scored result with per-query detections and cause attribution.

    Parameters
    ----------
    result
        What ``Baseline.score`` returned; its query table holds both sides (column ``side``),
        the original text in ``text_col``, ``cluster_id`` and ``is_uncovered``.
    text_col
        The text column of the loaded batches.

    Returns
    -------
    ShiftResult
        A new result (the input is not modified) with the columns, cluster shares and summary
        entries listed in the module docstring.

    Raises
    ------
    SchemaError
        When the query table lacks the text, side, cluster or coverage column.
    """
    queries = result.queries.frame
    needed = [text_col, "side", "cluster_id", "is_uncovered"]
    missing = [c for c in needed if c not in queries.columns]
    if missing:
        raise SchemaError(
            f"The query table lacks column(s) {missing}; it has {list(queries.columns)}. Pass "
            "the result Baseline.score() returned and the text column the batches were loaded "
            "with (text_col=...)."
        )
    texts = ["" if pd.isna(t) else str(t) for t in queries[text_col]]
    detections = detect_queries(texts)
    is_production = (queries["side"] == "production").to_numpy()
    reference, production = detections[~is_production], detections[is_production]
    outlier = np.zeros(len(detections), dtype=bool)
    outlier[is_production] = structure_outliers(reference, production)
    flagged_ids = list(result.summary.flagged_cluster_ids)
    in_flagged = is_production & np.isin(queries["cluster_id"].to_numpy(), flagged_ids)
    attributed = attribute_causes(
        detections, queries["is_uncovered"].to_numpy(dtype=bool), in_flagged, outlier
    )

    added = attributed.rename(
        columns={c: f"detected_{c}" for c in attributed.columns if c in queries.columns
                 and c != "flags"}
    )
    frame = queries.drop(columns=[c for c in ("flags",) if c in queries.columns])
    frame = pd.concat([frame.reset_index(drop=True), added.reset_index(drop=True)], axis=1)

    prod_flags = attributed.loc[is_production, "flags"].tolist()
    ref_flags = attributed.loc[~is_production, "flags"].tolist()
    per_cluster = cluster_causes(
        queries.loc[is_production, "cluster_id"].to_numpy(), prod_flags
    ).drop(columns=["n"])
    extra = per_cluster
    if result.clusters.extra is not None:
        extra = result.clusters.extra.merge(per_cluster, on="cluster_id", how="outer")
    summary_extra = {
        **result.summary.extra,
        "causes": cause_summary(ref_flags, prod_flags),
        "cause_order": list(CAUSES),
        "structure_shift": structure_shift(reference, production),
    }
    return replace(
        result,
        summary=replace(result.summary, extra=summary_extra),
        clusters=replace(result.clusters, extra=extra),
        queries=replace(result.queries, frame=frame),
    )
