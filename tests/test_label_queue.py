"""Tests of analyzer.segments.label_queue: a prioritised, de-duplicated, diverse labelling queue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.errors import InputError, SchemaError
from analyzer.segments.evidence import queue_regions
from analyzer.segments.label_queue import labelling_queue, normalize_for_dedup


@pytest.fixture
def regions() -> dict[str, object]:
    """Three tight regions of 60 queries each plus exact and near duplicates of region 2."""
    rng = np.random.default_rng(11)
    centres = rng.normal(size=(3, 32)) * 2
    labels = np.repeat([0, 1, 2], 60)
    emb = centres[labels] + rng.normal(size=(180, 32))
    texts = [f"query {i}" for i in range(180)]
    texts[121] = "  QUERY 120 "  # exact duplicate of "query 120" after normalisation
    emb[122] = emb[123] + 1e-3  # near duplicate
    frame = pd.DataFrame({"id": [f"p{i}" for i in range(180)], "text": texts,
                          "client": rng.choice(["web", "batch"], 180)})
    return {"frame": frame, "emb": emb, "clusters": labels}


def test_queue_shares_its_budget_by_expected_shifted_queries(regions: dict[str, object]) -> None:
    frame = regions["frame"]
    assert isinstance(frame, pd.DataFrame)
    # region 0 carries no evidence, region 1 one third of region 2's: a 1:3 split of the budget
    weights = np.repeat([0.0, 1 / 3, 1.0], 60)
    queue = labelling_queue(frame, regions["emb"], regions["clusters"], weights,  # type: ignore[arg-type]
                            cluster_risk={0: 0.5, 1: 0.01, 2: 0.03}, size=40,
                            segment_cols=["client"])
    rows = queue.to_frame()
    assert len(rows) == 40
    assert set(rows["cluster_id"]) == {1, 2}
    assert (rows["cluster_id"] == 2).sum() == 30  # D'Hondt: 3:1 split of the budget
    assert rows.iloc[0]["cluster_id"] == 2
    assert rows.iloc[0]["region_rank"] == 1
    assert rows.iloc[0]["region_expected_shifted"] == pytest.approx(60 - 1 - 1, abs=2)
    assert rows.iloc[0]["cluster_risk_rank"] == 2  # reported, not followed
    assert not {"p120", "p121"} <= set(rows["id"])
    assert not {"p122", "p123"} <= set(rows["id"])
    assert queue.n_exact_duplicates == 1
    assert queue.n_candidates == 120
    assert rows["priority"].tolist() == list(range(1, 41))
    assert rows.iloc[0]["segments"].keys() == {"client"}
    assert "(rank 1)" in rows.iloc[0]["why"]


def test_region_size_alone_earns_no_place(regions: dict[str, object]) -> None:
    frame = regions["frame"]
    assert isinstance(frame, pd.DataFrame)
    # the big region's uncovered queries sit at the chance rate: no evidence, no candidates
    clusters = np.asarray(regions["clusters"])
    weights = np.zeros(180)
    weights[[130, 131, 132]] = 0.9
    queue = labelling_queue(frame, regions["emb"], clusters, weights, size=10)  # type: ignore[arg-type]
    assert set(queue.to_frame()["id"]) == {"p130", "p131", "p132"}


def test_queue_takes_weighty_queries_first_and_reports_causes(
    regions: dict[str, object],
) -> None:
    frame = regions["frame"]
    assert isinstance(frame, pd.DataFrame)
    weights = np.zeros(180)
    weights[[5, 70, 130, 131]] = [0.2, 0.2, 0.9, 0.1]
    causes = [["new_domain"] if i == 130 else [] for i in range(180)]
    p = np.full(180, 0.5)
    p[130] = 0.001
    queue = labelling_queue(frame, regions["emb"], regions["clusters"], weights,  # type: ignore[arg-type]
                            size=10, coverage_p=p, is_uncovered=p < 0.05, causes=causes)
    records = queue.to_records()
    assert {r["id"] for r in records} == {"p5", "p70", "p130", "p131"}
    assert records[0]["id"] == "p130"
    assert records[0]["causes"] == ["uncovered", "new_domain"]
    assert records[0]["shift_evidence"] == pytest.approx(0.9)
    assert records[0]["coverage_p"] == pytest.approx(0.001)
    assert records[0]["cluster_risk"] is None  # no routing table given


def test_emerging_region_takes_turns_on_its_own(regions: dict[str, object]) -> None:
    frame = regions["frame"]
    assert isinstance(frame, pd.DataFrame)
    clusters = np.asarray(regions["clusters"])
    emerging = np.full(180, -1)
    emerging[[10, 11, 12]] = 0  # a small region inside cluster 0
    weights = np.where(emerging >= 0, 0.95, np.where(clusters == 2, 0.2, 0.0))
    queue = labelling_queue(frame, regions["emb"], clusters, weights,  # type: ignore[arg-type]
                            regions=queue_regions(clusters, emerging), size=6)
    rows = queue.to_frame()
    # region values: cluster 2 = 12 (60 x 0.2), the emerging region 2.85: 5 to 1 of the first six
    assert (rows["cluster_id"] == 0).sum() == 1
    first_emerging = rows[rows["cluster_id"] == 0].iloc[0]
    assert first_emerging["why"].startswith("an emerging region in cluster 0")
    assert first_emerging["region_rank"] == 2


def test_queue_spreads_within_a_cluster() -> None:
    rng = np.random.default_rng(5)
    # one cluster made of two sub-groups; a diverse pick of 2 takes one from each
    emb = np.vstack([rng.normal(size=(50, 8)) * 0.01 + 3, rng.normal(size=(5, 8)) * 0.01 - 3])
    frame = pd.DataFrame({"id": range(55), "text": [f"t{i}" for i in range(55)]})
    queue = labelling_queue(frame, emb, np.zeros(55, int), np.ones(55), size=2,
                            near_duplicate=1.0, diversity_weight=0.3)
    picked = queue.to_frame()["id"].tolist()
    assert (picked[0] < 50) != (picked[1] < 50)


def test_normalize_for_dedup_folds_case_and_space() -> None:
    assert normalize_for_dedup("  Hello\n  World ") == "hello world"


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        ({"size": -1}, InputError, "size must be an int >= 0"),
        ({"near_duplicate": 0.0}, InputError, "near_duplicate must be in"),
        ({"text_col": "prompt"}, SchemaError, r"'prompt'.*Existing columns: id, text"),
        ({"regions": [0]}, InputError, "regions must have 3 entries"),
    ],
)
def test_queue_rejects_bad_inputs(kwargs: dict[str, object], exc: type, message: str) -> None:
    frame = pd.DataFrame({"id": [1, 2, 3], "text": ["a", "b", "c"]})
    with pytest.raises(exc, match=message):
        labelling_queue(frame, np.eye(3), [0, 0, 0], np.ones(3), **kwargs)  # type: ignore[arg-type]


def test_queue_rejects_misaligned_embeddings() -> None:
    frame = pd.DataFrame({"id": [1, 2], "text": ["a", "b"]})
    message = r"embeddings must have shape \(n_production, d\) = \(2, d\)"
    with pytest.raises(InputError, match=message):
        labelling_queue(frame, np.eye(3), [0, 0], np.ones(2))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 80),
    size=st.integers(0, 50),
    seed=st.integers(0, 2**16),
)
def test_queue_has_no_duplicates_and_respects_size(n: int, size: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    texts = [f"q{int(i)}" for i in rng.integers(0, max(1, n // 2), n)]
    frame = pd.DataFrame({"id": np.arange(n), "text": texts})
    emb = rng.normal(size=(n, 6))
    clusters = rng.integers(-1, 4, n)
    weights = np.where(rng.random(n) < 0.7, rng.random(n), 0.0)
    queue = labelling_queue(frame, emb, clusters, weights, size=size, seed=seed)
    rows = queue.to_frame()
    assert len(rows) <= size
    assert rows["id"].is_unique
    assert rows["text"].map(normalize_for_dedup).is_unique
    picked = emb[rows["id"].to_numpy(dtype=int)]
    unit = picked / np.linalg.norm(picked, axis=1, keepdims=True)
    sims = unit @ unit.T - 2 * np.eye(len(rows))
    assert len(rows) < 2 or sims.max() < 0.95
    assert (weights[rows["id"].to_numpy(dtype=int)] > 0).all()
    assert len(rows) == size or len(rows) == queue.n_candidates - queue.n_exact_duplicates - \
        queue.n_near_duplicates


def test_a_spilled_embedding_array_gives_the_same_queue_and_stays_a_memmap(
    regions: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    from analyzer import spill
    from analyzer.spill import VectorStore

    frame, emb = regions["frame"], np.asarray(regions["emb"], dtype=np.float32)
    assert isinstance(frame, pd.DataFrame)
    store = VectorStore(None, spill_rows=50)
    for part in (emb[:100], emb[100:]):
        store.append(part)
    spilled = store.finish()
    assert isinstance(spilled, np.memmap)
    released: list[object] = []
    monkeypatch.setattr(spill, "release", released.append)
    weights = np.repeat([0.0, 1 / 3, 1.0], 60)
    args = (regions["clusters"], weights)
    in_memory = labelling_queue(frame, emb, *args, size=12).to_frame()  # type: ignore[arg-type]
    from_file = labelling_queue(frame, spilled, *args, size=12).to_frame()  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(in_memory, from_file)
    assert any(isinstance(array, np.memmap) for array in released)  # its pages were let go
