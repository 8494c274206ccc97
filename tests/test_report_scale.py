"""The report at scale: which points the map draws, and a 110k-point page stays small."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.errors import InputError
from analyzer.report.sampling import STRATUM_FLOOR, select_points


@pytest.fixture()
def table() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    sides = rng.choice(["reference", "production"], size=5000, p=[0.2, 0.8])
    clusters = rng.choice(np.arange(-1, 30), size=5000, p=np.r_[0.3, np.full(30, 0.7 / 30)])
    return sides, clusters


def test_everything_is_drawn_within_the_budget(table: tuple[np.ndarray, np.ndarray]) -> None:
    sides, clusters = table
    sel = select_points(sides, clusters, {1, 2}, budget=5000)
    assert not sel.is_sampled and sel.note == ""
    assert sel.indices.tolist() == list(range(5000))


def test_flagged_points_are_all_kept_and_the_note_says_so(
    table: tuple[np.ndarray, np.ndarray],
) -> None:
    sides, clusters = table
    sel = select_points(sides, clusters, {3, 7}, budget=1000)
    flagged = np.flatnonzero(np.isin(clusters, [3, 7]))
    assert set(flagged) <= set(sel.indices.tolist())
    assert sel.n_drawn == 1000 and sel.n_total == 5000
    assert f"all {len(flagged):,} points of flagged regions" in sel.note
    assert "1,000 of 5,000 points" in sel.note


def test_every_region_and_side_stays_visible(table: tuple[np.ndarray, np.ndarray]) -> None:
    sides, clusters = table
    sel = select_points(sides, clusters, set(), budget=1500)
    drawn = {(s, c) for s, c in zip(sides[sel.indices], clusters[sel.indices])}
    assert drawn == set(zip(sides, clusters))
    for stratum in set(zip(sides, clusters)):
        n = sum(1 for s, c in zip(sides, clusters) if (s, c) == stratum)
        drawn_pairs = zip(sides[sel.indices], clusters[sel.indices])
        n_drawn = sum(1 for s, c in drawn_pairs if (s, c) == stratum)
        assert n_drawn >= min(n, STRATUM_FLOOR)


def test_too_many_flagged_points_are_sampled_too(table: tuple[np.ndarray, np.ndarray]) -> None:
    sides, clusters = table
    flagged = set(range(-1, 30))
    sel = select_points(sides, clusters, flagged, budget=500)
    assert sel.n_drawn == 500
    assert "of the 5,000 points of flagged regions" in sel.note


@pytest.mark.parametrize("budget", [0, -5, 2.5, True])
def test_bad_budget_is_refused(budget: object) -> None:
    with pytest.raises(InputError, match="point budget of the map must be an int >= 1"):
        select_points(["reference"], [0], set(), budget=budget)  # type: ignore[arg-type]


def test_misaligned_columns_are_refused() -> None:
    with pytest.raises(InputError, match="one value per query"):
        select_points(["reference", "production"], [0], set())


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.integers(-1, 12)), min_size=1, max_size=400),
    st.integers(1, 450),
    st.sets(st.integers(-1, 12), max_size=4),
    st.integers(0, 3),
)
def test_selection_invariants(
    points: list[tuple[bool, int]], budget: int, flagged: set[int], seed: int
) -> None:
    sides = np.array(["production" if p else "reference" for p, _ in points])
    clusters = np.array([c for _, c in points])
    sel = select_points(sides, clusters, flagged, budget=budget, seed=seed)
    idx = sel.indices
    assert sel.n_drawn == min(len(points), budget)
    assert np.all(np.diff(idx) > 0) and (len(idx) == 0 or (idx[0] >= 0 and idx[-1] < len(points)))
    n_flagged = int(np.isin(clusters, list(flagged)).sum())
    assert sel.n_flagged_drawn == min(n_flagged, sel.n_drawn) or sel.n_flagged_drawn == n_flagged
    if n_flagged <= budget:
        assert sel.n_flagged_drawn == n_flagged
    again = select_points(sides, clusters, flagged, budget=budget, seed=seed)
    assert again.indices.tolist() == idx.tolist()


def test_100k_report_stays_under_25_mb_and_says_it_is_sampled() -> None:
    from analyzer.report import render_report
    from tests.builders import fabricate_result

    rng = np.random.default_rng(3)
    texts = [f"how do I {w} my card when the app says error {i}" * (1 + i % 3)
             for i, w in enumerate(["activate", "freeze", "top up", "verify", "cancel"] * 40)]
    texts.append('</script><img src=x onerror="window.__pwned=1">')
    result, segments = fabricate_result(texts, 100_000, 10_000, rng)
    page = render_report(result, segments=segments)
    size_mb = len(page.encode("utf-8")) / 1e6
    assert size_mb < 25, size_mb
    assert "The map draws 50,000 of 110,000 points" in page
    pattern = r'<script type="application/json" id="figure-data">(.*?)</script>'
    block = re.search(pattern, page, re.DOTALL)
    assert block is not None
    figure = json.loads(block.group(1))
    assert sum(len(t["x"]) for t in figure["data"]) == 50_000
    flagged = set(result.summary.flagged_cluster_ids)
    n_flagged = int(result.queries.frame["cluster_id"].isin(flagged).sum())
    drawn_flagged = sum(1 for t in figure["data"] for c in t["customdata"] if c in flagged)
    assert drawn_flagged == n_flagged
    assert all(len(h) < 400 for t in figure["data"] for h in t["hovertext"])
    assert "<img src=x" not in block.group(1)
