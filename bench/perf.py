"""Performance of `shift-analyzer report` against plain sentence-transformers encoding.

    python bench/perf.py            # 6,000 + 2,000 CLINC150 queries: cold, warm, plain encoding
    python bench/perf.py --large    # also 100k production + 10k reference queries

Every figure is a fresh process timed from its start (imports included), as a user runs it.
Plain encoding (load the model, encode the same distinct texts, two torch threads) runs before
and after the reports; the ratios use the mean of the two.
"Cold" has an empty embedding cache; "first run" also has an empty numba compile cache.
Peak memory is the largest resident set size seen (sampled every 0.1 s). Writes
bench/results/perf.json. Run by hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SHIFT_BENCH_DATA", ROOT / ".." / "shared" / "data"))

PLAIN = """
import sys, json
from sentence_transformers import SentenceTransformer
from analyzer.embed import packaged_model_dir
texts = list(dict.fromkeys(json.loads(l)["text"] for f in sys.argv[1:] for l in open(f)))
SentenceTransformer(str(packaged_model_dir()), device="cpu").encode(texts, batch_size=64)
"""


def timed(cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Wall seconds, peak memory and, for a report, its steps: each progress line's arrival
    time from the process's start, so the first step includes the imports and the last one
    the writing of the outputs."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    done = threading.Event()
    lines: list[tuple[float, str]] = []

    def sample() -> None:
        nonlocal peak
        handle = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                children = handle.children(recursive=True)
                rss = handle.memory_info().rss + sum(c.memory_info().rss for c in children)
                peak = max(peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.1)

    def read_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append((time.perf_counter() - start, line.rstrip()))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    assert proc.stdout is not None
    proc.stdout.read()
    proc.wait()
    reader.join()
    seconds = time.perf_counter() - start
    done.set()
    if proc.returncode not in (0, 1):
        tail = "\n".join(text for _, text in lines[-20:])
        raise SystemExit(f"{cmd} failed ({proc.returncode}): {tail}")
    figures: dict[str, Any] = {"seconds": round(seconds, 1), "peak_rss_mib": round(peak / 2**20)}
    if any(_STEP.match(text) for _, text in lines):
        figures["steps"] = steps(lines, seconds)
    return figures


_STEP = re.compile(r"^\[\s*[\d.]+s\] (.*)$")


def steps(lines: list[tuple[float, str]], total: float) -> list[list[object]]:
    """[message, seconds] per progress line: from its arrival to the next line's (the last to
    the process's end); "start: imports, settings" from the process's start to the first."""
    marks = [(at, m.group(1)) for at, text in lines if (m := _STEP.match(text))]
    rows: list[list[object]] = [["start: imports, settings", round(marks[0][0], 1)]]
    ends = [at for at, _ in marks[1:]] + [total]
    rows += [[message, round(end - at, 1)] for (at, message), end in zip(marks, ends)]
    return rows


def write_jsonl(frame: pd.DataFrame, path: Path) -> None:
    frame[["text"]].to_json(path, orient="records", lines=True, force_ascii=False)


def run(
    reference: Path, production: Path, work: Path, label: str, first: bool = True
) -> dict[str, object]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    report = [sys.executable, "-m", "analyzer", "report", str(reference), str(production)]
    cache = work / f"cache-{label}"
    report_env = {**env, "NUMBA_CACHE_DIR": str(work / f"numba-{label}")}
    figures: dict[str, object] = {}
    plain_cmd = [sys.executable, "-c", PLAIN, str(reference), str(production)]
    plain_before = timed(plain_cmd, env)
    first_run: dict[str, float] = {}
    if first:
        first_cache = str(work / f"cache0-{label}")
        first_run = timed(report + ["--out", str(work / "a"), "--cache-dir", first_cache],
                          report_env)
        figures["first_run"] = first_run
    cold = timed(report + ["--out", str(work / "b"), "--cache-dir", str(cache)], report_env)
    warm = timed(report + ["--out", str(work / "c"), "--cache-dir", str(cache)], report_env)
    figures["cold"], figures["warm"] = cold, warm
    plain_after = timed(plain_cmd, env)  # before and after: load drift on shared cores averages out
    plain = round((plain_before["seconds"] + plain_after["seconds"]) / 2, 1)
    figures["plain_sentence_transformers"] = {
        "seconds": plain, "runs": [plain_before["seconds"], plain_after["seconds"]],
        "peak_rss_mib": max(plain_before["peak_rss_mib"], plain_after["peak_rss_mib"]),
    }
    figures["cold_over_plain"] = round(cold["seconds"] / plain, 2)
    if first:
        figures["first_run_over_plain"] = round(first_run["seconds"] / plain, 2)
    figures["warm_over_cold"] = round(warm["seconds"] / cold["seconds"], 2)
    return figures


LARGE_PRODUCTION = ["clinc150", "banking77", "hwu64", "nq_open", "mixatis_mixsnips",
                    "hinglish_top", "sentimix_codeswitch", "nlupp", "atis_snips_single",
                    "loghub_chunks", "mgsm"]
LARGE_REFERENCE = ["mt_bench", "alpaca_eval", "arena_hard_v0_1", "arena_hard_v2", "gsm8k_test",
                   "mmlu", "ifeval", "humaneval", "self_instruct", "koala"]


def _texts(names: list[str]) -> pd.DataFrame:
    return pd.concat([pd.read_json(DATA / f"{n}.jsonl", lines=True)[["text"]] for n in names])


def run_small(clinc: pd.DataFrame, work: Path) -> dict[str, object]:
    """6,000 in-scope training queries against 1,500 in-scope + 500 out-of-scope test ones."""
    ref = clinc[(clinc.split == "train") & ~clinc.is_oos].sample(6000, random_state=0)
    test = clinc[clinc.split == "test"]
    prod = pd.concat([test[~test.is_oos].sample(1500, random_state=0),
                      test[test.is_oos].sample(500, random_state=0)])
    write_jsonl(ref, work / "ref.jsonl")
    write_jsonl(prod, work / "prod.jsonl")
    return run(work / "ref.jsonl", work / "prod.jsonl", work, "small")


def run_medium(clinc: pd.DataFrame, work: Path) -> dict[str, object]:
    """4,000 in-scope training queries against 20,000 CLINC150 queries of every split and
    out-of-scope, drawn with repeats from those not in the reference."""
    ref = clinc[(clinc.split == "train") & ~clinc.is_oos].sample(4000, random_state=0)
    rest = clinc.drop(ref.index)
    prod = rest.sample(20_000, replace=True, random_state=0)
    write_jsonl(ref, work / "ref-medium.jsonl")
    write_jsonl(prod, work / "prod-medium.jsonl")
    return {
        "n_distinct": int(pd.concat([ref, prod])["text"].nunique()),
        **run(work / "ref-medium.jsonl", work / "prod-medium.jsonl", work, "medium"),
    }


def run_large(clinc: pd.DataFrame, work: Path) -> dict[str, object]:
    """100k production queries from the traffic-like sets, 10k reference from the eval sets."""
    pool = _texts(LARGE_PRODUCTION)
    large_prod = pool.sample(100_000, replace=len(pool) < 100_000, random_state=1)
    large_ref = _texts(LARGE_REFERENCE)
    large_ref = pd.concat([large_ref, clinc[clinc.split == "val"][["text"]]]).head(10_000)
    write_jsonl(large_ref, work / "ref-large.jsonl")
    write_jsonl(large_prod, work / "prod-large.jsonl")
    return {
        "n_production_distinct": int(large_prod["text"].nunique()),
        **run(work / "ref-large.jsonl", work / "prod-large.jsonl", work, "large", first=False),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--medium", action="store_true",
                        help="also run 20,000 production + 4,000 reference")
    parser.add_argument("--large", action="store_true",
                        help="also run 100k production + 10k reference")
    args = parser.parse_args()
    memory = f"{round(psutil.virtual_memory().total / 2**30)} GiB"
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                   f"{memory}, Python {platform.python_version()}",
        "load_average_at_start": os.getloadavg(),
    }
    clinc = pd.read_json(DATA / "clinc150.jsonl", lines=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results["clinc_6000_2000"] = run_small(clinc, work)
        print(json.dumps(results, indent=1), flush=True)
        if args.medium:
            results["clinc_20000_4000"] = run_medium(clinc, work)
            print(json.dumps(results["clinc_20000_4000"], indent=1), flush=True)
        if args.large:
            results["large_10k_100k"] = run_large(clinc, work)
    out = Path(__file__).parent / "results" / "perf.json"
    previous = json.loads(out.read_text()) if out.is_file() else {}
    for key, flag in (("clinc_20000_4000", args.medium), ("large_10k_100k", args.large)):
        if not flag and key in previous:  # keep the last run's figures, marked as such
            results[key] = previous[key]
            results[f"{key}_note"] = previous.get(
                f"{key}_note", "carried over from an earlier run (not rerun)"
            )
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
