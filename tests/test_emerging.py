"""Tests of the emerging-region scan (analyzer.regions.emerging) and the minimum detectable
region (analyzer.regions.detectable)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import hypergeom

from analyzer.config import EmergingConfig
from analyzer.regions.detectable import (
    FlagSizes,
    ScanBackground,
    detectable_region,
    emerging_rate,
    flagged_size,
)
from analyzer.regions.emerging import (
    cutoff_of,
    emerging_pass,
    reference_pvalues,
    smallest_null_pvalues,
)

FAST = EmergingConfig(n_null=200)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _traffic(seed: int, n_ref: int = 500, n_prod: int = 400, injected: int = 0):
    """Reference and production drawn from the same mixture of 12 topics (d=24), p-values
    uniform (exchangeable sides); ``injected`` production queries of a 13th topic with coverage
    p-values between 0.003 and 0.18 (each passes alone at 5% now and then, together they are
    new ground)."""
    rng = np.random.default_rng(seed)
    topics = _unit(rng.normal(size=(13, 24)))
    labels = rng.integers(0, 12, n_ref + n_prod)
    points = topics[labels] + 0.08 * rng.normal(size=(n_ref + n_prod, 24))
    p = rng.uniform(size=n_ref + n_prod)
    if injected:
        new = topics[12] + 0.08 * rng.normal(size=(injected, 24))
        points = np.vstack([points, new])
        p = np.r_[p, np.exp(rng.uniform(np.log(0.003), np.log(0.18), injected))]
    is_production = np.r_[np.zeros(n_ref, bool), np.ones(n_prod + injected, bool)]
    return _unit(points), p, is_production


def test_a_weakly_covered_new_topic_is_one_emerging_region() -> None:
    emb, p, is_production = _traffic(seed=3, injected=15)
    found = emerging_pass(emb, p, is_production, FAST, np.random.default_rng(0))
    assert found.enabled and len(found.groups) == 1
    members = found.groups[0].members
    injected = np.arange(len(emb) - 15, len(emb))
    assert np.isin(members, injected).mean() >= 0.8  # a region about the topic
    assert np.isin(injected, members).mean() >= 0.6  # holding most of it
    assert (p[members] < FAST.loose_p).all() and is_production[members].all()
    assert found.groups[0].p_value <= FAST.alpha
    assert found.n_candidates == int((is_production & (p < FAST.loose_p)).sum())


def test_exchangeable_traffic_rarely_shows_an_emerging_region() -> None:
    # alpha 0.025 per run: over 30 independent runs, 0.75 false alarms expected; 4 or more
    # would happen with probability below 0.01 if the calibration held
    alarms = 0
    for seed in range(30):
        emb, p, is_production = _traffic(seed, n_ref=300, n_prod=240)
        found = emerging_pass(emb, p, is_production, FAST, np.random.default_rng(seed))
        alarms += bool(found.groups)
    assert alarms <= 3


def test_the_pass_is_off_when_disabled_or_one_side_is_too_small() -> None:
    emb, p, is_production = _traffic(seed=1, n_ref=50, n_prod=40)
    disabled = EmergingConfig(enabled=False)
    off = emerging_pass(emb, p, is_production, disabled, np.random.default_rng(0))
    assert not off.enabled and off.groups == ()
    lonely = np.zeros(len(emb), bool)
    lonely[0] = True
    assert not emerging_pass(emb, p, lonely, FAST, np.random.default_rng(0)).enabled


def test_sampled_scan_extends_regions_to_queries_outside_the_sample() -> None:
    emb, p, is_production = _traffic(seed=3, injected=15)
    capped = EmergingConfig(n_null=200, sample_cap=600)
    found = emerging_pass(emb, p, is_production, capped, np.random.default_rng(0))
    assert found.n_sample <= 602
    assert len(found.groups) == 1
    injected = np.arange(len(emb) - 15, len(emb))
    assert np.isin(injected, found.groups[0].members).mean() >= 0.6


def test_production_heavy_traffic_is_scanned_as_a_balanced_sample() -> None:
    """Ten production queries per reference one: label permutations would leave whole windows
    production and reach the observed windows; a balanced sample keeps the power."""
    emb, p, is_production = _traffic(seed=0, n_ref=200, n_prod=2000, injected=100)
    found = emerging_pass(emb, p, is_production, FAST, np.random.default_rng(0))
    assert found.production_share == 0.5
    assert abs(found.production_scanned - 200 / 2100) < 1e-9
    injected = np.arange(len(emb) - 100, len(emb))
    assert len(found.groups) == 1
    assert np.isin(injected, found.groups[0].members).mean() >= 0.9  # extended beyond the sample
    emb, p, is_production = _traffic(seed=0, n_ref=200, n_prod=2000)
    assert emerging_pass(emb, p, is_production, FAST, np.random.default_rng(0)).groups == ()


def test_a_tiny_reference_narrows_the_windows_to_the_balanced_sample() -> None:
    emb, p, is_production = _traffic(seed=4, n_ref=12, n_prod=600)
    found = emerging_pass(emb, p, is_production, FAST, np.random.default_rng(0))
    assert found.n_sample == 24
    assert found.window_sizes == (5, 10, 20)
    assert found.null_maxima.shape == (FAST.n_null, 3)


def test_reference_pvalues_are_leave_one_out_ranks() -> None:
    scores = np.array([0.1, 0.5, 0.5, 0.9])
    assert reference_pvalues(scores).tolist() == [1.0, 0.75, 0.75, 0.25]


@settings(max_examples=40, deadline=None)
@given(
    b=st.integers(5, 300),
    sizes=st.integers(1, 4),
    alpha=st.floats(0.001, 0.3),
    seed=st.integers(0, 2**16),
)
def test_at_most_alpha_of_the_permutations_reach_the_cutoff(
    b: int, sizes: int, alpha: float, seed: int
) -> None:
    maxima = np.random.default_rng(seed).normal(size=(b, sizes)).round(1)  # with ties
    smallest = smallest_null_pvalues(maxima)
    assert ((smallest > 0) & (smallest <= 1)).all()
    cutoff = cutoff_of(maxima, alpha)
    reaching = int((smallest <= cutoff).sum())
    assert reaching <= np.floor((b + 1) * alpha)
    # and the cutoff is the largest such: the next null value up would let too many through
    above = smallest[smallest > cutoff]
    assert len(above) == 0 or (smallest <= above.min()).sum() > np.floor((b + 1) * alpha)


def test_flagged_size_is_the_smallest_isolated_region_passing_bh_at_rank_one() -> None:
    n_p, n_r, k, alpha = 2400, 2400, 60, 0.05
    m = flagged_size(n_p, n_r, k, min_cluster_size=5, alpha=alpha, min_fold=2.0, smoothing=0.5)
    assert m is not None

    def p_value(size: int) -> float:  # two-sided: twice the chance that all land in production
        return 2 * float(hypergeom.sf(size - 1, n_p + n_r, n_p, size))

    assert p_value(m) <= alpha / k < p_value(m - 1)
    # fewer regions or a looser alpha never need a larger region; the floor binds
    fewer = flagged_size(n_p, n_r, 5, 5, alpha, 2.0, 0.5)
    assert fewer is not None and fewer <= m
    assert flagged_size(n_p, n_r, k, 40, alpha, 2.0, 0.5) == 40


def test_emerging_detection_rate_grows_with_the_region() -> None:
    emb, p, is_production = _traffic(seed=3)
    found = emerging_pass(emb, p, is_production, FAST, np.random.default_rng(0))
    background = ScanBackground(
        is_production.mean(), -np.log(p[is_production]), -np.log(p[~is_production])
    )
    weak = np.exp(np.random.default_rng(1).uniform(np.log(0.003), np.log(0.18), 300))
    rates = [
        emerging_rate(m, weak, background, found, FAST, np.random.default_rng(2))
        for m in (3, 10, 40)
    ]
    assert rates[0] < rates[1] <= rates[2] and rates[2] > 0.8
    covered = np.random.default_rng(3).uniform(size=300)  # a "new" area like the reference
    assert emerging_rate(40, covered, background, found, FAST, np.random.default_rng(2)) < 0.2


def test_a_sampled_scan_states_sizes_in_production_queries() -> None:
    """A scan of a third of the queries sees a third of a region: the stated sizes are the
    scanned sizes divided by the share scanned, and the detection rates keep their order."""
    emb, p, is_production = _traffic(seed=3)
    weak = np.exp(np.random.default_rng(1).uniform(np.log(0.003), np.log(0.18), 300))
    background = ScanBackground(
        is_production.mean(), -np.log(p[is_production]), -np.log(p[~is_production])
    )
    flags = FlagSizes(int(is_production.sum()), int((~is_production).sum()), 12, 5, 0.05, 2.0, 0.5)

    def stated(cap: int) -> tuple[int | None, dict[int, float]]:
        config = EmergingConfig(n_null=200, sample_cap=cap)
        found = emerging_pass(emb, p, is_production, config, np.random.default_rng(0))
        region = detectable_region(found, weak, background, flags, config, np.random.default_rng(2))
        return region.n_queries, region.emerging_rates

    whole, whole_rates = stated(10_000)
    third, third_rates = stated(300)
    assert whole is not None and third is not None
    assert third > whole  # the same power needs more production queries when a third is seen
    assert min(third_rates) >= 2 * min(whole_rates)  # sizes tried, in production queries


def test_baseline_marks_emerging_rows_and_states_what_it_could_see(
    clinc: pd.DataFrame, hashing_embedder
) -> None:
    from tests.test_baseline import FAST as FAST_RUN
    from tests.test_baseline import fit_score

    inscope = clinc[~clinc["is_oos"]]
    held = inscope["domain"] == "banking"
    ref = inscope[(inscope["split"] == "train") & ~held].sample(500, random_state=1)
    prod = pd.concat(
        [
            inscope[(inscope["split"] == "test") & ~held].sample(400, random_state=2),
            inscope[(inscope["split"] == "test") & held].sample(40, random_state=3),
        ]
    )
    result = fit_score(FAST_RUN, hashing_embedder, ref, prod)
    queries = result.queries.to_frame()
    p = queries[queries["side"] == "production"]
    assert {"is_emerging", "emerging_id"} <= set(queries.columns)
    assert not queries.loc[queries["side"] == "reference", "is_emerging"].any()
    assert (p["is_emerging"] == (p["emerging_id"] >= 0)).all()
    extra = result.summary.extra
    mdr = extra["minimum_detectable_region"]
    rates = {int(k): v for k, v in mdr["detection_rates"].items()}
    assert mdr["n_queries"] == min(m for m, rate in rates.items() if rate >= 0.8)
    assert mdr["flagged_if_own_cluster"] >= result.summary.parameters["min_cluster_size_used"]
    assert extra["emerging"]["n_null"] == 300
    assert len(extra["emerging_regions"]) == len(result.emerging)
    for region in result.emerging:
        rows = p[p["emerging_id"] == region.emerging_id]
        assert len(rows) == region.n_production and region.p_value <= 0.025
    # with hashed trigrams for embeddings, 40 banking queries (9.5%) form no cluster of their
    # own; the scan finds a part of them, at four times their share of the traffic or more
    assert not result.summary.flagged_cluster_ids and len(result.emerging) == 1
    assert result.summary.verdict == "shift"
    share = (p["domain"] == "banking").mean()
    assert (p.loc[p["is_emerging"], "domain"] == "banking").mean() >= 4 * share
