"""The GPU check: embedding on CUDA against the CPU, and a 100,000-row report with --device cuda.

    python bench/gpu_check.py                 # on a machine with an NVIDIA GPU and CUDA torch
    python bench/gpu_check.py --rows 20000    # a shorter end-to-end run

Needs the project's environment with a CUDA build of torch (``pip install torch`` from the
CUDA index instead of the CPU wheel) and the shared data folder ($SHIFT_BENCH_DATA). Measures,
in this order, each step printing one JSON line as it finishes:

1. the machine: GPU name and memory, torch and CUDA versions, CPU cores;
2. vectors: max abs difference and least cosine between CUDA and CPU embeddings of the same
   2,000 texts (short and long), i.e. what float differences a GPU gives;
3. throughput: queries per second on CUDA at batch sizes 64-1024 (short and long texts), and on
   the CPU with the default worker processes, same texts;
4. end to end: ``report`` on 100,000 production rows (the traffic-like sets of bench/perf.py,
   sampled with repeats) against 10,000 reference rows with ``--device cuda``, cold (empty
   embedding cache) then warm, wall seconds and peak resident memory.

Writes gpu_check.json (and the cold report's summary.json) under $OUT when it is set, else
bench/results/. Nothing here is a test. Not yet run: no GPU machine was available when it was
written (docs/scaling.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root

import pandas as pd

from bench.embed_speed import texts_of
from bench.perf import DATA, LARGE_PRODUCTION, LARGE_REFERENCE, timed, write_jsonl

OUT = Path(os.environ.get("OUT") or Path(__file__).parent / "results")


def machine() -> dict[str, object]:
    import torch

    info: dict[str, object] = {
        "python": platform.python_version(), "cpu_cores": os.cpu_count(),
        "torch": torch.__version__, "cuda": torch.version.cuda,
        "cuda_available": torch.cuda.is_available(),
    }
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        info.update(gpu=props.name, gpu_memory_gib=round(props.total_memory / 2**30, 1))
    return info


def embedder(device: str, batch_size: int | None = None, workers: int | None = None):
    from analyzer.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(device=device, batch_size=batch_size, workers=workers)


def vector_differences() -> dict[str, object]:
    out: dict[str, object] = {}
    for kind in ("short", "long"):
        texts = texts_of(kind, 2000)
        gpu, cpu = embedder("cuda").encode(texts), embedder("cpu", workers=1).encode(texts)
        cosine = np.einsum("ij,ij->i", gpu, cpu)
        out[kind] = {"max_abs_difference": float(np.abs(gpu - cpu).max()),
                     "min_cosine": float(cosine.min()), "mean_cosine": float(cosine.mean())}
    return out


def rate(model, texts: list[str], warm: bool = True) -> float:
    if warm:
        model.encode(texts[:256])
    start = time.perf_counter()
    model.encode(texts)
    return round(len(texts) / (time.perf_counter() - start), 1)


def throughput() -> dict[str, object]:
    rows: dict[str, object] = {}
    for kind, n in (("short", 20_000), ("long", 2_000)):
        texts = texts_of(kind, n)
        for size in (64, 128, 256, 512, 1024):
            rows[f"cuda_{kind}_batch_{size}"] = rate(embedder("cuda", batch_size=size), texts)
        rows[f"cpu_{kind}_default_workers"] = rate(embedder("cpu"), texts, warm=False)
        print(json.dumps({kind: rows}), flush=True)
    return rows


def large_files(work: Path, rows: int) -> tuple[Path, Path, int]:
    """bench/perf.py's large scenario: ``rows`` traffic-like production queries (sampled with
    repeats), 10,000 reference queries from the eval sets and CLINC150 validation."""
    def texts(names: list[str]) -> pd.DataFrame:
        return pd.concat([pd.read_json(DATA / f"{n}.jsonl", lines=True)[["text"]] for n in names])

    pool = texts(LARGE_PRODUCTION)
    production = pool.sample(rows, replace=len(pool) < rows, random_state=1)
    clinc = pd.read_json(DATA / "clinc150.jsonl", lines=True)
    reference = pd.concat([texts(LARGE_REFERENCE), clinc[clinc.split == "val"][["text"]]])
    write_jsonl(reference.head(10_000), work / "ref.jsonl")
    write_jsonl(production, work / "prod.jsonl")
    return work / "ref.jsonl", work / "prod.jsonl", int(production["text"].nunique())


def end_to_end(rows: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        reference, production, distinct = large_files(work, rows)
        command = [sys.executable, "-m", "analyzer", "report", str(reference), str(production),
                   "--device", "cuda", "--cache-dir", str(work / "cache"), "--quiet"]
        env = {**os.environ, "HF_HUB_OFFLINE": "1"}
        cold = timed([*command, "--out", str(work / "cold")], env)
        warm = timed([*command, "--out", str(work / "warm")], env)
        summary = json.loads((work / "cold" / "summary.json").read_text())
        (OUT / "gpu_check_summary.json").write_text(json.dumps(summary, indent=1))
    return {"production_rows": rows, "production_distinct": distinct, "cold": cold, "warm": warm,
            "verdict": summary["verdict"], "model_id": summary["versions"]["model_id"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip", nargs="*", default=[], help="vectors, throughput, report")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {"machine": machine()}
    print(json.dumps(results), flush=True)
    if not results["machine"]["cuda_available"]:  # type: ignore[index]
        raise SystemExit("torch sees no CUDA GPU here: run this on a GPU machine.")
    steps = {"vectors": vector_differences, "throughput": throughput,
             "report": lambda: end_to_end(args.rows)}
    for name, step in steps.items():
        if name in args.skip:
            continue
        results[name] = step()
        print(json.dumps({name: results[name]}), flush=True)
        (OUT / "gpu_check.json").write_text(json.dumps(results, indent=1) + "\n")
    subprocess.run(["nvidia-smi"], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
