"""Argument checks shared by the segment stage: named columns exist in the production frame,
per-row arrays have one entry per production row. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analyzer.errors import InputError, SchemaError


def _check_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        existing = ", ".join(map(str, frame.columns))
        raise SchemaError(
            f"The {what} column(s) {', '.join(map(repr, missing))} are not in the production "
            f"data. Existing columns: {existing}. Pass one of those names."
        )


def _as_array(values: Any, n: int, name: str, dtype: type) -> NDArray[Any]:
    array = np.asarray(values)
    if array.ndim != 1 or len(array) != n:
        raise InputError(
            f"'{name}' must be a 1-d array with one entry per production row ({n}). "
            f"Got shape {array.shape} instead."
        )
    if dtype is bool:
        if array.dtype != np.bool_:
            if array.dtype.kind == "f" and np.isnan(array).any():
                raise InputError(
                    f"'{name}' must be boolean; it holds NaN. Fill missing values first."
                )
            array = array.astype(bool)
        return array
    return array.astype(dtype)
