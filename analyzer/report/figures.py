"""ShiftResult -> plotly figure specs (presentation only: no statistics are computed here)."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

# Okabe-Ito, extended with Paul Tol's muted palette: colour-blind-safe categorical colours.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
    "#882255", "#AA4499",
)
FLAGGED_COLOUR = "#D55E00"
CAUSE_COLOURS = {
    "malformed": "#D55E00", "multi_intent": "#0072B2", "mixed_language": "#CC79A7",
    "new_domain": "#E69F00", "none": "#BBBBBB",
}


def primary_cause(flags: object) -> str:
    """The first cause of a query's flags (detector order), or "none"."""
    if isinstance(flags, (list, tuple)) or hasattr(flags, "tolist"):
        values = list(flags.tolist() if hasattr(flags, "tolist") else flags)
        return str(values[0]) if values else "none"
    return "none"
MAX_HOVER_CHARS = 160


def hover_text(text: object) -> str:
    """Escape a query for plotly hover labels (which render a subset of HTML) and clip it."""
    value = str(text).replace("\r", " ").replace("\n", " ")
    if len(value) > MAX_HOVER_CHARS:
        value = value[: MAX_HOVER_CHARS - 1] + "…"
    return html.escape(value, quote=True)


def cluster_colours(cluster_ids: np.ndarray, flagged: set[int]) -> list[str]:
    """A colour per point: flagged clusters in one warning colour, others from the palette."""
    return [
        FLAGGED_COLOUR if int(c) in flagged else PALETTE[int(c) % len(PALETTE)] if c >= 0 else "#BBBBBB"
        for c in cluster_ids
    ]


def map_traces(queries: pd.DataFrame, text_col: str, flagged: set[int]) -> list[dict[str, Any]]:
    """Two WebGL scatter traces (reference, production) with colour arrays for each mode.

    ``customdata`` carries the cluster id of each point so the page can highlight a cluster.
    """
    traces = []
    for side, symbol, opacity in (("reference", "circle", 0.45), ("production", "circle", 0.8)):
        part = queries[queries["side"] == side]
        clusters = part["cluster_id"].to_numpy()
        coverage = part["coverage_p"].to_numpy(dtype=float)
        hover = [
            f"<b>{side}</b> · cluster {int(c)}<br>{hover_text(t)}"
            + ("" if np.isnan(p) else f"<br>coverage p = {p:.3g}")
            for t, c, p in zip(part[text_col].tolist(), clusters, coverage)
        ]
        traces.append(
            {
                "type": "scattergl",
                "mode": "markers",
                "name": side,
                "x": part["map_x"].round(4).tolist(),
                "y": part["map_y"].round(4).tolist(),
                "customdata": clusters.tolist(),
                "hovertext": hover,
                "hoverinfo": "text",
                "marker": {
                    "size": 5 if side == "production" else 4,
                    "opacity": opacity,
                    "symbol": symbol,
                    "color": cluster_colours(clusters, flagged),
                    "line": {"width": 0},
                },
                "meta": {
                    "colour_cluster": cluster_colours(clusters, flagged),
                    "colour_cause": [
                        CAUSE_COLOURS.get(primary_cause(f), "#BBBBBB")
                        for f in (part["flags"] if "flags" in part.columns else [None] * len(part))
                    ],
                    "colour_coverage": [None if np.isnan(p) else round(float(p), 4) for p in coverage],
                },
            }
        )
    return traces


def map_layout() -> dict[str, Any]:
    return {
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x"},
        "legend": {"orientation": "h", "y": 1.02, "x": 0},
        "hoverlabel": {"align": "left"},
        "dragmode": "pan",
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }
