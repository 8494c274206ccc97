"""The HTML report as a person uses it, in headless Chromium (Debian's, never a downloaded one)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HOSTILE

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, real_report: Path) -> Iterator[tuple[Any, list[str], list[str]]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto((real_report / "report.html").as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    yield page, errors, requests
    context.close()


def test_page_loads_offline_without_errors(page) -> None:
    p, errors, requests = page
    assert errors == []
    assert all(url.startswith(("file:", "data:", "blob:", "about:")) for url in requests)
    assert p.locator("#verdict").inner_text() in ("SHIFT", "OK")
    assert p.locator("#map .scatterlayer, #map canvas").count() > 0
    assert p.locator("#clusters tbody tr").count() > 3
    assert "how each number is computed" in p.locator("#appendix").inner_text()


def test_hostile_text_runs_nothing_and_shows_literally(page) -> None:
    p, errors, _ = page
    assert p.evaluate("window.__pwned") is None
    assert p.locator("iframe").count() == 0
    assert errors == []
    # Search finds the payloads as plain text and reports how many points match.
    p.fill("#search", "window.__pwned")
    p.wait_for_function("document.getElementById('search-count').textContent.length > 0")
    assert p.locator("#search-count").inner_text().startswith(f"{len(HOSTILE) - 1} matching") or \
        p.locator("#search-count").inner_text().startswith(f"{len(HOSTILE)} matching")
    # The payload text appears literally where examples are shown.
    for details in p.locator("details.examples").all():
        details.evaluate("d => d.open = true")
    body = p.locator("body").inner_text()
    assert any(payload in body for payload in HOSTILE)
    assert p.evaluate("window.__pwned") is None


def test_toggles_colour_modes_and_cluster_highlight(page) -> None:
    p, errors, _ = page
    visible = "document.getElementById('map').data[0].visible"
    p.uncheck("#show-reference")
    assert p.evaluate(visible) == "legendonly"
    p.check("#show-reference")
    assert p.evaluate(visible) is True
    for mode in ("coverage", "cause", "cluster"):
        p.select_option("#colour-mode", mode)
    colours = p.evaluate("document.getElementById('map').data[1].marker.color.slice(0, 5)")
    assert all(isinstance(c, str) and c.startswith("#") for c in colours)
    first = p.locator("#clusters tbody tr").first
    cluster = int(first.get_attribute("data-cluster"))
    first.click()
    assert "selected" in first.get_attribute("class")
    assert p.evaluate("window.shiftReport.selected()") == cluster
    selected = p.evaluate("document.getElementById('map').data[1].selectedpoints")
    ids = p.evaluate("document.getElementById('map').data[1].customdata")
    assert selected and all(ids[i] == cluster for i in selected)
    first.focus()
    p.keyboard.press("Enter")
    assert p.evaluate("window.shiftReport.selected()") is None
    assert errors == []


def test_table_sorts_and_filters(page) -> None:
    p, _, _ = page
    header = p.locator("#clusters th", has_text="production")
    header.click()
    values = [float(v) for v in p.locator("#clusters tbody tr td:nth-child(3)").evaluate_all("tds => tds.map(t => t.dataset.v)")]
    assert values == sorted(values)
    header.click()
    values = [float(v) for v in p.locator("#clusters tbody tr td:nth-child(3)").evaluate_all("tds => tds.map(t => t.dataset.v)")]
    assert values == sorted(values, reverse=True)
    p.check("#only-flagged")
    shown = p.locator("#clusters tbody tr:not([hidden])")
    assert all(r.get_attribute("data-flagged") == "1" for r in shown.all())


def test_phone_width_keeps_the_page_usable(browser: Any, real_report: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    p = context.new_page()
    p.goto((real_report / "report.html").as_uri())
    p.wait_for_selector("body[data-ready='1']", timeout=30_000)
    overflow = p.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert p.locator("#map").bounding_box()["width"] <= 390
    context.close()
