"""Segment and routing analysis: who carries the at-risk traffic, and on which route.

Pure computation (no I/O, no printing), one responsibility per module:

* :mod:`~analyzer.segments.at_risk`: which production queries are at risk (uncovered, a
  detector cause, or in a flagged cluster).
* :mod:`~analyzer.segments.buckets`: metadata columns into readable segment values.
* :mod:`~analyzer.segments.table`: at-risk share, Wilson interval, lift and excess of every
  segment value, ranked by the lower bound of the excess.
* :mod:`~analyzer.segments.routing`: per-cluster cheap-route share, bad-outcome rate and risk.
* :mod:`~analyzer.segments.stage`: the whole stage in one call (:func:`add_segments`).

The definitions are also in ``docs/segments.md`` and the report's appendix.
"""

from __future__ import annotations

from analyzer.segments.at_risk import at_risk_mask
from analyzer.segments.buckets import MISSING, OTHER, bucket_segment
from analyzer.segments.routing import ClusterRouting, cluster_routing, matches_value
from analyzer.segments.stage import (
    SegmentAnalysis,
    SegmentOptions,
    add_segments,
    analyze_segments,
    check_segment_options,
)
from analyzer.segments.table import SegmentTable, segment_table

__all__ = [
    "MISSING",
    "OTHER",
    "ClusterRouting",
    "SegmentAnalysis",
    "SegmentOptions",
    "SegmentTable",
    "add_segments",
    "analyze_segments",
    "at_risk_mask",
    "bucket_segment",
    "check_segment_options",
    "cluster_routing",
    "matches_value",
    "segment_table",
]
