"""Parity of the Ray engine (local mode) with the local engine on CLINC150.

    python bench/ray_parity.py                  # 5,000 + 5,000 (the issue's scenario)
    python bench/ray_parity.py --n 1000         # smaller

Reference: n in-scope training queries; production: n/2 test queries (in scope and out of
scope) and n/2 other training queries. Each run fits and scores in this process with the real
model. Runs: the local engine in one process with an empty embedding cache (the yardstick);
the Ray engine with an empty cache of its own (its actors embed every text, in other batches
than the local engine); the Ray engine reading the local run's cache (the same vectors); and,
for scale, the local engine with two embedding worker processes and an empty cache. For each
against the yardstick: verdicts, the adjusted Rand index of the regions over all rows, the
largest difference of a coverage p-value, the wall times. Writes bench/results/ray_parity.json.
Run by hand; tests/test_engine_ray.py is the small version.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analyzer import AnalyzerConfig, Baseline, load_queries
from analyzer.config import EngineConfig

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SHIFT_BENCH_DATA", ROOT / ".." / "shared" / "data")).resolve()


def scenario(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` reference rows and ``n`` production rows of CLINC150 (see the module doc)."""
    clinc = pd.read_json(DATA / "clinc150.jsonl", lines=True)
    train = clinc[(clinc["split"] == "train") & ~clinc["is_oos"]].sample(
        frac=1.0, random_state=seed
    )
    test = clinc[clinc["split"] == "test"].sample(n // 2, random_state=seed + 1)
    ref = train.iloc[:n]
    prod = pd.concat([test, train.iloc[n : n + n - n // 2]], ignore_index=True)
    return ref[["text"]].reset_index(drop=True), prod[["text"]].reset_index(drop=True)


def run(
    ref: pd.DataFrame, prod: pd.DataFrame, cache: Path, kind: str, workers: int = 1
) -> tuple[pd.DataFrame, str, float]:
    """The queries frame, the verdict and the wall seconds of one run."""
    start = time.perf_counter()
    config = AnalyzerConfig(engine=EngineConfig(kind=kind)).with_overrides(
        {"embed": {"cache_dir": str(cache), "workers": workers}}
    )
    baseline = Baseline(config).fit(load_queries(ref))
    result = baseline.score(load_queries(prod))
    return result.queries.frame, result.summary.verdict, time.perf_counter() - start


def against(yardstick: pd.DataFrame, frame: pd.DataFrame) -> dict[str, float]:
    """Adjusted Rand of the regions and the coverage p-values' differences."""
    from sklearn.metrics import adjusted_rand_score

    is_prod = yardstick["side"].to_numpy() == "production"
    p_a = yardstick["coverage_p"].to_numpy()[is_prod]
    p_b = frame["coverage_p"].to_numpy()[is_prod]
    return {
        "adjusted_rand": round(
            adjusted_rand_score(yardstick["cluster_id"], frame["cluster_id"]), 4
        ),
        "max_pvalue_difference": float(np.max(np.abs(p_a - p_b))),
        "identical_pvalues": float(np.mean(p_a == p_b)),
        "uncovered": int(frame["is_uncovered"].sum()),
    }


def compare(ref: pd.DataFrame, prod: pd.DataFrame, work: Path) -> dict[str, object]:
    """The runs of the module doc; the figures the issue asks for."""
    local, verdict, seconds = run(ref, prod, work / "local", "local")
    figures: dict[str, object] = {
        "n_reference": len(ref),
        "n_production": len(prod),
        "local": {"verdict": verdict, "seconds": round(seconds, 1), **against(local, local)},
    }
    runs = {
        "ray_own_cache": (work / "ray", "ray", 1),
        "ray_local_cache": (work / "local", "ray", 1),
        "local_2_workers": (work / "two", "local", 2),
    }
    for name, (cache, kind, workers) in runs.items():
        frame, verdict, seconds = run(ref, prod, cache, kind, workers)
        figures[name] = {"verdict": verdict, "seconds": round(seconds, 1), **against(local, frame)}
        print(name, figures[name], flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=5000, help="rows a side (default 5000)")
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        figures = {"load_average_at_start": load, **compare(*scenario(args.n), Path(tmp))}
    figures["load_average_at_end"] = os.getloadavg()
    print(json.dumps(figures, indent=1))
    out = Path(__file__).parent / "results" / "ray_parity.json"
    out.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
