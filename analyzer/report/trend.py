"""The trend page of the weekly check: stored runs as a self-contained plotly page.

Presentation only: figures from a :class:`analyzer.weekly.history.TrendSeries`; plotly.js is inlined
so the page works offline; every text from the data is escaped by the template.
"""

from __future__ import annotations

import math
from html import escape as html_escape
from pathlib import Path
from typing import Any

import jinja2
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from analyzer.atomic import write_file
from analyzer.weekly.trend import TrendSeries

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
    undefined=jinja2.StrictUndefined,
)


def _layout(fig: go.Figure, y_title: str) -> go.Figure:
    fig.update_layout(
        height=360,
        margin={"l": 60, "r": 20, "t": 20, "b": 40},
        yaxis={"title": y_title, "tickformat": ".0%", "rangemode": "tozero"},
        xaxis={"type": "category", "title": "period"},
        legend={"orientation": "h", "y": -0.2},
        template="plotly_white",
    )
    return fig


def _div(fig: go.Figure, div_id: str) -> str:
    html: str = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id)
    return html


def _nan(value: Any) -> float:
    return math.nan if value is None else float(value)


def _labels(values: Any) -> list[str]:
    """Text for plotly's axis ticks, legends and hovers, which render HTML tags (``<a href>``
    would become a live link): every label escaped, so it shows literally."""
    return [html_escape(str(v)) for v in values]


def uncovered_figure(trend: TrendSeries) -> go.Figure:
    """Uncovered share per period with its CI band; breached periods in red."""
    periods = _labels(trend.periods)
    shares = [_nan(r.uncovered_share) for r in trend.runs]
    lows, highs = [], []
    for run in trend.runs:
        ci = run.summary.get("uncovered_share_ci") or [None, None]
        lows.append(_nan(ci[0]))
        highs.append(_nan(ci[1]))
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=periods, y=highs, mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"
        )
    )
    fig.add_trace(
        go.Scatter(
            x=periods,
            y=lows,
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(31,119,180,0.15)",
            name="confidence interval",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=periods,
            y=shares,
            mode="lines+markers",
            name="uncovered share",
            marker={
                "size": 10,
                "color": ["#b42318" if r.exit_code else "#1f77b4" for r in trend.runs],
            },
            customdata=[r.verdict for r in trend.runs],
            hovertemplate="%{x}: %{y:.1%} (%{customdata})<extra></extra>",
        )
    )
    return _layout(fig, "share of production")


def causes_figure(trend: TrendSeries) -> go.Figure | None:
    """Share of production per cause and period, or None when no cause was ever seen."""
    if not trend.causes:
        return None
    fig = go.Figure()
    for cause in trend.causes:
        fig.add_trace(
            go.Scatter(
                x=_labels(trend.periods),
                y=[_nan(r.cause_shares.get(cause)) for r in trend.runs],
                mode="lines+markers",
                name=html_escape(cause.replace("_", "-")),
                hovertemplate="%{x}: %{y:.1%}<extra>" + html_escape(cause) + "</extra>",
            )
        )
    return _layout(fig, "share of production")


def clusters_figure(trend: TrendSeries) -> go.Figure:
    """Production share of the top clusters per period, one line per stable id."""
    fig = go.Figure()
    for cid, shares in trend.cluster_shares.items():
        name = html_escape(f"{cid}: {trend.cluster_labels.get(cid, '')}"[:60])
        fig.add_trace(
            go.Scatter(
                x=_labels(trend.periods),
                y=list(shares),
                mode="lines+markers",
                name=name,
                connectgaps=False,
                hovertemplate="%{x}: %{y:.1%}<extra>" + f"{cid}</extra>",
            )
        )
    return _layout(fig, "share of production")


def render_trend(trend: TrendSeries, *, title: str = "shift-analyzer: weekly trend") -> str:
    """The whole page as one HTML string (plotly.js inlined)."""
    cause_fig = causes_figure(trend)
    figures = {
        "uncovered": _div(uncovered_figure(trend), "uncovered-figure"),
        "causes": _div(cause_fig, "causes-figure") if cause_fig is not None else "",
        "clusters": _div(clusters_figure(trend), "clusters-figure"),
    }
    rows = [
        {
            "period": r.period,
            "verdict": r.verdict,
            "exit_code": r.exit_code,
            "uncovered_text": "n/a"
            if math.isnan(r.uncovered_share)
            else f"{100 * r.uncovered_share:.1f}%",
            "n_production": r.n_production,
            "flagged": ", ".join(str(i) for i in r.flagged_cluster_ids) or "-",
            "new": ", ".join(str(i) for i in r.new_cluster_ids) or "-",
            "breaches": list(r.breaches),
        }
        for r in trend.runs
    ]
    latest = trend.runs[-1] if trend.runs else None
    return _ENV.get_template("trend.html.j2").render(
        title=title,
        plotly_js=get_plotlyjs().replace("</script", "<\\/script"),
        figures=figures,
        runs=rows,
        first_period=trend.periods[0] if trend.periods else "-",
        last_period=trend.periods[-1] if trend.periods else "-",
        latest_verdict=latest.verdict if latest else "no runs yet",
        latest_exit=latest.exit_code if latest else 0,
    )


def write_trend(trend: TrendSeries, path: str | Path, *, title: str | None = None) -> Path:
    """Write the trend page to ``path`` (parent folders are created); returns the path."""
    out = Path(path)
    write_file(out, render_trend(trend, title=title or "shift-analyzer: weekly trend"))
    return out
