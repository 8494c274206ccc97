"""Configuration: frozen dataclasses, validated on construction, readable from TOML.

``analysis`` holds the analysis settings (one dataclass per stage, :class:`AnalyzerConfig`)
and :func:`load_settings`, the one path every command reads them by; ``check`` the weekly
check's :class:`CheckConfig`; ``base`` the shared value checks and the TOML reader.
"""

from analyzer.config.analysis import (
    ENGINES,
    MACHINE_SETTINGS,
    AnalyzerConfig,
    ClusterConfig,
    CoverConfig,
    EmbedConfig,
    EmergingConfig,
    EngineConfig,
    ScoreConfig,
    Settings,
    load_settings,
    without_machine_settings,
)
from analyzer.config.base import DEFAULT_MODEL, OTHER_SECTIONS, Progress, read_toml
from analyzer.config.check import CheckConfig, check_webhook_url

__all__ = [
    "DEFAULT_MODEL",
    "ENGINES",
    "MACHINE_SETTINGS",
    "OTHER_SECTIONS",
    "AnalyzerConfig",
    "CheckConfig",
    "ClusterConfig",
    "CoverConfig",
    "EmbedConfig",
    "EmergingConfig",
    "EngineConfig",
    "Progress",
    "ScoreConfig",
    "Settings",
    "check_webhook_url",
    "load_settings",
    "read_toml",
    "without_machine_settings",
]
