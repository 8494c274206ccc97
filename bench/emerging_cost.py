"""Cost of the small-region passes: the emerging scan and the minimum detectable region.

    python bench/emerging_cost.py            # 6,000 + 2,000 CLINC150 queries (bench/perf.py's)
    python bench/emerging_cost.py --large    # also 100k production + 10k reference queries

One process per size: a first report fills the embedding cache, then a second, warm report is
timed stage by stage (wall clock): the whole report (load, fit, score, segments, outputs), the
emerging scan (``find_emerging``) and the minimum detectable region (``Baseline._detectable``).
The share of the added passes is given against the warm report (the stricter figure: a cold
report adds the embedding time). Run by hand on a quiet machine; the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import perf  # noqa: E402

import analyzer.baseline as baseline_module  # noqa: E402
from analyzer.config import AnalyzerConfig, EmbedConfig  # noqa: E402
from analyzer.pipeline import ReportOptions, run_report  # noqa: E402

TIMES: dict[str, float] = {}


def _timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            TIMES[name] = TIMES.get(name, 0.0) + time.perf_counter() - start

    return wrapper


baseline_module.find_emerging = _timed("emerging scan", baseline_module.find_emerging)
baseline_module.Baseline._detectable = _timed(  # type: ignore[method-assign]
    "minimum detectable region", baseline_module.Baseline._detectable
)


def measure(ref: Path, prod: Path, work: Path, cache: Path) -> dict[str, Any]:
    config = AnalyzerConfig(embed=EmbedConfig(cache_dir=str(cache)))
    out: dict[str, Any] = {}
    for run in ("fill cache", "warm"):
        TIMES.clear()
        start = time.perf_counter()
        run_report(ref, prod, work / f"out-{run.replace(' ', '-')}", config, ReportOptions())
        total = time.perf_counter() - start
        out[run] = {"report_s": round(total, 2), **{k: round(v, 2) for k, v in TIMES.items()}}
    warm = out["warm"]
    added = warm.get("emerging scan", 0.0) + warm.get("minimum detectable region", 0.0)
    out["added_share_of_warm_report"] = round(added / warm["report_s"], 4)
    out["added_share_of_cold_report"] = round(added / out["fill cache"]["report_s"], 4)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", action="store_true")
    parser.add_argument("--out", default=None)
    parser.add_argument(
        "--cache-dir",
        default=None,
        help="An embedding cache to reuse (default: a new one; its first report fills it).",
    )
    args = parser.parse_args()
    clinc = pd.read_json(perf.DATA / "clinc150.jsonl", lines=True)
    work = Path(tempfile.mkdtemp(prefix="emerging-cost-"))
    results: dict[str, Any] = {"machine": platform.platform(), "cpus": os.cpu_count(),
                               "load_average_at_start": os.getloadavg()}
    ref = clinc[(clinc.split == "train") & ~clinc.is_oos].sample(6000, random_state=0)
    test = clinc[clinc.split == "test"]
    prod = pd.concat([test[~test.is_oos].sample(1500, random_state=0),
                      test[test.is_oos].sample(500, random_state=0)])
    perf.write_jsonl(ref, work / "ref.jsonl")
    perf.write_jsonl(prod, work / "prod.jsonl")
    cache = Path(args.cache_dir) if args.cache_dir else work / "cache"
    results["6k+2k"] = measure(work / "ref.jsonl", work / "prod.jsonl", work, cache)
    print(json.dumps(results["6k+2k"]), flush=True)
    if args.large:
        pool = perf._texts(perf.LARGE_PRODUCTION)
        large = pool.sample(100_000, replace=len(pool) < 100_000, random_state=1)
        large_ref = pd.concat([perf._texts(perf.LARGE_REFERENCE),
                               clinc[clinc.split == "val"][["text"]]]).head(10_000)
        perf.write_jsonl(large_ref, work / "ref-large.jsonl")
        perf.write_jsonl(large, work / "prod-large.jsonl")
        results["100k+10k"] = measure(
            work / "ref-large.jsonl", work / "prod-large.jsonl", work, cache
        )
        print(json.dumps(results["100k+10k"]), flush=True)
    results["load_average_at_end"] = os.getloadavg()
    print(json.dumps(results, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
