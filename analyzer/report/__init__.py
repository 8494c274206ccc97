"""Presentation of a ShiftResult: plotly figures and the self-contained HTML page."""

from analyzer.report.html import render_report

__all__ = ["render_report"]
