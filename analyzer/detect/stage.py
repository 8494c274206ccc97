"""The detector stage of a scored batch: per-row detections and the cause analysis.

:func:`detect_rows` runs the detectors once per distinct text; :func:`analyze_causes` attributes
causes to production rows once coverage and regions are known and returns the per-cluster
shares, the per-side summary and examples, as one frozen :class:`CauseAnalysis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analyzer.detect import (
    CAUSES,
    DETECTION_COLUMNS,
    attribute_causes,
    cause_summary,
    cluster_causes,
    detect_queries,
    language_mix,
    structure_outliers,
    structure_shift,
)


@dataclass(frozen=True)
class CauseAnalysis:
    """Causes of one batch.

    ``reference`` and ``production``: detector fields, ``is_structure_outlier``,
    ``is_new_domain`` and ``flags`` per row of each side; ``per_cluster``: each region's cause
    shares and dominant cause; ``summary``: each cause's share per side with its interval;
    ``examples``: up to n production texts per cause from flagged regions or uncovered;
    ``structure_shift``: the shape features' shift tests; ``language_mix``: each detected
    language's share per side and the languages the reference covers thinly.
    """

    reference: pd.DataFrame
    production: pd.DataFrame
    per_cluster: pd.DataFrame
    summary: dict[str, Any]
    examples: dict[str, list[str]]
    structure_shift: list[dict[str, Any]]
    language_mix: dict[str, Any]


def detect_rows(texts: Sequence[str]) -> pd.DataFrame:
    """Detector fields of each text, computed once per distinct text (as sent, not normalized)."""
    position: dict[str, int] = {}
    inverse = np.array([position.setdefault(t, len(position)) for t in texts], dtype=np.int64)
    unique = detect_queries(list(position))
    return unique.iloc[inverse].reset_index(drop=True)[list(DETECTION_COLUMNS)]


def analyze_causes(
    reference_detections: pd.DataFrame,
    production_texts: Sequence[str],
    is_uncovered: np.ndarray,
    production_labels: np.ndarray,
    flagged_ids: set[int],
    n_examples: int,
    production_detections: pd.DataFrame | None = None,
) -> CauseAnalysis:
    """Detect the production rows and attribute causes on both sides.

    ``is_uncovered`` and ``production_labels`` are (n_prod,); a production row in a flagged
    region or uncovered can carry ``new_domain``; reference rows never do.
    ``production_detections`` are the rows' detector fields when an engine ran the detectors.
    """
    production = (
        detect_rows(production_texts) if production_detections is None else production_detections
    )
    in_flagged = np.isin(production_labels, list(flagged_ids))
    prod_causes = attribute_causes(
        production,
        is_uncovered,
        in_flagged,
        structure_outliers(reference_detections, production),
    )
    n_ref = len(reference_detections)
    ref_causes = attribute_causes(
        reference_detections, np.zeros(n_ref, bool), np.zeros(n_ref, bool)
    )
    flags = prod_causes["flags"]
    examples = {
        cause: [
            str(production_texts[i])
            for i in np.flatnonzero(
                flags.map(lambda f, c=cause: c in f).to_numpy() & (in_flagged | is_uncovered)
            )[:n_examples]
        ]
        for cause in CAUSES
    }
    return CauseAnalysis(
        reference=ref_causes,
        production=prod_causes,
        per_cluster=cluster_causes(production_labels, flags.tolist()),
        summary=cause_summary(ref_causes["flags"].tolist(), flags.tolist()),
        examples=examples,
        structure_shift=structure_shift(reference_detections, production),
        language_mix=language_mix(
            reference_detections["language"].tolist(), production["language"].tolist()
        ),
    )
