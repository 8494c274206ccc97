"""Nearest neighbours for coverage: numpy exact vs faiss exact (IndexFlatIP) vs faiss HNSW.

    python bench/neighbors.py            # parity, null false-alarm rate, speed up to 100k
    python bench/neighbors.py --large    # speed at 250,000 indexed points too

Real all-MiniLM-L6-v2 vectors of CLINC150 (embedded through the cache, so only the first run
pays for it). Parts:

* parity: 5,000 in-scope training queries as reference, 5,000 test + training queries as
  production; faiss exact vs numpy: largest score difference and identical p-values; the whole
  report pipeline (coverage and map) run both ways: p-values and regions (adjusted Rand).
* null: two halves of the CLINC150 in-scope training queries (several shuffles): the share of
  the second half flagged at alpha 0.05 with the exact index and with HNSW (``exact_max`` below
  the reference size), HNSW's recall@10 and the rank correlation of its scores with exact ones.
* speed: build + search of 10,000 queries against 20,000 / 100,000 (/ 250,000) points made by
  jittering real vectors, each way (numpy skipped where it would take minutes).

Writes bench/results/neighbors.json. Run by hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root

from analyzer import AnalyzerConfig, Baseline, load_queries
from analyzer.baseline import default_cache_dir
from analyzer.config import CoverConfig
from analyzer.coverage.conformal import conformal_pvalues
from analyzer.coverage.index import NeighborIndex
from analyzer.coverage.neighbors import unit_rows
from analyzer.coverage.stage import coverage_scores, fit_coverage, reference_index
from analyzer.embed import EmbeddingCache, SentenceTransformerEmbedder, embed_texts

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SHIFT_BENCH_DATA", ROOT / ".." / "shared" / "data"))


def embed(texts: list[str], cache: EmbeddingCache) -> np.ndarray:
    return embed_texts(texts, SentenceTransformerEmbedder(), cache)[0]


def coverage_pvalues(reference: np.ndarray, production: np.ndarray, kind: str,
                     cover: CoverConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(calibration, scores, p-values) with an index of ``kind`` (the report's formulas)."""
    index = reference_index(reference, cover)
    if kind != index.kind:
        index = NeighborIndex(index.points, kind)
    fitted = fit_coverage(reference, cover, index=index)
    scores = coverage_scores(production, reference, fitted, cover, index)
    return fitted.calibration, scores, conformal_pvalues(scores, fitted.calibration)


def parity(clinc: pd.DataFrame, cache: EmbeddingCache) -> dict[str, object]:
    inscope = clinc[~clinc["is_oos"]].drop_duplicates("text")
    train = inscope[inscope["split"] == "train"].sample(frac=1.0, random_state=0)
    ref = train.iloc[:5000]
    prod = pd.concat([clinc[clinc["split"] == "test"].sample(2500, random_state=1),
                      train.iloc[5000:7500]])
    ref_vectors, prod_vectors = embed(ref["text"].tolist(), cache), embed(
        prod["text"].tolist(), cache)
    cover = CoverConfig()
    flat = coverage_pvalues(ref_vectors, prod_vectors, "flat", cover)
    exact = coverage_pvalues(ref_vectors, prod_vectors, "numpy", cover)
    out: dict[str, object] = {
        "reference": len(ref), "production": len(prod),
        "max_abs_calibration_difference": float(np.abs(flat[0] - exact[0]).max()),
        "max_abs_score_difference": float(np.abs(flat[1] - exact[1]).max()),
        "pvalues_identical": float(np.mean(flat[2] == exact[2])),
        "max_abs_pvalue_difference": float(np.abs(flat[2] - exact[2]).max()),
    }
    out["report_pipeline"] = pipeline_parity(ref, prod, cache)
    return out


def pipeline_parity(ref: pd.DataFrame, prod: pd.DataFrame,
                    cache: EmbeddingCache) -> dict[str, object]:
    """The whole Baseline (coverage and map) with faiss and with numpy-only search."""
    config = AnalyzerConfig().with_overrides({"embed": {"cache_dir": str(cache.root)}})
    results = {}
    for name, faiss_on in (("faiss", True), ("numpy", False)):
        with mock.patch("analyzer.coverage.index.has_faiss", return_value=faiss_on), \
             mock.patch("analyzer.regions.map.has_faiss", return_value=faiss_on):
            baseline = Baseline(config).fit(load_queries(ref[["text"]]))
            results[name] = baseline.score(load_queries(prod[["text"]]))
    frames = {k: v.queries.to_frame() for k, v in results.items()}
    p = {k: f["coverage_p"].to_numpy() for k, f in frames.items()}
    production = frames["faiss"]["side"] == "production"
    return {
        "verdicts": [results["faiss"].summary.verdict, results["numpy"].summary.verdict],
        "indices": [r.summary.parameters["neighbor_index"] for r in results.values()],
        "max_abs_pvalue_difference": float(np.nanmax(np.abs(p["faiss"] - p["numpy"]))),
        "pvalues_identical": float(np.mean(p["faiss"][production] == p["numpy"][production])),
        "regions_adjusted_rand": round(float(adjusted_rand_score(
            frames["faiss"]["cluster_id"], frames["numpy"]["cluster_id"])), 4),
    }


def null_rate(clinc: pd.DataFrame, cache: EmbeddingCache, seeds: int) -> list[dict[str, object]]:
    inscope = clinc[~clinc["is_oos"] & (clinc["split"] == "train")].drop_duplicates("text")
    vectors = embed(inscope["text"].tolist(), cache)
    rows = []
    for seed in range(seeds):
        order = np.random.default_rng(seed).permutation(len(vectors))
        half = len(order) // 2
        ref, prod = vectors[order[:half]], vectors[order[half:]]
        flat = coverage_pvalues(ref, prod, "flat", CoverConfig())
        hnsw_cover = CoverConfig(exact_max=1000)
        hnsw = coverage_pvalues(ref, prod, "hnsw", hnsw_cover)
        centred = reference_index(ref, hnsw_cover)
        queries = unit_rows(prod - ref.mean(axis=0))
        exact_idx, _ = NeighborIndex(centred.points, "flat").search(queries, 10)
        approx_idx, _ = centred.search(queries, 10)
        recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx_idx, exact_idx)])
        rows.append({
            "seed": seed, "reference": half, "production": len(order) - half,
            "false_alarm_exact": round(float(np.mean(flat[2] < 0.05)), 4),
            "false_alarm_hnsw": round(float(np.mean(hnsw[2] < 0.05)), 4),
            "hnsw_recall_at_10": round(float(recall), 4),
            "hnsw_score_rank_correlation": round(float(spearmanr(flat[1], hnsw[1])[0]), 5),
            "hnsw_calibration_rank_correlation": round(float(spearmanr(flat[0], hnsw[0])[0]), 5),
        })
        print(json.dumps(rows[-1]), flush=True)
    return rows


def speed(base: np.ndarray, sizes: list[int], numpy_max: int) -> list[dict[str, object]]:
    """Build + search 10,000 queries, k=6 (coverage's k + 1), each kind, on jittered vectors."""
    rng = np.random.default_rng(0)
    rows = []
    for size in sizes:
        pick = rng.integers(0, len(base), size + 10_000)
        jittered = unit_rows(base[pick] + rng.normal(scale=0.02, size=(len(pick), base.shape[1])))
        points, queries = jittered[:size], jittered[size:]
        row: dict[str, object] = {"points": size, "queries": len(queries), "k": 6}
        found = {}
        for kind in ("numpy", "flat", "hnsw"):
            if kind == "numpy" and size > numpy_max:
                continue
            start = time.perf_counter()
            index = NeighborIndex(points, kind)
            built = time.perf_counter()
            found[kind] = index.search(queries, 6)[0]
            row[f"{kind}_build_s"] = round(built - start, 2)
            row[f"{kind}_search_s"] = round(time.perf_counter() - built, 2)
        row["hnsw_recall_at_6"] = round(float(np.mean(
            [len(set(a) & set(e)) / 6 for a, e in zip(found["hnsw"], found["flat"])])), 4)
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help="speed at 250,000 points too")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--cache-dir", default=default_cache_dir())
    parser.add_argument("--only", nargs="*", default=None, help="parity, null, speed")
    args = parser.parse_args()
    cache = EmbeddingCache(args.cache_dir)
    clinc = pd.read_json(DATA / "clinc150.jsonl", lines=True)
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    if not args.only or "parity" in args.only:
        results["parity_5000_5000"] = parity(clinc, cache)
        print(json.dumps(results["parity_5000_5000"]), flush=True)
    if not args.only or "null" in args.only:
        results["null_two_halves"] = null_rate(clinc, cache, args.seeds)
    if args.only and (out := Path(__file__).parent / "results" / "neighbors.json").is_file():
        results = {**json.loads(out.read_text()), **results}  # keep the parts not rerun
    if not args.only or "speed" in args.only:
        base = embed(clinc["text"].drop_duplicates().tolist(), cache)
        sizes = [20_000, 100_000] + ([250_000] if args.large else [])
        results["speed_10000_queries"] = speed(base, sizes, numpy_max=100_000)
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    out = Path(__file__).parent / "results" / "neighbors.json"
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
