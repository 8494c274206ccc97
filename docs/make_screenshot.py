"""Render the top of the demo report (verdict, cards, map) to docs/report.png.

Make the demo report first (``make demo``), then::

    python docs/make_screenshot.py                       # reports/demo/report.html -> docs/report.png
    python docs/make_screenshot.py REPORT.html OUT.png

Uses Debian's Chromium (never a downloaded browser) in headless mode, offline.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def screenshot(report: Path, out: Path, width: int = 1280, height: int = 900) -> Path:
    """Open ``report`` in headless Chromium at ``width`` x ``height`` and save the visible top
    of the page, once the map is drawn, as a PNG at ``out``."""
    from playwright.sync_api import sync_playwright

    if not report.is_file():
        raise SystemExit(f"{report} does not exist: run `make demo` first (or pass a report path)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith(("file:", "data:", "blob:", "about:")) else None)
        page.goto(report.resolve().as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=60_000)
        page.wait_for_timeout(800)  # let WebGL finish the first frame
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=False)
        browser.close()
    if outside:
        raise SystemExit(f"the report asked for remote resources: {outside[:3]}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", type=Path, default=ROOT / "reports" / "demo" / "report.html")
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    path = screenshot(args.report, args.out, args.width, args.height)
    print(f"{path} ({path.stat().st_size / 1e3:.0f} kB)", file=sys.stderr)


if __name__ == "__main__":
    main()
