"""Save and load a fitted Baseline as a versioned folder, without pickle.

Layout of a baseline folder::

    manifest.json           format and version, package versions, model id and weights hash,
                            config, what each file holds, and every file's sha256
    reference.parquet       the reference batch: ids, texts and every input column
    reference_texts.parquet the distinct normalized texts that were embedded
    embeddings.npy          their embeddings, float32 (n_distinct, dim)
    calibration.npy         leave-one-out coverage scores that calibrate p-values (n_distinct,)
    centroids.npy           k-means centroids of the coverage score (n_centroids, dim; may be 0)
    score_scale.npy         medians and ranges that standardize the blended score (4,)
    <attribute>.npy         any other array ``fit`` learned (e.g. center, inverse)
    registry_centroids.npy  initial cluster registry: unit centroids (n_clusters, dim)
    registry_members.npy    reference rows of every registry cluster, concatenated (int64)
    registry.json           registry ids, labels and member offsets

Arrays are read with ``allow_pickle=False`` and Parquet holds only data, so loading a folder
someone hands you cannot run code. The folder is written under a temporary name beside the
target and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from analyzer import faults
from analyzer.atomic import staged_folder, writable_ancestor
from analyzer.baseline import Baseline
from analyzer.config import AnalyzerConfig, without_machine_settings
from analyzer.embed import Embedder, file_sha256, make_embedder
from analyzer.errors import (
    AnalyzerError,
    BaselineVersionError,
    IncompatibleBaselineError,
    InputError,
)
from analyzer.versions import package_versions
from analyzer.weekly.records import RegistryEntry
from analyzer.weekly.state import read_registry, read_state, write_registry, write_state

FORMAT_NAME = "shift-analyzer-baseline"
FORMAT_VERSION = 3
MANIFEST = "manifest.json"
# The [cover] settings the saved calibration depends on; alpha and n_bootstrap may change.
# exact_max picks the neighbour index (exact or HNSW) that calibrated the reference.
CALIBRATED_COVER_FIELDS = (
    "k",
    "exact_max",
    "centroid_weight",
    "per_centroid",
    "min_centroids",
    "centroid_fit_max",
    "seed",
)


@dataclass(frozen=True)
class SavedBaseline:
    """A loaded baseline folder: the fitted Baseline, its initial registry, its manifest."""

    baseline: Baseline
    registry: tuple[RegistryEntry, ...]
    manifest: Mapping[str, Any] = field(default_factory=dict)
    path: Path = Path()

    @property
    def baseline_id(self) -> str:
        """A short id of this exact baseline (hash of its files' hashes)."""
        return str(self.manifest.get("baseline_id", ""))

    @property
    def model_id(self) -> str:
        """The embedding model the reference was embedded with."""
        return str(self.manifest["model_id"])


def save_baseline(
    baseline: Baseline,
    path: str | Path,
    *,
    registry: Sequence[RegistryEntry] = (),
    overwrite: bool = False,
) -> Path:
    """Write a fitted baseline (and its initial cluster registry) to the folder ``path``.

    Parameters
    ----------
    baseline
        A fitted :class:`~analyzer.baseline.Baseline`.
    path
        The folder to create. An existing folder is an error unless ``overwrite``.
    registry
        The initial cluster registry (see :func:`analyzer.weekly.registry.initial_registry`).
    overwrite
        Replace an existing folder (only one that is itself a baseline).

    Returns
    -------
    Path
        The folder written.
    """
    target = check_baseline_target(path, overwrite=overwrite)
    with staged_folder(target) as staged:
        folder = staged.path
        faults.checkpoint("baseline:state")
        state = write_state(baseline, folder)
        dim = int(np.asarray(baseline.reference_embeddings_).shape[1])
        faults.checkpoint("baseline:registry")
        registry_info = write_registry(registry, folder, dim)
        files = {p.name: file_sha256(p) for p in sorted(folder.iterdir())}
        config = baseline.config if baseline.config is not None else AnalyzerConfig()
        embedder = baseline.resolved_embedder()
        manifest = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "baseline_id": hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[
                :16
            ],
            "model_id": str(baseline.model_id_),
            "weights_sha256": getattr(embedder, "weights_sha256", None),
            "dimension": dim,
            "n_reference": len(baseline.reference_),
            "config": config.to_dict(),
            "versions": package_versions(),
            "state": state,
            "registry": registry_info,
            "files": files,
        }
        manifest["manifest_sha256"] = manifest_digest(manifest)
        faults.checkpoint("baseline:manifest")
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        staged.publish()
    return target


def manifest_digest(manifest: Mapping[str, Any]) -> str:
    """sha256 of a manifest's canonical JSON without its own ``manifest_sha256`` entry."""
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_baseline_target(path: str | Path, *, overwrite: bool) -> Path:
    """Refuse, before any work, a baseline folder that may not be written: an existing path
    without ``overwrite``, or with it anything but a valid baseline (a folder whose manifest
    verifies), a symbolic link, or a folder that cannot be written."""
    target = Path(path)
    if target.is_symlink():
        raise InputError(
            f"{target} is a symbolic link. Pass the folder it points to, or a new one."
        )
    if target.exists():
        if not overwrite:
            raise InputError(
                f"{target} already exists. Pass overwrite=True to replace it, or choose another "
                "folder."
            )
        try:
            read_manifest(target)
        except BaselineVersionError:
            pass  # a baseline of an older format may be replaced
        except AnalyzerError as exc:
            raise InputError(
                f"{target} exists and does not read as a baseline ({exc}), so it is not "
                "replaced. Choose another folder."
            ) from exc
    writable_ancestor(target.parent)
    return target


def read_manifest(path: str | Path) -> dict[str, Any]:
    """Read and check a baseline folder's manifest (format and version)."""
    folder = Path(path)
    manifest_path = folder / MANIFEST
    if not folder.is_dir() or not manifest_path.is_file():
        raise InputError(
            f"{folder} is not a baseline folder (no {MANIFEST} in it). Make one with "
            "`shift-analyzer baseline` (save_baseline() in Python)."
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{manifest_path} is not valid JSON ({exc}). The baseline is damaged: make it again."
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        got = manifest.get("format") if isinstance(manifest, dict) else type(manifest).__name__
        raise InputError(
            f"{folder} is not a shift-analyzer baseline (manifest format {got!r}, expected "
            f"{FORMAT_NAME!r}). Make one with `shift-analyzer baseline`."
        )
    if manifest.get("format_version") == FORMAT_VERSION and manifest.get(
        "manifest_sha256"
    ) != manifest_digest(manifest):
        raise IncompatibleBaselineError(
            f"{manifest_path} does not match its own sha256: it was edited or damaged after the "
            "baseline was saved. Make the baseline again."
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BaselineVersionError(
            f"{folder} has baseline format version {manifest.get('format_version')!r}; this "
            f"shift-analyzer reads version {FORMAT_VERSION}. Make the baseline again with "
            "this version."
        )
    return manifest


def load_baseline(
    path: str | Path,
    *,
    embedder: Embedder | None = None,
    config: AnalyzerConfig | None = None,
    use_cache: bool = True,
    progress: Any = None,
) -> SavedBaseline:
    """Load a baseline folder written by :func:`save_baseline`.

    Parameters
    ----------
    path
        The baseline folder.
    embedder
        The embedder for production batches; the saved config's model when omitted. Its
        ``model_id`` must equal the one the reference was embedded with.
    config
        Settings for scoring; the saved config when omitted. Its model must be the saved one.
    use_cache, progress
        Passed to :class:`~analyzer.baseline.Baseline`.

    Returns
    -------
    SavedBaseline
        The fitted baseline, ready for ``score``, with its initial registry and manifest.
    """
    folder = Path(path)
    manifest = read_manifest(folder)
    try:
        saved_config = AnalyzerConfig.from_dict(manifest.get("config", {}))
    except AnalyzerError as exc:
        raise IncompatibleBaselineError(
            f"Baseline {folder} has a config this shift-analyzer cannot read ({exc}). "
            "Make the baseline again with this version."
        ) from exc
    use_config = config if config is not None else without_machine_settings(saved_config)
    if use_config.embed.model != saved_config.embed.model:
        raise IncompatibleBaselineError(
            f"The config asks for model {use_config.embed.model!r} but baseline {folder} was "
            f"embedded with {saved_config.embed.model!r}. Drop [embed] model from the config "
            "or make a new baseline with that model."
        )
    for name in CALIBRATED_COVER_FIELDS:
        asked, saved = getattr(use_config.cover, name), getattr(saved_config.cover, name)
        if asked != saved:
            raise IncompatibleBaselineError(
                f"The config asks for {name}={asked} but baseline {folder} was calibrated with "
                f"{name}={saved}. Drop [cover] {name} from the config or make a new baseline."
            )
    if embedder is None:
        embedder = make_embedder(use_config.embed)
    if embedder.model_id != manifest.get("model_id"):
        raise IncompatibleBaselineError(
            f"Baseline {folder} was embedded with {manifest.get('model_id')!r}, but the model "
            f"here is {embedder.model_id!r}. Use the same model, or make a new baseline with "
            "this one."
        )
    baseline = Baseline(
        config=use_config, embedder=embedder, use_cache=use_cache, progress=progress
    )
    read_state(baseline, folder, manifest)
    _check_consistent(baseline, folder)
    return SavedBaseline(baseline, read_registry(folder, manifest), manifest, folder)


def _check_consistent(baseline: Baseline, folder: Path) -> None:
    needed = ("reference_", "reference_texts_", "reference_embeddings_", "calibration_")
    missing = [n for n in needed if not hasattr(baseline, n)]
    if missing:
        raise IncompatibleBaselineError(
            f"Baseline {folder} lacks {', '.join(missing)}. Make the baseline again."
        )
    n_texts = len(baseline.reference_texts_)
    shapes = {
        "embeddings": baseline.reference_embeddings_.shape[0],
        "calibration": baseline.calibration_.shape[0],
    }
    bad = {k: v for k, v in shapes.items() if v != n_texts}
    if bad:
        raise IncompatibleBaselineError(
            f"Baseline {folder} is inconsistent: {n_texts} texts but {bad}. Make it again."
        )
