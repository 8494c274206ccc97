"""Quality of each embedding backend on the foundation's scenarios, through the whole report.

    python bench/backends.py                          # every backend, every scenario
    python bench/backends.py --models use-multilingual-v3 --only mgsm

Per backend (the ``model`` setting): CLINC150 out-of-scope AUROC of 1 - coverage_p and the
in-scope false-alarm rate at alpha 0.05 (the whole in-scope training set as reference, every
test query as production: ``scenarios.new_domain_full``), localization precision and recall of
the flagged regions with three CLINC150 domains held out of the reference
(``scenarios.localization``), and MGSM cross-lingual twin retrieval (each non-English question's
nearest English question is its translation). Speed per backend: bench/embed_speed.py.
Writes bench/results/backends.json. Run by hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root

from analyzer.config import AnalyzerConfig, EmbedConfig
from analyzer.embed import make_embedder
from bench.scenarios import DATA, HELD_OUT_DOMAINS, localization, new_domain_full

MODELS = ("all-MiniLM-L6-v2", "all-MiniLM-L6-v2+onnx-int8", "use-multilingual-v3")


def mgsm_twins(model: str) -> dict[str, float]:
    """Share of each language's questions whose nearest English MGSM question is their twin."""
    mgsm = pd.read_json(DATA / "mgsm.jsonl", lines=True)
    embedder = make_embedder(EmbedConfig(model=model))
    english = mgsm[mgsm["language"] == "en"].reset_index(drop=True)
    english_vectors = embedder.encode(english["text"].tolist())
    out = {}
    for language, group in mgsm[mgsm["language"] != "en"].groupby("language"):
        nearest = np.argmax(embedder.encode(group["text"].tolist()) @ english_vectors.T, axis=1)
        hits = english["parallel_id"].to_numpy()[nearest] == group["parallel_id"].to_numpy()
        out[str(language)] = round(float(hits.mean()), 3)
    return out


def evaluate(model: str, only: list[str] | None) -> dict[str, object]:
    config = AnalyzerConfig(embed=EmbedConfig(model=model))
    row: dict[str, object] = {"model": model, "model_id": make_embedder(config.embed).model_id,
                              "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    start = time.perf_counter()
    if not only or "new_domain" in only:
        row["new_domain_full"] = new_domain_full(config)
    if not only or "localization" in only:
        runs = [localization(config, domains) for domains in HELD_OUT_DOMAINS]
        row["localization"] = runs
        row["localization_mean"] = {
            key: round(float(np.mean([float(r[key]) for r in runs])), 4)  # type: ignore[arg-type]
            for key in ("precision", "recall")
        }
    if not only or "mgsm" in only:
        row["mgsm_twin_retrieval"] = mgsm_twins(model)
    row["seconds"] = round(time.perf_counter() - start)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="*", default=list(MODELS))
    parser.add_argument("--only", nargs="*", default=None,
                        help="new_domain, localization, mgsm")
    args = parser.parse_args()
    out = Path(__file__).parent / "results" / "backends.json"
    results = json.loads(out.read_text()) if out.is_file() else {}
    results["machine"] = f"x86_64, {os.cpu_count()} cores (the project's build machine)"
    for model in args.models:
        row = evaluate(model, args.only)
        print(json.dumps(row), flush=True)
        results[model] = {**results.get(model, {}), **row}
        out.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
