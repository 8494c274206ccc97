"""Quality scenarios of the foundation on real labelled data.

Run by hand: ``python bench/scenarios.py``. Reads ../shared/data (or $SHIFT_BENCH_DATA); prints
a table and writes bench/results/scenarios.json.
Scenarios: new domain (CLINC150 out-of-scope), localization (three CLINC domains held out of the
reference), no false alarm (two halves of the same data, several seeds), broad traffic (LLM eval
sets vs held-out queries of the same sets plus a 2% Banking77 slice).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import pandas as pd
from sklearn.metrics import roc_auc_score

from analyzer.baseline import Baseline
from analyzer.config import AnalyzerConfig, ClusterConfig
from analyzer.ingest.load import load_queries

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SHIFT_BENCH_DATA", ROOT / ".." / "shared" / "data"))
EVAL_SETS = ("mt_bench", "alpaca_eval", "arena_hard_v0_1", "arena_hard_v2", "gsm8k_test", "mmlu",
             "ifeval", "humaneval", "self_instruct")


def read(name: str) -> pd.DataFrame:
    return pd.read_json(DATA / f"{name}.jsonl", lines=True)


def analyse(reference: pd.DataFrame, production: pd.DataFrame, config: AnalyzerConfig):
    result = Baseline(config).fit(load_queries(reference)).score(load_queries(production))
    queries = result.queries.to_frame()
    return result, queries[queries["side"] == "production"].reset_index(drop=True)


def new_domain(config: AnalyzerConfig, seed: int) -> dict[str, object]:
    clinc = read("clinc150")
    ref = clinc[(clinc.split == "train") & ~clinc.is_oos].sample(6000, random_state=seed)
    test = clinc[clinc.split == "test"]
    prod = pd.concat([test[~test.is_oos].sample(1500, random_state=seed),
                      test[test.is_oos].sample(500, random_state=seed)])
    result, p = analyse(ref, prod, config)
    auroc = roc_auc_score(p["is_oos"].astype(int), 1.0 - p["coverage_p"])
    in_scope = p[~p["is_oos"].astype(bool)]
    return {"auroc_oos": round(float(auroc), 4), "verdict": result.summary.verdict,
            "uncovered_share": round(result.summary.uncovered_share, 4),
            "false_alarm_rate_in_scope": round(float(in_scope["is_uncovered"].mean()), 4),
            "pass": bool(auroc >= 0.95 and result.summary.verdict == "shift")}


def new_domain_full(config: AnalyzerConfig) -> dict[str, object]:
    """The whole in-scope training set as reference; all test queries as production."""
    clinc = read("clinc150")
    ref = clinc[(clinc.split == "train") & ~clinc.is_oos]
    prod = clinc[clinc.split == "test"]
    result, p = analyse(ref, prod, config)
    auroc = roc_auc_score(p["is_oos"].astype(int), 1.0 - p["coverage_p"])
    in_scope = p[~p["is_oos"].astype(bool)]
    oos = p[p["is_oos"].astype(bool)]
    return {"reference": len(ref), "production": len(prod), "auroc_oos": round(float(auroc), 4),
            "verdict": result.summary.verdict,
            "uncovered_share": round(result.summary.uncovered_share, 4),
            "false_alarm_rate_in_scope": round(float(in_scope["is_uncovered"].mean()), 4),
            "oos_recall_at_alpha": round(float(oos["is_uncovered"].mean()), 4),
            "pass": bool(auroc >= 0.97 and result.summary.verdict == "shift")}


def localization(config: AnalyzerConfig, held_out: tuple[str, ...]) -> dict[str, object]:
    clinc = read("clinc150")
    inscope = clinc[~clinc.is_oos]
    ref = inscope[(inscope.split == "train") & ~inscope.domain.isin(held_out)]
    prod = inscope[inscope.split == "test"]
    result, p = analyse(ref, prod, config)
    flagged = p["cluster_id"].isin(result.summary.flagged_cluster_ids)
    missing = p["domain"].isin(held_out)
    precision = float(missing[flagged].mean()) if flagged.any() else 0.0
    recall = float(flagged[missing].mean())
    return {"held_out": list(held_out),
            "n_flagged_clusters": len(result.summary.flagged_cluster_ids),
            "precision": round(precision, 4), "recall": round(recall, 4),
            "verdict": result.summary.verdict, "pass": bool(precision >= 0.8 and recall >= 0.7)}


def no_false_alarm(config: AnalyzerConfig, seed: int) -> dict[str, object]:
    clinc = read("clinc150")
    train = clinc[(clinc.split == "train") & ~clinc.is_oos].sample(frac=1.0, random_state=seed)
    half = len(train) // 2
    result, _p = analyse(train.iloc[:half], train.iloc[half:], config)
    low, high = result.summary.uncovered_share_ci
    return {"seed": seed, "verdict": result.summary.verdict,
            "n_flagged": len(result.summary.flagged_cluster_ids),
            "uncovered_share": round(result.summary.uncovered_share, 4),
            "ci": [round(low, 4), round(high, 4)],
            "classifier_p": result.summary.global_tests["classifier"]["p_value"],
            "mmd_p": result.summary.global_tests["mmd"]["p_value"],
            "pass": bool(result.summary.verdict == "ok" and not result.summary.flagged_cluster_ids
                         and low <= config.cover.alpha)}


def broad_traffic(config: AnalyzerConfig, seed: int, slice_name: str = "banking77",
                  slice_share: float = 0.02) -> dict[str, object]:
    frames = [read(n).assign(source=n) for n in EVAL_SETS]
    evals = pd.concat(frames, ignore_index=True)[["text", "source"]]
    evals = evals.drop_duplicates("text").sample(frac=1.0, random_state=seed).reset_index(drop=True)
    cut = int(0.7 * len(evals))
    ref, held = evals.iloc[:cut], evals.iloc[cut:]
    extra = read(slice_name)[["text"]].assign(source=slice_name)
    n_slice = round(slice_share * len(held) / (1 - slice_share))
    prod = pd.concat([held, extra.sample(n_slice, random_state=seed)], ignore_index=True)
    result, p = analyse(ref, prod, config)
    clusters = result.clusters.to_frame()
    is_slice = p["source"] == slice_name
    flagged = p["cluster_id"].isin(result.summary.flagged_cluster_ids)
    slice_clusters = p[is_slice]["cluster_id"].value_counts()
    top = int(slice_clusters.index[0])
    top_share_slice = float((p[p.cluster_id == top]["source"] == slice_name).mean())
    all_rows = pd.concat([clusters["n_reference"] + clusters["n_production"]])
    largest = float(all_rows.max() / all_rows.sum())
    precision = float(is_slice[flagged].mean()) if flagged.any() else 0.0
    slice_auroc = float(roc_auc_score(is_slice.astype(int), 1 - p["coverage_p"]))
    return {"slice": slice_name, "slice_rows": int(is_slice.sum()), "production_rows": len(p),
            "n_clusters": len(clusters), "largest_cluster_share": round(largest, 4),
            "slice_recall_in_flagged": round(float(flagged[is_slice].mean()), 4),
            "flagged_precision_slice": round(precision, 4),
            "top_slice_cluster_flagged": bool(top in result.summary.flagged_cluster_ids),
            "top_slice_cluster_purity": round(top_share_slice, 4),
            "slice_auroc": round(slice_auroc, 4),
            "pass": bool(flagged[is_slice].mean() >= 0.7 and largest < 0.5
                         and top in result.summary.flagged_cluster_ids)}


HELD_OUT_DOMAINS = (
    ("banking", "travel", "utility"),
    ("auto_and_commute", "home", "meta"),
    ("kitchen_and_dining", "small_talk", "work"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--selection", default=None)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    cluster = ClusterConfig(selection=args.selection) if args.selection else ClusterConfig()
    config = AnalyzerConfig(cluster=cluster)
    runs = {
        "new_domain": lambda: [new_domain(config, 0)],
        "new_domain_full": lambda: [new_domain_full(config)],
        "localization": lambda: [localization(config, d) for d in HELD_OUT_DOMAINS],
        "no_false_alarm": lambda: [no_false_alarm(config, s) for s in range(args.seeds)],
        "broad_traffic": lambda: [broad_traffic(config, s) for s in range(args.seeds)],
    }
    results: dict[str, object] = {"machine": "2-core x86_64, 24 GiB (the project's build machine)",
                                  "selection": config.cluster.selection}
    for name, run in runs.items():
        if args.only and name not in args.only:
            continue
        start = time.perf_counter()
        rows = run()
        results[name] = rows
        for row in rows:
            print(f"{name:15s} {json.dumps(row)}", flush=True)
        print(f"{name:15s} {time.perf_counter() - start:.0f} s", flush=True)
    out = Path(__file__).parent / "results" / f"scenarios-{config.cluster.selection}.json"
    out.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
