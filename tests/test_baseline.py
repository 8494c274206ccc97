"""Baseline.fit/score on small real data with the small deterministic embedder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzer import AnalyzerConfig, Baseline, load_queries
from analyzer.config import ClusterConfig, CoverConfig, ScoreConfig
from analyzer.embed import Embedder
from analyzer.errors import InputError
from analyzer.report.outputs import write_outputs
from analyzer.result import ShiftResult

GOLDEN = Path(__file__).parent / "golden"
FAST = AnalyzerConfig(
    cover=CoverConfig(n_bootstrap=100), score=ScoreConfig(n_permutations=50, test_sample=400)
)


def fit_score(
    config: AnalyzerConfig, embedder: Embedder, ref: pd.DataFrame, prod: pd.DataFrame
) -> ShiftResult:
    """Fit a Baseline on ``ref`` (no embedding cache) and score ``prod`` against it."""
    baseline = Baseline(config, embedder, use_cache=False).fit(load_queries(ref))
    return baseline.score(load_queries(prod))


def shape_of(value: object) -> object:
    """The structure of a JSON value: dict keys with the shape of their values, leaf type names."""
    if isinstance(value, dict):
        return {k: shape_of(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return ["list"]
    return type(value).__name__.replace("int", "number").replace("float", "number")


@pytest.fixture(scope="module")
def halves(clinc: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    inscope = clinc[(clinc["split"] == "train") & ~clinc["is_oos"]].sample(900, random_state=7)
    return inscope.iloc[:450], inscope.iloc[450:]


def test_two_halves_of_the_same_traffic_show_no_shift(halves, hashing_embedder) -> None:
    ref, prod = halves
    result = fit_score(FAST, hashing_embedder, ref, prod)
    assert result.summary.flagged_cluster_ids == []
    assert result.summary.verdict == "ok"
    assert result.summary.uncovered_share_ci[0] <= 0.05


def test_a_new_domain_is_flagged(clinc: pd.DataFrame, hashing_embedder) -> None:
    inscope = clinc[~clinc["is_oos"]]
    banking = inscope["domain"] == "banking"
    ref = inscope[(inscope["split"] == "train") & ~banking].sample(500, random_state=1)
    test = inscope["split"] == "test"
    prod = pd.concat([inscope[test & ~banking].sample(250, random_state=2),
                      inscope[test & banking].sample(100, random_state=3)])
    result = fit_score(FAST, hashing_embedder, ref, prod)
    queries = result.queries.to_frame()
    p = queries[queries["side"] == "production"]
    flagged = p["cluster_id"].isin(result.summary.flagged_cluster_ids)
    assert result.summary.verdict == "shift"
    # Banking is 29% of production; flagged regions hold it at least twice as densely.
    assert (p["domain"] == "banking")[flagged].mean() > 0.55
    in_banking = p["domain"] == "banking"
    assert p[in_banking]["is_uncovered"].mean() > 2 * p[~in_banking]["is_uncovered"].mean()


def test_duplicates_count_as_traffic_but_are_embedded_once(halves, hashing_embedder) -> None:
    ref, prod = halves
    doubled = pd.concat([prod, prod.iloc[:50]], ignore_index=True)
    result = fit_score(FAST, hashing_embedder, ref, doubled)
    assert result.summary.n_production == 500
    assert sum(r.stats.n_production for r in result.clusters) == 500
    queries = result.queries.to_frame()
    p = queries[queries["side"] == "production"].reset_index(drop=True)
    np.testing.assert_array_equal(p["cluster_id"][:50].to_numpy(), p["cluster_id"][450:].to_numpy())


def test_summary_shape_matches_golden(halves, hashing_embedder, tmp_path: Path) -> None:
    ref, prod = halves
    result = fit_score(FAST, hashing_embedder, ref, prod)
    write_outputs(result, tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text())
    volatiles = (
        "versions", "skipped_rows", "flagged_cluster_ids", "structure_shift", "cause_examples"
    )
    for volatile in volatiles:
        summary.pop(volatile)
    golden = GOLDEN / "summary_shape.json"
    assert shape_of(summary) == json.loads(golden.read_text())
    clusters = pd.read_csv(tmp_path / "clusters.csv")
    assert list(clusters.columns) == json.loads((GOLDEN / "clusters_columns.json").read_text())


def test_too_small_a_reference_is_a_clear_error(hashing_embedder) -> None:
    tiny = load_queries(pd.DataFrame({"text": ["a", "b", "c", "a"]}))
    message = r"the reference has 3 distinct queries; at least 7 are needed"
    with pytest.raises(InputError, match=message):
        Baseline(FAST, hashing_embedder, use_cache=False).fit(tiny)


def test_seed_makes_runs_reproducible(halves, hashing_embedder) -> None:
    ref, prod = halves
    config = AnalyzerConfig(cluster=ClusterConfig(seed=5), cover=FAST.cover, score=FAST.score)
    a = fit_score(config, hashing_embedder, ref, prod)
    b = fit_score(config, hashing_embedder, ref, prod)
    assert a.summary.to_dict() == b.summary.to_dict()
    pd.testing.assert_frame_equal(a.clusters.to_frame(), b.clusters.to_frame())


def test_coverage_blends_centroids_only_when_the_reference_has_enough_of_them(
    halves, hashing_embedder
) -> None:
    ref, prod = halves
    small = Baseline(FAST, hashing_embedder, use_cache=False).fit(load_queries(ref))
    assert small.centroids_.shape[0] == 0  # 450 queries // 30 per centroid < 100 centroids
    blended_config = AnalyzerConfig(
        cover=CoverConfig(n_bootstrap=100, per_centroid=10, min_centroids=20),
        score=ScoreConfig(n_permutations=50, test_sample=400),
    )
    blended = Baseline(blended_config, hashing_embedder, use_cache=False).fit(load_queries(ref))
    assert blended.centroids_.shape[0] == len(blended.reference_texts_) // 10
    # The calibration scores are standardized: knn and centroid parts each have median 0.
    assert abs(np.median(blended.calibration_)) < 0.3
    assert not np.allclose(blended.calibration_, small.calibration_)
    result = blended.score(load_queries(prod))
    assert result.summary.verdict == "ok"
    assert result.summary.uncovered_share_ci[0] <= 0.05
    assert result.summary.parameters["n_centroids_used"] == len(blended.centroids_)
    assert small.score(load_queries(prod)).summary.parameters["n_centroids_used"] == 0


def test_report_appendix_says_which_coverage_score_was_used(
    halves, hashing_embedder, tmp_path: Path
) -> None:
    ref, prod = halves
    config = AnalyzerConfig(cover=CoverConfig(n_bootstrap=100, per_centroid=10, min_centroids=20),
                            score=ScoreConfig(n_permutations=50, test_sample=400))
    for name, used in (("blend", config), ("knn", FAST)):
        result = fit_score(used, hashing_embedder, ref, prod)
        write_outputs(result, tmp_path / name)
        page = (tmp_path / name / "report.html").read_text(encoding="utf-8")
        n = result.summary.parameters["n_centroids_used"]
        if name == "blend":
            expected = f"This report used {n} centroids."
        else:
            expected = "used the kNN distance alone"
        assert expected in page and (n > 0) == (name == "blend")
