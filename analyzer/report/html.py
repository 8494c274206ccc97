"""Render a ShiftResult as one self-contained HTML page (plotly.js inlined, works offline).

All user text is escaped: by Jinja's autoescape in the page, by ``figures.hover_text`` in hover
labels, and by ``script_json`` inside ``<script>`` data blocks (no ``</script>`` breakout).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from analyzer.report.figures import CAUSE_COLOURS, colour_data, map_layout, map_traces
from analyzer.report.sampling import DEFAULT_POINT_BUDGET, select_points
from analyzer.result import ShiftResult
from analyzer.segments import SegmentAnalysis

TEMPLATES = Path(__file__).parent / "templates"


def script_json(value: Any) -> Markup:
    """JSON safe to place inside a <script> element: <, > and & become \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = script_json
    env.filters["pct"] = lambda v: "–" if v is None else f"{100 * float(v):.1f}%"
    env.filters["num"] = lambda v, d=3: "–" if v is None else f"{float(v):.{d}g}"
    return env


def _plotly_js() -> Markup:
    from plotly.offline import get_plotlyjs

    return Markup(get_plotlyjs().replace("</script", "<\\/script"))


def _segment_colouring(
    queries: Any, segments: SegmentAnalysis | None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Per-query segment value and rank-ordered values of each segment column (for the map's
    "colour by segment" modes), as the segment stage bucketed them (``segments.buckets``)."""
    if segments is None or segments.table is None or segments.buckets is None:
        return {}, {}
    labels, order = {}, {}
    for column in segments.options.segment_cols:
        if column not in queries.columns or column not in segments.buckets.columns:
            continue
        labels[column] = segments.buckets[column].reindex(queries.index)
        ranked = segments.table.frame[segments.table.frame["column"] == column]
        order[column] = [str(v) for v in ranked.sort_values("rank")["value"]]
    return labels, order


def render_report(
    result: ShiftResult,
    text_col: str = "text",
    title: str = "Shift report",
    segments: SegmentAnalysis | None = None,
    point_budget: int = DEFAULT_POINT_BUDGET,
) -> str:
    """Return the report page as a string (with the segment panel when ``segments`` is given).

    The map draws at most ``point_budget`` points (:func:`analyzer.report.sampling.select_points`:
    all points of flagged regions, a stratified sample of the rest) and says so on the page.
    """
    from analyzer.report.segments_panel import render_segments_definitions, render_segments_section

    segments_html = segments_defs = Markup("")
    if segments is not None:
        segments_html = Markup(
            render_segments_section(segments.table, segments.routing, segments.queue)
        )
        segments_defs = Markup(render_segments_definitions())
    summary = result.summary.to_dict()
    clusters = result.clusters.to_frame()
    flagged = set(summary["flagged_cluster_ids"])
    queries = result.queries.frame
    cluster_rows = []
    for row in clusters.to_dict(orient="records"):
        row["examples_list"] = json.loads(row["examples"])
        cluster_rows.append(row)
    emerging_rows = [
        {**row.to_dict(), "examples_list": list(row.examples)} for row in result.emerging
    ]
    emerging = (
        queries["is_emerging"].to_numpy(dtype=bool) if "is_emerging" in queries.columns else None
    )
    selection = select_points(
        queries["side"].to_numpy(),
        queries["cluster_id"].to_numpy(),
        flagged,
        budget=point_budget,
        always=emerging,
    )
    rows = None if not selection.is_sampled else selection.indices
    labels, order = _segment_colouring(queries, segments)
    figure = {
        "data": map_traces(queries, text_col, rows),
        "layout": map_layout(),
        "colours": colour_data(queries, flagged, rows, labels, order),
    }
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        summary=summary,
        clusters=cluster_rows,
        emerging=emerging_rows,
        figure=figure,
        plotly_js=_plotly_js(),
        n_points=len(queries),
        n_drawn=selection.n_drawn,
        sample_note=selection.note,
        segment_columns=list(labels),
        point_budget=point_budget,
        segments_html=segments_html,
        segments_defs=segments_defs,
        cause_colours=CAUSE_COLOURS,
    )
