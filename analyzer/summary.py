"""The run's summary (``Summary``) from the stages' results: verdict, shares, tests, settings
and versions. Pure assembly: no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analyzer.config import AnalyzerConfig
from analyzer.coverage.stage import Coverage
from analyzer.detect.stage import CauseAnalysis
from analyzer.ingest.batch import QueryBatch, SkippedRow
from analyzer.regions.stage import GlobalTests, Regions, js_divergence
from analyzer.result import ClusterTable, Summary
from analyzer.versions import package_versions


@dataclass(frozen=True)
class FittedFacts:
    """What the summary needs to know of the fitted baseline."""

    n_reference: int
    skipped: Sequence[SkippedRow]
    n_centroids: int
    neighbor_index: str
    model_id: str
    weights_sha256: str | None


def build_summary(
    config: AnalyzerConfig,
    fitted: FittedFacts,
    production: QueryBatch,
    coverage: Coverage,
    regions: Regions,
    clusters: ClusterTable,
    causes: CauseAnalysis,
    tests: GlobalTests,
) -> Summary:
    """The summary of one scored production batch against the fitted reference."""
    share = coverage.share
    flagged = clusters.flagged_ids()
    cmap = regions.map
    skipped = (*fitted.skipped, *production.skipped)
    return Summary(
        verdict="shift" if flagged or share.low > config.cover.alpha else "ok",
        alpha=config.cover.alpha,
        n_reference=fitted.n_reference,
        n_production=len(production),
        uncovered_share=share.share,
        uncovered_share_ci=(share.low, share.high),
        js_divergence=js_divergence(regions.stats),
        global_tests=tests.to_dict(),
        n_clusters=len(regions.stats),
        flagged_cluster_ids=flagged,
        skipped_rows=[s.to_dict() for s in skipped],
        parameters={
            **config.to_dict(),
            "min_cluster_size_used": cmap.min_cluster_size,
            "n_fit": len(cmap.fit_index),
            "n_centroids_used": fitted.n_centroids,
            "neighbor_index": fitted.neighbor_index,
        },
        versions={
            **package_versions(),
            "model_id": fitted.model_id,
            "weights_sha256": fitted.weights_sha256,
        },
        extra={
            "causes": causes.summary,
            "cause_examples": causes.examples,
            "structure_shift": causes.structure_shift,
            "language_mix": causes.language_mix,
        },
    )
