"""The segment stage in one call: options, the analysis object and :func:`add_segments`.

Pure computation (no I/O, no printing): at-risk mask, segment table, cluster routing, the
labelling queue and the bucketed segment value of every production row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analyzer.errors import InputError
from analyzer.segments._validation import _check_columns
from analyzer.segments.at_risk import at_risk_mask
from analyzer.segments.buckets import bucket_segment
from analyzer.segments.evidence import queue_regions, shift_evidence, teaching_weights
from analyzer.segments.label_queue import LabelQueue, labelling_queue
from analyzer.segments.routing import ClusterRouting, cluster_routing, matches_value
from analyzer.segments.table import SegmentTable, segment_table

if TYPE_CHECKING:  # pragma: no cover - import cycle: label_queue uses bucket_segment
    from analyzer.result import ShiftResult
    from analyzer.segments.label_queue import LabelQueue


#: The built-in segment: each production query's detected language.
LANGUAGE_SEGMENT = "detected_language"


@dataclass(frozen=True)
class SegmentOptions:
    """The command-line options of the segment stage (``--segment-col`` and friends)."""

    segment_cols: tuple[str, ...] = ()
    route_col: str | None = None
    cheap_route: str | None = None
    outcome_col: str | None = None
    bad_outcome: str | None = None
    label_size: int = 200
    seed: int = 0

    def __post_init__(self) -> None:
        if (
            isinstance(self.label_size, bool)
            or not isinstance(self.label_size, int)
            or self.label_size < 0
        ):
            raise InputError(
                f"label_size= must be an int >= 0. Got {self.label_size!r}; pass e.g. "
                "label_size=200."
            )


@dataclass(frozen=True)
class SegmentAnalysis:
    """The segment stage's results: segment table (None without segment columns), per-cluster
    routing and risk, the labelling queue, and the bucketed segment values.

    ``buckets`` holds the segment value (:func:`~analyzer.segments.bucket_segment`, strings) of
    every production row for each distinct segment column, one column each, so that the report
    looks values up instead of computing them. Its index is the production frame's index
    (:func:`analyze_segments`) or, from :func:`add_segments`, the index of the production rows
    in ``result.queries.frame``. ``None`` when not computed.
    """

    table: SegmentTable | None
    routing: ClusterRouting
    queue: LabelQueue
    options: SegmentOptions
    buckets: pd.DataFrame | None = None
    expected_shifted: pd.DataFrame | None = None

    def summary_extra(self) -> dict[str, Any]:
        """Keys for summary.json: ``segments`` (ranked rows), ``segments_overall``,
        ``routing`` (overall cheap share and bad-outcome rate) and ``label_queue`` (counts)."""
        overall: dict[str, Any] = {
            "columns": list(self.options.segment_cols),
            "ranking": "excess_at_risk_ci lower bound, descending",
            "at_risk_definition": "uncovered, or a detector cause, or in a flagged cluster",
        }
        if self.table is not None:
            overall.update(
                overall_at_risk_share=self.table.overall_at_risk_share,
                overall_uncovered_share=self.table.overall_uncovered_share,
                confidence=self.table.confidence,
            )
        routing = self.routing.to_dict()
        queue = self.queue.to_dict()
        return {
            "segments": self.table.to_records() if self.table is not None else [],
            "segments_overall": overall,
            "routing": {
                "route_col": self.options.route_col,
                "cheap_route": self.options.cheap_route,
                "outcome_col": self.options.outcome_col,
                "bad_outcome": self.options.bad_outcome,
                "overall_cheap_share": routing["overall_cheap_share"],
                "overall_bad_outcome_rate": routing["overall_bad_outcome_rate"],
            },
            "label_queue": {k: v for k, v in queue.items() if k != "queries"},
        }

    def clusters_columns(self) -> pd.DataFrame:
        """Columns to merge into clusters.csv on ``cluster_id`` (routing, and the expected
        number of shifted queries each cluster holds)."""
        columns = self.routing.clusters_columns()
        if self.expected_shifted is not None:
            columns = columns.merge(self.expected_shifted, on="cluster_id", how="left")
        return columns

    def label_records(self) -> list[dict[str, Any]]:
        """The lines of to_label.jsonl, in priority order."""
        return self.queue.to_records()


def analyze_segments(
    production: pd.DataFrame,
    *,
    embeddings: NDArray[Any],
    cluster_ids: NDArray[Any] | Sequence[int],
    is_uncovered: NDArray[Any] | Sequence[bool],
    coverage_p: NDArray[Any] | Sequence[float],
    flagged_cluster_ids: Sequence[int],
    flags: Sequence[Sequence[str]] | None = None,
    options: SegmentOptions | None = None,
    id_col: str = "id",
    text_col: str = "text",
    alpha: float = 0.05,
    evidence: EvidenceInputs | None = None,
) -> SegmentAnalysis:
    """Run the whole segment stage on the production rows: at-risk mask, segment table,
    cluster routing, the labelling queue and the bucketed segment value of every row.

    Parameters
    ----------
    production
        Production queries with all input columns, one row per input row.
    embeddings
        Production embeddings, shape (n, d), row-aligned.
    cluster_ids, is_uncovered, coverage_p
        Per production row, shape (n,).
    flagged_cluster_ids
        Clusters the score stage flagged.
    flags
        Detector causes per row, or ``None`` when the detectors did not run.
    options
        Segment, route, outcome columns and the queue size.
    id_col, text_col
        Names of the id and text columns in ``production``.
    alpha
        FDR level of the segment tests, and the chance rate of uncovered queries.
    evidence
        Emerging regions and the reference's cause rates, for the labelling queue's evidence.

    Returns
    -------
    SegmentAnalysis
    """
    opts = options if options is not None else SegmentOptions()
    risk = at_risk_mask(is_uncovered, cluster_ids, flagged_cluster_ids, flags)
    clusters = np.asarray(cluster_ids).astype(np.int64)
    known = evidence or EvidenceInputs()
    weights = teaching_weights(
        shift_evidence(
            clusters,
            np.asarray(is_uncovered, dtype=bool),
            alpha,
            flags,
            known.reference_rates,
            known.emerging_ids,
            known.emerging_p,
        ),
        _matches(production, opts.route_col, opts.cheap_route),
        _matches(production, opts.outcome_col, opts.bad_outcome),
    )
    table = (
        segment_table(
            production,
            opts.segment_cols,
            at_risk=risk,
            is_uncovered=is_uncovered,
            cluster_ids=cluster_ids,
            flagged_cluster_ids=flagged_cluster_ids,
            alpha=alpha,
        )
        if opts.segment_cols
        else None
    )
    routing = cluster_routing(
        production,
        cluster_ids,
        is_uncovered,
        segment_cols=opts.segment_cols,
        route_col=opts.route_col,
        cheap_route=opts.cheap_route,
        outcome_col=opts.outcome_col,
        bad_outcome=opts.bad_outcome,
    )
    queue = labelling_queue(
        production,
        embeddings,
        cluster_ids,
        weights,
        regions=queue_regions(clusters, known.emerging_ids),
        cluster_risk=routing.risk_by_cluster(),
        size=opts.label_size,
        seed=opts.seed,
        coverage_p=coverage_p,
        is_uncovered=is_uncovered,
        causes=flags,
        segment_cols=opts.segment_cols,
        id_col=id_col,
        text_col=text_col,
    )
    buckets = pd.DataFrame(
        {
            col: bucket_segment(production[col]).to_numpy()
            for col in dict.fromkeys(opts.segment_cols)
        },
        index=production.index,
    )
    expected = (
        pd.DataFrame({"cluster_id": clusters, "weight": weights})
        .groupby("cluster_id", as_index=False)
        .agg(expected_shifted=("weight", "sum"))
    )
    return SegmentAnalysis(
        table=table,
        routing=routing,
        queue=queue,
        options=opts,
        buckets=buckets,
        expected_shifted=expected,
    )


def _matches(production: pd.DataFrame, column: str | None, value: str | None) -> Any:
    """Which rows have ``value`` in ``column`` (None when the column was not given)."""
    if column is None or value is None:
        return None
    return matches_value(production[column], value)


@dataclass(frozen=True)
class EvidenceInputs:
    """What the shift evidence needs beyond coverage (:mod:`analyzer.segments.evidence`):
    each production row's emerging region (-1: none) and the regions' p-values, and each
    detector cause's share in the reference."""

    emerging_ids: NDArray[np.int64] | None = None
    emerging_p: Mapping[int, float] = field(default_factory=dict)
    reference_rates: Mapping[str, float] = field(default_factory=dict)


def check_segment_options(production: pd.DataFrame, options: SegmentOptions) -> None:
    """Fail early (before any embedding) when a named column is not in the production data."""
    if (options.route_col is None) != (options.cheap_route is None):
        raise InputError(
            f"route_col= and cheap_route= go together. Got route_col={options.route_col!r} "
            f"and cheap_route={options.cheap_route!r}; pass both or neither."
        )
    if (options.outcome_col is None) != (options.bad_outcome is None):
        raise InputError(
            f"outcome_col= and bad_outcome= go together. Got outcome_col="
            f"{options.outcome_col!r} and bad_outcome={options.bad_outcome!r}; pass both or "
            "neither."
        )
    named = [*options.segment_cols, *(c for c in (options.route_col, options.outcome_col) if c)]
    _check_columns(production, named, "segment/route/outcome")


def add_segments(
    result: ShiftResult,
    production: pd.DataFrame,
    embeddings: NDArray[Any],
    options: SegmentOptions,
    *,
    id_col: str = "id",
    text_col: str = "text",
) -> tuple[ShiftResult, SegmentAnalysis]:
    """Extend a scored result with the segment stage.

    Returns the result with ``segments``, ``segments_overall``, ``routing`` and
    ``label_queue`` added to the summary and ``top_segments``, ``cheap_share``,
    ``bad_outcome_rate`` (with an outcome column), ``risk`` and ``risk_rank`` added to the
    cluster table, plus the :class:`SegmentAnalysis` (whose queue becomes to_label.jsonl; its
    ``buckets`` are indexed as the production rows of ``result.queries.frame``).

    Parameters
    ----------
    result
        What :meth:`analyzer.baseline.Baseline.score` returned for ``production``.
    production
        The production batch's frame (input columns under their own names), row-aligned with
        the production rows of ``result.queries``.
    embeddings
        Production embeddings, shape (n, d), row-aligned.
    options
        Segment, route and outcome columns and the queue size.
    id_col, text_col
        The id and text columns of ``production``.
    """
    queries = result.queries.frame
    prod = queries[queries["side"] == "production"]
    if len(prod) != len(production):
        raise InputError(
            f"The result has {len(prod)} production rows but the production frame has "
            f"{len(production)}. Pass the frame of the batch that was scored."
        )
    flags = prod["flags"].tolist() if "flags" in prod.columns else None
    causes = result.summary.extra.get("causes", {})
    known = EvidenceInputs(
        emerging_ids=prod["emerging_id"].to_numpy(dtype=np.int64)
        if "emerging_id" in prod.columns
        else None,
        emerging_p={r.emerging_id: r.p_value for r in result.emerging},
        reference_rates={
            cause: float(row["reference"]["share"])
            for cause, row in causes.items()
            if row["reference"]["share"] == row["reference"]["share"]  # not NaN
        },
    )
    frame, options = with_language_segment(production.reset_index(drop=True), prod, options)
    analysis = analyze_segments(
        frame,
        embeddings=embeddings,
        cluster_ids=prod["cluster_id"].to_numpy(),
        is_uncovered=prod["is_uncovered"].to_numpy(dtype=bool),
        coverage_p=prod["coverage_p"].to_numpy(dtype=float),
        flagged_cluster_ids=list(result.summary.flagged_cluster_ids),
        flags=flags,
        options=options,
        id_col=id_col,
        text_col=text_col,
        alpha=float(result.summary.alpha),
        evidence=known,
    )
    if analysis.buckets is not None:  # index the rows as result.queries.frame does
        analysis = replace(analysis, buckets=analysis.buckets.set_axis(prod.index))
    extra = analysis.clusters_columns()
    if result.clusters.extra is not None:
        extra = result.clusters.extra.merge(extra, on="cluster_id", how="outer")
    clusters = replace(result.clusters, extra=extra)
    summary = replace(result.summary, extra={**result.summary.extra, **analysis.summary_extra()})
    return replace(result, summary=summary, clusters=clusters), analysis


def with_language_segment(
    production: pd.DataFrame, scored: pd.DataFrame, options: SegmentOptions
) -> tuple[pd.DataFrame, SegmentOptions]:
    """The production frame and options with the built-in segment ``detected_language`` (the
    language detector's code per row, from the scored rows), so a locale the reference covers
    thinly shows up without a metadata column. An input column of that name is used as given."""

    if "language" not in scored.columns and LANGUAGE_SEGMENT not in production.columns:
        return production, options
    if LANGUAGE_SEGMENT not in production.columns:
        production = production.assign(**{LANGUAGE_SEGMENT: scored["language"].to_numpy()})
    if LANGUAGE_SEGMENT not in options.segment_cols:
        options = replace(options, segment_cols=(*options.segment_cols, LANGUAGE_SEGMENT))
    return production, options


__all__ = [
    "LANGUAGE_SEGMENT",
    "SegmentAnalysis",
    "SegmentOptions",
    "add_segments",
    "analyze_segments",
    "check_segment_options",
    "with_language_segment",
]
