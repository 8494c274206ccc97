"""Weekly drift check on CLINC150: stable ids, new regions, alerts, re-runs, and timing.

Scenario (all through the real CLI, each command in its own process):

- baseline: in-scope training queries of every domain but two (travel, kitchen_and_dining);
- week 1: in-scope queries of the covered domains (val+test pool, a fresh sample each week);
- week 2: the same, plus travel queries making 15% of the week (expect exit 1, travel flagged);
- week 3: the same, plus travel and kitchen_and_dining at 15% each (expect exit 1; the travel
  region keeps its week-2 id, kitchen arrives with a new id);
- week 3 again (the history must still hold three runs);
- timing: `check` of week 3 against the saved baseline vs the equivalent `report`, both on a
  warm embedding cache.

Usage: python bench/weekly_clinc.py [--out DIR] [--covered N]
Reads $SHIFT_BENCH_DATA/clinc150.jsonl (default ../shared/data); writes only under --out.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SHIFT_BENCH_DATA", ROOT.parent / "shared" / "data"))
MISSING = ("travel", "kitchen_and_dining")
SHARE = 0.15


def build_weeks(folder: Path, covered_n: int, seed: int = 0) -> dict[str, Path]:
    data = pd.read_json(DATA / "clinc150.jsonl", lines=True)
    data = data[~data["is_oos"]].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    covered = ~data["domain"].isin(MISSING)
    frames: dict[str, pd.DataFrame] = {"reference": data[covered & (data["split"] == "train")]}
    pool = data[covered & (data["split"] != "train")]
    missing_pool = {d: data[data["domain"] == d] for d in MISSING}

    def week(n_missing: int) -> pd.DataFrame:
        parts = [pool.sample(covered_n, random_state=int(rng.integers(2**31)))]
        k = round(SHARE * covered_n / (1 - SHARE * n_missing))
        for domain in MISSING[:n_missing]:
            parts.append(missing_pool[domain].sample(k, random_state=int(rng.integers(2**31))))
        return pd.concat(parts, ignore_index=True)

    frames["w1"], frames["w2"], frames["w3"] = week(0), week(1), week(2)
    paths = {}
    for name, frame in frames.items():
        paths[name] = folder / f"{name}.jsonl"
        frame = frame.assign(id=[f"{name}-{i}" for i in range(len(frame))])
        frame[["id", "text", "intent", "domain"]].to_json(paths[name], orient="records", lines=True)
    return paths


def cli(*args: str) -> tuple[int, float, str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"shift-analyzer {' '.join(args)} failed:\n{proc.stderr}")
    return proc.returncode, elapsed, proc.stdout.strip()


def week_figures(out: Path, focus: dict[str, set[int]]) -> dict[str, Any]:
    summary = json.loads((out / "summary.json").read_text())
    clusters = pd.read_csv(out / "clusters.csv")
    queries = pd.read_parquet(out / "queries.parquet")
    prod = queries[queries["side"] == "production"]
    new_ids = set(summary["new_cluster_ids"])
    figures: dict[str, Any] = {
        "uncovered_share": round(summary["uncovered_share"], 4),
        "n_production": summary["n_production"],
        "n_clusters": summary["n_clusters"],
        "flagged_cluster_ids": summary["flagged_cluster_ids"],
        "new_cluster_ids": sorted(new_ids),
        "new_share": round(
            float(clusters.loc[clusters["cluster_id"].isin(new_ids), "share_production"].sum()), 4
        ),
        "breaches": [
            b["rule"] + (f"[{b['cluster_id']}]" if b["cluster_id"] is not None else "")
            for b in summary["breaches"]
        ],
    }
    for domain in MISSING:
        rows = prod[prod["domain"] == domain]
        if len(rows):
            figures[f"{domain}_in_new"] = round(float(rows["cluster_id"].isin(new_ids).mean()), 3)
            figures[f"{domain}_in_flagged"] = round(
                float(rows["cluster_id"].isin(summary["flagged_cluster_ids"]).mean()), 3
            )
            for name, ids in focus.items():
                figures[f"{domain}_in_{name}"] = round(
                    float(rows["cluster_id"].isin(ids).mean()), 3
                )
    if new_ids:
        in_new = prod[prod["cluster_id"].isin(new_ids)]
        figures["new_precision"] = round(float(in_new["domain"].isin(MISSING).mean()), 3)
    covered = prod[~prod["domain"].isin(MISSING)]
    figures["covered_in_new"] = round(float(covered["cluster_id"].isin(new_ids).mean()), 4)
    figures["_covered_ids"] = covered["cluster_id"].to_numpy()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="work folder (default: a temp dir)")
    parser.add_argument("--covered", type=int, default=3600, help="covered queries per week")
    args = parser.parse_args()
    work = args.out or Path(tempfile.mkdtemp(prefix="weekly-clinc-"))
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    files = build_weeks(work, args.covered)
    base, history = work / "baseline", work / "history.sqlite"
    for stale in (history, Path(f"{history}-wal"), Path(f"{history}-shm")):
        stale.unlink(missing_ok=True)
    print(f"work folder: {work}")
    code, secs, line = cli(
        "baseline",
        str(files["reference"]),
        "--out",
        str(base),
        "--cache-dir",
        str(cache),
        "--force",
        "-q",
    )
    print(f"baseline ({secs:.0f}s): {line}")

    results: dict[str, dict[str, Any]] = {}
    focus: dict[str, set[int]] = {}
    runs = [("w1", "2026-W01"), ("w2", "2026-W02"), ("w3", "2026-W03"), ("w3", "2026-W03")]
    for i, (week, period) in enumerate(runs):
        out = work / "reports" / f"{period}-{i}"
        code, secs, line = cli(
            "check",
            str(base),
            str(files[week]),
            "--history",
            str(history),
            "--period",
            period,
            "--out",
            str(out),
            "-q",
        )
        figures = week_figures(out, focus)
        figures.update(exit_code=code, seconds=round(secs, 1))
        key = period if i < 3 else f"{period} (re-run)"
        results[key] = figures
        if period == "2026-W02":
            focus["week2_new_ids"] = set(figures["new_cluster_ids"])
        print(
            f"check {key}: exit {code} ({secs:.0f}s) "
            + json.dumps({k: v for k, v in figures.items() if not k.startswith("_")})
        )

    w1, w2 = results["2026-W01"], results["2026-W02"]
    stable = float(np.isin(w2["_covered_ids"], np.unique(w1["_covered_ids"])).mean())
    print(f"covered traffic of week 2 in clusters whose id already existed in week 1: {stable:.3f}")
    w3 = results["2026-W03"]
    kept = sorted(
        focus["week2_new_ids"]
        & set(pd.read_csv(work / "reports" / "2026-W03-2" / "clusters.csv")["cluster_id"])
    )
    print(f"week-2 new ids present in week 3: {kept}; week-3 new ids: {w3['new_cluster_ids']}")
    listed = cli("history", str(history), "--json")[2]
    periods = [r["period"] for r in json.loads(listed)]
    print(f"history after the re-run: {len(periods)} runs {periods}")

    _, report_secs, _ = cli(
        "report",
        str(files["reference"]),
        str(files["w3"]),
        "--out",
        str(work / "reports" / "report-w3"),
        "--cache-dir",
        str(cache),
        "-q",
    )
    _, check_secs, _ = cli(
        "check",
        str(base),
        str(files["w3"]),
        "--history",
        str(work / "timing.sqlite"),
        "--period",
        "2026-W03",
        "--out",
        str(work / "reports" / "check-w3-timing"),
        "-q",
    )
    print(
        f"timing on a warm cache: report {report_secs:.1f}s, check {check_secs:.1f}s "
        f"(check/report = {check_secs / report_secs:.2f})"
    )
    ok = (
        [results[k]["exit_code"] for k in ("2026-W01", "2026-W02", "2026-W03")] == [0, 1, 1]
        and bool(kept)
        and bool(w3["new_cluster_ids"])
        and len(periods) == 3
    )
    print("scenario:", "PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
