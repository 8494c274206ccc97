"""The report's segment panel: who carries the at-risk traffic, cluster risk, labelling queue.

Presentation only: figures and an HTML fragment from the results that
:mod:`analyzer.segments` and :mod:`analyzer.segments.label_queue` computed. Every text from the
data is escaped (by the template, in hover texts with :func:`html.escape`, and figure JSON with
``<``, ``>`` and ``&`` as unicode escapes inside its ``<script type="application/json">`` block).
plotly.js is not included: the page that embeds the fragment inlines it once, anywhere in the
page; the figures are drawn on ``DOMContentLoaded``.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

import jinja2
import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup

from analyzer.segments import ClusterRouting, SegmentTable
from analyzer.segments.label_queue import LabelQueue

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
    undefined=jinja2.StrictUndefined,
)


def _div(fig: go.Figure, div_id: str) -> str:
    """A placeholder div plus the figure as JSON that is safe inside a <script> element."""
    text = str(pio.to_json(fig, validate=False))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (
        f'<div id="{div_id}" class="segments-figure"></div>'
        f'<script type="application/json" data-figure-for="{div_id}">{text}</script>'
    )


def _segment_name(column: Any, value: Any) -> str:
    return html.escape(f"{column}={value}", quote=False)  # plotly shows &quot; as is


def segment_ranking_figure(table: SegmentTable, max_rows: int = 20) -> go.Figure:
    """At-risk share of the top-ranked segments with their intervals and the overall rate."""
    rows = table.frame.head(max_rows).iloc[::-1]
    names = [_segment_name(c, v) for c, v in zip(rows["column"], rows["value"])]
    share = rows["at_risk_share"].to_numpy()
    fig = go.Figure(
        go.Scatter(
            x=share,
            y=names,
            mode="markers",
            marker={
                "color": ["#b42318" if f else "#1f77b4" for f in rows["is_flagged"]],
                "size": 9,
            },
            error_x={
                "type": "data",
                "symmetric": False,
                "array": rows["at_risk_share_high"].to_numpy() - share,
                "arrayminus": share - rows["at_risk_share_low"].to_numpy(),
            },
            customdata=list(zip(rows["n_production"], rows["lift"], rows["excess_at_risk"])),
            hovertemplate=(
                "%{y}<br>at risk %{x:.1%} (n=%{customdata[0]})<br>lift %{customdata[1]:.2f}"
                "<br>excess %{customdata[2]:.1f} queries<extra></extra>"
            ),
            name="segment",
        )
    )
    fig.add_vline(
        x=table.overall_at_risk_share,
        line_dash="dash",
        line_color="#52606d",
        annotation_text="all production",
        annotation_position="top",
    )
    fig.update_layout(
        height=max(260, 26 * len(names) + 80),
        margin={"l": 200, "r": 20, "t": 30, "b": 40},
        xaxis={"title": "at-risk share (95% interval)", "tickformat": ".0%", "rangemode": "tozero"},
        template="plotly_white",
        showlegend=False,
    )
    return fig


def segment_heatmap_figure(
    table: SegmentTable, routing: ClusterRouting, max_rows: int = 15, max_clusters: int = 12
) -> go.Figure:
    """Lift of each top-ranked segment inside each of the riskiest clusters."""
    clusters = [int(c) for c in routing.frame["cluster_id"].head(max_clusters)]
    matrix = table.lift_matrix(clusters).head(max_rows)
    labels = [("noise" if c == -1 else f"cluster {c}") for c in clusters]
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=labels,
            y=[html.escape(str(s), quote=False) for s in matrix.index],
            colorscale="RdBu",
            reversescale=True,
            zmid=1.0,
            colorbar={"title": "lift"},
            hovertemplate="%{y} in %{x}<br>lift %{z:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(260, 26 * len(matrix) + 100),
        margin={"l": 200, "r": 20, "t": 20, "b": 60},
        yaxis={"autorange": "reversed"},
        template="plotly_white",
    )
    return fig


def risk_figure(routing: ClusterRouting, max_clusters: int = 15) -> go.Figure:
    """Risk of the riskiest clusters, largest first."""
    rows = routing.frame.head(max_clusters).iloc[::-1]
    labels = [("noise" if c == -1 else f"cluster {c}") for c in rows["cluster_id"]]
    fig = go.Figure(
        go.Bar(
            x=rows["risk"],
            y=labels,
            orientation="h",
            marker_color="#b42318",
            customdata=list(zip(rows["share_production"], rows["coverage"], rows["cheap_share"])),
            hovertemplate=(
                "%{y}: risk %{x:.4f}<br>production share %{customdata[0]:.1%}"
                "<br>coverage %{customdata[1]:.1%}<br>cheap share %{customdata[2]:.1%}"
                "<extra></extra>"
            ),
        )
    )
    fig.update_layout(
        height=max(240, 24 * len(labels) + 80),
        margin={"l": 100, "r": 20, "t": 20, "b": 40},
        xaxis={"title": "risk"},
        template="plotly_white",
    )
    return fig


def _fmt(value: Any, spec: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return format(value, spec)


def render_segments_section(
    table: SegmentTable | None,
    routing: ClusterRouting,
    queue: LabelQueue,
    *,
    max_queue_rows: int = 50,
) -> str:
    """The HTML fragment (a few ``<section>`` elements) the report page embeds as is.

    Parameters
    ----------
    table
        Segment statistics, or ``None`` when no segment column was given.
    routing
        Per-cluster routing and risk.
    queue
        The labelling queue; the first ``max_queue_rows`` entries are listed.
    """
    figures: dict[str, str] = {"risk": _div(risk_figure(routing), "segments-risk")}
    if table is not None and len(table.frame):
        figures["ranking"] = _div(segment_ranking_figure(table), "segments-ranking")
        figures["heatmap"] = _div(segment_heatmap_figure(table, routing), "segments-heatmap")
    segment_rows = []
    if table is not None:
        for r in table.frame.to_dict("records"):
            segment_rows.append(
                {
                    "rank": r["rank"],
                    "column": r["column"],
                    "value": r["value"],
                    "n": r["n_production"],
                    "share": f"{r['at_risk_share']:.1%}",
                    "ci": f"{r['at_risk_share_low']:.1%} to {r['at_risk_share_high']:.1%}",
                    "uncovered": f"{r['uncovered_share']:.1%}",
                    "lift": f"{r['lift']:.2f}",
                    "excess": f"{r['excess_at_risk']:.1f}",
                    "excess_ci": f"{r['excess_at_risk_low']:.1f} to {r['excess_at_risk_high']:.1f}",
                    "flagged": bool(r["is_flagged"]),
                    "clusters": ", ".join(
                        f"{c['cluster_id']} (x{c['lift']:.1f})" for c in r["top_flagged_clusters"]
                    ),
                }
            )
    cluster_rows = [
        {
            "rank": r["risk_rank"],
            "cluster": "noise" if r["cluster_id"] == -1 else r["cluster_id"],
            "share": f"{r['share_production']:.1%}",
            "coverage": f"{r['coverage']:.1%}",
            "cheap": _fmt(r["cheap_share"], ".1%"),
            "bad": _fmt(r["bad_outcome_rate"], ".1%"),
            "risk": f"{r['risk']:.4f}",
            "segments": "; ".join(
                f"{s['column']}={s['value']} x{s['lift']:.1f}" for s in r["top_segments"]
            ),
        }
        for r in routing.frame.head(20).to_dict("records")
    ]
    queue_rows = queue.to_records()[:max_queue_rows]
    template = _ENV.get_template("segments.html.j2")
    figures = {k: Markup(v) for k, v in figures.items()}
    return template.render(
        figures=figures,
        has_segments=table is not None,
        overall=f"{table.overall_at_risk_share:.1%}" if table is not None else "-",
        segment_rows=segment_rows,
        cluster_rows=cluster_rows,
        has_route=routing.has_route,
        has_outcome=routing.has_outcome,
        queue_rows=queue_rows,
        queue_total=len(queue),
        queue_requested=queue.requested,
    )


def render_segments_definitions() -> str:
    """``<dt>``/``<dd>`` pairs for the report appendix: segments, risk and the queue."""
    return _ENV.get_template("segments_definitions.html.j2").render()


__all__ = [
    "render_segments_definitions",
    "render_segments_section",
    "risk_figure",
    "segment_heatmap_figure",
    "segment_ranking_figure",
]
