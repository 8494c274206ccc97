"""The shift-analyzer command line. Only this package prints and chooses exit codes.

``report`` (:mod:`analyzer.cli.report`), ``baseline``, ``check`` and ``history``
(:mod:`analyzer.cli.weekly`) share :mod:`analyzer.cli.common`. Exit codes: 0 done, 1 a gate or
threshold was breached, 2 bad input or usage, 3 the environment or the program failed (a full
disk, a permission, an unexpected exception). Every failure prints one line on stderr; for 3 the
line names what failed and the file holding the full traceback (``--debug`` prints it instead).
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from typer.exceptions import TyperException

from analyzer.cli import report, weekly
from analyzer.cli.common import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    cli_message,
    internal_failure,
    tolerant_streams,
)
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
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="On an internal failure (exit 3) print the traceback (also after a command).",
        ),
    ] = False,
) -> None:
    """Find where production LLM traffic has left the ground your eval/training set covers.

    Example: shift-analyzer report eval.jsonl prod.parquet --out reports/2026-11-27
    """


report.register(app)  # report
weekly.register(app)  # baseline, check, history


def run(argv: list[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: the process arguments); return the exit code.

    ``--debug`` may stand anywhere (or ``SHIFT_ANALYZER_DEBUG=1``).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("SHIFT_ANALYZER_DEBUG") == "1"
    args = [a for a in args if a != "--debug"]
    tolerant_streams()
    try:
        code = app(args=args, prog_name="shift-analyzer", standalone_mode=False)
    except TyperException as exc:  # usage errors (and help on no arguments), as click shows them
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        return int(getattr(exc, "exit_code", EXIT_INPUT))
    except typer.Abort:
        typer.echo("error: interrupted", err=True)
        return EXIT_INTERRUPTED
    except AnalyzerError as exc:  # raised outside a command body
        typer.echo(f"error: {cli_message(str(exc))}", err=True)
        return EXIT_INPUT
    except KeyboardInterrupt:
        typer.echo("error: interrupted", err=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more can be printed there
        typer.echo("error: the output pipe was closed before everything was written", err=True)
        return EXIT_INTERNAL
    except Exception as exc:  # noqa: BLE001 - the environment or the program failed: exit 3
        typer.echo(internal_failure(exc, debug), err=True)
        return EXIT_INTERNAL
    return int(code or EXIT_OK)


def main() -> None:
    """Console entry point."""
    sys.exit(run())


__all__ = ["app", "main", "run"]
