"""Size and time-to-interactive of report.html at 10k and 100k points, in headless Chromium.

The analysis is fabricated by ``tests.builders.fabricate_result`` (coordinates, clusters,
statistics: only the page is measured), the texts are real queries from the shared data
(banking77, clinc150, hwu64; their real lengths), and the segment stage runs for real on the
fabricated result. Time to interactive = page load until ``body[data-ready='1']`` (plotly
drawn, handlers bound) plus a first hover and a first restyle (colour mode switch).

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

# The repository root, so that ``python bench/report_scale.py`` finds ``tests.builders``.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.builders import fabricate_result

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SHIFT_BENCH_DATA", ROOT / ".." / "shared" / "data")).resolve()
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


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

    system = f"{platform.system()} {platform.release()}"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {system}; Chromium {CHROMIUM}")
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
                f"{n:>7} production + {n // 10:>6} reference: {size_mb:5.1f} MB, "
                f"render {render_s:4.1f} s, ready {best['ready_s']:.2f} s, "
                f"first hover {best['hover_s']:.2f} s, first restyle {best['restyle_s']:.2f} s, "
                f"interactive {best['interactive_s']:.2f} s "
                f"(best of 3; worst {max(r['interactive_s'] for r in runs):.2f} s)"
            )
        browser.close()


if __name__ == "__main__":
    main()
