"""QueryBatch: the queries of one side (reference or production), as loaded."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class SkippedRow:
    """An input row that could not become a query, with where it was and why."""

    file: str
    line: int
    reason: str

    def to_dict(self) -> dict[str, str | int]:
        return {"file": self.file, "line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class QueryBatch:
    """Queries with every input column kept.

    ``frame`` holds one row per usable input row: the id column ``id_col`` (as given, or the
    1-based row number when the input has none), the text column ``text_col``, and all other
    input columns. ``skipped`` lists the rows that were not usable, with reasons.
    """

    frame: pd.DataFrame
    source: str
    text_col: str = "text"
    id_col: str = "id"
    skipped: tuple[SkippedRow, ...] = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def texts(self) -> list[str]:
        """The query texts, in row order."""
        return [str(t) for t in self.frame[self.text_col].tolist()]

    @property
    def ids(self) -> list[object]:
        """The row ids, in row order."""
        return list(self.frame[self.id_col].tolist())
