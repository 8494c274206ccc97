"""The command line as a user meets it: help, bad input, exit codes, outputs (real model)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.cli.common import cli_message
from analyzer.config import AnalyzerConfig, EmbedConfig
from analyzer.errors import InputError
from tests.conftest import run_cli

runner = CliRunner()


def command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", command_names())
def test_every_command_has_help_with_an_example(command: str) -> None:
    done = runner.invoke(app, [command, "--help"], terminal_width=200)
    assert done.exit_code == 0
    assert "Example" in done.output and f"shift-analyzer {command}" in done.output


def test_version() -> None:
    done = runner.invoke(app, ["--version"])
    assert done.exit_code == 0 and done.output.startswith("shift-analyzer ")


@pytest.fixture()
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    ref = tmp_path / "ref.jsonl"
    ref.write_text("".join(json.dumps({"text": f"query {i}"}) + "\n" for i in range(20)))
    prod = tmp_path / "prod.csv"
    prod.write_text("text\nhello\n")
    return ref, prod


BAD_INPUT = [
    (["absent.jsonl", "{prod}"], "absent.jsonl: file not found. Check the path."),
    (["{ref}", "{prod}", "--text-col", "query"],
     "no column 'query'. Columns: text. Pass --text-col"),
    (["{ref}", "{prod}", "--id-col", "uid"], "no column 'uid'"),
    (["{ref}", "{prod}", "--alpha", "0.9"],
     "'alpha' parameter of CoverConfig must be a number in the open range (0.0, 0.5). Got 0.9"),
    (["{ref}", "{prod}", "--fail-on-uncovered", "2"],
     "--fail-on-uncovered must be a share between 0 and 1. Got 2.0."),
    (["{ref}", "{prod}", "--config", "missing.toml"], "Config file missing.toml does not exist"),
    (["{ref}", "{ref}.xlsx"], "unsupported file type '.xlsx'"),
    (["{ref}", "{prod}", "--device", "gpu"],
     "'device' parameter of EmbedConfig must be one of auto, cpu, cuda. Got 'gpu'"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_is_one_line_and_exit_2(tiny, tmp_path: Path, args, message) -> None:
    ref, prod = tiny
    filled = [a.format(ref=ref, prod=prod) for a in args]
    out = str(tmp_path / "out")
    done = runner.invoke(app, ["report", *filled, "--out", out, "--quiet", "--no-cache"])
    assert done.exit_code == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert message in lines[0]
    assert done.stdout == ""


def test_bad_input_in_a_fresh_process_prints_no_traceback(tiny, tmp_path: Path) -> None:
    ref, prod = tiny
    done = run_cli("report", str(ref), str(prod), "--text-col", "query", "--out",
                   str(tmp_path / "out"), "--quiet", "--no-cache")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        (f"error: {ref}: no column 'query'. Columns: text. Pass --text-col with the column that "
        "holds the query.")
    ]


@pytest.mark.e2e
def test_too_few_queries_to_map_is_bad_input_not_a_crash(tmp_path: Path) -> None:
    """8 reference queries and 1 production query: one line, exit 2 (was a traceback, exit 1)."""
    ref, prod = tmp_path / "ref.jsonl", tmp_path / "prod.jsonl"
    ref.write_text(
        "".join(json.dumps({"text": f"how do I reset my password {w}"}) + "\n" for w in "abcdefgh")
    )
    prod.write_text(json.dumps({"text": "where is my parcel"}) + "\n")
    done = run_cli(
        "report", str(ref), str(prod), "--out", str(tmp_path / "out"), "-q", "--no-cache"
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        ("error: Mapping and clustering need at least 10 distinct queries across the reference and "
        "production; got 9. Add queries to either file.")
    ]


def test_usage_error_exits_2() -> None:
    done = run_cli("report", "--out", "x")
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.e2e
def test_report_outputs_follow_the_contract(real_report: Path, clinc_files) -> None:
    ref_path, prod_path = clinc_files
    queries = pd.read_parquet(real_report / "queries.parquet")
    n_ref = len(ref_path.read_text().splitlines())
    n_prod = len(pd.read_csv(prod_path))
    assert len(queries) == n_ref + n_prod
    assert queries["side"].value_counts().to_dict() == {"reference": n_ref, "production": n_prod}
    for column in ("text", "intent", "domain", "id", "side", "cluster_id", "map_x", "map_y",
                   "coverage_p", "is_uncovered"):
        assert column in queries.columns
    prod = queries[queries["side"] == "production"]
    assert prod["id"].tolist() == pd.read_csv(prod_path)["id"].tolist()
    assert prod["client"].notna().all()
    assert ((prod["coverage_p"] > 0) & (prod["coverage_p"] <= 1)).all()
    assert queries[queries["side"] == "reference"]["coverage_p"].isna().all()
    assert (prod["is_uncovered"] == (prod["coverage_p"] < 0.05)).all()
    # Out-of-scope queries are far less covered than in-scope ones.
    oos = prod["is_oos"].astype(bool)
    assert prod[oos]["is_uncovered"].mean() > 3 * prod[~oos]["is_uncovered"].mean()

    clusters = pd.read_csv(real_report / "clusters.csv")
    expected = ["cluster_id", "label", "keywords", "n_reference", "n_production",
                "share_reference", "share_production", "coverage", "log_ratio", "js_contribution",
                "p_value", "q_value", "direction", "is_flagged", "examples"]
    assert list(clusters.columns[: len(expected)]) == expected
    assert clusters["n_production"].sum() == n_prod and clusters["n_reference"].sum() == n_ref
    assert set(clusters["cluster_id"]) == set(queries["cluster_id"])
    assert clusters["q_value"].ge(clusters["p_value"] - 1e-12).all()

    summary = json.loads((real_report / "summary.json").read_text())
    assert summary["verdict"] == "shift"
    assert summary["n_reference"] == n_ref and summary["n_production"] == n_prod
    low, high = summary["uncovered_share_ci"]
    assert low <= summary["uncovered_share"] <= high
    assert summary["versions"]["weights_sha256"] == (
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    )
    flagged_rows = clusters[clusters["is_flagged"]]
    assert sorted(summary["flagged_cluster_ids"]) == sorted(flagged_rows["cluster_id"])
    assert (real_report / "report.html").stat().st_size > 3_000_000  # plotly.js inlined


@pytest.mark.e2e
def test_gate_exits_1_when_uncovered_share_is_above_threshold(
    clinc_files, cache_dir: Path, tmp_path: Path
) -> None:
    ref, prod = clinc_files
    done = run_cli("report", str(ref), str(prod), "--out", str(tmp_path),
                   "--cache-dir", str(cache_dir), "--fail-on-uncovered", "0.01", "--quiet")
    assert done.returncode == 1, done.stderr
    assert "exceeds --fail-on-uncovered 1.0%" in done.stderr
    assert done.stdout.startswith("verdict: shift")


def test_alpha_flag_keeps_the_cover_settings_of_the_config_file(
    tmp_path: Path, monkeypatch
) -> None:
    """--alpha is laid over shift.toml; it used to rebuild [cover] from 4 of its 9 fields."""
    captured: dict[str, object] = {}

    def stop_after_settings(reference, production, out_dir, config=None, options=None, **kw):
        captured["config"] = config
        raise InputError("stopped once the settings were built")

    monkeypatch.setattr("analyzer.pipeline.run_report", stop_after_settings)
    toml = tmp_path / "shift.toml"
    toml.write_text("[cover]\ncentroid_weight = 0.3\nper_centroid = 50\nseed = 7\n")
    done = runner.invoke(app, ["report", "ref.jsonl", "prod.jsonl", "--out", str(tmp_path / "o"),
                               "--config", str(toml), "--alpha", "0.01", "--seed", "4", "-q"])
    assert done.exit_code == 2 and "stopped once the settings were built" in done.output
    config = captured["config"]
    assert isinstance(config, AnalyzerConfig)
    cover, score = config.cover, config.score
    assert (cover.alpha, cover.centroid_weight, cover.per_centroid, cover.seed) == (
        0.01, 0.3, 50, 7
    )
    assert (score.alpha, score.seed, config.cluster.seed) == (0.01, 4, 4)


@pytest.mark.parametrize("command", ["report", "baseline", "check"])
def test_device_and_workers_flags_reach_the_embed_settings(
    tmp_path: Path, monkeypatch, command: str
) -> None:
    captured: dict[str, object] = {}

    def stop(*args, config=None, overrides=None, **kw):
        captured["embed"] = config.embed if config is not None else overrides["embed"]
        raise InputError("stopped once the settings were built")

    def stop_report(reference, production, out_dir, config=None, options=None, **kw):
        stop(config=config)

    monkeypatch.setattr("analyzer.pipeline.run_report", stop_report)
    monkeypatch.setattr("analyzer.cli.weekly.make_baseline", stop)
    monkeypatch.setattr("analyzer.cli.weekly.run_check", stop)
    out = ["--out", str(tmp_path / "o")]
    args = {
        "report": ["ref.jsonl", "prod.jsonl", *out],
        "baseline": ["ref.jsonl", *out],
        "check": ["base", "prod.jsonl", "--history", "h.sqlite", *out],
    }[command]
    done = runner.invoke(app, [command, *args, "--device", "cpu", "--workers", "3", "-q"])
    assert done.exit_code == 2 and "stopped once the settings were built" in done.output
    embed = captured["embed"]
    if isinstance(embed, EmbedConfig):
        embed = {"device": embed.device, "workers": embed.workers}
    assert embed == {"device": "cpu", "workers": 3}


def test_cuda_without_a_gpu_is_bad_input_naming_the_flag(tiny, tmp_path: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    ref, prod = tiny
    done = runner.invoke(app, ["report", str(ref), str(prod), "--out", str(tmp_path / "o"),
                               "--device", "cuda", "--no-cache", "-q"])
    assert done.exit_code == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "error: --device 'cuda' was asked for, but torch" in lines[0]
    assert "Pass --device cpu or --device auto" in lines[0]


def test_negative_workers_is_a_usage_error(tiny, tmp_path: Path) -> None:
    ref, prod = tiny
    done = runner.invoke(app, ["report", str(ref), str(prod), "--out", str(tmp_path / "o"),
                               "--workers", "-1"])
    assert done.exit_code == 2


@pytest.mark.parametrize(
    ("library", "command_line"),
    [
        ("Pass text_col= with the column that holds the query.",
         "Pass --text-col with the column that holds the query."),
        ("Check the file and text_col=.", "Check the file and --text-col."),
        ("pass encoding=latin-1 (or the file's encoding)",
         "pass --encoding latin-1 (or the file's encoding)"),
        ("Pass overwrite=True to replace it", "Pass --force to replace it"),
        (
            ("Got route_col='x' and cheap_route=None; pass both route_col= and cheap_route=, "
             "or neither."),
            ("Got --route-col 'x' and --cheap-route None; pass both --route-col and --cheap-route, "
             "or neither."),
        ),
        ("a timeout=3 stays", "a timeout=3 stays"),
    ],
)
def test_library_messages_read_in_command_line_terms(library: str, command_line: str) -> None:
    assert cli_message(library) == command_line
