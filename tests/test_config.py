from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.config import (
    AnalyzerConfig,
    CheckConfig,
    ClusterConfig,
    CoverConfig,
    EmbedConfig,
    ScoreConfig,
    load_settings,
)
from analyzer.errors import ConfigError


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: ClusterConfig(min_cluster_size=1),
            (r"'min_cluster_size' parameter of ClusterConfig must be an int in the range "
             r"\[2, inf\]. Got 1"),
        ),
        (
            lambda: CoverConfig(alpha=0.0),
            (r"'alpha' parameter of CoverConfig must be a number in the open range "
             r"\(0.0, 0.5\). Got 0.0"),
        ),
        (lambda: CoverConfig(k=True), r"'k' parameter of CoverConfig must be an int"),
        (
            lambda: ClusterConfig(selection="best"),
            r"'selection' parameter of ClusterConfig must be one of leaf, eom. Got 'best'",
        ),
        (
            lambda: EmbedConfig(model=" "),
            r"'model' parameter of EmbedConfig must be a model name or path",
        ),
        (lambda: ScoreConfig(min_fold=0.5), r"'min_fold' parameter of ScoreConfig"),
        (
            lambda: EmbedConfig(device="gpu"),
            r"'device' parameter of EmbedConfig must be one of auto, cpu, cuda. Got 'gpu'",
        ),
        (
            lambda: EmbedConfig(workers=-1),
            r"'workers' parameter of EmbedConfig must be an int in the range \[0, 256\]. Got -1",
        ),
        (lambda: EmbedConfig(batch_size=0), r"'batch_size' parameter of EmbedConfig .* Got 0"),
    ],
)
def test_bad_values_name_parameter_value_and_range(build, message) -> None:
    with pytest.raises(ConfigError, match=message):
        build()


def test_round_trip_through_dict() -> None:
    config = AnalyzerConfig(cover=CoverConfig(k=7, alpha=0.01), cluster=ClusterConfig(seed=3))
    assert AnalyzerConfig.from_dict(config.to_dict()) == config


def test_from_toml_reads_tables(tmp_path: Path) -> None:
    path = tmp_path / "shift.toml"
    path.write_text('[cover]\nk = 4\nalpha = 0.1\n[cluster]\nselection = "eom"\n')
    config = AnalyzerConfig.from_toml(path)
    assert (config.cover.k, config.cover.alpha, config.cluster.selection) == (4, 0.1, "eom")
    assert config.score == ScoreConfig()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[cover]\nkk = 4\n",
            r"Unknown key\(s\) kk in config section \[cover\]. Known keys: alpha",
        ),
        ("[covr]\nk = 4\n", r"Unknown config section \[covr\]"),
        ("[cover\nk = 4\n", r"is not valid TOML"),
    ],
)
def test_from_toml_rejects_bad_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "shift.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        AnalyzerConfig.from_toml(path)


def test_from_toml_ignores_the_check_table(tmp_path: Path) -> None:
    path = tmp_path / "shift.toml"
    path.write_text("[cover]\nk = 4\n[check]\nmax_uncovered_share = 0.2\n")
    assert AnalyzerConfig.from_toml(path).cover.k == 4


def test_from_toml_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        AnalyzerConfig.from_toml(tmp_path / "absent.toml")


def test_settings_follow_one_precedence(tmp_path: Path) -> None:
    """defaults < base (a baseline's saved config) < shift.toml < command-line overrides."""
    path = tmp_path / "shift.toml"
    path.write_text("[cover]\nk = 4\ncentroid_weight = 0.3\n[score]\nmin_fold = 3.0\n")
    base = AnalyzerConfig(cover=CoverConfig(k=9, per_centroid=50), cluster=ClusterConfig(seed=2))
    settings = load_settings(path, base=base, overrides={"cover": {"centroid_weight": 0.1}})
    cover = settings.analysis.cover
    assert (cover.k, cover.per_centroid, cover.centroid_weight) == (4, 50, 0.1)
    assert settings.analysis.cluster.seed == 2 and settings.analysis.score.min_fold == 3.0
    assert settings.check == CheckConfig()


def test_a_baselines_machine_settings_do_not_carry_over(tmp_path: Path) -> None:
    """A baseline made on a GPU machine with 8 workers is checked with this machine's defaults,
    unless shift.toml or a flag says otherwise; its analysis settings still carry over."""
    base = AnalyzerConfig(
        embed=EmbedConfig(device="cuda", workers=8, max_chars=500), cover=CoverConfig(k=9)
    )
    settings = load_settings(None, base=base).analysis
    assert (settings.embed.device, settings.embed.workers) == ("auto", None)
    assert (settings.embed.max_chars, settings.cover.k) == (500, 9)
    path = tmp_path / "shift.toml"
    path.write_text("[embed]\nworkers = 2\n")
    chosen = load_settings(path, base=base, overrides={"embed": {"device": "cpu"}}).analysis
    assert (chosen.embed.device, chosen.embed.workers) == ("cpu", 2)


def test_with_overrides_validates_and_names_what_is_known() -> None:
    with pytest.raises(ConfigError, match=r"'alpha' parameter of CoverConfig .* Got 0.9"):
        AnalyzerConfig().with_overrides({"cover": {"alpha": 0.9}})
    with pytest.raises(ConfigError, match=r"Unknown key\(s\) alfa in config section \[cover\]"):
        AnalyzerConfig().with_overrides({"cover": {"alfa": 0.1}})


def test_a_key_outside_any_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shift.toml"
    path.write_text("alpha = 0.01\n[cover]\nk = 4\n")
    with pytest.raises(ConfigError, match=r"key\(s\) alpha sit outside any table"):
        load_settings(path)
