"""The Ray engine: the extra's error, the command-line options, parity with the local engine."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzer import AnalyzerConfig, Baseline, load_queries
from analyzer.cli.common import flag_overrides
from analyzer.config import EngineConfig
from analyzer.config.analysis import ray_endpoint
from analyzer.engine.raydata import check_reachable, import_ray
from analyzer.errors import ConfigError
from tests.conftest import ROOT

HAS_RAY = importlib.util.find_spec("ray") is not None


def test_missing_ray_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ConfigError, match=r"pip install 'shift-analyzer\[ray\]'"):
        import_ray()


@pytest.mark.parametrize(
    ("address", "endpoint"),
    [
        ("auto", None),
        ("10.0.0.5:6379", ("10.0.0.5", 6379)),
        ("ray://head.internal:10001", ("head.internal", 10001)),
        ("[::1]:6379", ("::1", 6379)),
    ],
)
def test_ray_endpoint_reads_the_address_forms(
    address: str, endpoint: tuple[str, int] | None
) -> None:
    assert ray_endpoint(address) == endpoint


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_address_that_does_not_answer_is_refused_at_once() -> None:
    port = _closed_port()
    with pytest.raises(ConfigError, match=rf"Cannot reach Ray at 127.0.0.1:{port} \("):
        check_reachable(f"127.0.0.1:{port}", timeout=2)
    with socket.socket() as server:  # a port that listens passes
        server.bind(("127.0.0.1", 0))
        server.listen()
        check_reachable(f"ray://127.0.0.1:{server.getsockname()[1]}", timeout=2)


@pytest.mark.skipif(not HAS_RAY, reason="the [ray] extra is not installed")
def test_report_with_an_unreachable_ray_address_exits_2_before_any_work(
    clinc_files, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from analyzer.cli import app

    ref, prod = clinc_files
    out = tmp_path / "out"
    port = _closed_port()
    address = f"127.0.0.1:{port}"
    done = CliRunner().invoke(
        app, ["report", str(ref), str(prod), "--out", str(out), "--ray-address", address]
    )
    assert done.exit_code == 2
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and f"Cannot reach Ray at 127.0.0.1:{port}" in lines[0]
    assert "--ray-address" in lines[0] and not out.exists()


def test_report_with_engine_ray_and_no_ray_exits_2(clinc_files, tmp_path: Path) -> None:
    shadow = tmp_path / "shadow" / "ray"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('No module named ray')\n")
    ref, prod = clinc_files
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": f"{ROOT}{os.pathsep}{shadow.parent}"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "analyzer",
            "report",
            str(ref),
            str(prod),
            "--out",
            str(tmp_path / "out"),
            "--engine",
            "ray",
            "--quiet",
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'shift-analyzer[ray]'" in lines[0]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"engine": "ray"}, {"kind": "ray"}),
        ({"ray_address": "auto"}, {"kind": "ray", "ray_address": "auto"}),
        ({"engine": "local"}, {"kind": "local"}),
    ],
)
def test_engine_flags_become_overrides(flags: dict[str, str], expected: dict[str, str]) -> None:
    overrides = flag_overrides(**flags)  # type: ignore[arg-type]
    assert overrides["engine"] == expected
    assert AnalyzerConfig().with_overrides(overrides).engine.kind == expected["kind"]


@pytest.mark.skipif(not HAS_RAY, reason="ray is not installed (pip install 'shift-analyzer[ray]')")
def test_ray_engine_matches_the_local_engine(clinc: pd.DataFrame, tmp_path: Path) -> None:
    """1,000 + 1,000 CLINC150 rows, the real model; Ray's actors read the vectors the local run
    cached (embedding in other batches changes vectors by float rounding, and the map's
    regions with them: bench/ray_parity.py measures that case)."""
    from sklearn.metrics import adjusted_rand_score

    train = clinc[(clinc["split"] == "train") & ~clinc["is_oos"]].sample(2000, random_state=5)
    test = clinc[clinc["split"] == "test"].sample(500, random_state=6)
    ref = train.iloc[:1000][["text"]]
    prod = pd.concat([test, train.iloc[1000:1500]])[["text"]].reset_index(drop=True)
    frames, verdicts = {}, {}
    for kind in ("local", "ray"):
        config = AnalyzerConfig(engine=EngineConfig(kind=kind, ray_actors=2))
        config = config.with_overrides({"embed": {"cache_dir": str(tmp_path), "workers": 1}})
        baseline = Baseline(config).fit(load_queries(ref))
        result = baseline.score(load_queries(prod))
        frames[kind], verdicts[kind] = result.queries.frame, result.summary.verdict
    local, ray = frames["local"], frames["ray"]
    assert verdicts["local"] == verdicts["ray"]
    assert adjusted_rand_score(local["cluster_id"], ray["cluster_id"]) >= 0.99
    is_prod = local["side"] == "production"
    difference = np.abs(local["coverage_p"][is_prod] - ray["coverage_p"][is_prod])
    assert difference.max() <= 1e-6


@pytest.mark.skipif(not HAS_RAY, reason="ray is not installed (pip install 'shift-analyzer[ray]')")
def test_ray_engine_places_points_beyond_the_fitted_sample(clinc: pd.DataFrame) -> None:
    """With a map sample smaller than the points, Ray's actors place the rest: the same query
    table as the local engine (same vectors: the small deterministic embedder)."""
    from analyzer.config import ClusterConfig, CoverConfig, ScoreConfig
    from tests.builders import HashingEmbedder

    inscope = clinc[~clinc["is_oos"] & (clinc["split"] == "train")]
    ref = inscope.sample(500, random_state=1)[["text"]]
    prod = inscope.sample(1400, random_state=2)[["text"]].reset_index(drop=True)
    frames = {}
    for kind in ("local", "ray"):
        config = AnalyzerConfig(
            cover=CoverConfig(n_bootstrap=100),
            cluster=ClusterConfig(fit_cap=600),
            score=ScoreConfig(n_permutations=50, test_sample=400),
            engine=EngineConfig(kind=kind, chunk_rows=100, ray_actors=2),
        )
        baseline = Baseline(config, HashingEmbedder(), use_cache=False).fit(load_queries(ref))
        frames[kind] = baseline.score(load_queries(prod)).queries.frame
    pd.testing.assert_frame_equal(frames["local"], frames["ray"])
