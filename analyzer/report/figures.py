"""ShiftResult -> plotly figure specs (presentation only: no statistics are computed here)."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

# Okabe-Ito, extended with Paul Tol's muted palette: colour-blind-safe categorical colours.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)
FLAGGED_COLOUR = "#D55E00"
CAUSE_COLOURS = {
    "malformed": "#D55E00",
    "multi_intent": "#0072B2",
    "mixed_language": "#CC79A7",
    "new_domain": "#E69F00",
    "none": "#BBBBBB",
}


def primary_cause(flags: object) -> str:
    """The first cause of a query's flags (detector order), or "none"."""
    if isinstance(flags, (list, tuple)):
        return str(flags[0]) if flags else "none"
    if hasattr(flags, "tolist"):
        values = flags.tolist()
        return str(values[0]) if isinstance(values, list) and values else "none"
    return "none"


MAX_HOVER_CHARS = 160


def hover_text(text: object) -> str:
    """Escape a query for plotly hover labels (which render a subset of HTML) and clip it.

    Returns
    -------
    str
        At most ``MAX_HOVER_CHARS`` characters of the text, line breaks as spaces, escaped.
    """
    value = str(text).replace("\r", " ").replace("\n", " ")
    if len(value) > MAX_HOVER_CHARS:
        value = value[: MAX_HOVER_CHARS - 1] + "…"
    # Only &, < and > are escaped: plotly turns &lt; &gt; &amp; back into text but shows
    # &quot; as is, and without "<" no tag (plotly's <a href>, <b>, <span style>) can form.
    return html.escape(value, quote=False)


def cluster_colours(cluster_ids: np.ndarray, flagged: set[int]) -> list[str]:
    """A colour per point: flagged clusters in one warning colour, others from the palette."""
    return [
        FLAGGED_COLOUR
        if int(c) in flagged
        else PALETTE[int(c) % len(PALETTE)]
        if c >= 0
        else "#BBBBBB"
        for c in cluster_ids
    ]


def _index(values: list[str], names: list[str]) -> list[int]:
    lookup = {name: i for i, name in enumerate(names)}
    return [lookup.get(v, len(names)) for v in values]


def map_traces(
    queries: pd.DataFrame, text_col: str, rows: np.ndarray | None = None
) -> list[dict[str, Any]]:
    """Two WebGL scatter traces (reference, production) of the drawn rows.

    ``customdata`` carries the cluster id of each point so the page can highlight a cluster;
    the page colours the points from :func:`colour_data`. ``rows`` (positions into
    ``queries``, sorted) are the points to draw, all of them when ``None``.
    """
    drawn = queries if rows is None else queries.iloc[rows]
    traces = []
    for side, opacity in (("reference", 0.45), ("production", 0.8)):
        part = drawn[drawn["side"] == side]
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
                "x": part["map_x"].round(3).tolist(),
                "y": part["map_y"].round(3).tolist(),
                "customdata": [int(c) for c in clusters],
                "hovertext": hover,
                "hoverinfo": "text",
                "marker": {
                    "size": 5 if side == "production" else 4,
                    "opacity": opacity,
                    "line": {"width": 0},
                },
            }
        )
    return traces


CAUSE_ORDER = ("none", "malformed", "multi_intent", "mixed_language", "new_domain")
MAX_SEGMENT_COLOURS = 8
OTHER_COLOUR, MISSING_COLOUR = "#777777", "#DDDDDD"


def colour_data(
    queries: pd.DataFrame,
    flagged: set[int],
    rows: np.ndarray | None = None,
    segment_labels: dict[str, pd.Series] | None = None,
    segment_order: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """Compact colour data for each colour mode, per trace (reference, production).

    Returns cluster colours by id, a cause index and coverage p-value per point, and for each
    segment column (``segment_labels``: the segment value of each query, index-aligned with
    ``queries``; ``segment_order``: its values in the segment table's rank order, the first
    eight named in the legend) an index per point into its value list. Only lookups: every
    number was computed by the analysis.
    """
    drawn = queries if rows is None else queries.iloc[rows]
    parts = [drawn[drawn["side"] == side] for side in ("reference", "production")]
    ids = sorted({int(c) for c in queries["cluster_id"].unique()})
    cluster = {str(c): cluster_colours(np.array([c]), flagged)[0] for c in ids}
    cause_index = [
        _index(
            [primary_cause(f) for f in (p["flags"] if "flags" in p.columns else [None] * len(p))],
            list(CAUSE_ORDER),
        )
        for p in parts
    ]
    coverage = [
        [None if np.isnan(v) else round(float(v), 4) for v in p["coverage_p"].to_numpy(dtype=float)]
        for p in parts
    ]
    segments = []
    for column, labels in (segment_labels or {}).items():
        names = [str(v) for v in (segment_order or {}).get(column, [])][:MAX_SEGMENT_COLOURS]
        per_trace = []
        for p in parts:
            values = labels.reindex(p.index)
            index = _index([str(v) for v in values.tolist()], names)
            # -1: no segment value (reference queries, missing); len(names): another value
            per_trace.append([-1 if pd.isna(v) else i for v, i in zip(values.tolist(), index)])
        segments.append(
            {
                "column": str(column),
                "values": names,
                "colours": [PALETTE[i % len(PALETTE)] for i in range(len(names))],
            }
            | {"index": per_trace}
        )
    return {
        "cluster": cluster,
        "flagged_colour": FLAGGED_COLOUR,
        "cause": {
            "names": [c.replace("_", " ") for c in CAUSE_ORDER],
            "colours": [CAUSE_COLOURS[c] for c in CAUSE_ORDER],
            "index": cause_index,
        },
        "coverage": coverage,
        "emerging": [
            [int(v) for v in p["emerging_id"].to_numpy()]
            if "emerging_id" in p.columns
            else [-1] * len(p)
            for p in parts
        ],
        "emerging_colours": PALETTE,
        "segments": segments,
        "other_colour": OTHER_COLOUR,
        "missing_colour": MISSING_COLOUR,
    }


def map_layout() -> dict[str, Any]:
    """Layout of the map: no axes, equal scales, legend on top, pan by default."""
    return {
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x"},
        "showlegend": False,  # the page's own legend and side toggles replace plotly's
        "hoverlabel": {"align": "left"},
        "dragmode": "pan",
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }
