"""A run killed or failed at any write step leaves the previous outputs or the new ones, never a
mix; the history and the outputs agree; no temporary file survives the next run.

Kills are real (SIGKILL in a child process, at the step named by ``SHIFT_ANALYZER_FAULT``:
see analyzer/faults.py); failures are the OSError a full disk raises, injected the same way in
this process, and a real full disk (a small tmpfs) where the machine lets a test mount one.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzer.atomic import leftovers
from analyzer.faults import ENV
from analyzer.weekly.store import load_baseline
from tests.builders import HashingEmbedder
from tests.conftest import ROOT
from tests.fault_driver import run


@pytest.fixture(scope="module")
def texts(clinc: pd.DataFrame) -> dict[str, list[str]]:
    inscope = clinc[~clinc["is_oos"]]
    return {
        "ref": inscope[inscope["split"] == "train"].sample(80, random_state=1)["text"].tolist(),
        "a": inscope[inscope["split"] == "test"].sample(50, random_state=2)["text"].tolist(),
        "b": clinc[clinc["is_oos"]].sample(50, random_state=3)["text"].tolist(),
    }


@pytest.fixture()
def work(tmp_path: Path, texts: dict[str, list[str]]) -> Path:
    rng = np.random.default_rng(7)
    for name, rows in texts.items():
        file = tmp_path / ("ref.jsonl" if name == "ref" else f"prod-{name}.jsonl")
        clients = rng.choice(["web", "api"], size=len(rows))
        file.write_text(
            "".join(json.dumps({"text": t, "client": c}) + "\n" for t, c in zip(rows, clients))
        )
    return tmp_path


def whole_run(folder: Path) -> str:
    """Assert the folder holds exactly one run's files, each matching run.json; its run id."""
    run_file = json.loads((folder / "run.json").read_text())
    listed = run_file["files"]
    assert sorted(os.listdir(folder)) == sorted([*listed, "run.json"])
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    return str(run_file["run_id"])


def history_run_id(work: Path, period: str) -> str | None:
    with sqlite3.connect(work / "history.sqlite") as db:
        row = db.execute("SELECT summary FROM runs WHERE period=?", (period,)).fetchone()
    return None if row is None else str(json.loads(row[0])["run_id"])


def killed(command: str, work: Path, step: str, *args: str) -> None:
    env = {**os.environ, ENV: f"{step}:kill", "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.fault_driver", command, str(work), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]


@pytest.fixture()
def injected(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    return monkeypatch


def fail_at(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    monkeypatch.setenv(ENV, f"{step}:enospc")


# ---- report ---------------------------------------------------------------------------------

#: Steps of `report`, and whether the new outputs are in place once a kill there happened.
REPORT_STEPS = [
    ("write:queries.parquet", False),
    ("write:report.html", False),
    ("write:run.json", False),
    ("publish", False),
    ("published", True),
    ("finalize", True),
]


@pytest.mark.e2e
@pytest.mark.parametrize(("step", "new_in_place"), REPORT_STEPS)
def test_report_killed_at_a_write_step(work: Path, step: str, new_in_place: bool) -> None:
    run("report", work, data="a")
    before = whole_run(work / "out")
    killed("report", work, step, "2026-W01", "b")
    after = whole_run(work / "out")
    assert (after != before) == new_in_place
    run("report", work, data="a")  # the next run clears what the killed one left
    assert leftovers(work / "out") == [] and whole_run(work / "out") not in (before, after)


@pytest.mark.parametrize("step", ["write:clusters.csv", "write:run.json", "publish", "finalize"])
def test_report_failing_at_a_write_step_keeps_the_previous_outputs(
    work: Path, injected: pytest.MonkeyPatch, step: str
) -> None:
    run("report", work, data="a")
    before = whole_run(work / "out")
    fail_at(injected, step)
    with pytest.raises(OSError, match=rf"No space left on device.*injected at {step}"):
        run("report", work, data="b")
    # (at "finalize" the new folder was already in place: a failure there puts the old one back)
    assert whole_run(work / "out") == before and leftovers(work / "out") == []


# ---- baseline --------------------------------------------------------------------------------

BASELINE_STEPS = [
    ("baseline:state", False),
    ("baseline:manifest", False),
    ("publish", False),
    ("published", True),
]


def baseline_id(work: Path) -> str:
    saved = load_baseline(work / "base", embedder=HashingEmbedder(), use_cache=False)
    return saved.baseline_id


@pytest.mark.e2e
@pytest.mark.parametrize(("step", "new_in_place"), BASELINE_STEPS)
def test_baseline_killed_at_a_write_step(work: Path, step: str, new_in_place: bool) -> None:
    run("baseline", work)
    before = baseline_id(work)
    (work / "ref.jsonl").write_text((work / "prod-b.jsonl").read_text())  # another reference
    killed("baseline", work, step)
    after = baseline_id(work)  # loads and verifies: a whole baseline either way
    assert (after != before) == new_in_place
    run("baseline", work)
    assert leftovers(work / "base") == []


@pytest.mark.parametrize("step", ["baseline:registry", "baseline:manifest", "publish"])
def test_baseline_failing_at_a_write_step_keeps_the_previous_one(
    work: Path, injected: pytest.MonkeyPatch, step: str
) -> None:
    run("baseline", work)
    before = baseline_id(work)
    (work / "ref.jsonl").write_text((work / "prod-b.jsonl").read_text())
    fail_at(injected, step)
    with pytest.raises(OSError, match="No space left on device"):
        run("baseline", work)
    assert baseline_id(work) == before and leftovers(work / "base") == []


# ---- check -----------------------------------------------------------------------------------

#: Steps of `check`: whether the new outputs are in place, and whether the history has the run.
CHECK_STEPS = [
    ("write:summary.json", False, False),
    ("publish", False, False),
    ("published", True, False),
    ("history:commit", True, False),
    ("history:committed", True, True),
    ("finalize", True, True),
]


def checked_once(work: Path) -> str:
    run("baseline", work)
    run("check", work, "2026-W01", "a")
    first = whole_run(work / "out")
    assert history_run_id(work, "2026-W01") == first
    return first


@pytest.mark.e2e
@pytest.mark.parametrize(("step", "outputs_new", "history_new"), CHECK_STEPS)
def test_check_killed_at_a_write_step(
    work: Path, step: str, outputs_new: bool, history_new: bool
) -> None:
    first = checked_once(work)
    killed("check", work, step, "2026-W02", "b")
    shown = whole_run(work / "out")
    recorded = history_run_id(work, "2026-W02")
    assert (shown != first) == outputs_new
    assert (recorded is not None) == history_new
    if recorded is not None:
        assert recorded == shown  # the history and the outputs agree
    elif outputs_new:
        # Killed between publishing and committing (one SQLite commit): the folder holds a
        # run the history lacks, which run.json's run id shows; the next check replaces it.
        assert shown != first and history_run_id(work, "2026-W01") == first
    run("check", work, "2026-W02", "b")
    assert leftovers(work / "out") == []
    assert history_run_id(work, "2026-W02") == whole_run(work / "out")


@pytest.mark.parametrize("step", ["write:to_label.jsonl", "publish", "history:commit"])
def test_check_failing_at_a_write_step_records_nothing_and_keeps_the_outputs(
    work: Path, injected: pytest.MonkeyPatch, step: str
) -> None:
    first = checked_once(work)
    fail_at(injected, step)
    with pytest.raises(OSError, match="No space left on device"):
        run("check", work, "2026-W02", "b")
    assert whole_run(work / "out") == first and leftovers(work / "out") == []
    assert history_run_id(work, "2026-W02") is None


# ---- a real full disk and a read-only folder -------------------------------------------------


def _mount_tmpfs(path: Path, *options: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()})")


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "size=8m")
    yield disk
    subprocess.run(["umount", str(disk)], check=False)


def test_a_full_disk_keeps_the_previous_outputs(work: Path, small_disk: Path) -> None:
    """8 MB hold one run (its page inlines plotly.js, about 5 MB) but not a second beside it."""
    from analyzer.config import AnalyzerConfig
    from analyzer.pipeline import ReportOptions, run_report

    out = small_disk / "out"
    options = ReportOptions(use_cache=False)
    embedder = HashingEmbedder()
    run_report(work / "ref.jsonl", work / "prod-a.jsonl", out, AnalyzerConfig(), options, embedder)
    before = whole_run(out)
    with pytest.raises(OSError, match="No space left on device"):
        run_report(
            work / "ref.jsonl", work / "prod-b.jsonl", out, AnalyzerConfig(), options, embedder
        )
    assert whole_run(out) == before and leftovers(out) == []
