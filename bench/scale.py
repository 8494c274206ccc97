"""Scaling of `shift-analyzer report` by engine: 10k, 100k and 500k production rows.

    python bench/scale.py                                  # 10,000 rows, every engine
    python bench/scale.py --sizes 100000 --engines local-1 # one size, one engine

Reference: 10,000 queries of the eval sets (as bench/perf.py --large); production: real
queries of the traffic-like sets, sampled with repeats (as bench/perf.py --large). Engines:
``local-1`` (--workers 1), ``local-2`` (--workers 2), ``ray`` (--engine ray, local mode),
``local-2-onnx`` (--workers 2 with the ONNX int8 backend; its ratio is still to plain
sentence-transformers encoding). A run adds its engines to the figures already stored for the
same size; with ``--no-plain`` the ratios use the stored plain figure.
Each figure is a fresh process timed from its start (imports included). Cold: an empty
embedding cache; warm: the same command again. Peak memory two ways: the largest resident set
of one process of the run (``ru_maxrss`` from ``wait4``, which covers the process and the
children it waited for, e.g. the embedding workers) and the resident sets of the whole process
tree summed (sampled every 0.1 s; Ray's actors are in the tree, shared pages counted once per
process). Plain: one process loads the model and encodes the same distinct texts
(sentence-transformers, batch 64). Appends each size's figures to bench/results/scale.json.

``--seed-cache DIR`` copies an embedding cache that holds the reference's vectors into each
engine's cache before its cold run: "cold" then means the production is embedded and the
reference is read from the cache, and plain encodes only the production's texts that are not
in the reference (figures stored under ``<n>-reference-cached``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from perf import DATA, LARGE_PRODUCTION, LARGE_REFERENCE, PLAIN, write_jsonl

ENGINES = {
    "local-1": ["--workers", "1"],
    "local-2": ["--workers", "2"],
    "ray": ["--engine", "ray"],
    "local-2-onnx": ["--workers", "2", "--model", "all-MiniLM-L6-v2+onnx-int8"],
}
RESULTS = Path(__file__).parent / "results" / "scale.json"


def timed(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall seconds, the largest process's peak RSS and the process tree's sampled peak."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak
        try:
            handle = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            try:
                procs = [handle, *handle.children(recursive=True)]
                tree_peak = max(tree_peak, sum(p.memory_info().rss for p in procs))
            except psutil.Error:
                pass
            time.sleep(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    done.set()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd} failed ({proc.returncode}): {err[-2000:].decode()}")
    return {
        "seconds": round(seconds, 1),
        "max_process_rss_mib": round(usage.ru_maxrss / 1024),
        "tree_rss_mib": round(tree_peak / 2**20),
    }


def texts(names: list[str]) -> pd.DataFrame:
    return pd.concat([pd.read_json(DATA / f"{n}.jsonl", lines=True)[["text"]] for n in names])


def write_sides(n: int, work: Path, production_only: bool) -> tuple[Path, Path, Path, int]:
    """The reference and ``n`` production rows as JSONL, the distinct texts of both (what
    plain encoding encodes) and the number of distinct production texts."""
    clinc = pd.read_json(DATA / "clinc150.jsonl", lines=True)
    ref = pd.concat([texts(LARGE_REFERENCE), clinc[clinc.split == "val"][["text"]]]).head(10_000)
    pool = texts(LARGE_PRODUCTION)
    prod = pool.sample(n, replace=len(pool) < n, random_state=1)
    ref_path, prod_path = work / "ref.jsonl", work / f"prod-{n}.jsonl"
    write_jsonl(ref, ref_path)
    write_jsonl(prod, prod_path)
    distinct_path = work / f"distinct-{n}.jsonl"
    both = pd.concat([ref, prod]).drop_duplicates("text")
    if production_only:
        both = prod[~prod["text"].isin(set(ref["text"]))].drop_duplicates("text")
    write_jsonl(both, distinct_path)
    return ref_path, prod_path, distinct_path, int(prod["text"].nunique())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=list(ENGINES))
    parser.add_argument("--no-plain", action="store_true", help="skip plain encoding")
    parser.add_argument("--seed-cache", type=Path, help="cache with the reference's vectors")
    args = parser.parse_args()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in args.sizes:
            ref, prod, distinct_path, distinct = write_sides(n, work, args.seed_cache is not None)
            key = f"{n}" if args.seed_cache is None else f"{n}-reference-cached"
            figures: dict[str, object] = {  # a later run adds its engines to the same size
                **results.get(key, {}),
                "n_production": n,
                "n_production_distinct": distinct,
                "cores": os.cpu_count(),
            }
            if not args.no_plain:
                plain = timed([sys.executable, "-c", PLAIN, str(distinct_path)], env)
                figures["plain_sentence_transformers"] = plain
            for engine in args.engines:
                report = [
                    sys.executable,
                    "-m",
                    "analyzer",
                    "report",
                    str(ref),
                    str(prod),
                    "--quiet",
                    "--cache-dir",
                    str(work / f"cache-{n}-{engine}"),
                    *ENGINES[engine],
                ]
                run_env = {**env, "NUMBA_CACHE_DIR": str(work / "numba")}
                if args.seed_cache is not None:
                    shutil.copytree(
                        args.seed_cache, work / f"cache-{n}-{engine}", dirs_exist_ok=True
                    )
                date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
                load = os.getloadavg()
                cold = timed([*report, "--out", str(work / f"cold-{n}-{engine}")], run_env)
                warm = timed([*report, "--out", str(work / f"warm-{n}-{engine}")], run_env)
                row: dict[str, object] = {
                    "cold": cold,
                    "warm": warm,
                    "date": date,
                    "load_average_at_start": load,
                    "load_average_at_end": os.getloadavg(),
                }
                if "plain_sentence_transformers" in figures:
                    base = figures["plain_sentence_transformers"]["seconds"]  # type: ignore[index]
                    row["cold_over_plain"] = round(cold["seconds"] / base, 2)
                    row["warm_over_plain"] = round(warm["seconds"] / base, 2)
                figures[engine] = row
                print(json.dumps({engine: row}), flush=True)
            results[key] = figures
            RESULTS.write_text(json.dumps(results, indent=1) + "\n")
            print(json.dumps(figures, indent=1), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
