from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.regions.stats import (
    BALANCED,
    PRODUCTION_HEAVY,
    REFERENCE_HEAVY,
    cluster_stats,
    js_terms,
)


@given(
    st.lists(st.integers(0, 50), min_size=2, max_size=10),
    st.lists(st.integers(0, 50), min_size=2, max_size=10),
)
def test_js_divergence_lies_in_0_1(a, b) -> None:
    n = min(len(a), len(b))
    p, q = np.array(a[:n], float), np.array(b[:n], float)
    if p.sum() == 0 or q.sum() == 0:
        return
    total = js_terms(p / p.sum(), q / q.sum()).sum()
    assert -1e-12 <= total <= 1 + 1e-12


@pytest.fixture()
def enriched() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    ref_labels = rng.choice([0, 1, 2], size=900)
    prod_labels = np.r_[rng.choice([0, 1, 2], size=600), np.full(120, 3)]
    labels = np.r_[ref_labels, prod_labels]
    is_production = np.r_[np.zeros(900, bool), np.ones(720, bool)]
    is_uncovered = np.r_[np.zeros(900, bool), np.zeros(600, bool), rng.random(120) < 0.6]
    return labels, is_production, is_uncovered


def test_a_production_only_region_is_flagged_and_others_are_not(
    enriched: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    labels, is_production, is_uncovered = enriched
    scored = cluster_stats(
        labels, is_production, is_uncovered, alpha=0.05, min_fold=2.0, smoothing=0.5
    )
    stats = {s.cluster_id: s for s in scored}
    assert stats[3].is_flagged and stats[3].direction == PRODUCTION_HEAVY
    assert stats[3].n_reference == 0 and stats[3].n_production == 120
    assert 0.3 < stats[3].coverage < 0.5
    assert not any(stats[c].is_flagged for c in (0, 1, 2))
    assert all(stats[c].direction in (BALANCED, REFERENCE_HEAVY) for c in (0, 1, 2))
    assert sum(s.share_production for s in stats.values()) == pytest.approx(1.0)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 1000))
def test_shuffling_rows_changes_no_cluster_score(seed: int) -> None:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 5, size=300)
    is_production = rng.random(300) < 0.5
    is_uncovered = is_production & (rng.random(300) < 0.1)
    perm = rng.permutation(300)
    a = cluster_stats(labels, is_production, is_uncovered, 0.05, 2.0, 0.5)
    b = cluster_stats(labels[perm], is_production[perm], is_uncovered[perm], 0.05, 2.0, 0.5)
    assert a == b
