"""Labelling queue on LLM-eval traffic with a few percent of shifted queries from several causes.

Reference: one half of every LLM eval set in $SHIFT_BENCH_DATA (the split of
``bench/small_regions.py``, a new salt per seed). Production: 2,400 queries of the other halves
plus the shifted queries, all hand-written and held out (tests/data/handwritten_test): 40
malformed pastes, 40 multi-intent and 40 mixed-language queries (positives of each set), and two
new product domains of 30 queries each. The queue (200 entries) comes from the real pipeline
(``Baseline.score`` then the segment stage, no route or outcome column). Printed per seed: the
shifted share among the first 20, the first 50 and the first min(50, shifted) entries, and which
causes the head covers; nothing here was tuned on these sets.

Usage::

    python bench/label_queue.py --seeds 3 [--out bench/results/label_queue.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from small_regions import PRODUCTION_SIZE, eval_halves  # noqa: E402

from analyzer.baseline import Baseline  # noqa: E402
from analyzer.config import AnalyzerConfig, EmbedConfig  # noqa: E402
from analyzer.ingest.load import load_queries  # noqa: E402
from analyzer.segments import SegmentOptions, add_segments  # noqa: E402

HAND = ROOT / "tests" / "data" / "handwritten_test"
PER_CAUSE = 40
DOMAINS = 2


def shifted_queries(rng: np.random.Generator) -> pd.DataFrame:
    """The shifted production queries, each with its cause."""
    parts = []
    for cause in ("malformed", "multi_intent", "mixed_language"):
        frame = pd.read_json(HAND / f"{cause}.jsonl", lines=True)
        positives = frame[frame[f"is_{cause}"].astype(bool)]
        take = positives.sample(PER_CAUSE, random_state=int(rng.integers(2**31)))
        parts.append(pd.DataFrame({"text": take["text"], "cause": cause}))
    domains = pd.read_json(HAND / "new_domains.jsonl", lines=True)
    for name in rng.choice(sorted(domains["domain"].unique()), DOMAINS, replace=False):
        rows = domains[domains["domain"] == name]
        parts.append(pd.DataFrame({"text": rows["text"], "cause": f"new_domain:{name}"}))
    return pd.concat(parts, ignore_index=True)


def run_seed(seed: int, cache_dir: str | None) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    reference, pool = eval_halves(f"queue-{seed}")
    base = pool.sample(PRODUCTION_SIZE, random_state=seed)[["text"]].assign(cause="")
    production = pd.concat([base, shifted_queries(rng)], ignore_index=True)
    production = production.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    production["id"] = [f"p{i}" for i in range(len(production))]
    config = AnalyzerConfig(embed=EmbedConfig(cache_dir=cache_dir))
    baseline = Baseline(config).fit(load_queries(reference[["text"]]))
    batch = load_queries(production[["id", "text", "cause"]])
    result = baseline.score(batch)
    embeddings = baseline.embed_batch(batch)
    _, analysis = add_segments(
        result, batch.frame, embeddings, SegmentOptions(label_size=200, seed=seed)
    )
    queue = analysis.queue.to_frame()
    cause_of = dict(zip(production["id"], production["cause"], strict=True))
    causes = [cause_of[i] for i in queue["id"]]
    n_shifted = int((production["cause"] != "").sum())
    head = min(50, n_shifted)

    def share(n: int) -> float:
        return float(np.mean([c != "" for c in causes[:n]])) if causes else 0.0

    return {
        "seed": seed,
        "n_production": len(production),
        "n_shifted": n_shifted,
        "base_rate": n_shifted / len(production),
        "top20": share(20),
        "top50": share(50),
        f"top{head}": share(head),
        "head_causes": pd.Series([c.split(":")[0] or "none" for c in causes[:head]])
        .value_counts()
        .to_dict(),
        "n_emerging": len(result.emerging),
        "n_flagged": len(result.summary.flagged_cluster_ids),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = []
    for seed in range(args.seeds):
        rows.append(run_seed(seed, args.cache_dir))
        print(json.dumps(rows[-1]), flush=True)
    summary = {
        "mean_top20": float(np.mean([r["top20"] for r in rows])),
        "mean_top50": float(np.mean([r["top50"] for r in rows])),
        "min_top50": float(np.min([r["top50"] for r in rows])),
        "seconds": time.perf_counter() - started,
    }
    print(json.dumps(summary, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps({"summary": summary, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
