"""Run history of the weekly check: one SQLite file with runs, clusters per run and the registry.

The file is plain SQLite (stdlib ``sqlite3``) in WAL mode. Every write happens inside one
``BEGIN IMMEDIATE`` transaction with a busy timeout, so two checks writing at once queue up
instead of corrupting the file or handing out the same cluster id twice. Re-recording a period
replaces that period's rows. A file is ours when its ``application_id`` and ``meta`` table say
so; any other file (not SQLite, or SQLite without our marker) is refused and left untouched.

Periods are strings ordered as strings: use ISO forms such as ``2026-W48`` or ``2026-11-27``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self
from urllib.parse import quote

from analyzer import faults
from analyzer.atomic import writable_ancestor
from analyzer.errors import IncompatibleBaselineError, InputError
from analyzer.weekly.records import ClusterRecord, RegistryEntry, RunRecord

SCHEMA_VERSION = 1
APPLICATION_ID = 0x53484654  # "SHFT"
FORMAT_NAME = "shift-analyzer-history"

_SCHEMA_V1 = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE runs (
        period TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        baseline_id TEXT NOT NULL,
        verdict TEXT NOT NULL,
        exit_code INTEGER NOT NULL,
        n_reference INTEGER NOT NULL,
        n_production INTEGER NOT NULL,
        uncovered_share REAL,
        js_divergence REAL,
        flagged_cluster_ids TEXT NOT NULL,
        new_cluster_ids TEXT NOT NULL,
        resolved_cluster_ids TEXT NOT NULL,
        cause_shares TEXT NOT NULL,
        breaches TEXT NOT NULL,
        summary TEXT NOT NULL)""",
    """CREATE TABLE run_clusters (
        period TEXT NOT NULL REFERENCES runs(period) ON DELETE CASCADE,
        cluster_id INTEGER NOT NULL,
        label TEXT NOT NULL,
        n_reference INTEGER NOT NULL,
        n_production INTEGER NOT NULL,
        share_reference REAL NOT NULL,
        share_production REAL NOT NULL,
        coverage REAL,
        is_flagged INTEGER NOT NULL,
        is_new INTEGER NOT NULL,
        PRIMARY KEY (period, cluster_id))""",
    """CREATE TABLE registry (
        cluster_id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        dim INTEGER NOT NULL,
        centroid BLOB NOT NULL,
        members BLOB,
        first_period TEXT NOT NULL,
        last_period TEXT NOT NULL,
        n_runs INTEGER NOT NULL)""",
)
# Migrations from version v-1 to v, in order; index 0 creates version 1.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (_SCHEMA_V1,)


def _check_period(period: str) -> str:
    if not isinstance(period, str) or not period.strip() or len(period) > 64:
        raise InputError(
            f"A period must be a non-empty label of at most 64 characters. Got {period!r}. "
            "Use an ISO week such as 2026-W48 or a date such as 2026-11-27."
        )
    if any(ord(ch) < 32 for ch in period):
        raise InputError(f"A period must not contain control characters. Got {period!r}.")
    return period.strip()


def check_history_path(path: str | Path) -> Path:
    """Refuse, before any work, a history path that is a folder, someone else's file, or not
    writable; a missing file is fine when its folder can be created and written."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"History path {target} is a folder. Pass a file path.")
    if not target.exists():
        writable_ancestor(target.parent)
        return target
    _inspect(target)
    if not os.access(target, os.R_OK | os.W_OK) or not os.access(target.parent, os.W_OK):
        raise InputError(
            f"History file {target} (or its folder, which holds SQLite's journal) is not "
            "writable. Fix its permissions or pass another history file."
        )
    return target


def _refuse(path: Path, why: str) -> InputError:
    return InputError(
        f"{path} is not a shift-analyzer history file ({why}). It was left unchanged. "
        "Pass a new path to start a history, or the file earlier checks wrote."
    )


def _inspect(path: Path) -> int:
    """Return the schema version of an existing history file (0 when the file is empty)."""
    with open(path, "rb") as handle:
        head = handle.read(16)
    if not head:
        return 0
    if head != b"SQLite format 3\x00":
        raise _refuse(path, f"not an SQLite database: it starts with {head[:12]!r}")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            fmt = None
            if "meta" in tables:
                row = conn.execute("SELECT value FROM meta WHERE key='format'").fetchone()
                fmt = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, f"SQLite cannot read it: {exc}") from exc
    if app_id != APPLICATION_ID or fmt != FORMAT_NAME:
        raise _refuse(path, f"an SQLite database without our marker; its tables: {sorted(tables)}")
    if version > SCHEMA_VERSION:
        raise InputError(
            f"{path} has history schema version {version}, newer than this shift-analyzer "
            f"understands ({SCHEMA_VERSION}). Upgrade shift-analyzer to read it."
        )
    return int(version)


class History:
    """A run history file.

    Parameters
    ----------
    path
        The SQLite file. Created when missing (or empty) and ``create`` is true.
    create
        When false, a missing file is an :class:`~analyzer.errors.InputError`.
    busy_timeout_s
        How long a writer waits for another writer's transaction to finish.
    """

    def __init__(
        self, path: str | Path, *, create: bool = True, busy_timeout_s: float = 60.0
    ) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise InputError(f"History path {self.path} is a folder. Pass a file path.")
        exists = self.path.exists()
        if not exists and not create:
            raise InputError(
                f"History file {self.path} does not exist. Record a check into it first, or check "
                "the path."
            )
        version = _inspect(self.path) if exists else 0
        self._depth = 0
        try:
            if not exists:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                str(self.path),
                timeout=busy_timeout_s,
                isolation_level=None,
                check_same_thread=False,
            )
            self._conn.row_factory = sqlite3.Row  # rows are read by column name
            self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            if version < SCHEMA_VERSION:
                self._migrate()
            self._conn.execute("PRAGMA journal_mode = WAL")
        except (sqlite3.OperationalError, OSError) as exc:
            raise InputError(
                f"Cannot open history file {self.path} for writing ({exc}). Check that the "
                "folder exists and is writable."
            ) from exc

    def _migrate(self) -> None:
        with self.transaction():
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = self._conn.execute("PRAGMA application_id").fetchone()[0]
            if version == 0 and app_id == 0:
                tables = self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise _refuse(self.path, "an SQLite database without our marker")
            for step in _MIGRATIONS[version:]:
                for statement in step:
                    self._conn.execute(statement)
            if version == 0:
                self._conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self._conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('format', ?)", (FORMAT_NAME,)
                )
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[History]:
        """Hold the write lock (``BEGIN IMMEDIATE``) for the reads and writes inside."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise InputError(
                f"Cannot write history file {self.path} ({exc}). Another process may hold it "
                "longer than the busy timeout, or the file is read-only; retry or check it."
            ) from exc
        self._depth = 1
        self._committed = False
        try:
            yield self
        except BaseException:
            if not self._committed:
                self._conn.execute("ROLLBACK")
            raise
        else:
            if not self._committed:
                self._commit()
        finally:
            self._depth = 0

    def commit(self) -> None:
        """Commit the open transaction now; the rest of the ``transaction`` block runs outside
        it (the weekly check commits once its outputs are in place, and not later)."""
        if self._depth and not self._committed:
            faults.checkpoint("history:commit")
            self._commit()
            self._committed = True
            faults.checkpoint("history:committed")

    def _commit(self) -> None:
        self._conn.execute("COMMIT")

    # ---- meta -------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """A value stored under ``key`` in the meta table, or None."""
        row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def bind_model(self, model_id: str, dim: int) -> None:
        """Tie the history to one embedding model; refuse a run made with another one."""
        with self.transaction():
            stored = self.get_meta("model_id")
            if stored is None:
                self._conn.execute("INSERT INTO meta VALUES ('model_id', ?)", (model_id,))
                self._conn.execute("INSERT INTO meta VALUES ('dim', ?)", (str(dim),))
            elif stored != model_id or self.get_meta("dim") != str(dim):
                raise IncompatibleBaselineError(
                    f"History {self.path} holds clusters embedded with {stored} "
                    f"(dim {self.get_meta('dim')}), but this baseline uses {model_id} (dim {dim}). "
                    "Start a new history file for a baseline made with another model."
                )

    # ---- runs -------------------------------------------------------------------------------

    def _insert(
        self, table: str, rows: Sequence[Mapping[str, Any]], *, replace: bool = False
    ) -> None:
        """Insert rows (dicts keyed by column name) into ``table``."""
        if not rows:
            return
        columns = list(rows[0])
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        self._conn.executemany(
            f"{verb} INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + c for c in columns)})",
            rows,
        )

    def record_run(self, run: RunRecord, clusters: Sequence[ClusterRecord]) -> None:
        """Write one run and its clusters, replacing any earlier run of the same period."""
        period = _check_period(run.period)
        created = run.created_at or datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction():
            self._conn.execute("DELETE FROM run_clusters WHERE period=?", (period,))
            self._conn.execute("DELETE FROM runs WHERE period=?", (period,))
            self._insert("runs", [replace(run, period=period, created_at=created).to_row()])
            self._insert("run_clusters", [replace(c, period=period).to_row() for c in clusters])

    def runs(self) -> list[RunRecord]:
        """Every run, oldest period first."""
        rows = self._conn.execute("SELECT * FROM runs ORDER BY period").fetchall()
        return [RunRecord.from_row(row) for row in rows]

    def run(self, period: str) -> RunRecord | None:
        """The run of ``period``, or None."""
        row = self._conn.execute("SELECT * FROM runs WHERE period=?", (period,)).fetchone()
        return None if row is None else RunRecord.from_row(row)

    def previous_run(self, period: str) -> RunRecord | None:
        """The latest run whose period sorts before ``period``, or None."""
        row = self._conn.execute(
            "SELECT * FROM runs WHERE period < ? ORDER BY period DESC LIMIT 1", (period,)
        ).fetchone()
        return None if row is None else RunRecord.from_row(row)

    def clusters(self, period: str | None = None) -> list[ClusterRecord]:
        """Clusters of one period (or of all periods), by period then cluster id."""
        sql = "SELECT * FROM run_clusters"
        args: tuple[str, ...] = ()
        if period is not None:
            sql += " WHERE period=?"
            args = (period,)
        rows = self._conn.execute(sql + " ORDER BY period, cluster_id", args).fetchall()
        return [ClusterRecord.from_row(r) for r in rows]

    # ---- registry ---------------------------------------------------------------------------

    def registry(self) -> list[RegistryEntry]:
        """Every registry entry, by cluster id."""
        rows = self._conn.execute("SELECT * FROM registry ORDER BY cluster_id").fetchall()
        return [RegistryEntry.from_row(r) for r in rows]

    def upsert_registry(self, entries: Sequence[RegistryEntry]) -> None:
        """Insert or replace registry entries by cluster id."""
        with self.transaction():
            self._insert("registry", [e.to_row() for e in entries], replace=True)

    def prune_registry(self, period: str, keep_ids: Sequence[int]) -> list[int]:
        """Drop entries first seen in ``period`` that this run no longer has.

        Used when a period is re-run: regions its earlier run created, absent now and not
        referenced by any other period, would otherwise linger. Returns the dropped ids.
        """
        keep = {int(i) for i in keep_ids}
        with self.transaction():
            rows = self._conn.execute(
                "SELECT cluster_id FROM registry WHERE first_period=? AND cluster_id NOT IN "
                "(SELECT cluster_id FROM run_clusters WHERE period<>?)",
                (period, period),
            ).fetchall()
            dropped = [int(r[0]) for r in rows if int(r[0]) not in keep]
            self._conn.executemany(
                "DELETE FROM registry WHERE cluster_id=?", [(i,) for i in dropped]
            )
        return dropped
