"""SQLite run history: schema marker, upsert by period, registry, concurrency, foreign files."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from analyzer.errors import IncompatibleBaselineError, InputError
from analyzer.report.trend import write_trend
from analyzer.weekly.history import APPLICATION_ID, SCHEMA_VERSION, History
from analyzer.weekly.records import ClusterRecord, RegistryEntry, RunRecord
from analyzer.weekly.trend import trend_series


def _run(period: str, share: float = 0.05, **kw: object) -> RunRecord:
    return RunRecord(
        period=period,
        verdict="ok",
        exit_code=0,
        n_reference=100,
        n_production=50,
        uncovered_share=share,
        **kw,  # type: ignore[arg-type]
    )


def _cluster(cid: int, share: float = 0.1, **kw: object) -> ClusterRecord:
    fields: dict[str, object] = {
        "label": f"c{cid}",
        "n_reference": 10,
        "n_production": 5,
        "share_reference": 0.1,
        "coverage": 0.9,
        "is_flagged": False,
        "is_new": False,
    }
    return ClusterRecord(cluster_id=cid, share_production=share, **(fields | kw))  # type: ignore[arg-type]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_carries_the_marker_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    History(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"runs", "run_clusters", "registry", "meta"} <= tables
    conn.close()


def test_rerunning_a_period_replaces_it(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite") as history:
        history.record_run(_run("2026-W02"), [_cluster(1), _cluster(2)])
        history.record_run(_run("2026-W01", flagged_cluster_ids=(4,)), [_cluster(4)])
        history.record_run(_run("2026-W02", share=0.2, new_cluster_ids=(9,)), [_cluster(9)])
        runs = history.runs()
        assert [r.period for r in runs] == ["2026-W01", "2026-W02"]
        assert runs[1].uncovered_share == 0.2
        assert runs[1].new_cluster_ids == (9,)
        assert runs[0].flagged_cluster_ids == (4,)
        assert [c.cluster_id for c in history.clusters("2026-W02")] == [9]
        assert len(history.clusters()) == 2
        assert history.previous_run("2026-W02") is not None
        assert history.previous_run("2026-W01") is None


def test_run_round_trips_every_field(tmp_path: Path) -> None:
    run = _run(
        "2026-W10",
        js_divergence=0.12,
        flagged_cluster_ids=(3, 5),
        resolved_cluster_ids=(1,),
        cause_shares={"malformed": 0.02},
        breaches=("max_flagged_share",),
        baseline_id="abc",
        summary={"verdict": "ok", "n_clusters": 4},
    )
    with History(tmp_path / "h.sqlite") as history:
        history.record_run(run, [])
        back = history.run("2026-W10")
    assert back is not None
    assert back.to_dict() | {"created_at": ""} == run.to_dict()
    assert back.summary == {"verdict": "ok", "n_clusters": 4}
    assert back.created_at.startswith("20")


def test_nan_uncovered_share_is_stored_as_null(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite") as history:
        history.record_run(_run("p", share=float("nan")), [])
        assert np.isnan(history.runs()[0].uncovered_share)
        assert history.runs()[0].to_dict()["uncovered_share"] is None


@pytest.mark.parametrize("period", ["", "   ", "x" * 65, "2026\nW1"])
def test_bad_periods_are_refused(tmp_path: Path, period: str) -> None:
    with History(tmp_path / "h.sqlite") as history, pytest.raises(InputError, match="period"):
        history.record_run(_run(period), [])


def test_registry_round_trips_centroids_and_members(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    entries = [
        RegistryEntry(1, "a", rng.normal(size=8).astype(np.float32), np.array([1, 5, 9]), "", "w1"),
        RegistryEntry(4, "b", rng.normal(size=8).astype(np.float32), None, "w1", "w2", 2),
    ]
    with History(tmp_path / "h.sqlite") as history:
        history.upsert_registry(entries)
        back = history.registry()
    assert [e.cluster_id for e in back] == [1, 4]
    np.testing.assert_array_equal(back[0].centroid, entries[0].centroid)
    assert back[0].members is not None and back[0].members.tolist() == [1, 5, 9]
    assert back[1].members is None and back[1].n_runs == 2


def test_prune_drops_only_orphans_of_the_rerun_period(tmp_path: Path) -> None:
    cent = np.ones(4, dtype=np.float32)
    with History(tmp_path / "h.sqlite") as history:
        history.upsert_registry(
            [RegistryEntry(i, "x", cent, None, p, p) for i, p in [(1, ""), (2, "w3"), (3, "w3")]]
        )
        history.record_run(_run("w4"), [_cluster(3)])
        assert history.prune_registry("w3", keep_ids=[]) == [2]
        assert [e.cluster_id for e in history.registry()] == [1, 3]


def test_model_binding_refuses_another_model(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite") as history:
        history.bind_model("all-MiniLM-L6-v2@abc", 384)
        history.bind_model("all-MiniLM-L6-v2@abc", 384)
        with pytest.raises(IncompatibleBaselineError, match="Start a new history file"):
            history.bind_model("other-model@def", 768)


def test_failed_transaction_rolls_back(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite") as history:
        history.record_run(_run("w1"), [])
        with pytest.raises(RuntimeError, match="boom"), history.transaction():
            history.record_run(_run("w2"), [])
            raise RuntimeError("boom")
        assert [r.period for r in history.runs()] == ["w1"]


@pytest.mark.parametrize(
    "content",
    [b"not a database at all, just text\n" * 10, b"SQLite format 3\x00" + b"\x00" * 200],
)
def test_damaged_file_is_refused_and_left_unchanged(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "h.sqlite"
    path.write_bytes(content)
    before = _sha(path)
    with pytest.raises(InputError, match="not a shift-analyzer history file"):
        History(path)
    assert _sha(path) == before


def test_foreign_sqlite_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE runs (x INTEGER)")
    conn.execute("INSERT INTO runs VALUES (1)")
    conn.commit()
    conn.close()
    before = _sha(path)
    with pytest.raises(InputError, match="without our marker.*runs"):
        History(path)
    assert _sha(path) == before


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    History(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(InputError, match="newer than this shift-analyzer"):
        History(path)


def test_missing_file_without_create_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        History(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()


def test_empty_file_becomes_a_history(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    path.touch()
    with History(path) as history:
        history.record_run(_run("w1"), [])
    with History(path, create=False) as history:
        assert len(history.runs()) == 1


def _claim_new_ids(path: Path, period: str, n: int) -> None:
    """What a check does: read the registry, hand out the next ids, record the run."""
    with History(path) as history, history.transaction():
        ids = [e.cluster_id for e in history.registry()]
        start = max(ids, default=-1) + 1
        cent = np.ones(4, dtype=np.float32)
        new = [RegistryEntry(start + i, period, cent, None, period, period) for i in range(n)]
        history.upsert_registry(new)
        history.record_run(_run(period), [_cluster(e.cluster_id) for e in new])


def test_concurrent_threads_never_share_an_id(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    History(path).close()
    threads = [
        threading.Thread(target=_claim_new_ids, args=(path, f"w{i:02d}", 3)) for i in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with History(path) as history:
        assert len(history.runs()) == 8
        ids = [c.cluster_id for c in history.clusters()]
        assert sorted(ids) == list(range(24))


def test_concurrent_processes_do_not_corrupt_the_file(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pathlib import Path
        from test_history import _claim_new_ids
        for i in range(10):
            _claim_new_ids(Path({str(path)!r}), sys.argv[1] + f"-{{i:02d}}", 2)
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, name], stderr=subprocess.PIPE)
        for name in ("a", "b")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    with History(path) as history:
        assert len(history.runs()) == 20
        ids = sorted(c.cluster_id for c in history.clusters())
        assert ids == list(range(40))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_trend_series_puts_flagged_clusters_first_and_fills_gaps() -> None:
    runs = [_run("w2", cause_shares={"malformed": 0.1, "new_domain": 0.0}), _run("w1")]
    clusters = [
        _cluster(1, 0.30, period="w1"),
        _cluster(1, 0.20, period="w2"),
        _cluster(2, 0.05, period="w2", is_new=True),
        _cluster(3, 0.10, period="w1"),
        _cluster(-1, 0.5, period="w1"),
    ]
    trend = trend_series(runs, clusters, top_n=2)
    assert trend.periods == ("w1", "w2")
    assert list(trend.cluster_shares) == [2, 1]
    assert np.isnan(trend.cluster_shares[2][0]) and trend.cluster_shares[2][1] == 0.05
    assert trend.causes == ("malformed",)


def test_trend_page_is_self_contained_and_escapes_labels(tmp_path: Path) -> None:
    runs = [
        _run("2026-W01", summary={"uncovered_share_ci": [0.04, 0.07]}),
        _run("2026-W02", share=0.2, breaches=("new region 5 takes 9%",), new_cluster_ids=(5,)),
    ]
    clusters = [
        ClusterRecord(5, "<b>evil</b>", 0, 9, 0.0, 0.09, 0.1, True, True, "2026-W02"),
        _cluster(1, 0.2, period="2026-W01"),
    ]
    out = write_trend(trend_series(runs, clusters), tmp_path / "deep" / "trend.html")
    html = out.read_text()
    assert "<b>evil</b>" not in html
    assert "new region 5 takes 9%" in html
    assert "<script src=" not in html and "<link" not in html
    assert html.count("Plotly.newPlot") == 2
    assert len(html) > 3_000_000  # plotly.js inlined


def test_missing_parent_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "state" / "deep" / "h.sqlite"
    with History(path) as history:
        history.record_run(_run("w1"), [])
    assert path.exists()


def test_a_writer_that_waits_too_long_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with History(path) as holder, holder.transaction():
        waiter = History(path, busy_timeout_s=0.2)
        with pytest.raises(InputError, match="Cannot write history file.*retry"):
            waiter.record_run(_run("w1"), [])
        waiter.close()


def test_rows_are_read_by_column_name_not_position(tmp_path: Path) -> None:
    """A table whose columns sit in another order (as a later migration may leave them) reads
    back the same records."""
    path = tmp_path / "h.sqlite"
    run = _run("2026-W48", 0.12, js_divergence=0.3, flagged_cluster_ids=(4,), breaches=("b",))
    with History(path) as history:
        history.record_run(run, [_cluster(4, 0.2, is_flagged=True), _cluster(7)])
        before_runs, before_clusters = history.runs(), history.clusters()
    conn = sqlite3.connect(path)
    for table in ("runs", "run_clusters"):
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")][::-1]
        conn.executescript(
            f"PRAGMA foreign_keys=OFF; CREATE TABLE t AS SELECT {', '.join(columns)} FROM {table};"
            f" DROP TABLE {table}; ALTER TABLE t RENAME TO {table};"
        )
    conn.close()
    with History(path) as history:
        assert history.runs() == before_runs
        assert history.clusters() == before_clusters
