"""Size and time-to-interactive of report.html at 10k and 100k points, in headless Chromium.

The analysis is fabricated (coordinates, clusters, statistics: only the page is measured), the
texts are real queries from the shared data (banking77, clinc150, hwu64; their real lengths),
and the segment stage runs for real on the fabricated result. Time to interactive = page load
until ``body[data-ready='1']`` (plotly drawn, handlers bound) plus a first hover and a first
restyle (colour mode switch).

Usage::

    python bench/report_scale.py                 # 10k and 100k production points
    python bench/report_scale.py --sizes 10000   # one size
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analyzer.config import AnalyzerConfig
from analyzer.coverage.conformal import centroid_count
from analyzer.regions.stats import ClusterStats
from analyzer.result import ClusterRow, ClusterTable, QueryTable, ShiftResult, Summary
from analyzer.segments import SegmentAnalysis, SegmentOptions, add_segments

DATA = Path(os.environ.get("SHIFT_BENCH_DATA", ROOT / ".." / "shared" / "data")).resolve()
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CAUSES = ("malformed", "multi_intent", "mixed_language", "new_domain")


def real_texts(n: int, rng: np.random.Generator) -> list[str]:
    """``n`` real queries (with repeats when n exceeds the files) from the shared data."""
    texts: list[str] = []
    for name in ("banking77", "clinc150", "hwu64"):
        path = DATA / f"{name}.jsonl"
        if path.is_file():
            texts.extend(pd.read_json(path, lines=True)["text"].astype(str).tolist())
    if not texts:
        raise SystemExit(f"no data in {DATA}: set SHIFT_BENCH_DATA to the shared data folder")
    return [texts[i] for i in rng.integers(0, len(texts), size=n)]


def fabricate_result(
    texts: Sequence[str],
    n_production: int,
    n_reference: int,
    rng: np.random.Generator,
    *,
    n_clusters: int = 40,
    n_flagged: int = 4,
    segment_values: dict[str, list[str]] | None = None,
) -> tuple[ShiftResult, SegmentAnalysis]:
    """A ShiftResult-shaped input for the report: fabricated map, clusters and statistics.

    Texts are drawn from ``texts`` (cycled); clusters are Gaussian blobs on the map; the first
    ``n_flagged`` clusters are production-only and flagged. The segment stage runs for real.
    """
    n = n_production + n_reference
    side = np.array(["production"] * n_production + ["reference"] * n_reference)
    weights = rng.dirichlet(np.ones(n_clusters) * 2.0)
    cluster = rng.choice(n_clusters, size=n, p=weights)
    flagged = list(range(n_flagged))
    is_ref = side == "reference"
    cluster[is_ref & np.isin(cluster, flagged)] = n_flagged  # the reference never covers them
    centres = rng.normal(0, 10, size=(n_clusters, 2))
    xy = centres[cluster] + rng.normal(0, 0.8, size=(n, 2))
    coverage = np.where(is_ref, np.nan, rng.uniform(0, 1, size=n) ** np.where(np.isin(cluster, flagged), 8, 1))
    flags = [
        [] if is_ref[i] or rng.uniform() > 0.15 else [CAUSES[int(rng.integers(0, 4))]]
        for i in range(n)
    ]
    frame = pd.DataFrame({
        "side": side,
        "id": [f"q{i:06d}" for i in range(n)],
        "text": [texts[i % len(texts)] for i in range(n)],
        "cluster_id": cluster,
        "map_x": xy[:, 0],
        "map_y": xy[:, 1],
        "coverage_p": coverage,
        "is_uncovered": ~is_ref & (np.nan_to_num(coverage, nan=1.0) < 0.05),
        "flags": flags,
    })
    segment_values = segment_values or {"client": ["web", "mobile", "api"], "locale": ["en-US", "de-DE", "hi-IN"]}
    for column, values in segment_values.items():
        frame[column] = np.where(is_ref, None, rng.choice(np.array(values, dtype=object), size=n))
    rows = []
    n_ref_c = np.bincount(cluster[is_ref], minlength=n_clusters)
    n_prod_c = np.bincount(cluster[~is_ref], minlength=n_clusters)
    for c in range(n_clusters):
        members = np.flatnonzero(cluster == c)[:5]
        sp, sr = n_prod_c[c] / max(n_production, 1), n_ref_c[c] / max(n_reference, 1)
        stats = ClusterStats(
            cluster_id=c, n_reference=int(n_ref_c[c]), n_production=int(n_prod_c[c]),
            share_reference=float(sr), share_production=float(sp), coverage=float(rng.uniform()),
            log_ratio=float(np.log((sp + 1e-3) / (sr + 1e-3))), js_contribution=0.01,
            p_value=0.001 if c in flagged else 0.5, q_value=0.002 if c in flagged else 0.6,
            direction="production-heavy" if c in flagged else "balanced", is_flagged=c in flagged,
        )
        words = str(frame["text"].iloc[members[0]] if len(members) else "empty").split()[:3]
        rows.append(ClusterRow(stats, " / ".join(words), tuple(words),
                               tuple(frame["text"].iloc[members].tolist())))
    rows.sort(key=lambda r: (not r.stats.is_flagged, -r.stats.share_production))
    config = AnalyzerConfig()
    from dataclasses import asdict

    parameters: dict[str, Any] = {k: asdict(getattr(config, k)) for k in ("embed", "cover", "cluster", "score")}
    cover = config.cover
    n_centroids = centroid_count(n_reference, cover.per_centroid, cover.centroid_fit_max, cover.min_centroids)
    parameters.update(min_cluster_size_used=8, n_fit=n, n_centroids_used=n_centroids)
    summary = Summary(
        verdict="shift", alpha=0.05, n_reference=n_reference, n_production=n_production,
        uncovered_share=float(frame["is_uncovered"].sum() / max(n_production, 1)),
        uncovered_share_ci=(0.1, 0.2), js_divergence=0.1,
        global_tests={
            "classifier": {"auc": 0.6, "auc_ci": [0.58, 0.62], "p_value": 0.001,
                           "n_reference": n_reference, "n_production": n_production},
            "mmd": {"mmd2": 0.01, "p_value": 0.005, "n_permutations": 200, "bandwidth": 1.0},
        },
        n_clusters=n_clusters, flagged_cluster_ids=flagged, skipped_rows=[],
        parameters=parameters, versions={"model_id": "fabricated"},
    )
    result = ShiftResult(summary, ClusterTable(tuple(rows)), QueryTable(frame))
    production = frame[~is_ref].drop(columns=["side"]).reset_index(drop=True)
    embeddings = rng.normal(size=(n_production, 8)).astype(np.float32)
    embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
    options = SegmentOptions(segment_cols=tuple(segment_values), label_size=50)
    return add_segments(result, production, embeddings, options)


def measure(path: Path, browser: Any, width: int = 1280, height: int = 900) -> dict[str, float]:
    """Seconds from navigation to ready, to a first hover and to a first restyle."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=120_000)
    page.wait_for_selector("body[data-ready='1']", timeout=120_000)
    ready = time.perf_counter() - start
    box = page.locator("#map").bounding_box()
    t = time.perf_counter()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(box["x"] + box["width"] / 2 + 3, box["y"] + box["height"] / 2 + 3)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    hover = time.perf_counter() - t
    t = time.perf_counter()
    page.select_option("#colour-mode", "cause")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    restyle = time.perf_counter() - t
    context.close()
    if errors:
        raise RuntimeError(f"page errors: {errors[:3]}")
    return {"ready_s": ready, "hover_s": hover, "restyle_s": restyle,
            "interactive_s": ready + hover + restyle}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000],
                        help="production points (reference = a tenth)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the pages in this folder")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from analyzer.report import render_report

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
          f"Chromium {CHROMIUM}")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="report-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for n in args.sizes:
            rng = np.random.default_rng(0)
            texts = real_texts(n + n // 10, rng)
            result, segments = fabricate_result(texts, n, n // 10, rng)
            t = time.perf_counter()
            page = render_report(result, segments=segments)
            render_s = time.perf_counter() - t
            path = folder / f"report-{n}.html"
            path.write_text(page, encoding="utf-8")
            size_mb = path.stat().st_size / 1e6
            runs = [measure(path, browser) for _ in range(3)]
            best = min(runs, key=lambda r: r["interactive_s"])
            print(
                f"{n:>7} production + {n // 10:>6} reference: {size_mb:5.1f} MB, render {render_s:4.1f} s, "
                f"ready {best['ready_s']:.2f} s, first hover {best['hover_s']:.2f} s, "
                f"first restyle {best['restyle_s']:.2f} s, interactive {best['interactive_s']:.2f} s "
                f"(best of 3; worst {max(r['interactive_s'] for r in runs):.2f} s)"
            )
        browser.close()


if __name__ == "__main__":
    main()
