"""The HTML report as a person uses it, in headless Chromium (Debian's, never a downloaded one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HOSTILE, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture()
def page(browser: Any, real_report: Path) -> Iterator[tuple[Any, list[str], list[str]]]:
    with watched_page(browser, (real_report / "report.html").as_uri()) as watched:
        yield watched


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
    expected = sum("window.__pwned" in payload for payload in HOSTILE)
    assert p.locator("#search-count").inner_text().startswith(f"{expected} matching")
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
    cells = p.locator("#clusters tbody tr td:nth-child(3)")
    read_values = "tds => tds.map(t => t.dataset.v)"
    header.click()
    values = [float(v) for v in cells.evaluate_all(read_values)]
    assert values == sorted(values)
    header.click()
    values = [float(v) for v in cells.evaluate_all(read_values)]
    assert values == sorted(values, reverse=True)
    p.check("#only-flagged")
    shown = p.locator("#clusters tbody tr:not([hidden])")
    assert all(r.get_attribute("data-flagged") == "1" for r in shown.all())


def test_phone_width_keeps_the_page_usable(browser: Any, real_report: Path) -> None:
    url = (real_report / "report.html").as_uri()
    with watched_page(browser, url, width=390, height=844) as (p, _, _):
        overflow = p.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        assert p.locator("#map").bounding_box()["width"] <= 390


# -- hostile text everywhere the page shows data: queries, segment values, labels, keywords --

PAYLOADS = [
    '<img src=x onerror="window.__pwned=11">',
    "<svg/onload=window.__pwned=12>",
    "<script>window.__pwned=13</script>",
    "</script><script>window.__pwned=14</script>",
    '<a href="javascript:window.__pwned=15">click me</a>',
    '<a href="javascript:window.__pwned=16" target="_blank">plotly link</a>',
    '<details open ontoggle="window.__pwned=17">x</details>',
    '<body onload="window.__pwned=18">',
    '<iframe srcdoc="<script>parent.__pwned=19</script>"></iframe>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=20">',
    '{{constructor.constructor("window.__pwned=21")()}}',
    "${window.__pwned=22} <%= 7*7 %> {{7*7}} {% raw %}",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=23">',
    "<style>@import url(http://example.invalid/x.css);</style>",
    '<img src="http://example.invalid/track.png">',
    '"><input autofocus onfocus="window.__pwned=24">',
    "line\u2028sep\u2029 <!-- <![CDATA[ ]]> -->",
    '<b onmouseover="window.__pwned=25">bold hover</b>',
    '<span style="position:fixed;inset:0" onclick="window.__pwned=26">cover</span>',
]
SEGMENT_PAYLOADS = PAYLOADS[:4] + [PAYLOADS[15]]


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report whose queries, segment values, cluster labels, keywords, examples and cause
    examples are all hostile (fabricated analysis, real rendering and segment stage)."""
    from dataclasses import replace

    import numpy as np

    from analyzer.report import render_report
    from tests.builders import fabricate_result

    texts = [
        *PAYLOADS, "how do I freeze my card", "transfer money to savings", "what is my balance"
    ]
    result, segments = fabricate_result(
        texts, n_production=900, n_reference=150, rng=np.random.default_rng(7), n_clusters=12,
        segment_values={"client": SEGMENT_PAYLOADS, PAYLOADS[2]: ["web", PAYLOADS[0]]},
    )
    rows = list(result.clusters.rows)
    for i, row in enumerate(rows):
        rows[i] = replace(row, label=PAYLOADS[i % len(PAYLOADS)],
                          keywords=(PAYLOADS[(i + 1) % len(PAYLOADS)], "plain"),
                          examples=tuple(PAYLOADS[i: i + 3]))
    summary = replace(result.summary, extra={**result.summary.extra,
                                             "cause_examples": {"new_domain": PAYLOADS[:5]}})
    result = replace(result, clusters=replace(result.clusters, rows=tuple(rows)), summary=summary)
    result = with_emerging_region(result, label=PAYLOADS[4], examples=PAYLOADS[5:8])
    out = tmp_path_factory.mktemp("hostile") / "report.html"
    out.write_text(render_report(result, title=PAYLOADS[0], segments=segments), encoding="utf-8")
    return out


def with_emerging_region(result: Any, label: str, examples: list[str]) -> Any:
    """``result`` with one emerging region of 12 production queries of a covered cluster, a
    minimum detectable region and a language mix with one thin language."""
    from dataclasses import replace

    from analyzer.result import EmergingRegion, EmergingTable, QueryTable

    frame = result.queries.frame.copy()
    flagged = set(result.summary.flagged_cluster_ids)
    production = frame.index[(frame["side"] == "production") & ~frame["cluster_id"].isin(flagged)]
    members = production[:12]
    frame["emerging_id"] = -1
    frame.loc[members, "emerging_id"] = 0
    frame["is_emerging"] = frame["emerging_id"] >= 0
    region = EmergingRegion(
        emerging_id=0, label=label, keywords=("plain",), examples=tuple(examples),
        n_production=12, share_production=12 / result.summary.n_production, n_distinct=12,
        mean_coverage_p=0.08, statistic=31.0, window=10, p_value=0.004,
        main_cluster_id=int(frame.loc[members[0], "cluster_id"]), share_in_flagged=0.0)
    share = {"n": 30, "total": 900, "share": 0.033, "ci_low": 0.023, "ci_high": 0.047}
    rare = {"n": 1, "total": 150, "share": 0.007, "ci_low": 0.001, "ci_high": 0.037}
    extra = {
        **result.summary.extra,
        "emerging_regions": [{"emerging_id": 0, "label": label}],
        "minimum_detectable_region": {"n_queries": 20, "share": 20 / 900, "power": 0.8,
                                      "largest": 300, "flagged_if_own_cluster": 10},
        "language_mix": {"languages": [{"lang": "hi", "reference": rare, "production": share,
                                        "thin": True}], "thin": ["hi"], "definition": "thin"},
    }
    return replace(result, queries=QueryTable(frame), emerging=EmergingTable((region,)),
                   summary=replace(result.summary, extra=extra))


def test_emerging_region_row_highlights_its_queries_and_colours_the_map(hostile_page) -> None:
    p, errors, _ = hostile_page
    assert "20 production queries" in p.locator("#detectable").inner_text()
    assert "flagged from 10 queries" in p.locator("#detectable").inner_text()
    row = p.locator("#emerging tbody tr").first
    row.click()
    assert "selected" in row.get_attribute("class")
    selected = p.evaluate("document.getElementById('map').data[1].selectedpoints")
    assert selected is not None and len(selected) == 12
    p.select_option("#colour-mode", "emerging")
    colours = p.evaluate("document.getElementById('map').data[1].marker.color")
    assert sum(c != "#DDDDDD" for c in colours) == 12
    assert "emerging 0" in p.locator("#map-legend").inner_text()
    assert p.locator("#language-table tr.flagged").count() == 1
    assert "hi" in p.locator("#thin-languages").inner_text()
    _nothing_ran(p)
    assert errors == []


@pytest.fixture()
def hostile_page(browser: Any, hostile_report: Path) -> Iterator[tuple[Any, list[str], list[str]]]:
    with watched_page(browser, hostile_report.as_uri()) as watched:
        yield watched


def _nothing_ran(p: Any) -> None:
    assert p.evaluate("window.__pwned") is None
    assert p.evaluate("parent.__pwned") is None
    # No element from a payload exists anywhere in the page.
    for selector in ("iframe", "img[src='x']", "img[src*='example.invalid']", "svg[onload]",
                     "input[autofocus]", "details[ontoggle]", "meta[http-equiv]",
                     "a[href^='javascript']", "[onclick]", "[onmouseover]", "math"):
        assert p.locator(selector).count() == 0, selector


def test_hostile_payloads_in_every_field_run_nothing(hostile_page) -> None:
    p, problems, requests = hostile_page
    _nothing_ran(p)
    assert problems == []
    assert all(url.startswith(("file:", "data:", "blob:", "about:")) for url in requests), requests
    assert p.title() == PAYLOADS[0]
    # Cluster labels and keywords, segment values and the labelling queue show literally.
    table = p.locator("#clusters").inner_text()
    assert PAYLOADS[0] in table and PAYLOADS[4] in table and PAYLOADS[10] in table
    segments = p.locator("#segments").inner_text()
    assert SEGMENT_PAYLOADS[1] in segments
    # plotly's own text (axis labels of the segment figures) shows the values as typed.
    p.wait_for_function("document.querySelector('#segments-ranking .ytick') !== null")
    for figure in ("#segments-ranking", "#segments-heatmap"):
        ticks = p.evaluate(f"Array.from(document.querySelectorAll('{figure} .ytick text'))"
                           ".map(t => t.textContent)")
        assert f"client={SEGMENT_PAYLOADS[0]}" in ticks, (figure, ticks)
    assert PAYLOADS[0] in p.locator("#label-queue").inner_text()
    for details in p.locator("details.examples").all():
        details.evaluate("d => d.open = true")
    assert PAYLOADS[7] in p.locator("body").inner_text()
    _nothing_ran(p)


def test_hostile_segment_values_in_the_colour_legend(hostile_page) -> None:
    p, problems, _ = hostile_page
    options = p.eval_on_selector_all("#colour-mode option", "os => os.map(o => o.textContent)")
    assert f"segment: {PAYLOADS[2]}" in options  # a hostile column name, as text
    p.select_option("#colour-mode", "segment:0")
    legend = p.locator("#map-legend").inner_text()
    assert f"client = {SEGMENT_PAYLOADS[0]}" in legend
    colours = p.evaluate("document.getElementById('map').data[1].marker.color.slice(0, 50)")
    assert len(set(colours)) > 1 and all(c.startswith("#") for c in colours)
    reference = p.evaluate("document.getElementById('map').data[0].marker.color")
    assert set(reference) == {"#DDDDDD"}  # the reference has no segment value
    _nothing_ran(p)
    assert problems == []


def test_hover_labels_show_payloads_as_text(hostile_page) -> None:
    p, problems, _ = hostile_page
    p.locator("#map").scroll_into_view_if_needed()
    box = p.locator("#map").bounding_box()
    texts = p.evaluate("document.getElementById('map').data[1].hovertext")
    for payload in (PAYLOADS[0], PAYLOADS[5], PAYLOADS[17]):
        tag = payload.split(">")[0]
        index = next(i for i, h in enumerate(texts) if tag.replace("<", "&lt;") in h)
        x, y = p.evaluate(
            "i => { const gd = document.getElementById('map'), xa = gd._fullLayout.xaxis, "
            "ya = gd._fullLayout.yaxis, t = gd.data[1]; "
            "return [xa.l2p(t.x[i]) + xa._offset, ya.l2p(t.y[i]) + ya._offset]; }", index)
        p.mouse.move(2, 2)
        p.mouse.move(box["x"] + x, box["y"] + y)
        p.wait_for_function("document.querySelector('#map .hoverlayer').textContent.length > 0")
        shown = p.evaluate("document.querySelector('#map .hoverlayer').textContent")
        assert tag in shown  # the tag shows as text, "<" included
        markup = "#map .hoverlayer a, #map .hoverlayer image, #map .hoverlayer foreignObject"
        assert p.locator(markup).count() == 0
    _nothing_ran(p)
    assert problems == []


def test_map_click_selects_the_region_row_and_back(hostile_page) -> None:
    p, _, _ = hostile_page
    cluster = p.evaluate("document.getElementById('map').data[1].customdata[0]")
    p.evaluate(
        "document.getElementById('map')"
        f".emit('plotly_click', {{points: [{{customdata: {cluster}}}]}})"
    )
    row = p.locator(f"#clusters tbody tr[data-cluster='{cluster}']")
    assert "selected" in row.get_attribute("class")
    assert row.get_attribute("aria-selected") == "true"
    p.click("#clear-selection")
    assert p.evaluate("window.shiftReport.selected()") is None
    assert "selected" not in (row.get_attribute("class") or "")


def test_controls_are_reachable_by_keyboard(hostile_page) -> None:
    p, _, _ = hostile_page
    p.locator("body").focus()
    seen = []
    for _ in range(60):
        p.keyboard.press("Tab")
        seen.append(p.evaluate("document.activeElement.id || document.activeElement.tagName"))
    for wanted in ("colour-mode", "show-reference", "show-production", "search", "clear-selection",
                   "table-filter", "only-flagged", "TH", "TR"):
        assert wanted in seen, (wanted, seen)
    p.focus("#colour-mode")
    p.keyboard.press("ArrowDown")
    assert p.evaluate("document.getElementById('colour-mode').value") == "coverage"


def test_sampled_map_says_how_many_points_it_draws(browser: Any, tmp_path: Path) -> None:
    import numpy as np

    from analyzer.report import render_report
    from tests.builders import fabricate_result

    result, segments = fabricate_result(["a short query", "another query"], 3000, 300,
                                        np.random.default_rng(2), n_clusters=10)
    path = tmp_path / "report.html"
    path.write_text(render_report(result, segments=segments, point_budget=1000), encoding="utf-8")
    with watched_page(browser, path.as_uri(), width=390, height=844) as (p, _, _):
        note = p.locator("#sample-note")
        assert note.is_visible()
        assert "draws 1,000 of 3,300 points" in note.inner_text()
        drawn = "document.getElementById('map').data.reduce((n, t) => n + t.x.length, 0)"
        assert p.evaluate(drawn) == 1000
        assert p.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1


@pytest.fixture(scope="module")
def pipeline_hostile_report(tmp_path_factory: pytest.TempPathFactory, clinc: Any) -> Path:
    """The whole `report` pipeline (small deterministic embedder) on CLINC150 queries plus every
    payload, as production queries and as values of the segment column."""
    import numpy as np
    import pandas as pd

    from analyzer.pipeline import ReportOptions, run_report
    from tests.builders import HashingEmbedder

    folder = tmp_path_factory.mktemp("pipeline-hostile")
    inscope = clinc[~clinc["is_oos"]]
    ref = inscope[inscope["split"] == "train"].sample(300, random_state=1)[["text"]]
    prod = pd.concat([inscope[inscope["split"] == "test"].sample(150, random_state=2)[["text"]],
                      pd.DataFrame({"text": PAYLOADS * 2})], ignore_index=True)
    prod["client"] = np.random.default_rng(3).choice(SEGMENT_PAYLOADS + ["web"], size=len(prod))
    ref.to_json(folder / "ref.jsonl", orient="records", lines=True)
    prod.to_json(folder / "prod.jsonl", orient="records", lines=True)
    options = ReportOptions(segment_cols=("client",), use_cache=False)
    run_report(folder / "ref.jsonl", folder / "prod.jsonl", folder / "out", options=options,
               embedder=HashingEmbedder())
    return folder / "out" / "report.html"


def test_pipeline_report_with_payloads_runs_nothing(
    browser: Any, pipeline_hostile_report: Path
) -> None:
    with watched_page(browser, pipeline_hostile_report.as_uri()) as (p, problems, requests):
        for mode in p.eval_on_selector_all("#colour-mode option", "os => os.map(o => o.value)"):
            p.select_option("#colour-mode", mode)
        p.fill("#search", "__pwned")
        p.wait_for_function("document.getElementById('search-count').textContent.length > 0")
        assert int(p.locator("#search-count").inner_text().split()[0]) >= len(PAYLOADS)
        for details in p.locator("details.examples").all():
            details.evaluate("d => d.open = true")
        body = p.locator("body").inner_text()
        assert sum(payload in body for payload in PAYLOADS) >= len(PAYLOADS) // 2
        assert SEGMENT_PAYLOADS[0] in p.locator("#segments").inner_text()
        _nothing_ran(p)
        assert problems == []
        local = ("file:", "data:", "blob:", "about:")
        assert all(url.startswith(local) for url in requests), requests


def test_trend_page_shows_hostile_periods_and_labels_as_text(browser: Any, tmp_path: Path) -> None:
    """A period or a cluster label holding markup shows literally: no live link, no bold."""
    from analyzer.report.trend import write_trend
    from analyzer.weekly.records import ClusterRecord, RunRecord
    from analyzer.weekly.trend import trend_series

    link = '<a href="https://evil.example/">W48</a>'
    runs = [
        RunRecord(period=p, verdict="ok", exit_code=0, n_reference=10, n_production=10,
                  uncovered_share=0.05)
        for p in ("2026-W47", link)
    ]
    clusters = [
        ClusterRecord(3, "<b>bold</b> label", 1, 1, 0.1, 0.1, 0.9, False, False, link),
        ClusterRecord(4, "plain", 1, 1, 0.1, 0.2, 0.9, False, False, link),
    ]
    out = write_trend(trend_series(runs, clusters), tmp_path / "trend.html")
    with watched_page(browser, out.as_uri(), ready="#uncovered-figure .xtick") as (p, errors, _):
        assert errors == []
        assert p.locator("a[href*='evil.example']").count() == 0
        texts = "els => els.map(e => e.textContent)"
        ticks = " ".join(p.eval_on_selector_all("#uncovered-figure .xtick text", texts))
        assert "evil.example" in ticks and "W48" in ticks
        legend = " ".join(p.eval_on_selector_all("#clusters-figure .legendtext", texts))
        assert "<b>bold</b> label" in legend
