"""What every command shares: exit codes, the one-line error, progress, settings from flags.

Exit codes: 0 done, 1 a gate was breached, 2 bad input or usage, 3 the environment or the
program failed, 130 interrupted; always one line on stderr, no traceback (``--debug`` prints it).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer

EXIT_OK, EXIT_GATE, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def tolerant_streams() -> None:
    """Never fail on printing: text the terminal's encoding cannot show is escaped."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def internal_failure(exc: BaseException, debug: bool) -> str:
    """The one line for an exit 3: what failed, and where the full traceback went."""
    what = _describe(exc)
    text = "".join(traceback.format_exception(exc))
    if debug:
        return f"{text.rstrip()}\nerror: {what}"
    try:
        saved = _save_traceback(text)
    except OSError as save_error:
        reason = save_error.strerror or save_error
        return (
            f"error: {what} (the traceback could not be saved: {reason}; "
            "rerun with --debug to print it)"
        )
    return f"error: {what}; the full traceback is in {saved} (or rerun with --debug)"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        reason = exc.strerror or str(exc)
        return " ".join(f"cannot write or read{where}: {reason} ({type(exc).__name__})".split())
    return " ".join(f"internal error: {type(exc).__name__}: {exc}".split())[:500]


def _save_traceback(text: str) -> Path:
    from platformdirs import user_log_dir

    for folder in (Path(user_log_dir("shift-analyzer")), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(
                prefix=f"crash-{time.strftime('%Y%m%dT%H%M%S')}-", suffix=".txt", dir=folder
            )
            with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as out:
                out.write(text)
            return Path(name)
        except OSError as exc:
            last = exc
    raise last


#: The options the library's messages name as parameters (``text_col=``), as the command
#: line spells them. Library errors speak of the API; the CLI shows them in its own terms.
FLAG_NAMES = {
    "text_col": "--text-col",
    "id_col": "--id-col",
    "encoding": "--encoding",
    "model": "--model",
    "device": "--device",
    "workers": "--workers",
    "ray_address": "--ray-address",
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
    engine: str | None = None,
    ray_address: str | None = None,
) -> dict[str, dict[str, Any]]:
    """The command-line options as ``{section: {key: value}}``, the last layer of
    :func:`analyzer.config.load_settings`: ``--seed`` sets the map's and the tests' seeds,
    ``--alpha`` the coverage level and the FDR level of flags, ``--ray-address`` implies
    ``--engine ray``. Options not given are absent."""
    overrides: dict[str, dict[str, Any]] = {}
    if ray_address is not None:
        overrides["engine"] = {"kind": engine or "ray", "ray_address": ray_address}
    elif engine is not None:
        overrides["engine"] = {"kind": engine}
    embed = {"model": model, "cache_dir": cache_dir, "device": device, "workers": workers}
    for key, value in embed.items():
        if value is not None:
            overrides.setdefault("embed", {})[key] = str(value) if key == "cache_dir" else value
    if seed is not None:
        overrides["cluster"] = {"seed": seed}
        overrides.setdefault("score", {})["seed"] = seed
    if alpha is not None:  # the emerging pass spends half of it (docs/design.md)
        overrides["cover"] = {"alpha": alpha}
        overrides.setdefault("score", {})["alpha"] = alpha
        overrides["emerging"] = {"alpha": alpha / 2}
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
        "process (default: one per idle core, up to 4, from 20,000 new texts).",
    ),
]
EngineKind = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="Where the per-row stages run: local (this process, in chunks) or ray (Ray Data "
        "actors; pip install 'shift-analyzer[ray]') (default: local).",
    ),
]
RayAddress = Annotated[
    str | None,
    typer.Option(
        help="Ray cluster to join with --engine ray: auto, or ray://host:10001 (default: a Ray "
        "started on this machine for the run)."
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
