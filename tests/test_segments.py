"""Tests of analyzer.segments: bucketing, the ranked segment table and cluster routing."""

from __future__ import annotations

from typing import TypedDict

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.errors import InputError, SchemaError
from analyzer.segments import (
    MISSING,
    OTHER,
    at_risk_mask,
    bucket_segment,
    cluster_routing,
    matches_value,
    segment_table,
)


class Shifted(TypedDict):
    """The ``shifted`` fixture: production rows, their coverage and their clusters."""

    frame: pd.DataFrame
    uncovered: np.ndarray
    clusters: np.ndarray


@pytest.fixture
def shifted() -> Shifted:
    """2,000 production rows; the 3% "batch-api" client carries most uncovered queries."""
    rng = np.random.default_rng(7)
    n = 2000
    client = rng.choice(["web", "app", "batch-api"], size=n, p=[0.62, 0.35, 0.03])
    uncovered = rng.random(n) < np.where(client == "batch-api", 0.8, 0.04)
    clusters = np.where(uncovered & (rng.random(n) < 0.9), 9, rng.integers(0, 5, n))
    route = np.where(uncovered, rng.choice(["small", "large"], n, p=[0.9, 0.1]),
                     rng.choice(["small", "large"], n, p=[0.3, 0.7]))
    frame = pd.DataFrame(
        {"id": np.arange(n), "client": client, "turns": rng.geometric(0.3, n), "route": route}
    )
    return {"frame": frame, "uncovered": uncovered, "clusters": clusters}


# ----------------------------------------------------------------------------- bucketing


def test_bucket_counts_use_readable_half_decades() -> None:
    values = pd.Series([1, 2, 3, 4, 7, 10, 11, 25, 40, None])
    labels = bucket_segment(values, max_levels=6).tolist()
    assert labels == ["1", "2-3", "2-3", "4-10", "4-10", "4-10", "11-30", "11-30", "31+", MISSING]


def test_bucket_few_distinct_numbers_stay_as_they_are() -> None:
    labels = bucket_segment(pd.Series([1.0, 2.0, 2.0, 5.0])).tolist()
    assert labels == ["1", "2", "2", "5"]


def test_bucket_merges_top_buckets_into_an_open_one() -> None:
    values = pd.Series([0, 1, 2, 5, 20, 50, 200, 500, 2000, 5000])
    labels = bucket_segment(values, max_levels=4).tolist()
    assert labels[:4] == ["0", "1", "2-3", "4+"]
    assert set(labels[4:]) == {"4+"}


def test_bucket_real_numbers_by_quantiles() -> None:
    rng = np.random.default_rng(1)
    values = pd.Series(rng.normal(size=1000))
    labels = bucket_segment(values)
    assert labels.nunique() == 5
    assert labels.str.startswith("< ").sum() == pytest.approx(200, abs=20)
    lowest = values[labels.str.startswith("< ")].max()
    assert lowest < values[labels.str.startswith(">= ")].min()


def test_bucket_rare_categories_become_other_and_empty_is_missing() -> None:
    values = pd.Series(["a"] * 5 + ["b"] * 4 + ["c", "d", "", None])
    labels = bucket_segment(values, max_categories=2).tolist()
    assert labels == ["a"] * 5 + ["b"] * 4 + [OTHER, OTHER, MISSING, MISSING]


def test_bucket_rejects_bad_limits() -> None:
    with pytest.raises(InputError, match="max_levels >= 2"):
        bucket_segment(pd.Series([1, 2]), max_levels=1)


def test_at_risk_mask_unions_the_three_conditions() -> None:
    mask = at_risk_mask(
        [True, False, False, False], [0, 3, 1, 1], flagged_cluster_ids=[3],
        flags=[[], [], ["malformed"], []],
    )
    assert mask.tolist() == [True, True, True, False]


def test_at_risk_mask_rejects_misaligned_flags() -> None:
    with pytest.raises(InputError, match="'flags' must have one entry per production row"):
        at_risk_mask([True, False], [0, 1], [], flags=[[]])


# ----------------------------------------------------------------------------- segment table


def test_minority_segment_ranks_first_with_interval_above_overall(shifted: Shifted) -> None:
    frame, uncovered, clusters = shifted["frame"], shifted["uncovered"], shifted["clusters"]
    assert isinstance(frame, pd.DataFrame)
    risk = at_risk_mask(uncovered, clusters, [9])
    table = segment_table(
        frame, ["client", "turns"], at_risk=risk, is_uncovered=uncovered,
        cluster_ids=clusters, flagged_cluster_ids=[9],
    )
    rows = table.to_frame()
    top = rows.iloc[0]
    assert (top["column"], top["value"]) == ("client", "batch-api")
    assert top["at_risk_share_low"] > table.overall_at_risk_share
    assert top["is_flagged"]
    assert top["top_flagged_clusters"][0]["cluster_id"] == 9
    assert rows.iloc[-1]["value"] == "web"
    assert rows["rank"].tolist() == list(range(1, len(rows) + 1))
    # excess sums to zero within one column (each column partitions production)
    for _, group in rows.groupby("column"):
        assert group["excess_at_risk"].sum() == pytest.approx(0.0, abs=1e-6)


def test_small_perfect_segment_does_not_outrank_large_shifted_one() -> None:
    rng = np.random.default_rng(3)
    n = 5000
    client = np.array(["big"] * 1000 + ["tiny"] * 10 + ["rest"] * (n - 1010))
    risk = np.concatenate([rng.random(1000) < 0.4, np.ones(10, bool), rng.random(n - 1010) < 0.05])
    table = segment_table(
        pd.DataFrame({"client": client}), ["client"], at_risk=risk, is_uncovered=risk,
        cluster_ids=np.zeros(n, int),
    ).to_frame()
    tiny = table[table["value"] == "tiny"].iloc[0]
    big = table[table["value"] == "big"].iloc[0]
    assert tiny["lift"] > big["lift"]
    assert big["rank"] < tiny["rank"]


def test_segment_table_to_dict_is_json_ready(shifted: Shifted) -> None:
    import json

    frame = shifted["frame"]
    assert isinstance(frame, pd.DataFrame)
    unc = shifted["uncovered"]
    table = segment_table(frame, ["client"], at_risk=unc, is_uncovered=unc,
                          cluster_ids=shifted["clusters"], flagged_cluster_ids=[9])
    data = json.loads(json.dumps(table.to_dict()))
    first = data["segments"][0]
    assert set(first) >= {"column", "value", "n_production", "at_risk_share", "at_risk_share_ci",
                          "uncovered_share", "lift", "excess_at_risk", "top_flagged_clusters"}
    assert first["at_risk_share_ci"][0] <= first["at_risk_share"] <= first["at_risk_share_ci"][1]


def test_lift_matrix_rows_follow_rank(shifted: Shifted) -> None:
    frame = shifted["frame"]
    assert isinstance(frame, pd.DataFrame)
    unc = shifted["uncovered"]
    table = segment_table(frame, ["client"], at_risk=unc, is_uncovered=unc,
                          cluster_ids=shifted["clusters"], flagged_cluster_ids=[9])
    matrix = table.lift_matrix([9, 0])
    assert matrix.index[0] == "client=batch-api"
    assert matrix.columns.equals(pd.Index([9, 0]))
    assert matrix[9].loc["client=batch-api"] > 5.0


def test_segment_table_names_the_missing_column() -> None:
    frame = pd.DataFrame({"client": ["a"], "locale": ["en"]})
    with pytest.raises(SchemaError, match=r"'tier'.*Existing columns: client, locale"):
        segment_table(frame, ["tier"], at_risk=[True], is_uncovered=[True], cluster_ids=[0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"at_risk": [True, False]},
         "'at_risk' must be a 1-d array with one entry per production row"),
        ({"cluster_ids": [[0]]}, "'cluster_ids' must be a 1-d array"),
        ({"alpha": 1.5}, "0 < alpha < 1"),
    ],
)
def test_segment_table_rejects_bad_inputs(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"at_risk": [True], "is_uncovered": [True], "cluster_ids": [0]}
    args.update(kwargs)
    with pytest.raises(InputError, match=message):
        segment_table(pd.DataFrame({"c": ["a"]}), ["c"], **args)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.sampled_from(["a", "b", "c", None]), min_size=1, max_size=60),
    seed=st.integers(0, 2**16),
)
def test_table_shares_bounded_and_row_order_free(values: list[str | None], seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = len(values)
    frame = pd.DataFrame({"c": values, "k": rng.integers(0, 40, n)})
    risk = rng.random(n) < 0.3
    unc = risk & (rng.random(n) < 0.7)
    clusters = rng.integers(-1, 3, n)
    table = segment_table(frame, ["c", "k"], at_risk=risk, is_uncovered=unc, cluster_ids=clusters,
                          flagged_cluster_ids=[1]).to_frame()
    for col in ["at_risk_share", "at_risk_share_low", "at_risk_share_high", "uncovered_share"]:
        assert ((table[col] >= 0) & (table[col] <= 1)).all()
    assert (table["at_risk_share_low"] <= table["at_risk_share"] + 1e-12).all()
    assert (table["at_risk_share"] <= table["at_risk_share_high"] + 1e-12).all()
    order = rng.permutation(n)
    shuffled = segment_table(frame.iloc[order].reset_index(drop=True), ["c", "k"],
                             at_risk=risk[order], is_uncovered=unc[order],
                             cluster_ids=clusters[order], flagged_cluster_ids=[1]).to_frame()
    pd.testing.assert_frame_equal(table, shuffled)


# ----------------------------------------------------------------------------- routing


def test_matches_value_compares_like_the_command_line() -> None:
    matched = matches_value(pd.Series(["Cheap ", "big", None]), "cheap")
    assert matched.tolist() == [True, False, False]
    assert matches_value(pd.Series([True, False]), "true").tolist() == [True, False]
    assert matches_value(pd.Series([1, 0, 1.0]), "1").tolist() == [True, False, True]


def test_cluster_routing_risk_ranks_the_uncovered_cheap_cluster_first(
    shifted: Shifted,
) -> None:
    frame = shifted["frame"]
    assert isinstance(frame, pd.DataFrame)
    routing = cluster_routing(frame, shifted["clusters"], shifted["uncovered"],
                              segment_cols=["client"], route_col="route", cheap_route="small")
    rows = routing.to_frame()
    top = rows.iloc[0]
    assert top["cluster_id"] == 9
    assert top["cheap_share"] > 0.8
    assert top["top_segments"][0]["value"] == "batch-api"
    expected = top["share_production"] * (1 - top["coverage"]) * top["cheap_share"]
    assert top["risk"] == pytest.approx(expected)
    extra = routing.clusters_columns()
    assert "bad_outcome_rate" not in extra.columns
    top_segments = extra.set_index("cluster_id")["top_segments"].loc[9]
    assert top_segments.startswith("client=batch-api x")


def test_cluster_routing_bad_outcome_lift_is_shrunk() -> None:
    frame = pd.DataFrame({"outcome": ["down"] * 1 + ["up"] * 2 + ["up"] * 97 + ["down"] * 3})
    clusters = np.array([1] * 3 + [0] * 100)
    routing = cluster_routing(frame, clusters, np.ones(103, bool), outcome_col="outcome",
                              bad_outcome="down", prior_strength=10.0)
    table = routing.to_frame().set_index("cluster_id")
    raw_lift = table["bad_outcome_rate"].loc[1] / (4 / 103)
    assert 1.0 < table["bad_outcome_lift"].loc[1] < raw_lift
    assert table["bad_outcome_rate"].loc[1] == pytest.approx(1 / 3)


def test_cluster_routing_without_route_uses_a_factor_of_one() -> None:
    frame = pd.DataFrame({"c": ["a"] * 4})
    routing = cluster_routing(frame, [0, 0, 1, 1], [True, False, False, False]).to_frame()
    assert routing["cheap_share"].isna().all()
    assert routing.set_index("cluster_id").loc[0, "risk"] == pytest.approx(0.5 * 0.5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"route_col": "route"}, "route column and the cheap route go together"),
        ({"outcome_col": "o"}, "outcome column and the bad outcome go together"),
        ({"route_col": "served_by", "cheap_route": "x"}, r"'served_by'.*Existing columns: c"),
    ],
)
def test_cluster_routing_rejects_bad_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        cluster_routing(pd.DataFrame({"c": ["a"]}), [0], [True], **kwargs)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- report panel


def test_segment_panel_renders_ranked_rows_and_escapes_user_text() -> None:
    from analyzer.report.segments_panel import render_segments_definitions, render_segments_section
    from analyzer.segments.label_queue import labelling_queue

    rng = np.random.default_rng(2)
    n = 300
    frame = pd.DataFrame({
        "id": np.arange(n),
        "text": [f"<img src=x onerror=alert({i})> question" for i in range(n)],
        "client": rng.choice(["<script>evil()</script>", "web"], n, p=[0.1, 0.9]),
        "route": rng.choice(["cheap", "big"], n),
    })
    unc = rng.random(n) < np.where(frame["client"] == "web", 0.05, 0.9)
    clusters = np.where(unc, 4, rng.integers(0, 3, n))
    table = segment_table(frame, ["client"], at_risk=unc, is_uncovered=unc, cluster_ids=clusters,
                          flagged_cluster_ids=[4])
    routing = cluster_routing(frame, clusters, unc, segment_cols=["client"], route_col="route",
                              cheap_route="cheap")
    queue = labelling_queue(frame, rng.normal(size=(n, 8)), clusters, unc.astype(float),
                            cluster_risk=routing.risk_by_cluster(), size=10,
                            segment_cols=["client"])
    fragment = render_segments_section(table, routing, queue)
    assert "<script>evil()" not in fragment
    assert "<img src=x" not in fragment
    assert "&lt;script&gt;evil()&lt;/script&gt;" in fragment
    assert 'id="segments-heatmap"' in fragment and 'id="segments-risk"' in fragment
    assert fragment.count('<tr class="flagged">') == 1  # the shifted client is the one flagged
    assert "\\u0026lt;script\\u0026gt;evil()" in fragment  # escaped label, then JSON-escaped
    assert fragment.count('type="application/json" data-figure-for=') == 3
    assert "What to label next" in fragment
    no_segments = render_segments_section(None, routing, queue)
    assert "No segment column was given" in no_segments
    assert "<dt>segment ranking</dt>" in render_segments_definitions()


def test_analyze_segments_runs_the_whole_stage(shifted: Shifted) -> None:
    import json

    from analyzer.segments import SegmentOptions, analyze_segments

    frame = shifted["frame"]
    assert isinstance(frame, pd.DataFrame)
    frame = frame.assign(text=[f"query {i}" for i in range(len(frame))])
    rng = np.random.default_rng(4)
    unc = np.asarray(shifted["uncovered"])
    p = np.where(unc, rng.uniform(0.0005, 0.05, len(frame)), rng.uniform(0.05, 1.0, len(frame)))
    flags = [["new_domain"] if i % 97 == 0 else [] for i in range(len(frame))]
    options = SegmentOptions(segment_cols=("client", "turns"), route_col="route",
                             cheap_route="small", label_size=25)
    result = analyze_segments(
        frame, embeddings=rng.normal(size=(len(frame), 12)), cluster_ids=shifted["clusters"],
        is_uncovered=unc, coverage_p=p, flagged_cluster_ids=[9], flags=flags, options=options,
    )
    extra = json.loads(json.dumps(result.summary_extra()))
    assert extra["segments"][0]["value"] == "batch-api"
    # flags and cluster 9 add risk
    assert extra["segments_overall"]["overall_at_risk_share"] > unc.mean()
    assert extra["label_queue"]["n_selected"] == 25
    columns = result.clusters_columns()
    assert set(columns.columns) == {
        "cluster_id", "top_segments", "cheap_share", "risk", "risk_rank", "expected_shifted"}
    # the uncovered queries beyond the 5% chance rate, weighted by route (cheap 1, other 0.5)
    clusters = np.asarray(shifted["clusters"])
    cheap = (frame["route"] == "small").to_numpy()
    expected = {}
    for c in np.unique(clusters):
        inside = clusters == c
        u = unc[inside].sum()
        share = max(0.0, 1 - 0.05 * inside.sum() / u) if u else 0.0
        expected[int(c)] = share * np.where(cheap[inside & unc], 1.0, 0.5).sum()
    got = columns.set_index("cluster_id")["expected_shifted"]
    assert got.to_dict() == pytest.approx(expected)
    assert got.idxmax() == 9
    assert len(result.label_records()) == 25
    # Every production row's segment value, as the table counts it, for the report's colouring.
    from analyzer.segments import bucket_segment

    assert result.buckets is not None and list(result.buckets.columns) == ["client", "turns"]
    assert result.buckets["turns"].tolist() == bucket_segment(frame["turns"]).tolist()
    table = result.table.frame if result.table is not None else pd.DataFrame()
    counted = table[table["column"] == "client"].set_index("value")["n_production"]
    bucket_counts = result.buckets["client"].value_counts().reindex(counted.index)
    assert bucket_counts.tolist() == counted.tolist()


def test_redacted_segments_mask_the_per_row_values() -> None:
    from analyzer.redact import redact_segments
    from analyzer.segments import SegmentOptions, analyze_segments

    rng = np.random.default_rng(8)
    frame = pd.DataFrame({"id": [f"q{i}" for i in range(60)],
                          "text": [f"query {i}" for i in range(60)],
                          "owner": ["ops@example.com" if i % 3 == 0 else "web" for i in range(60)]})
    analysis = analyze_segments(
        frame, embeddings=rng.normal(size=(60, 8)), cluster_ids=np.arange(60) % 3,
        is_uncovered=np.arange(60) % 4 == 0, coverage_p=rng.uniform(0, 1, 60),
        flagged_cluster_ids=[],
        options=SegmentOptions(segment_cols=("owner",), label_size=5),
    )
    assert analysis.buckets is not None
    assert (analysis.buckets["owner"] == "ops@example.com").sum() == 20
    masked = redact_segments(analysis)
    assert masked.buckets is not None
    assert not masked.buckets["owner"].str.contains("example.com").any()
    assert (masked.buckets["owner"] == "[EMAIL]").sum() == 20


def test_segment_options_reject_a_negative_queue_size() -> None:
    from analyzer.segments import SegmentOptions

    with pytest.raises(InputError, match="label_size= must be an int >= 0. Got -5"):
        SegmentOptions(label_size=-5)
