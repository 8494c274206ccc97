"""The engines: the local engine in chunks gives what one pass gives; spilled vectors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import AnalyzerConfig, Baseline, load_queries
from analyzer.config import ClusterConfig, CoverConfig, EngineConfig, ScoreConfig
from analyzer.errors import ConfigError
from analyzer.spill import VectorStore, gather, stack, take
from tests.builders import HashingEmbedder


def config(chunk_rows: int) -> AnalyzerConfig:
    return AnalyzerConfig(
        cover=CoverConfig(n_bootstrap=100),
        cluster=ClusterConfig(fit_cap=600),
        score=ScoreConfig(n_permutations=50, test_sample=400),
        engine=EngineConfig(chunk_rows=chunk_rows),
    )


@pytest.fixture(scope="module")
def sides(clinc: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """500 in-scope training queries of six domains; 1,400 production rows with repeats, some
    from other domains and out of scope."""
    inscope = clinc[~clinc["is_oos"] & (clinc["split"] == "train")]
    kept = inscope["domain"].isin(inscope["domain"].unique()[:6])
    ref = inscope[kept].sample(500, random_state=1)[["text"]]
    pool = pd.concat([inscope.sample(700, random_state=2), clinc[clinc["is_oos"]].head(100)])
    prod = pool.sample(1400, replace=True, random_state=3)[["text"]].reset_index(drop=True)
    prod.loc[::7, "text"] = prod.loc[::7, "text"].str.upper() + "  "  # same once normalized
    return ref.reset_index(drop=True), prod


def run(chunk_rows: int, sides: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[object, np.ndarray]:
    ref, prod = sides
    baseline = Baseline(config(chunk_rows), HashingEmbedder(), use_cache=False)
    return baseline.fit(load_queries(ref)).score_rows(load_queries(prod))


def test_chunks_give_the_same_result_as_one_pass(sides) -> None:
    whole, whole_rows = run(50_000, sides)
    chunked, chunked_rows = run(100, sides)
    assert isinstance(chunked_rows, np.memmap)  # past one chunk the vectors spill
    np.testing.assert_array_equal(np.asarray(chunked_rows), whole_rows)
    skip = ("parameters", "versions")
    a, b = whole.summary.to_dict(), chunked.summary.to_dict()  # type: ignore[attr-defined]
    assert {k: v for k, v in a.items() if k not in skip} == {
        k: v for k, v in b.items() if k not in skip
    }
    pd.testing.assert_frame_equal(whole.queries.frame, chunked.queries.frame)  # type: ignore[attr-defined]
    pd.testing.assert_frame_equal(whole.clusters.to_frame(), chunked.clusters.to_frame())  # type: ignore[attr-defined]


def test_score_with_embeddings_matches_the_engine(sides) -> None:
    ref, prod = sides
    baseline = Baseline(config(100), HashingEmbedder(), use_cache=False).fit(load_queries(ref))
    batch = load_queries(prod)
    engine_result, rows = baseline.score_rows(batch)
    given = baseline.score(batch, embeddings=np.asarray(rows))
    pd.testing.assert_frame_equal(engine_result.queries.frame, given.queries.frame)


def test_vector_store_spills_past_its_limit() -> None:
    rng = np.random.default_rng(0)
    parts = [rng.standard_normal((n, 8)).astype(np.float32) for n in (30, 50, 40)]
    store = VectorStore(None, spill_rows=60)
    for part in parts:
        store.append(part)
    assert store.is_spilled
    out = store.finish()
    assert isinstance(out, np.memmap)
    np.testing.assert_array_equal(out, np.vstack(parts))
    rows = rng.integers(0, 120, 200)
    np.testing.assert_array_equal(gather(out, rows, 50), np.vstack(parts)[rows])
    np.testing.assert_array_equal(stack(parts[0], out, 50), np.vstack([parts[0], *parts]))


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ({"kind": "spark"}, "'kind' parameter of EngineConfig must be one of local, ray"),
        ({"chunk_rows": 10}, "'chunk_rows' parameter of EngineConfig must be an int"),
        ({"ray_actors": 0}, "'ray_actors' parameter of EngineConfig must be an int"),
        ({"ray_address": " "}, "must be a Ray address such as auto"),
        ({"ray_address": "head-node"}, r"host:6379 \(the head's GCS port\).*'head-node'"),
        ({"ray_address": "ray://head:99999"}, "must be a Ray address such as auto"),
        ({"ray_address": "head:port"}, "must be a Ray address such as auto"),
    ],
)
def test_engine_config_rejects_bad_values(values: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        EngineConfig(**values)  # type: ignore[arg-type]


@settings(max_examples=50, deadline=None)
@given(
    st.integers(min_value=1, max_value=300),
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=400),
    st.integers(min_value=1, max_value=120),
)
def test_take_reads_a_spilled_array_range_by_range_with_the_same_rows(
    n: int, picks: list[int], chunk: int
) -> None:
    from analyzer import spill

    rng = np.random.default_rng(n)
    data = rng.standard_normal((n, 4)).astype(np.float32)
    store = VectorStore(None, spill_rows=1)
    store.append(data)
    spilled = store.finish()
    rows = np.array([p % n for p in picks], dtype=np.int64)
    original = spill.CHUNK_ROWS
    spill.CHUNK_ROWS = chunk
    try:
        np.testing.assert_array_equal(take(spilled, rows), data[rows])
    finally:
        spill.CHUNK_ROWS = original
    np.testing.assert_array_equal(take(data, rows), data[rows])
