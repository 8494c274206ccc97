"""Shared fixtures: the real-data folder, a small deterministic embedder (from tests.builders),
one real report, Debian's headless Chromium and a page that records errors, dialogs and
requests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

# Before anything imports the analyzer (and with it huggingface_hub, which reads these once).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from tests.builders import HashingEmbedder

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SHIFT_BENCH_DATA", ROOT / ".." / "shared" / "data")).resolve()


@pytest.fixture()
def hashing_embedder() -> HashingEmbedder:
    return HashingEmbedder()


def require_data(name: str) -> Path:
    path = DATA / f"{name}.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent: set SHIFT_BENCH_DATA to the shared data folder")
    return path


@pytest.fixture(scope="session")
def clinc() -> pd.DataFrame:
    return pd.read_json(require_data("clinc150"), lines=True)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(scope="session")
def clinc_files(clinc: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """600 in-scope training queries of seven domains (JSONL) and 306 production queries (CSV):
    200 in-scope test queries of all ten domains, 100 out-of-scope, 6 hostile HTML/script
    pastes, with an id and a client segment column."""
    folder = tmp_path_factory.mktemp("clinc")
    held_out = ["travel", "banking", "utility"]
    inscope = clinc[~clinc["is_oos"]]
    ref = inscope[(inscope["split"] == "train") & ~inscope["domain"].isin(held_out)]
    ref = ref.sample(600, random_state=1)
    prod = pd.concat(
        [inscope[inscope["split"] == "test"].sample(200, random_state=2),
         clinc[(clinc["split"] == "test") & clinc["is_oos"]].sample(100, random_state=3)]
    ).reset_index(drop=True)
    hostile = pd.DataFrame(
        {"text": HOSTILE, "intent": "hostile", "domain": "hostile", "is_oos": True}
    )
    prod = pd.concat([prod, hostile], ignore_index=True)
    rng = np.random.default_rng(4)
    prod["client"] = rng.choice(["web", "mobile", "api"], size=len(prod))
    prod["id"] = [f"p{i:04d}" for i in range(len(prod))]
    ref_path, prod_path = folder / "reference.jsonl", folder / "production.csv"
    ref[["text", "intent", "domain"]].to_json(ref_path, orient="records", lines=True)
    prod[["id", "text", "intent", "domain", "is_oos", "client"]].to_csv(prod_path, index=False)
    return ref_path, prod_path


#: Hostile production queries: none may run in the report, all must show literally.
HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    '<svg onload="window.__pwned=3"></svg>',
    '<a href="javascript:window.__pwned=4">click me</a>',
    "{{constructor.constructor('window.__pwned=5')()}} ${7*7} <%= 7*7 %>",
    '"><iframe srcdoc="<script>parent.__pwned=6</script>">',
]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the shift-analyzer CLI in a fresh process (as a user would)."""
    return subprocess.run(
        [sys.executable, "-m", "analyzer", *args],
        check=False, capture_output=True, text=True, cwd=cwd or ROOT, timeout=900,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )


@pytest.fixture(scope="session")
def real_report(clinc_files: tuple[Path, Path], cache_dir: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One end-to-end run of `shift-analyzer report` with the real model, shared by tests."""
    out = tmp_path_factory.mktemp("report")
    ref, prod = clinc_files
    done = run_cli("report", str(ref), str(prod), "--out", str(out), "--cache-dir", str(cache_dir),
                   "--quiet")
    assert done.returncode == 0, done.stderr
    return out


# ---- the HTML pages in headless Chromium (Debian's, never a downloaded one) --------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@contextmanager
def watched_page(
    browser: Any,
    url: str,
    *,
    ready: str = "body[data-ready='1']",
    width: int = 1280,
    height: int = 900,
) -> Iterator[tuple[Any, list[str], list[str]]]:
    """Open ``url`` and wait for ``ready``; yield (page, problems, requests).

    ``problems`` collects console errors, page errors and dialogs (each dismissed); ``requests``
    every URL the page asked for.
    """
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems: list[str] = []
    requests: list[str] = []

    def on_dialog(dialog: Any) -> None:
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", on_dialog)
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(url)
        page.wait_for_selector(ready, timeout=30_000)
        yield page, problems, requests
    finally:
        context.close()
