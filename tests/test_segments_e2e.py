"""End to end: ``shift-analyzer report`` with segment, route and outcome columns on real data.

A small CLINC150 scenario (tests/builders.py: build_scenario, as bench/segments_scenario.py runs
it; about 530 rows) in which the client "batch-api" carries most of the shifted queries; runs the
CLI with the real model.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.builders import SEGMENT_ARGS, build_scenario, write_scenario

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SHIFT_BENCH_DATA", str(REPO / ".." / "shared" / "data"))).resolve()

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (DATA / "clinc150.jsonl").is_file(),
        reason=f"benchmark data not found: {DATA / 'clinc150.jsonl'} (set SHIFT_BENCH_DATA)",
    ),
]


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONPATH=path)
    return subprocess.run([sys.executable, "-m", "analyzer", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    reference, production = build_scenario(
        DATA, reference_per_domain=40, production_per_domain=30, n_shifted=40, seed=1
    )
    folder = tmp_path_factory.mktemp("segments")
    ref_path, prod_path = write_scenario(reference, production, folder / "input")
    out = folder / "report"
    done = _run(["report", str(ref_path), str(prod_path), "--out", str(out), *SEGMENT_ARGS,
                 "--label-size", "30"])
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return {"out": out, "production": production, "ref": ref_path, "prod": prod_path}


def test_summary_ranks_the_minority_client_first(scenario: dict[str, Any]) -> None:
    summary = json.loads((scenario["out"] / "summary.json").read_text())
    rows = summary["segments"]
    # the given columns and the built-in detected language
    assert {r["column"] for r in rows} == {"client", "locale", "turns", "detected_language"}
    languages = {r["value"] for r in rows if r["column"] == "detected_language"}
    assert "en" in languages
    mix = {e["lang"]: e for e in summary["language_mix"]["languages"]}
    assert mix["en"]["production"]["share"] > 0.5
    assert sum(e["production"]["n"] for e in mix.values()) == summary["n_production"]
    top = rows[0]
    assert (top["column"], top["value"]) == ("client", "batch-api")
    overall = summary["segments_overall"]["overall_at_risk_share"]
    assert top["at_risk_share_ci"][0] > overall
    clients = [r["value"] for r in rows if r["column"] == "client"]
    assert clients[-1] == "web"
    for r in rows:
        low, high = r["at_risk_share_ci"]
        assert 0.0 <= low <= r["at_risk_share"] <= high <= 1.0
    client_rows = [r for r in rows if r["column"] == "client"]
    assert sum(r["n_production"] for r in client_rows) == summary["n_production"]


def test_clusters_csv_has_routing_columns(scenario: dict[str, Any]) -> None:
    clusters = pd.read_csv(scenario["out"] / "clusters.csv")
    assert {"top_segments", "cheap_share", "bad_outcome_rate", "risk"} <= set(clusters.columns)
    assert clusters["cheap_share"].between(0, 1).all()
    assert (clusters["risk"] >= 0).all()
    riskiest = clusters.sort_values("risk", ascending=False).iloc[0]
    assert "batch-api" in str(riskiest["top_segments"])


def test_label_queue_is_prioritised_unique_and_mostly_shifted(scenario: dict[str, Any]) -> None:
    lines = (scenario["out"] / "to_label.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    production: pd.DataFrame = scenario["production"]
    assert 0 < len(records) <= 30
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    assert len({r["text"].casefold().strip() for r in records}) == len(records)
    assert set(ids) <= set(production["id"])
    assert [r["priority"] for r in records] == list(range(1, len(records) + 1))
    assert all({"client", "locale", "turns", "detected_language"} == set(r["segments"])
               for r in records)
    shifted = set(production.loc[production["is_shifted"], "id"])
    assert sum(i in shifted for i in ids) / len(ids) > 2 * production["is_shifted"].mean()


def test_report_html_has_the_segment_panel(scenario: dict[str, Any]) -> None:
    page = (scenario["out"] / "report.html").read_text()
    assert 'id="segments"' in page and 'id="label-queue"' in page
    assert "client=batch-api" in page


def test_unknown_segment_column_is_a_clear_error(scenario: dict[str, Any], tmp_path: Path) -> None:
    done = _run(["report", str(scenario["ref"]), str(scenario["prod"]),
                 "--out", str(tmp_path / "x"), "--segment-col", "tenant"])
    assert done.returncode == 2
    message = done.stdout + done.stderr
    assert "'tenant'" in message and "client" in message
