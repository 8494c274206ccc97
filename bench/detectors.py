"""Benchmark the per-query detectors on the labelled data in SHIFT_BENCH_DATA.

Run by hand from the repository root::

    python bench/detectors.py

Prints one row per (metric, data set) with the measured value, the target and whether it is met,
then the throughput of ``detect_queries`` on this machine. The new-domain row scores CLINC150's
test queries against the full in-scope training set with the product's coverage score (the
validation split's 3,000 in-scope + 100 out-of-scope queries, with the 100 out-of-scope training
queries, are the tuning rows; pass ``--skip-new-domain`` to leave out its embedding step).
Tuning used dev/val/train rows; rows with a ``split`` are reported on their test split (SentiMix
has only trial/train: trial is reported; diagnostics looked at train).
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root

from analyzer.detect import detect_queries

ROOT = Path(__file__).resolve().parents[1]

Row = dict[str, Any]
EVAL_SETS = (
    "mt_bench", "alpaca_eval", "arena_hard_v0_1", "arena_hard_v2", "gsm8k_test", "mmlu",
    "ifeval", "humaneval", "self_instruct", "koala",
)


def data_dir() -> Path:
    return Path(os.environ.get("SHIFT_BENCH_DATA", ROOT / ".." / "shared" / "data")).resolve()


def load(name: str, keep: Callable[[Row], bool] = lambda r: True) -> list[Row]:
    path = data_dir() / f"{name}.jsonl"
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [r for r in rows if keep(r)]


def rate(rows: list[Row], column: str) -> float:
    frame = detect_queries([r["text"] for r in rows])
    return float(frame[column].mean()) if len(frame) else float("nan")


def f1(rows: list[Row]) -> tuple[float, float, float]:
    frame = detect_queries([r["text"] for r in rows])
    pred = frame["is_multi_intent"].to_numpy()
    gold = [bool(r["is_multi_intent"]) for r in rows]
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return 2 * tp / (2 * tp + fp + fn), precision, recall


def table() -> Iterable[tuple[str, str, int, float, str, bool]]:
    test = lambda r: r.get("split") == "test"
    # multi-intent
    mix = load("mixatis_mixsnips", test)
    score, precision, recall = f1(mix)
    yield "multi-intent F1", "mixatis_mixsnips test", len(mix), score, ">= 0.90", score >= 0.9
    yield "  precision", "mixatis_mixsnips test", len(mix), precision, "", True
    yield "  recall", "mixatis_mixsnips test", len(mix), recall, "", True
    for label, rows in (
        ("atis_snips_single test", load("atis_snips_single", test)),
        ("gsm8k_test", load("gsm8k_test")),
        ("clinc150 test in-scope", load("clinc150", lambda r: test(r) and not r["is_oos"])),
    ):
        value = rate(rows, "is_multi_intent")
        yield "multi-intent flagged", label, len(rows), value, "<= 0.03", value <= 0.03
    # mixed language
    rows = load("hinglish_top", test)
    value = rate(rows, "is_mixed_language")
    yield "mixed-language recall", "hinglish_top test", len(rows), value, ">= 0.80", value >= 0.8
    for pair in ("hi-en", "es-en", None):
        rows = load(
            "sentimix_codeswitch",
            lambda r, p=pair: r["is_code_switched"] and r["split"] == "trial"
            and (p is None or r["language_pair"] == p),
        )
        value = rate(rows, "is_mixed_language")
        label = f"sentimix trial {pair or 'all'}"
        target = ">= 0.70" if pair is None else ""
        yield "mixed-language recall", label, len(rows), value, target, (
            value >= 0.7 if pair is None else True
        )
    rows = load("nq_open")
    value = rate(rows, "is_mixed_language")
    yield "mixed-language flagged", "nq_open", len(rows), value, "<= 0.02", value <= 0.02
    mgsm = load("mgsm", test)
    for lang in sorted({r["language"] for r in mgsm}):
        rows = [r for r in mgsm if r["language"] == lang]
        value = rate(rows, "is_mixed_language")
        yield "mixed-language flagged", f"mgsm {lang}", len(rows), value, "<= 0.05", value <= 0.05
    # malformed
    for name, keep, target in (
        ("loghub_chunks", lambda r: True, 0.95),
        ("html_snippets", lambda r: True, 0.95),
        ("json_payloads", lambda r: True, 0.95),
        ("mojibake", lambda r: r["origin"] == "real", 0.8),
        ("bug_report_pastes", lambda r: r["has_stack_trace"], 0.8),
    ):
        rows = load(name, keep)
        value = rate(rows, "is_malformed")
        label = {"mojibake": "mojibake real", "bug_report_pastes": "bug reports w/ trace"}.get(
            name, name
        )
        yield "malformed recall", label, len(rows), value, f">= {target:.2f}", value >= target
    rows = load("bug_report_pastes", lambda r: not r["has_stack_trace"])
    value = rate(rows, "is_malformed")
    yield "malformed recall", "bug reports, code/log only", len(rows), value, "", True
    for name in ("nq_open", *EVAL_SETS):
        rows = load(name)
        value = rate(rows, "is_malformed")
        yield "malformed flagged", name, len(rows), value, "<= 0.01", value <= 0.01
    rows = load("mojibake", lambda r: r["origin"] == "real_negative")
    value = rate(rows, "is_malformed")
    yield "malformed flagged", "mojibake real_negative", len(rows), value, "<= 0.10", value <= 0.1


def new_domain() -> Iterable[tuple[str, str, int, float, str, bool]]:
    """AUROC of the coverage score against CLINC150 out-of-scope, full training set as reference."""
    import numpy as np
    import pandas as pd
    from sklearn.metrics import roc_auc_score

    from analyzer import Baseline, load_queries

    clinc = pd.read_json(data_dir() / "clinc150.jsonl", lines=True)
    reference = clinc[(clinc.split == "train") & ~clinc.is_oos]
    baseline = Baseline().fit(load_queries(reference))
    tuning = (clinc.split == "val") | ((clinc.split == "train") & clinc.is_oos)
    for label, rows, target in (
        ("clinc150 val + train oos", clinc[tuning], ""),
        ("clinc150 test", clinc[clinc.split == "test"], ">= 0.97"),
    ):
        scores = baseline.coverage_scores(baseline.embed_batch(load_queries(rows)))
        value = float(roc_auc_score(rows["is_oos"].to_numpy(dtype=int), np.asarray(scores)))
        yield "new-domain AUROC", label, len(rows), value, target, value >= 0.97 or not target


def throughput() -> list[tuple[str, int, float]]:
    short = [r["text"] for r in load("clinc150", lambda r: r.get("split") == "test")][:3000]
    short += [r["text"] for r in load("nq_open")][:2000]
    mixed = [r["text"] for r in load("hinglish_top", lambda r: r.get("split") == "test")][:2000]
    mixed += [r["text"] for r in load("sentimix_codeswitch")][:1000]
    mixed += [r["text"] for r in load("mgsm")][:1000]
    mixed += [r["text"] for r in load("alpaca_eval")][:500]
    mixed += [r["text"] for r in load("loghub_chunks")][:500]
    results = []
    detect_queries(short[:50])  # warm lingua and wordfreq tables
    for label, texts in (("short English (CLINC, NQ)", short), ("mixed traffic", mixed)):
        start = time.perf_counter()
        detect_queries(texts)
        seconds = time.perf_counter() - start
        results.append((label, len(texts), len(texts) / seconds))
    return results


def main() -> int:
    if not data_dir().is_dir():
        print(f"SHIFT_BENCH_DATA folder {data_dir()} not found; set SHIFT_BENCH_DATA.")
        return 0
    print(f"data: {data_dir()}")
    header = f"{'metric':26s} {'data set':30s} {'n':>6s} {'value':>7s} {'target':>8s} pass"
    print(header)
    print("-" * len(header))
    failures = 0
    rows = table() if "--skip-new-domain" in sys.argv else itertools.chain(table(), new_domain())
    for metric, label, n, value, target, ok in rows:
        failures += 0 if ok else 1
        mark = ("yes" if ok else "NO") if target else ""
        print(f"{metric:26s} {label:30s} {n:6d} {value:7.3f} {target:>8s} {mark}")
    print()
    python = f"Python {platform.python_version()}"
    machine = f"{platform.machine()}, {os.cpu_count()} CPU cores, {python}"
    print(f"throughput of detect_queries on this machine ({machine}):")
    for label, n, rate_qps in throughput():
        print(f"  {label:28s} n={n:5d}  {rate_qps:8.0f} queries/s")
    print(f"\ntargets missed: {failures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
