"""Embedding throughput on this machine: threads, worker processes, batch sizes, backends.

    python bench/embed_speed.py                     # torch: threads, workers, batch sizes
    python bench/embed_speed.py --set backends      # each backend, one thread, short and long
    python bench/embed_speed.py --set all

Every configuration runs in a fresh process (torch's thread settings do not leak), loads the
model, warms up on 64 texts (in-process runs only: a worker pool starts with each call, and
its start is part of what it costs), then encodes the texts once. Reported: queries per second
of wall time, and queries per CPU-second (user + system time of the process and its workers,
measured around the encode call; a pool's start-up counts). Texts: short = distinct CLINC150
queries, long = distinct Arena-Hard v0.1/v2 and AlpacaEval prompts clipped to 2,000 characters
(the report's max_chars). Writes bench/results/embed_speed.json. Run by hand; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SHIFT_BENCH_DATA", ROOT / ".." / "shared" / "data"))
LONG_SETS = ("arena_hard_v0_1", "arena_hard_v2", "alpaca_eval")


def texts_of(kind: str, n: int) -> list[str]:
    if kind == "short":
        frame = pd.read_json(DATA / "clinc150.jsonl", lines=True)
    else:
        frame = pd.concat([pd.read_json(DATA / f"{s}.jsonl", lines=True) for s in LONG_SETS])
    texts = frame["text"].drop_duplicates().str.slice(0, 2000)
    return texts.sample(min(n, len(texts)), random_state=0).tolist()


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure_one(config: dict[str, object]) -> dict[str, object]:
    """Run in the child process: build the embedder of ``config`` and time one encode."""
    threads = config.get("threads")
    if threads:
        import torch

        torch.set_num_threads(int(threads))  # type: ignore[arg-type]
    from analyzer.config import EmbedConfig
    from analyzer.embed import make_embedder

    embed = EmbedConfig(model=str(config.get("model", "all-MiniLM-L6-v2")), device="cpu",
                        workers=config.get("workers"),  # type: ignore[arg-type]
                        batch_size=config.get("batch_size"))  # type: ignore[arg-type]
    embedder = make_embedder(embed)
    if threads and hasattr(embedder, "threads"):  # onnxruntime's or numpy's threads
        embedder.threads = int(threads)  # type: ignore[call-overload]
    texts = texts_of(str(config["texts"]), int(config["n"]))  # type: ignore[call-overload]
    if (config.get("workers") or 1) <= 1:
        embedder.encode(texts[:64])  # load and warm up
    cpu, wall = cpu_seconds(), time.perf_counter()
    embedder.encode(texts)
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    return {**config, "n": len(texts), "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "queries_per_s": round(len(texts) / wall, 1),
            "queries_per_cpu_s": round(len(texts) / cpu, 1), "model_id": embedder.model_id}


TORCH_SET = [
    {"texts": kind, "n": n, "threads": threads, "workers": workers}
    for kind, n in (("short", 6000), ("long", 600))
    for threads, workers in ((1, 1), (2, 1), (1, 2))
] + [{"texts": "short", "n": 1024, "threads": 1, "workers": 2}]  # mostly the pool's start
BATCH_SET = [
    {"texts": kind, "n": n, "threads": 1, "workers": 1, "batch_size": size}
    for kind, n in (("short", 4000), ("long", 400))
    for size in (16, 32, 64, 128)
]
BACKENDS = ("all-MiniLM-L6-v2", "all-MiniLM-L6-v2+onnx-int8", "use-multilingual-v3")
BACKEND_SET = [
    {"texts": kind, "n": n, "threads": 1, "workers": 1, "model": model}
    for model in BACKENDS
    for kind, n in (("short", 4000), ("long", 600))
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=["torch", "batch", "backends", "all"], default="torch")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(json.loads(args.one))), flush=True)
        return 0
    sets = {"torch": TORCH_SET, "batch": BATCH_SET, "backends": BACKEND_SET}
    chosen = list(sets) if args.set == "all" else [args.set]
    out = Path(__file__).parent / "results" / "embed_speed.json"
    results = json.loads(out.read_text()) if out.is_file() else {}
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    for name in chosen:
        rows = []
        for config in sets[name]:
            load = [round(x, 2) for x in os.getloadavg()]
            done = subprocess.run([sys.executable, __file__, "--one", json.dumps(config)],
                                  capture_output=True, text=True, env=env, check=False)
            if done.returncode != 0:
                raise SystemExit(f"{config} failed: {done.stderr[-2000:]}")
            row = {**json.loads(done.stdout.strip().splitlines()[-1]), "load_average": load}
            print(json.dumps(row), flush=True)
            rows.append(row)
        results[name] = {"machine": f"{platform.machine()}, {os.cpu_count()} cores", "rows": rows}
    out.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
