"""Tests of analyzer.segments.evidence: how much a label on each production query would teach."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.segments.evidence import queue_regions, shift_evidence, teaching_weights


def test_uncovered_queries_at_the_chance_rate_carry_no_evidence() -> None:
    # region 0: 100 queries, 5 uncovered (alpha = 0.05): nothing beyond chance
    # region 1: 20 queries, all uncovered: 1 of them expected by chance
    regions = np.repeat([0, 1], [100, 20])
    uncovered = np.zeros(120, dtype=bool)
    uncovered[:5] = True
    uncovered[100:] = True
    evidence = shift_evidence(regions, uncovered, alpha=0.05)
    assert evidence[:100].max() == 0.0
    assert evidence[100:] == pytest.approx(np.full(20, 1 - 0.05 * 20 / 20))


def test_a_cause_counts_beyond_its_reference_rate() -> None:
    regions = np.zeros(10, dtype=np.int64)
    flags = [["malformed"]] * 4 + [[]] * 6
    evidence = shift_evidence(regions, np.zeros(10, dtype=bool), 0.05, flags,
                              {"malformed": 0.1})
    # 4 malformed where the reference rate expects 1: each carries 1 - 1/4
    assert evidence[:4] == pytest.approx(np.full(4, 0.75))
    assert evidence[4:].max() == 0.0
    # a cause as common as in the reference carries nothing
    same = shift_evidence(regions, np.zeros(10, dtype=bool), 0.05, flags, {"malformed": 0.4})
    assert same.max() == 0.0


def test_emerging_members_carry_one_minus_the_region_p_value() -> None:
    regions = np.zeros(6, dtype=np.int64)
    emerging = np.array([-1, 0, 0, 0, 1, -1])
    evidence = shift_evidence(regions, np.zeros(6, dtype=bool), 0.05,
                              emerging_ids=emerging, emerging_p={0: 0.01, 1: 0.3})
    assert evidence.tolist() == pytest.approx([0.0, 0.99, 0.99, 0.99, 0.7, 0.0])


def test_teaching_weights_follow_route_and_outcome() -> None:
    evidence = np.array([1.0, 1.0, 1.0, 0.5])
    cheap = np.array([True, False, True, True])
    bad = np.array([False, False, True, True])
    assert teaching_weights(evidence, cheap, bad).tolist() == [1.0, 0.5, 2.0, 1.0]
    assert teaching_weights(evidence).tolist() == evidence.tolist()


def test_queue_regions_put_emerging_regions_apart_from_every_cluster() -> None:
    clusters = np.array([-1, 0, 3, 3])
    emerging = np.array([-1, 0, -1, 1])
    assert queue_regions(clusters, emerging).tolist() == [-1, 4, 3, 5]
    assert queue_regions(clusters, None).tolist() == clusters.tolist()


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 200), alpha=st.floats(0.001, 0.5), seed=st.integers(0, 2**16))
def test_evidence_is_a_share_and_sums_to_the_excess_over_chance(
    n: int, alpha: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    regions = rng.integers(-1, 5, n)
    uncovered = rng.random(n) < rng.random()
    evidence = shift_evidence(regions, uncovered, alpha)
    assert ((evidence >= 0) & (evidence <= 1)).all()
    assert evidence[~uncovered].max(initial=0.0) == 0.0
    for r in np.unique(regions):
        members = regions == r
        excess = max(0.0, uncovered[members].sum() - alpha * members.sum())
        assert evidence[members].sum() == pytest.approx(excess)
