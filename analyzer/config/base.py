"""Shared pieces of the settings: the default model, the progress callback type, value
checks with sklearn-worded messages, and the TOML reader."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from analyzer.errors import ConfigError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
#: The progress callback every long job accepts: called with a short message at each step.
Progress = Callable[[str], None]
#: Tables of a shift.toml that belong to other commands, not to the analysis.
OTHER_SECTIONS = ("check",)


def check_int(owner: str, name: str, value: object, low: int, high: float = math.inf) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        upper = "inf" if high == math.inf else str(int(high))
        raise ConfigError(
            f"The '{name}' parameter of {owner} must be an int in the range [{low}, {upper}]. "
            f"Got {value!r} instead."
        )


def check_float(owner: str, name: str, value: object, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low < value < high:
        raise ConfigError(
            f"The '{name}' parameter of {owner} must be a number in the open range "
            f"({low}, {high}). Got {value!r} instead."
        )


def check_closed(owner: str, name: str, value: object, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ConfigError(
            f"The '{name}' parameter of {owner} must be a number in the closed range "
            f"[{low}, {high}]. Got {value!r} instead."
        )


def check_choice(owner: str, name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError(
            f"The '{name}' parameter of {owner} must be one of {', '.join(choices)}. "
            f"Got {value!r} instead."
        )


def check_known_keys(section: str, values: Mapping[str, Any], known: set[str]) -> None:
    unknown = set(values) - known
    if unknown:
        raise ConfigError(
            f"Unknown key(s) {', '.join(sorted(unknown))} in config section [{section}]. "
            f"Known keys: {', '.join(sorted(known))}."
        )


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file; a missing file or bad syntax is a ConfigError naming the fix."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"Config file {path} does not exist. Check the path.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}. Fix the syntax.") from exc
