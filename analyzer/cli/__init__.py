"""The shift-analyzer command line. Only this package prints and chooses exit codes.

``report`` (:mod:`analyzer.cli.report`), ``baseline``, ``check`` and ``history``
(:mod:`analyzer.cli.weekly`) share :mod:`analyzer.cli.common`: exit codes 0 done, 1 a gate was
breached, 2 bad input or usage (one line, no traceback).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from analyzer.cli import report, weekly
from analyzer.cli.common import EXIT_INPUT, cli_message
from analyzer.errors import AnalyzerError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Find where production LLM traffic has left the ground your eval/training set covers.",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from analyzer import __version__

        typer.echo(f"shift-analyzer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Find where production LLM traffic has left the ground your eval/training set covers.

    Example: shift-analyzer report eval.jsonl prod.parquet --out reports/2026-11-27
    """


report.register(app)  # report
weekly.register(app)  # baseline, check, history


def main() -> None:
    """Console entry point."""
    try:
        app()
    except AnalyzerError as exc:  # raised outside a command body
        typer.echo(f"error: {cli_message(str(exc))}", err=True)
        sys.exit(EXIT_INPUT)


__all__ = ["app", "main"]
