"""The analysis settings, one frozen dataclass per stage, and the one path that reads them:
:func:`load_settings` (defaults < a baseline's saved config < shift.toml < flags)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from analyzer.config.base import (
    DEFAULT_MODEL,
    OTHER_SECTIONS,
    check_choice,
    check_closed,
    check_float,
    check_int,
    check_known_keys,
    read_toml,
)
from analyzer.config.check import CheckConfig
from analyzer.errors import ConfigError


@dataclass(frozen=True)
class EmbedConfig:
    """How queries become vectors.

    ``model``: the offline all-MiniLM-L6-v2 (default), ``all-MiniLM-L6-v2+onnx-int8``,
    ``use-multilingual-v3`` or a sentence-transformers name or path (docs/scaling.md).
    ``max_chars`` clips the text that is embedded (the original is kept for display and
    detectors). ``device`` (auto: CUDA when torch sees a GPU), ``batch_size`` (``None``: 64 on
    the CPU, 256 on a GPU) and ``workers`` (CPU processes, one thread each; ``None``: the idle
    cores, at most 4, from 20,000 texts to embed; 0 or 1: in-process) change vectors only by
    float rounding.
    """

    model: str = DEFAULT_MODEL
    cache_dir: str | None = None
    batch_size: int | None = None
    max_chars: int = 2000
    device: str = "auto"
    workers: int | None = None

    def __post_init__(self) -> None:
        if self.batch_size is not None:
            check_int("EmbedConfig", "batch_size", self.batch_size, 1, 4096)
        check_int("EmbedConfig", "max_chars", self.max_chars, 16)
        check_choice("EmbedConfig", "device", self.device, ("auto", "cpu", "cuda"))
        if self.workers is not None:
            check_int("EmbedConfig", "workers", self.workers, 0, 256)
        if not isinstance(self.model, str) or not self.model.strip():
            raise ConfigError(
                f"The 'model' parameter of EmbedConfig must be a model name or path. "
                f"Got {self.model!r} instead."
            )


#: Settings of the machine, not the analysis: a baseline's saved ones do not carry over.
MACHINE_SETTINGS = {
    "embed": ("device", "workers"),
    "engine": ("kind", "ray_address", "chunk_rows", "ray_actors"),
}


@dataclass(frozen=True)
class CoverConfig:
    """Conformal coverage of production by the reference.

    The nonconformity score blends the mean distance to the ``k`` nearest reference queries with
    the distance to the nearest k-means centroid of the reference (one centroid per
    ``per_centroid`` reference queries, fitted on at most ``centroid_fit_max`` of them, seeded by
    ``seed``), weighted ``centroid_weight``; a reference with fewer than ``min_centroids``
    centroids uses kNN alone. ``alpha`` is the false-alarm rate on in-distribution traffic (a
    production query is uncovered when its p-value is below it).
    """

    k: int = 5
    alpha: float = 0.05
    n_bootstrap: int = 400
    exact_max: int = 200_000
    centroid_weight: float = 0.7
    per_centroid: int = 30
    min_centroids: int = 100
    centroid_fit_max: int = 20_000
    seed: int = 0

    def __post_init__(self) -> None:
        check_int("CoverConfig", "k", self.k, 1, 100)
        check_closed("CoverConfig", "centroid_weight", self.centroid_weight, 0.0, 1.0)
        check_int("CoverConfig", "per_centroid", self.per_centroid, 2, 10_000)
        check_int("CoverConfig", "min_centroids", self.min_centroids, 1, 100_000)
        check_int("CoverConfig", "centroid_fit_max", self.centroid_fit_max, 100)
        check_int("CoverConfig", "seed", self.seed, 0)
        check_float("CoverConfig", "alpha", self.alpha, 0.0, 0.5)
        check_int("CoverConfig", "n_bootstrap", self.n_bootstrap, 50, 100_000)
        check_int("CoverConfig", "exact_max", self.exact_max, 1000)


@dataclass(frozen=True)
class ClusterConfig:
    """Joint map and clustering of reference and production.

    UMAP and HDBSCAN are fit on at most ``fit_cap`` points (sampled by side in proportion); the
    rest are assigned from their nearest fitted neighbours. ``min_cluster_size`` of ``None``
    scales with the number of fitted points.
    """

    fit_cap: int = 20_000
    n_neighbors: int = 15
    n_components: int = 5
    min_cluster_size: int | None = None
    min_samples: int | None = None
    selection: str = "leaf"
    seed: int = 0

    def __post_init__(self) -> None:
        check_int("ClusterConfig", "fit_cap", self.fit_cap, 100)
        check_int("ClusterConfig", "n_neighbors", self.n_neighbors, 2, 200)
        check_int("ClusterConfig", "n_components", self.n_components, 2, 50)
        if self.min_cluster_size is not None:
            check_int("ClusterConfig", "min_cluster_size", self.min_cluster_size, 2)
        if self.min_samples is not None:
            check_int("ClusterConfig", "min_samples", self.min_samples, 1)
        check_choice("ClusterConfig", "selection", self.selection, ("leaf", "eom"))
        check_int("ClusterConfig", "seed", self.seed, 0, 2**32 - 1)


@dataclass(frozen=True)
class ScoreConfig:
    """Per-cluster and global statistics.

    A cluster is flagged when production is over-represented in it (Fisher's exact test, BH
    q-value below ``alpha``) by at least ``min_fold`` times its reference share.
    """

    alpha: float = 0.05
    min_fold: float = 2.0
    smoothing: float = 0.5
    n_permutations: int = 200
    test_sample: int = 4000
    n_examples: int = 5
    n_keywords: int = 8
    seed: int = 0

    def __post_init__(self) -> None:
        check_float("ScoreConfig", "alpha", self.alpha, 0.0, 0.5)
        check_float("ScoreConfig", "min_fold", self.min_fold, 0.999, 1000.0)
        check_float("ScoreConfig", "smoothing", self.smoothing, 0.0, 10.0)
        check_int("ScoreConfig", "n_permutations", self.n_permutations, 20, 100_000)
        check_int("ScoreConfig", "test_sample", self.test_sample, 100)
        check_int("ScoreConfig", "n_examples", self.n_examples, 1, 50)
        check_int("ScoreConfig", "n_keywords", self.n_keywords, 1, 50)
        check_int("ScoreConfig", "seed", self.seed, 0, 2**32 - 1)


@dataclass(frozen=True)
class EmergingConfig:
    """The emerging-region scan (:mod:`analyzer.regions.emerging`).

    Windows of each production query below ``loose_p`` and its ``window_sizes`` nearest
    queries are scored by production surprise against reference surprise, and tested against
    ``n_null`` permutations of the side labels at level ``alpha`` (the chance that traffic
    like the reference shows any emerging region). Regions need ``min_size`` distinct texts;
    at most ``sample_cap`` distinct queries are scanned, and at most as many production as
    reference queries (a balanced sample keeps the permutation null's power).
    """

    enabled: bool = True
    loose_p: float = 0.2
    window_sizes: tuple[int, ...] = (5, 10, 20, 40)
    min_size: int = 3
    alpha: float = 0.025
    n_null: int = 300
    sample_cap: int = 20_000

    def __post_init__(self) -> None:
        if not isinstance(self.enabled, bool):
            raise ConfigError(
                f"The 'enabled' parameter of EmergingConfig must be true or false. "
                f"Got {self.enabled!r} instead."
            )
        sizes = self.window_sizes
        if (
            not isinstance(sizes, (list, tuple))
            or not sizes
            or any(isinstance(k, bool) or not isinstance(k, int) or k < 2 for k in sizes)
            or list(sizes) != sorted(set(sizes))
        ):
            raise ConfigError(
                "The 'window_sizes' parameter of EmergingConfig must be increasing ints of at "
                f"least 2, e.g. [5, 10, 20, 40]. Got {sizes!r} instead."
            )
        object.__setattr__(self, "window_sizes", tuple(sizes))
        check_float("EmergingConfig", "loose_p", self.loose_p, 0.0, 1.0)
        check_int("EmergingConfig", "min_size", self.min_size, 1, 10_000)
        check_float("EmergingConfig", "alpha", self.alpha, 0.0, 0.5)
        check_int("EmergingConfig", "n_null", self.n_null, 20, 100_000)
        check_int("EmergingConfig", "sample_cap", self.sample_cap, 100)


ENGINES = ("local", "ray")


@dataclass(frozen=True)
class EngineConfig:
    """Where the per-row stages run (normalize, embed, coverage scores, detectors, and the
    assignment of rows beyond the map's fitted sample); docs/scaling.md.

    ``kind`` ``local``: in this process, ``chunk_rows`` distinct production texts at a time,
    so memory holds per-row results and the map's fitted sample, not every vector (they spill
    to a temporary file past one chunk). ``ray``: Ray Data over an actor pool (the ``[ray]``
    extra); ``ray_address`` None starts a Ray on this machine for the run, ``"auto"`` or
    ``"ray://host:10001"`` joins a running cluster; ``ray_actors`` None: one actor per GPU, or
    per CPU core the cluster has (at most 8 on a machine of its own). Results do not depend on
    any of these beyond float rounding of vectors embedded in other batches.
    """

    kind: str = "local"
    ray_address: str | None = None
    chunk_rows: int = 50_000
    ray_actors: int | None = None

    def __post_init__(self) -> None:
        check_choice("EngineConfig", "kind", self.kind, ENGINES)
        check_int("EngineConfig", "chunk_rows", self.chunk_rows, 100)
        if self.ray_actors is not None:
            check_int("EngineConfig", "ray_actors", self.ray_actors, 1, 10_000)
        if self.ray_address is not None:
            ray_endpoint(self.ray_address)


def ray_endpoint(address: object) -> tuple[str, int] | None:
    """(host, port) of a ``host:port`` or ``ray://host:port`` Ray address; None for ``auto``
    (Ray finds the cluster of this machine itself). A ConfigError for anything else."""
    if address == "auto":
        return None
    host, _, port = str(address).removeprefix("ray://").rpartition(":")
    if (
        not isinstance(address, str)
        or not host.strip()
        or not port.isdigit()
        or not (0 < int(port) < 65536)
    ):
        raise ConfigError(
            "The 'ray_address' parameter of EngineConfig must be a Ray address such as auto, "
            "host:6379 (the head's GCS port) or ray://host:10001 (Ray Client). "
            f"Got {address!r} instead."
        )
    return host.strip("[]"), int(port)


@dataclass(frozen=True)
class AnalyzerConfig:
    """All stages' settings together."""

    embed: EmbedConfig = field(default_factory=EmbedConfig)
    cover: CoverConfig = field(default_factory=CoverConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    score: ScoreConfig = field(default_factory=ScoreConfig)
    emerging: EmergingConfig = field(default_factory=EmergingConfig)
    engine: EngineConfig = field(default_factory=EngineConfig)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """Return every parameter, by section, as plain values."""
        return {
            f.name: {
                g.name: getattr(getattr(self, f.name), g.name)
                for g in fields(getattr(self, f.name))
            }
            for f in fields(self)
        }

    def with_overrides(self, overrides: Mapping[str, Mapping[str, Any]]) -> AnalyzerConfig:
        """A copy with ``{section: {key: value}}`` laid over this config.

        Built with :func:`dataclasses.replace`, so every section validates its values again;
        an unknown section or key is a :class:`~analyzer.errors.ConfigError` that lists the
        known ones. Sections and keys not named keep their values.
        """
        sections = {f.name for f in fields(self)}
        replaced: dict[str, Any] = {}
        for name, values in overrides.items():
            if name not in sections:
                names = ", ".join(sorted(sections))
                raise ConfigError(f"Unknown config section [{name}]. Known sections: {names}.")
            if not isinstance(values, Mapping):
                raise ConfigError(
                    f"Config section [{name}] must be a table of keys. Got "
                    f"{type(values).__name__} {values!r}."
                )
            section = getattr(self, name)
            check_known_keys(name, values, {g.name for g in fields(section)})
            replaced[name] = replace(section, **values)
        return replace(self, **replaced)

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping[str, Any]]) -> AnalyzerConfig:
        """Build from a mapping shaped like :meth:`to_dict` (defaults for what it omits)."""
        return cls().with_overrides(data)

    @classmethod
    def from_toml(cls, path: str | Path) -> AnalyzerConfig:
        """Read a TOML file with optional [embed], [cover], [cluster] and [score] tables."""
        return load_settings(path).analysis


@dataclass(frozen=True)
class Settings:
    """Everything a command runs with: the analysis settings and the weekly check's."""

    analysis: AnalyzerConfig
    check: CheckConfig


def without_machine_settings(config: AnalyzerConfig) -> AnalyzerConfig:
    """``config`` with the machine's settings (:data:`MACHINE_SETTINGS`) back at defaults."""
    defaults = AnalyzerConfig()
    return config.with_overrides(
        {
            section: {key: getattr(getattr(defaults, section), key) for key in keys}
            for section, keys in MACHINE_SETTINGS.items()
        }
    )


def load_settings(
    path: str | Path | None,
    *,
    base: AnalyzerConfig | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Settings:
    """Settings in one documented precedence: defaults < ``base`` < the TOML file < ``overrides``.

    ``base`` is a saved baseline's config (``check`` reads it from the manifest; its machine
    settings, :data:`MACHINE_SETTINGS`, are left out); ``overrides``
    are the command-line options as ``{section: {key: value}}``. The TOML file (``shift.toml``)
    may hold [embed], [cover], [cluster], [score], [emerging], [engine] and [check] tables;
    anything else is an error.
    """
    data = read_toml(path) if path is not None else {}
    loose = [key for key, value in data.items() if not isinstance(value, dict)]
    if loose:
        raise ConfigError(
            f"Config file {path}: key(s) {', '.join(sorted(loose))} sit outside any table. "
            "Put each under its section, e.g. [cover] alpha = 0.05."
        )
    tables = {k: v for k, v in data.items() if k not in OTHER_SECTIONS}
    start = AnalyzerConfig() if base is None else without_machine_settings(base)
    analysis = start.with_overrides(tables).with_overrides(overrides or {})
    return Settings(analysis, CheckConfig.from_dict(data.get("check", {})))
