"""Small regions: a new product area at half a percent of LLM-eval-like traffic.

Reference: one half of every LLM eval set in $SHIFT_BENCH_DATA (alpaca_eval, arena_hard_v0_1,
arena_hard_v2, gsm8k_test, mmlu, humaneval, ifeval, self_instruct, koala, mt_bench,
vicuna_bench; the half by the parity of sha256(source:id)). Production per draw: 2,400 queries
of the other halves (seeded) plus, unless it is a null draw, ``size`` queries of one new domain
the reference lacks. Domains by role:

* ``dev`` (used to choose the pass's settings): CLINC150 domains (in-scope test queries) and
  the hand-written tests/data/handwritten_dev/new_domains.jsonl domains;
* ``test`` (held out, reported): HWU64 scenarios, Banking77 (one domain) and the hand-written
  tests/data/handwritten_test/new_domains.jsonl domains.

Every null draw splits the eval sets anew (another salt) and fits its own reference, so null
draws are independent; draws with an injected domain share five splits. A domain is
*detected* when at least a third of its injected queries lie in flagged or emerging regions
in which the injected queries are at least half of the production queries (a region about the
domain, holding a good part of it).

Usage::

    python bench/small_regions.py --role test --draws 20 --sizes 10 15 20 30 --nulls 20
    python bench/small_regions.py --role dev --draws 5 --no-emerging   # today's detection
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analyzer.baseline import Baseline  # noqa: E402
from analyzer.config import AnalyzerConfig, EmbedConfig  # noqa: E402
from analyzer.ingest.load import load_queries  # noqa: E402

DATA = Path(os.environ.get("SHIFT_BENCH_DATA", ROOT / ".." / "shared" / "data")).resolve()
EVAL_SETS = (
    "alpaca_eval",
    "arena_hard_v0_1",
    "arena_hard_v2",
    "gsm8k_test",
    "mmlu",
    "humaneval",
    "ifeval",
    "self_instruct",
    "koala",
    "mt_bench",
    "vicuna_bench",
)
PRODUCTION_SIZE = 2400
#: Splits of the eval sets that the draws with an injected domain share.
SPLITS = 5


def _half(source: str, row_id: object, salt: str) -> int:
    return hashlib.sha256(f"{salt}:{source}:{row_id}".encode()).digest()[0] % 2


def eval_halves(salt: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(reference half, production pool): the LLM eval sets split in two by the parity of
    sha256(salt:source:id), deduplicated; each salt is another random split."""
    frames = []
    for name in EVAL_SETS:
        frame = pd.read_json(DATA / f"{name}.jsonl", lines=True)
        frame["half"] = [_half(name, i, salt) for i in frame.get("id", frame.index)]
        frames.append(frame[["text", "half"]].assign(source=name))
    rows = pd.concat(frames, ignore_index=True).drop_duplicates("text")
    return rows[rows["half"] == 0].reset_index(drop=True), rows[rows["half"] == 1].reset_index(
        drop=True
    )


def new_domains(role: str) -> dict[str, list[str]]:
    """Each new domain's queries, for the given role (dev or test)."""
    domains: dict[str, list[str]] = {}
    if role == "dev":
        clinc = pd.read_json(DATA / "clinc150.jsonl", lines=True)
        inscope = clinc[~clinc["is_oos"] & (clinc["split"] == "test")]
        for name, rows in inscope.groupby("domain"):
            domains[f"clinc:{name}"] = rows["text"].tolist()
    else:
        hwu = pd.read_json(DATA / "hwu64.jsonl", lines=True)
        for name, rows in hwu.groupby("scenario"):
            domains[f"hwu64:{name}"] = rows["text"].drop_duplicates().tolist()
        domains["banking77"] = pd.read_json(DATA / "banking77.jsonl", lines=True)["text"].tolist()
    folder = "handwritten_dev" if role == "dev" else "handwritten_test"
    hand = pd.read_json(ROOT / "tests" / "data" / folder / "new_domains.jsonl", lines=True)
    for name, rows in hand.groupby("domain"):
        domains[f"hand:{name}"] = rows["text"].tolist()
    return domains


@dataclass(frozen=True)
class Draw:
    """One production batch: its frame (with ``injected``) and the domain it holds."""

    frame: pd.DataFrame
    domain: str | None
    size: int


def make_draw(pool: pd.DataFrame, domains: dict[str, list[str]], size: int, seed: int) -> Draw:
    """2,400 production queries of the pool plus ``size`` of one random domain (0: a null)."""
    rng = np.random.default_rng(seed)
    base = pool.sample(PRODUCTION_SIZE, random_state=int(rng.integers(2**31)))[["text"]]
    base = base.assign(injected=False)
    if size == 0:
        return Draw(base.reset_index(drop=True), None, 0)
    names = [n for n, texts in domains.items() if len(texts) >= size]
    name = names[int(rng.integers(len(names)))]
    texts = list(rng.choice(domains[name], size=size, replace=False))
    added = pd.DataFrame({"text": texts, "injected": True})
    frame = pd.concat([base, added], ignore_index=True).sample(frac=1.0, random_state=seed)
    return Draw(frame.reset_index(drop=True), name, size)


def detected(result: Any, flags: bool = True, emerging: bool = True) -> bool:
    """At least a third of the injected queries in flagged or emerging regions that they make
    at least half of (by production rows); ``flags``/``emerging`` choose the regions counted
    (flags alone: the detection before the emerging pass)."""
    queries = result.queries.frame
    prod = queries[queries["side"] == "production"]
    injected = prod["injected"].astype(bool).to_numpy()
    if not injected.any():
        return False
    hit = np.zeros(len(prod), dtype=bool)
    groups = []
    if flags:
        groups += [(prod["cluster_id"] == c).to_numpy() for c in result.summary.flagged_cluster_ids]
    if emerging:
        ids = set(prod["emerging_id"]) - {-1}
        groups += [(prod["emerging_id"] == e).to_numpy() for e in ids]
    for members in groups:
        if injected[members].mean() >= 0.5:
            hit |= members
    return bool(hit[injected].mean() >= 1 / 3)


def false_alarm(result: Any) -> bool:
    """Any flagged or emerging region in a batch without injection."""
    return bool(result.summary.flagged_cluster_ids) or bool(
        result.summary.extra.get("emerging_regions")
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    domains = new_domains(args.role)
    config = AnalyzerConfig(embed=EmbedConfig(cache_dir=args.cache_dir))
    if args.no_emerging:
        config = config.with_overrides({"emerging": {"enabled": False}})
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    plan = [(0, d) for d in range(args.nulls)] + [
        (size, d) for size in args.sizes for d in range(args.draws)
    ]
    fitted: dict[str, tuple[Baseline, pd.DataFrame]] = {}
    for size, d in plan:
        # Every null draw splits anew; injected draws share SPLITS splits (their question is
        # detection, and a fit costs as much as a score).
        salt = f"{args.role}-{args.seed}-{'null-' + str(d) if size == 0 else d % SPLITS}"
        if salt not in fitted:
            reference, pool = eval_halves(salt)
            fitted = {
                k: v for k, v in fitted.items() if not k.startswith(f"{args.role}-{args.seed}-null")
            }
            fitted[salt] = (Baseline(config).fit(load_queries(reference[["text"]])), pool)
        baseline, pool = fitted[salt]
        draw = make_draw(pool, domains, size, seed=1000 * size + d + args.seed)
        result = baseline.score(load_queries(draw.frame))
        detectable = result.summary.extra.get("minimum_detectable_region", {})
        rows.append(
            {
                "size": size,
                "draw": d,
                "domain": draw.domain,
                "detected": detected(result) if size else None,
                "detected_by_flags": detected(result, emerging=False) if size else None,
                "detected_by_emerging": detected(result, flags=False) if size else None,
                "false_alarm": false_alarm(result) if size == 0 else None,
                "n_flagged": len(result.summary.flagged_cluster_ids),
                "n_emerging": len(result.summary.extra.get("emerging_regions", [])),
                "predicted_mdr": detectable.get("n_queries"),
                "predicted_rate": detectable.get("detection_rates", {}).get(str(size)),
                "flagged_if_own_cluster": detectable.get("flagged_if_own_cluster"),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    return {
        "summary": summarize(rows, args),
        "rows": rows,
        "seconds": time.perf_counter() - started,
    }


def summarize(rows: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    """Detection rate per size, null false alarms, and the predicted minimum region."""
    frame = pd.DataFrame(rows)
    nulls = frame[frame["size"] == 0]
    predicted = frame["predicted_mdr"].dropna()
    return {
        "role": args.role,
        "emerging": not args.no_emerging,
        "null_false_alarms": int(nulls["false_alarm"].sum()),
        "null_flagged": int((nulls["n_flagged"] > 0).sum()),
        "null_emerging": int((nulls["n_emerging"] > 0).sum()),
        "n_nulls": len(nulls),
        "detection": {
            str(size): float(frame.loc[frame["size"] == size, "detected"].mean())
            for size in args.sizes
        },
        "detection_by_flags_alone": {
            str(size): float(frame.loc[frame["size"] == size, "detected_by_flags"].mean())
            for size in args.sizes
        },
        "predicted_rate_mean": {
            str(size): float(
                frame.loc[frame["size"] == size, "predicted_rate"].astype(float).mean()
            )
            for size in args.sizes
        },
        "predicted_mdr_median": float(predicted.median()) if len(predicted) else None,
        "predicted_mdr_range": [float(predicted.min()), float(predicted.max())]
        if len(predicted)
        else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--role", choices=["dev", "test"], default="test")
    parser.add_argument("--draws", type=int, default=20)
    parser.add_argument("--nulls", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 15, 20, 30])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-emerging", action="store_true")
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--out", default=None, help="Write the JSON results here.")
    args = parser.parse_args()
    results = run(args)
    print(json.dumps(results["summary"], indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
