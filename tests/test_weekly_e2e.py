"""The weekly check end to end (real model, CLINC150 slices) and the tested scheduling docs."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shlex
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pytest
import typer
import yaml
from typer.testing import CliRunner

from analyzer.cli import app
from tests.conftest import watched_page

try:  # typer >= 0.20 vendors click
    from typer._click.exceptions import NoSuchOption
except ImportError:  # pragma: no cover - older typer on plain click
    from click import NoSuchOption  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SHIFT_BENCH_DATA", ROOT.parent / "shared" / "data"))
CLINC = DATA / "clinc150.jsonl"

# ---- docs/scheduling.md: every example parses with the real CLI ------------------------------


def _blocks(kind: str) -> list[str]:
    text = (ROOT / "docs" / "scheduling.md").read_text(encoding="utf-8")
    return re.findall(rf"```{kind}\n(.*?)```", text, flags=re.DOTALL)


def _command_args(line: str) -> list[str]:
    """The shift-analyzer arguments of a shell line, with substitutions made placeholders."""
    line = line.replace("\\%", "%")
    line = re.sub(r"\$\{\{.*?\}\}", "X", line)  # GitHub expressions
    line = re.sub(r"\{\{.*?\}\}", "X", line)  # Jinja (Airflow)
    line = re.sub(r"\$\([^)]*\)", "X", line)  # command substitution
    line = re.sub(r"\$\{?\w+\}?", "X", line)  # variables
    start = line.index("shift-analyzer ")
    tail = re.split(r"\s(?:>>|>|;|&&|\|\|?)\s", line[start:])[0]
    args = shlex.split(tail)
    assert args[0].endswith("shift-analyzer")
    return args[1:]


def _dry_parse(args: list[str]) -> Any:
    """Parse and validate a command line as the CLI would, without running the command."""
    group: Any = typer.main.get_command(app)
    with group.make_context("shift-analyzer", list(args), resilient_parsing=True) as root:
        command = group.get_command(root, args[0])
        assert command is not None, f"unknown command {args[0]!r}"
        return command.make_context(args[0], list(args[1:]), parent=root)


def _doc_commands() -> list[list[str]]:
    commands = []
    for block in _blocks("crontab"):
        for line in block.splitlines():
            if "shift-analyzer " in line and not line.lstrip().startswith("#"):
                commands.append(_command_args(line.split("  ", 1)[1]))
    for block in _blocks("yaml"):
        workflow = yaml.safe_load(block)
        for step in workflow["jobs"]["check"]["steps"]:
            if "shift-analyzer " in step.get("run", ""):
                commands.append(_command_args(step["run"]))
    for block in _blocks("python"):
        tree = ast.parse(block)
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "bash_command":
                assert isinstance(node.value, ast.Constant)
                assert isinstance(node.value.value, str)
                commands.append(_command_args(node.value.value))
    return commands


def test_scheduling_doc_has_every_kind_of_example() -> None:
    assert len(_blocks("crontab")) >= 1 and len(_blocks("yaml")) == 1
    assert len(_blocks("python")) == 1
    workflow = yaml.safe_load(_blocks("yaml")[0])
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["schedule"][0]["cron"] == "0 6 * * 1"
    commands = _doc_commands()
    assert sum(c[0] == "check" for c in commands) == 3
    assert sum(c[0] == "history" for c in commands) == 3


@pytest.mark.parametrize("args", _doc_commands(), ids=lambda a: " ".join(a[:2]))
def test_scheduling_doc_command_parses_with_the_real_cli(args: list[str]) -> None:
    ctx = _dry_parse(args)
    if args[0] == "check":
        assert ctx.params["history"] is not None and ctx.params["period"] == "X"
        assert ctx.params["out"] is not None


def test_dry_parse_rejects_a_misspelt_option() -> None:
    with pytest.raises(NoSuchOption, match="--periods"):
        _dry_parse(["check", "b", "p.parquet", "--history", "h", "--out", "o", "--periods", "X"])


@pytest.mark.parametrize("command", ["baseline", "check", "history"])
def test_every_weekly_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert f"Example: shift-analyzer {command}" in " ".join(result.output.split())


def test_history_of_a_foreign_file_exits_2_and_leaves_it_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    path.write_bytes(b"PK\x03\x04 this is a zip file, not a history" * 20)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = CliRunner().invoke(app, ["history", str(path), "--json"])
    assert result.exit_code == 2
    assert "not a shift-analyzer history file" in result.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_check_on_a_folder_that_is_not_a_baseline_exits_2(tmp_path: Path) -> None:
    (tmp_path / "prod.txt").write_text("hello\n")
    result = CliRunner().invoke(
        app,
        [
            "check",
            str(tmp_path),
            str(tmp_path / "prod.txt"),
            "--history",
            str(tmp_path / "h.sqlite"),
            "--out",
            str(tmp_path / "out"),
            "-q",
        ],
    )
    assert result.exit_code == 2
    assert "is not a baseline folder" in result.output
    assert len(result.output.strip().splitlines()) == 1


# ---- end to end on CLINC150 with the real model -----------------------------------------------


class _Sink(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def sink() -> Iterator[tuple[str, type[_Sink]]]:
    handler = type("Sink", (_Sink,), {"received": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/alert", handler
    server.shutdown()
    server.server_close()


def _weeks(folder: Path) -> dict[str, Path]:
    data = pd.read_json(CLINC, lines=True)
    data = data[~data["is_oos"]]
    covered = ["banking", "credit_cards", "utility"]
    train = data[(data["split"] == "train") & data["domain"].isin(covered)]
    test = data[(data["split"] == "test") & data["domain"].isin(covered)]
    ranked = test.assign(rank=test.groupby("intent").cumcount())
    files = {"reference": train.groupby("intent").head(12)}
    files["w1"] = ranked[ranked["rank"] < 6]

    def domain(name: str) -> pd.DataFrame:
        """Four intents of a missing domain, each query ranked within its intent."""
        rows = data[(data["split"] != "train") & (data["domain"] == name)]
        rows = rows[rows["intent"].isin(sorted(rows["intent"].unique())[:4])]
        return rows.assign(rank=rows.groupby("intent").cumcount())

    travel, kitchen = domain("travel"), domain("kitchen_and_dining")
    # the same travel intents both weeks (different queries): one region, seen twice
    files["w2"] = pd.concat([ranked[ranked["rank"].between(6, 11)], travel[travel["rank"] < 15]])
    files["w3"] = pd.concat(
        [
            ranked[ranked["rank"].between(12, 17)],
            travel[travel["rank"].between(15, 29)],
            kitchen[kitchen["rank"] < 15],
        ]
    )
    paths = {}
    for name, frame in files.items():
        paths[name] = folder / f"{name}.jsonl"
        frame[["text", "intent", "domain"]].to_json(paths[name], orient="records", lines=True)
    return paths


def _make_baseline(runner: CliRunner, reference: Path, base: Path, cache: Path) -> None:
    """`shift-analyzer baseline` on the reference week: the folder holds the registry."""
    made = runner.invoke(
        app,
        ["baseline", str(reference), "--out", str(base), "--cache-dir", str(cache), "-q"],
    )
    assert made.exit_code == 0, made.output
    assert (base / "manifest.json").exists() and (base / "registry_centroids.npy").exists()


def _assert_history_lists_the_runs(
    runner: CliRunner, history: Path, trend: Path, new2: set[int]
) -> None:
    """`shift-analyzer history` lists one run per period (a re-run replaces its period)."""
    listed = runner.invoke(app, ["history", str(history), "--json", "--out", str(trend)])
    assert listed.exit_code == 0, listed.output
    runs = json.loads(listed.stdout)
    assert [r["period"] for r in runs] == ["2026-W01", "2026-W02", "2026-W03"]
    assert [r["exit_code"] for r in runs] == [0, 1, 1]
    assert runs[1]["new_cluster_ids"] == sorted(new2)
    assert {"verdict", "uncovered_share", "n_production", "flagged_cluster_ids"} <= set(runs[0])
    assert trend.stat().st_size > 1_000_000


@pytest.mark.e2e
@pytest.mark.skipif(not CLINC.exists(), reason=f"CLINC150 not found at {CLINC} (SHIFT_BENCH_DATA)")
def test_weekly_check_end_to_end(tmp_path: Path, sink: tuple[str, type[_Sink]]) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    url, handler = sink
    runner = CliRunner()
    files = _weeks(tmp_path)
    base, history = tmp_path / "baseline", tmp_path / "history.sqlite"

    outputs: list[str] = []

    def check(week: str, period: str, *extra: str) -> tuple[int, dict[str, Any], pd.DataFrame]:
        out = tmp_path / "reports" / period
        result = runner.invoke(
            app,
            [
                "check",
                str(base),
                str(files[week]),
                "--history",
                str(history),
                "--period",
                period,
                "--out",
                str(out),
                "-q",
                *extra,
            ],
        )
        assert result.exit_code in (0, 1), result.output
        outputs.append(result.output)
        summary = json.loads((out / "summary.json").read_text())
        return result.exit_code, summary, pd.read_csv(out / "clusters.csv")

    _make_baseline(runner, files["reference"], base, tmp_path / "cache")

    code1, s1, _ = check("w1", "2026-W01")
    assert code1 == 0, s1["breaches"]
    assert s1["new_cluster_ids"] == [] and s1["period"] == "2026-W01"

    code2, s2, c2 = check("w2", "2026-W02", "--webhook", url)
    assert code2 == 1
    new2 = set(s2["new_cluster_ids"])
    assert new2, "the travel region must arrive as new"
    new_rows = c2[c2["cluster_id"].isin(new2)]
    assert new_rows["is_new"].all() and (new_rows["first_period"] == "2026-W02").all()
    assert new_rows["share_production"].sum() >= 0.10
    assert new2 & set(s2["flagged_cluster_ids"])
    assert handler.received and handler.received[0]["period"] == "2026-W02"
    assert "threshold(s) breached" in handler.received[0]["text"]

    dead = "http://127.0.0.1:9/unreachable"
    code3, s3, c3 = check("w3", "2026-W03", "--webhook", dead)
    assert code3 == 1
    assert "webhook POST failed" in outputs[-1] and "the run is recorded" in outputs[-1]
    ids3 = set(c3["cluster_id"])
    assert new2 & ids3, "the week-2 region keeps its id in week 3"
    assert not new2 & set(s3["new_cluster_ids"])
    assert s3["new_cluster_ids"], "the kitchen region arrives with a new id"
    assert min(s3["new_cluster_ids"]) > max(new2)
    kept = c3[c3["cluster_id"].isin(new2)]
    assert (kept["first_period"] == "2026-W02").all() and not kept["is_new"].any()
    assert kept["share_production_prev"].notna().all()

    code3b, s3b, _ = check("w3", "2026-W03")
    assert code3b == 1
    # a re-run reuses the ids its earlier run created (the clustering itself may move a little)
    assert set(s3b["new_cluster_ids"]) & set(s3["new_cluster_ids"])
    assert not set(s3b["new_cluster_ids"]) & new2

    _assert_history_lists_the_runs(runner, history, tmp_path / "trend.html", new2)


def test_check_with_a_foreign_history_exits_2_before_any_work(tmp_path: Path) -> None:
    from analyzer.baseline import Baseline
    from analyzer.ingest.load import load_queries
    from analyzer.weekly.store import save_baseline
    from tests.builders import HashingEmbedder

    frame = pd.DataFrame({"text": [f"query number {i}" for i in range(20)]})
    fitted = Baseline(embedder=HashingEmbedder(), use_cache=False).fit(load_queries(frame))
    base = save_baseline(fitted, tmp_path / "base")
    history = tmp_path / "history.sqlite"
    history.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    before = hashlib.sha256(history.read_bytes()).hexdigest()
    (tmp_path / "prod.txt").write_text("hello\n")
    result = CliRunner().invoke(
        app,
        [
            "check",
            str(base),
            str(tmp_path / "prod.txt"),
            "--history",
            str(history),
            "--out",
            str(tmp_path / "out"),
            "-q",
        ],
    )
    assert result.exit_code == 2
    assert "not a shift-analyzer history file" in result.output
    assert hashlib.sha256(history.read_bytes()).hexdigest() == before
    assert not (tmp_path / "out").exists()


# ---- the trend page in headless Chromium (Debian's) -------------------------------------------


@pytest.mark.browser
def test_trend_page_renders_offline_in_chromium(tmp_path: Path, browser: Any) -> None:
    from analyzer.weekly.history import History
    from analyzer.weekly.records import ClusterRecord, RunRecord

    hostile = '<img src=x onerror="window.__pwned=1">'
    path = tmp_path / "history.sqlite"
    with History(path) as history:
        for week, share in [("2026-W01", 0.06), ("2026-W02", 0.19), ("2026-W03", 0.31)]:
            history.record_run(
                RunRecord(
                    week,
                    "shift",
                    int(share > 0.15),
                    100,
                    50,
                    share,
                    cause_shares={"new_domain": share / 2},
                    breaches=(f"breach in {week}",) if share > 0.15 else (),
                    summary={"uncovered_share_ci": [share - 0.02, share + 0.02]},
                ),
                [
                    ClusterRecord(
                        7, hostile, 0, 5, 0.0, share, 0.2, True, week == "2026-W02", week
                    ),
                    ClusterRecord(1, "refunds", 9, 9, 0.1, 0.1, 0.9, False, False, week),
                ],
            )
    out = tmp_path / "trend.html"
    result = CliRunner().invoke(app, ["history", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    ready = "#clusters-figure .main-svg"
    with watched_page(browser, out.as_uri(), ready=ready) as (page, errors, requests):
        assert errors == []
        assert all(url.startswith(("file:", "data:", "blob:", "about:")) for url in requests)
        assert page.locator(".js-plotly-plot").count() == 3
        assert page.evaluate("document.getElementById('uncovered-figure').data.length") == 3
        assert page.locator("#runs tbody tr").count() == 3
        assert "breach in 2026-W03" in page.locator("#runs").inner_text()
        assert page.evaluate("window.__pwned") is None
        assert page.locator("#runs img").count() == 0
        browser.close()
