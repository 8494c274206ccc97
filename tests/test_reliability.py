"""Exit codes that never lie, and bad surroundings refused before any work.

0 done, 1 a gate or threshold breached, 2 bad input or usage, 3 the environment or the program
failed; always one line on stderr, never a traceback (unless --debug).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from analyzer.cli import run
from analyzer.faults import ENV
from analyzer.weekly.history import check_history_path
from tests.conftest import run_cli


@pytest.fixture()
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    ref = tmp_path / "ref.jsonl"
    ref.write_text(
        "".join(json.dumps({"text": f"how do I reset password {i}"}) + "\n" for i in range(30))
    )
    prod = tmp_path / "prod.jsonl"
    prod.write_text("".join(json.dumps({"text": f"where is parcel {i}"}) + "\n" for i in range(20)))
    return ref, prod


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda out: out.write_text("x"), "is a file, not a folder"),
        (lambda out: out.symlink_to(out.parent / "missing"), "is a symbolic link"),
        (
            lambda out: (out.mkdir(), (out / "notes.txt").write_text("mine")),
            r"holds files that no shift-analyzer run wrote \(notes.txt\)",
        ),
    ],
    ids=["file", "dangling-symlink", "foreign-folder"],
)
def test_a_bad_out_is_refused_before_any_work(
    inputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], make, message
) -> None:
    out = tmp_path / "out"
    make(out)
    ref, prod = inputs
    code = run(["report", str(ref), str(prod), "--out", str(out), "-q", "--no-cache"])
    line = one_error_line(capsys.readouterr().err)
    assert code == 2
    assert re.search(message, line), line


def test_a_read_only_out_is_refused_before_any_work(
    inputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    if not mounted:
        ro.chmod(0o555)
        if os.access(ro, os.W_OK):
            pytest.skip("no read-only folder can be made here (root without mount)")
    try:
        ref, prod = inputs
        code = run(["report", str(ref), str(prod), "--out", str(ro / "out"), "-q", "--no-cache"])
        line = one_error_line(capsys.readouterr().err)
    finally:
        if mounted:
            subprocess.run(["umount", str(ro)], check=False)
    assert code == 2 and f"Cannot write in {ro}" in line


def test_a_history_that_is_a_folder_or_foreign_is_refused(tmp_path: Path) -> None:
    from analyzer.errors import InputError

    with pytest.raises(InputError, match="is a folder. Pass a file path"):
        check_history_path(tmp_path)
    foreign = tmp_path / "app.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE users (name TEXT)")
    with pytest.raises(InputError, match="without our marker"):
        check_history_path(foreign)


def test_a_refused_check_binds_no_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A baseline that fails verification leaves the history file as it was (absent)."""
    base = tmp_path / "base"
    base.mkdir()
    (base / "manifest.json").write_text(
        json.dumps(
            {
                "format": "shift-analyzer-baseline",
                "format_version": 3,
                "model_id": "m@1",
                "dimension": 4,
            }
        )
    )
    prod = tmp_path / "prod.jsonl"
    prod.write_text('{"text": "hello"}\n')
    history = tmp_path / "h.sqlite"
    code = run(
        [
            "check",
            str(base),
            str(prod),
            "--history",
            str(history),
            "--out",
            str(tmp_path / "out"),
            "-q",
        ]
    )
    assert code == 2 and "does not match its own sha256" in one_error_line(capsys.readouterr().err)
    assert not history.exists()


def test_an_unexpected_exception_exits_3_with_one_line_and_a_saved_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("analyzer.cli.weekly.history_runs", broken)
    history = tmp_path / "h.sqlite"
    history.write_bytes(b"")
    code = run(["history", str(history), "--json"])
    line = one_error_line(capsys.readouterr().err)
    assert code == 3
    assert line.startswith("error: internal error: ZeroDivisionError: a bug; the full traceback")
    saved = Path(line.split("the full traceback is in ")[1].split(" (or rerun")[0])
    assert "ZeroDivisionError: a bug" in saved.read_text()
    code = run(["history", str(history), "--json", "--debug"])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback (most recent call last)" in err


@pytest.mark.e2e
def test_a_full_disk_exits_3_not_1(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    """The disk fills while the outputs are written (injected ENOSPC at report.html): exit 3,
    one line naming the failure and the traceback file, and the previous outputs stay."""
    ref, prod = inputs
    out = tmp_path / "out"
    first = run_cli("report", str(ref), str(prod), "--out", str(out), "-q", "--no-cache")
    assert first.returncode == 0, first.stderr
    before = (out / "run.json").read_text()
    os.environ[ENV] = "write:report.html:enospc"
    try:
        done = run_cli("report", str(ref), str(prod), "--out", str(out), "-q", "--no-cache")
    finally:
        del os.environ[ENV]
    line = one_error_line(done.stderr)
    assert done.returncode == 3
    assert "No space left on device" in line and "the full traceback is in" in line
    assert (out / "run.json").read_text() == before
