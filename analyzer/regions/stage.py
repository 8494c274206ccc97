"""The regions stage: joint points, map and clusters, region statistics, descriptions, tests.

Each function takes plain arrays and returns a frozen result; ``Baseline.score`` chains them:
:func:`joint_points` -> :func:`find_regions` -> :func:`describe_regions`, and
:func:`global_tests` on the embeddings of both sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analyzer.config import AnalyzerConfig, EmergingConfig, ScoreConfig
from analyzer.coverage.conformal import conformal_pvalues
from analyzer.coverage.stage import CoverageFit
from analyzer.detect.causes import CAUSES, MIN_DOMINANT_SHARE
from analyzer.redact import redact_text
from analyzer.regions.detectable import (
    DetectableRegion,
    FlagSizes,
    ScanBackground,
    detectable_region,
    held_out_pvalues,
)
from analyzer.regions.emerging import EmergingPass, emerging_pass, reference_pvalues
from analyzer.regions.keywords import cluster_keywords, representative_rows
from analyzer.regions.map import Assigner, ClusterMap, build_map
from analyzer.regions.stats import ClusterStats, cluster_stats, js_terms
from analyzer.regions.twosample import (
    ClassifierTest,
    MMDTest,
    balanced_sample,
    classifier_test,
    mmd_test,
)
from analyzer.result import ClusterRow, ClusterTable, EmergingRegion, EmergingTable, Summary
from analyzer.spill import gather, stack


@dataclass(frozen=True)
class JointPoints:
    """The distinct texts of both sides as one point set (a text on both sides is one point).

    ``texts`` (m,) and ``embeddings`` (m, d): the reference's distinct texts first, then the
    production texts the reference lacks; ``side`` (m,) 0 reference, 1 production-only;
    ``production_point`` (u,) the point of each distinct production text.
    """

    texts: tuple[str, ...]
    embeddings: np.ndarray
    side: np.ndarray
    production_point: np.ndarray


@dataclass(frozen=True)
class Regions:
    """Where every row landed and how each region scores.

    ``map`` the map of the joint points; ``row_points`` (n_ref + n_prod,) the point of each
    row, reference rows first; ``labels`` (same length) each row's region; ``is_production``
    the side of each row; ``stats`` one :class:`ClusterStats` per region, by id.
    """

    map: ClusterMap
    row_points: np.ndarray
    labels: np.ndarray
    is_production: np.ndarray
    stats: tuple[ClusterStats, ...]

    @property
    def flagged_ids(self) -> set[int]:
        """Ids of the flagged regions."""
        return {s.cluster_id for s in self.stats if s.is_flagged}

    @property
    def production_labels(self) -> np.ndarray:
        """The region of each production row, (n_prod,)."""
        return np.asarray(self.labels[self.is_production], dtype=np.int64)


@dataclass(frozen=True)
class GlobalTests:
    """The global two-sample tests of reference vs production embeddings."""

    classifier: ClassifierTest
    mmd: MMDTest

    def to_dict(self) -> dict[str, object]:
        """``{"classifier": ..., "mmd": ...}`` as plain values."""
        return {"classifier": self.classifier.to_dict(), "mmd": self.mmd.to_dict()}


def joint_points(
    reference_texts: Sequence[str],
    reference_embeddings: np.ndarray,
    production_texts: Sequence[str],
    production_embeddings: np.ndarray,
    spill_rows: int | None = None,
) -> JointPoints:
    """One point per distinct text of either side, reference points first.

    With ``spill_rows``, more points than that are stacked into a temporary file
    (:mod:`analyzer.spill`) rather than memory."""
    point_of = {text: i for i, text in enumerate(reference_texts)}
    new_points: list[int] = []
    production_point = np.empty(len(production_texts), dtype=np.int64)
    for i, text in enumerate(production_texts):
        if text not in point_of:
            point_of[text] = len(point_of)
            new_points.append(i)
        production_point[i] = point_of[text]
    if spill_rows is None:
        embeddings = np.vstack([reference_embeddings, production_embeddings[new_points]])
    else:
        rows = np.asarray(new_points, dtype=np.int64)
        embeddings = stack(
            reference_embeddings, gather(production_embeddings, rows, spill_rows), spill_rows
        )
    side = np.r_[np.zeros(len(reference_texts), int), np.ones(len(new_points), int)]
    return JointPoints(tuple(point_of), embeddings, side, production_point)


def find_regions(
    points: JointPoints,
    reference_inverse: np.ndarray,
    production_inverse: np.ndarray,
    is_uncovered: np.ndarray,
    config: AnalyzerConfig,
    assign: Assigner | None = None,
) -> Regions:
    """Map and cluster the joint points, then score every region by its rows.

    ``reference_inverse`` (n_ref,) and ``production_inverse`` (n_prod,) map each row to its
    distinct text on its side; ``is_uncovered`` (n_prod,) is the coverage stage's flag;
    ``assign`` places the points beyond the map's fitted sample (an engine's; default here).
    """
    cmap = build_map(points.embeddings, points.side, config.cluster, assign)
    row_points = np.r_[reference_inverse, points.production_point[production_inverse]]
    labels = cmap.labels[row_points]
    n_ref = len(reference_inverse)
    is_production = np.r_[np.zeros(n_ref, bool), np.ones(len(production_inverse), bool)]
    uncovered_rows = np.r_[np.zeros(n_ref, bool), is_uncovered]
    score = config.score
    stats = cluster_stats(
        labels, is_production, uncovered_rows, score.alpha, score.min_fold, score.smoothing
    )
    return Regions(cmap, row_points, labels, is_production, tuple(stats))


def describe_regions(
    points: JointPoints,
    regions: Regions,
    cause_columns: pd.DataFrame,
    score: ScoreConfig,
) -> ClusterTable:
    """The cluster table: each region's statistics with its label, keywords and examples,
    flagged regions first, then by production share; ``cause_columns`` joins on cluster_id."""
    cmap = regions.map
    # Labels come from masked texts: a label names the kind of content ("email", "card")
    # and never carries an address, number or secret, with or without --redact.
    keywords = cluster_keywords(
        [redact_text(t) for t in points.texts], cmap.labels, score.n_keywords
    )
    in_production = np.zeros(len(points.texts), dtype=bool)
    in_production[points.production_point] = True
    examples = representative_rows(cmap.coords, cmap.labels, in_production, score.n_examples)
    rows = [
        ClusterRow(
            stats=s,
            label=" / ".join(keywords.get(s.cluster_id, [])[:3]) or f"cluster {s.cluster_id}",
            keywords=tuple(keywords.get(s.cluster_id, [])),
            examples=tuple(points.texts[i] for i in examples.get(s.cluster_id, [])),
        )
        for s in regions.stats
    ]
    rows.sort(key=lambda r: (not r.stats.is_flagged, -r.stats.share_production, r.stats.cluster_id))
    return ClusterTable(tuple(rows), extra=cause_columns.drop(columns=["n"], errors="ignore"))


def js_divergence(stats: Sequence[ClusterStats]) -> float:
    """Jensen-Shannon divergence (base 2) of the production and reference region shares."""
    share_production = np.array([s.share_production for s in stats])
    share_reference = np.array([s.share_reference for s in stats])
    return float(js_terms(share_production, share_reference).sum())


def global_tests(
    reference: np.ndarray, production: np.ndarray, score: ScoreConfig, rng: np.random.Generator
) -> GlobalTests:
    """Classifier two-sample test on up to ``score.test_sample`` rows a side, and the MMD
    permutation test on up to 1,000 a side (draws from ``rng`` in that order)."""
    ref_idx, prod_idx = balanced_sample(len(reference), len(production), score.test_sample, rng)
    classifier = classifier_test(reference[ref_idx], production[prod_idx], rng)
    mmd_cap = min(score.test_sample, 1000)
    ref_mmd, prod_mmd = balanced_sample(len(reference), len(production), mmd_cap, rng)
    mmd = mmd_test(reference[ref_mmd], production[prod_mmd], score.n_permutations, rng)
    return GlobalTests(classifier, mmd)


def describe_emerging(
    found: EmergingPass,
    texts: Sequence[str],
    embeddings: np.ndarray,
    inverse: np.ndarray,
    production_labels: np.ndarray,
    flagged_ids: set[int],
    flags: Sequence[Sequence[str]],
    pvalues: np.ndarray,
    score: ScoreConfig,
) -> tuple[EmergingTable, np.ndarray]:
    """The emerging-region table and each production row's emerging id (-1: none).

    ``texts`` and ``embeddings`` are the distinct production texts of the pass; ``inverse``
    (n_prod,) maps each row to its text; ``production_labels``, ``flags`` and ``pvalues`` are
    per production row.
    """
    row_ids = np.full(len(inverse), -1, dtype=np.int64)
    if not found.groups:
        return EmergingTable(), row_ids
    text_ids = np.full(len(texts), -1, dtype=np.int64)
    for eid, group in enumerate(found.groups):
        text_ids[group.members] = eid
    row_ids = text_ids[inverse]
    keywords = cluster_keywords([redact_text(t) for t in texts], text_ids, score.n_keywords)
    flagged_rows = np.isin(production_labels, list(flagged_ids))
    rows = []
    for eid, group in enumerate(found.groups):
        members = np.flatnonzero(row_ids == eid)
        centroid = embeddings[group.members].mean(axis=0)
        closest = group.members[np.argsort(-(embeddings[group.members] @ centroid))]
        causes = {c: float(np.mean([c in flags[int(i)] for i in members])) for c in CAUSES}
        best = max(CAUSES, key=lambda c: causes[c])
        words = keywords.get(eid, [])
        rows.append(
            EmergingRegion(
                emerging_id=eid,
                label=" / ".join(words[:3]) or f"emerging {eid}",
                keywords=tuple(words),
                examples=tuple(texts[int(i)] for i in closest[: score.n_examples]),
                n_production=len(members),
                share_production=float(len(members) / max(len(inverse), 1)),
                n_distinct=len(group.members),
                mean_coverage_p=float(np.mean(pvalues[members])),
                statistic=group.statistic,
                window=group.window,
                p_value=group.p_value,
                main_cluster_id=int(np.bincount(production_labels[members] + 1).argmax() - 1),
                share_in_flagged=float(flagged_rows[members].mean()),
                causes=causes,
                dominant_cause=best if causes[best] >= MIN_DOMINANT_SHARE else "none",
            )
        )
    return EmergingTable(tuple(rows)), row_ids


def with_emerging(
    summary: Summary,
    found: EmergingPass,
    emerging: EmergingTable,
    config: EmergingConfig,
    detectable: DetectableRegion,
) -> Summary:
    """The summary with the emerging regions (``emerging_regions``), how the pass decided
    (``emerging``), the smallest region the run could see (``minimum_detectable_region``),
    and the verdict "shift" when there is any emerging region."""
    regions = [
        {
            "emerging_id": r.emerging_id,
            "label": r.label,
            "n_production": r.n_production,
            "share_production": r.share_production,
            "n_distinct": r.n_distinct,
            "mean_coverage_p": r.mean_coverage_p,
            "statistic": r.statistic,
            "window": r.window,
            "p_value": r.p_value,
            "main_cluster_id": r.main_cluster_id,
            "share_in_flagged": r.share_in_flagged,
            "dominant_cause": r.dominant_cause,
        }
        for r in emerging
    ]
    decided = {
        "enabled": found.enabled,
        "alpha": config.alpha,
        "loose_p": config.loose_p,
        "min_size": config.min_size,
        "window_sizes": list(found.window_sizes),
        "n_null": len(found.null_maxima),
        "window_p_cutoff": found.cutoff,
        "n_sample": found.n_sample,
        "n_candidates": found.n_candidates,
        "sample_cap": config.sample_cap,
        "sample_production_share": found.production_share,
        "production_scanned": found.production_scanned,
    }
    verdict = "shift" if regions else summary.verdict
    extra = {
        **summary.extra,
        "emerging_regions": regions,
        "emerging": decided,
        "minimum_detectable_region": detectable.to_dict(),
    }
    return replace(summary, verdict=verdict, extra=extra)


def find_emerging(
    points: JointPoints,
    production_p: np.ndarray,
    reference_p: np.ndarray,
    config: EmergingConfig,
    rng: np.random.Generator,
) -> EmergingPass:
    """The emerging scan on the joint points; regions' members as distinct production texts.

    ``production_p`` (u,) are the distinct production texts' coverage p-values,
    ``reference_p`` (n_ref,) the reference texts' leave-one-out p-values. A production text
    that is also a reference text is a reference point (covered by definition).
    """
    n_ref = len(reference_p)
    is_production = points.side.astype(bool)
    pvalues = np.r_[reference_p, np.ones(len(points.side) - n_ref)]
    own = points.production_point >= n_ref
    pvalues[points.production_point[own]] = production_p[own]
    found = emerging_pass(points.embeddings, pvalues, is_production, config, rng)
    text_of = np.full(len(points.side), -1, dtype=np.int64)
    text_of[points.production_point[own]] = np.flatnonzero(own)
    groups = tuple(replace(g, members=np.sort(text_of[g.members])) for g in found.groups)
    return replace(found, groups=groups)


def find_detectable(
    reference: np.ndarray,
    fitted: CoverageFit,
    points: JointPoints,
    found: EmergingPass,
    scores: np.ndarray,
    regions: Regions,
    config: AnalyzerConfig,
) -> DetectableRegion:
    """The smallest new region this run finds with 80% probability (regions/detectable):
    ``reference`` (n, d) and ``fitted`` the coverage fit, ``scores`` (u,) the production
    texts' coverage scores."""
    rng = np.random.default_rng([config.score.seed, 2])
    new_p = held_out_pvalues(
        reference,
        fitted.center,
        fitted.centroids,
        fitted.scale,
        fitted.calibration,
        config.cover.k,
        config.cover.centroid_weight,
        rng,
    )
    production_p = conformal_pvalues(scores, fitted.calibration)
    reference_p = reference_pvalues(fitted.calibration)
    background = ScanBackground(
        production_share=float(points.side.mean()),
        production_surprise=-np.log(production_p),
        reference_surprise=-np.log(reference_p),
    )
    flags = FlagSizes(
        n_production=int(regions.is_production.sum()),
        n_reference=int((~regions.is_production).sum()),
        n_regions=len(regions.stats),
        min_cluster_size=regions.map.min_cluster_size,
        alpha=config.score.alpha,
        min_fold=config.score.min_fold,
        smoothing=config.score.smoothing,
    )
    return detectable_region(found, new_p, background, flags, config.emerging, rng)
