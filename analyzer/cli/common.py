"""What every command shares: exit codes, the one-line error, progress, settings from flags.

Exit codes: 0 done, 1 a gate was breached, 2 bad input or usage (one line, no traceback).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Annotated, Any

import typer

EXIT_OK, EXIT_GATE, EXIT_INPUT = 0, 1, 2


#: The options the library's messages name as parameters (``text_col=``), as the command
#: line spells them. Library errors speak of the API; the CLI shows them in its own terms.
FLAG_NAMES = {
    "text_col": "--text-col",
    "id_col": "--id-col",
    "encoding": "--encoding",
    "model": "--model",
    "device": "--device",
    "workers": "--workers",
    "label_size": "--label-size",
    "route_col": "--route-col",
    "cheap_route": "--cheap-route",
    "outcome_col": "--outcome-col",
    "bad_outcome": "--bad-outcome",
    "overwrite=True": "--force",
}
_PARAMETER = re.compile(r"\b(" + "|".join(n for n in FLAG_NAMES if "=" not in n) + r")=(\S?)")


def cli_message(message: str) -> str:
    """A library message in the command line's terms, on one line: ``overwrite=True`` becomes
    ``--force``, ``text_col=`` ``--text-col`` and ``encoding=latin-1`` ``--encoding latin-1``."""
    message = message.replace("overwrite=True", FLAG_NAMES["overwrite=True"])

    def flag(match: re.Match[str]) -> str:
        value = match.group(2)
        spaced = value and value not in ",.;:)"
        return FLAG_NAMES[match.group(1)] + (" " + value if spaced else value)

    return " ".join(_PARAMETER.sub(flag, message).split())


def fail(message: str) -> None:
    """Print a one-line error (in the command line's terms) and exit 2."""
    typer.echo(f"error: {cli_message(message)}", err=True)
    raise typer.Exit(EXIT_INPUT)


class Stopwatch:
    """Prints each step with the elapsed time, to stderr."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        if not self.quiet:
            typer.echo(f"[{time.perf_counter() - self.start:6.1f}s] {message}", err=True)


def flag_overrides(
    *,
    model: str | None = None,
    cache_dir: Path | None = None,
    seed: int | None = None,
    alpha: float | None = None,
    device: str | None = None,
    workers: int | None = None,
) -> dict[str, dict[str, Any]]:
    """The command-line options as ``{section: {key: value}}``, the last layer of
    :func:`analyzer.config.load_settings`: ``--seed`` sets the map's and the tests' seeds,
    ``--alpha`` the coverage level and the FDR level of flags. Options not given are absent."""
    overrides: dict[str, dict[str, Any]] = {}
    embed = {"model": model, "cache_dir": cache_dir, "device": device, "workers": workers}
    for key, value in embed.items():
        if value is not None:
            overrides.setdefault("embed", {})[key] = str(value) if key == "cache_dir" else value
    if seed is not None:
        overrides["cluster"] = {"seed": seed}
        overrides.setdefault("score", {})["seed"] = seed
    if alpha is not None:
        overrides["cover"] = {"alpha": alpha}
        overrides.setdefault("score", {})["alpha"] = alpha
    return overrides


# ---- options every command spells the same way ------------------------------------------------

ReferenceFile = Annotated[
    Path, typer.Argument(help="Reference (eval/training) queries: CSV, JSONL, Parquet or .txt.")
]
TextCol = Annotated[
    str,
    typer.Option(help="Column holding the query text (chat logs: last user turn of 'messages')."),
]
IdCol = Annotated[
    str | None, typer.Option(help="Column holding the row id (default: id, else the row number).")
]
Model = Annotated[
    str | None,
    typer.Option(
        help="all-MiniLM-L6-v2 (default, offline), all-MiniLM-L6-v2+onnx-int8 (about 2x "
        "faster on the CPU), use-multilingual-v3 (16 languages), or a sentence-transformers "
        "model name or path."
    ),
]
Device = Annotated[
    str | None,
    typer.Option(
        help="Where the model runs: auto (a CUDA GPU when torch sees one), cpu or cuda "
        "(default: auto)."
    ),
]
Workers = Annotated[
    int | None,
    typer.Option(
        min=0,
        help="Processes that share embedding on the CPU, one thread each; 0 or 1: in this "
        "process (default: up to 4 when there are thousands of new texts).",
    ),
]
CacheDir = Annotated[
    Path | None, typer.Option(help="Embedding cache folder (default: the user cache dir).")
]
NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Do not read or write the embedding cache.")
]
Seed = Annotated[
    int | None, typer.Option(help="Random seed for sampling, UMAP and tests (default: 0).")
]
Encoding = Annotated[str, typer.Option(help="Encoding of CSV/JSONL/text inputs.")]
SegmentCols = Annotated[
    list[str] | None,
    typer.Option(
        "--segment-col",
        help=(
            "Metadata column to split production by (client, locale, tier, turns); "
            "repeatable. Numbers are bucketed."
        ),
    ),
]
RouteCol = Annotated[
    str | None,
    typer.Option(help="Column naming the model that served each query (with --cheap-route)."),
]
CheapRoute = Annotated[
    str | None, typer.Option(help="Value of --route-col that means the cheap model.")
]
OutcomeCol = Annotated[
    str | None,
    typer.Option(
        help="Column with an outcome signal: thumbs, retry, escalation (with --bad-outcome)."
    ),
]
BadOutcome = Annotated[
    str | None, typer.Option(help="Value of --outcome-col that means a bad outcome.")
]
LabelSize = Annotated[
    int, typer.Option(help="Most queries in to_label.jsonl, the labelling queue.")
]
Redact = Annotated[
    bool,
    typer.Option(
        "--redact",
        help="Mask e-mails, phone and card numbers, API keys and tokens in every output file.",
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")]
