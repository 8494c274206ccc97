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
import os
import shutil
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from analyzer.baseline import Baseline, package_versions
from analyzer.config import AnalyzerConfig
from analyzer.embed import Embedder, SentenceTransformerEmbedder, file_sha256
from analyzer.errors import AnalyzerError, IncompatibleBaselineError, InputError
from analyzer.ingest.batch import QueryBatch, SkippedRow
from analyzer.weekly.records import BASELINE_PERIOD, RegistryEntry

FORMAT_NAME = "shift-analyzer-baseline"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
# The [cover] settings the saved calibration depends on; alpha and n_bootstrap may change.
CALIBRATED_COVER_FIELDS = (
    "k",
    "centroid_weight",
    "per_centroid",
    "min_centroids",
    "centroid_fit_max",
    "seed",
)
_ARRAY_FILES = {"reference_embeddings_": "embeddings.npy", "calibration_": "calibration.npy"}
_TEXT_FILES = {"reference_texts_": "reference_texts.parquet"}


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


def _frame_to_parquet(frame: pd.DataFrame, path: Path) -> list[str]:
    """Write a frame; columns pyarrow cannot type are stored as JSON text (returned)."""
    out = frame.copy()
    out.columns = [str(c) for c in out.columns]
    stringified: list[str] = []
    for column in out.columns:
        try:
            pa.array(out[column], from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            out[column] = [json.dumps(v, default=str, ensure_ascii=False) for v in out[column]]
            stringified.append(column)
    out.to_parquet(path, index=False)
    return stringified


def _write_state(baseline: Baseline, folder: Path) -> dict[str, Any]:
    state: dict[str, Any] = {}
    learned = {k: v for k, v in vars(baseline).items() if k.endswith("_") and not k.startswith("_")}
    if "calibration_" not in learned:
        raise InputError(
            "This Baseline is not fitted, so there is nothing to save. Call fit(reference) first."
        )
    for name, value in sorted(learned.items()):
        if isinstance(value, QueryBatch):
            file = "reference.parquet" if name == "reference_" else f"{name.rstrip('_')}.parquet"
            stringified = _frame_to_parquet(value.frame, folder / file)
            state[name] = {
                "kind": "batch",
                "file": file,
                "source": value.source,
                "text_col": value.text_col,
                "id_col": value.id_col,
                "skipped": [s.to_dict() for s in value.skipped],
                "json_columns": stringified,
            }
        elif isinstance(value, pd.DataFrame):
            file = f"{name.rstrip('_')}.parquet"
            stringified = _frame_to_parquet(value, folder / file)
            state[name] = {"kind": "frame", "file": file, "json_columns": stringified}
        elif isinstance(value, np.ndarray):
            file = _ARRAY_FILES.get(name, f"{name.rstrip('_')}.npy")
            np.save(folder / file, value, allow_pickle=False)
            state[name] = {"kind": "array", "file": file}
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            file = _TEXT_FILES.get(name, f"{name.rstrip('_')}.parquet")
            pd.DataFrame({"text": value}).to_parquet(folder / file, index=False)
            state[name] = {"kind": "texts", "file": file}
        elif value is None or isinstance(value, (str, int, float, bool)):
            state[name] = {"kind": "value", "value": value}
        else:
            raise InputError(
                f"Baseline attribute {name} is a {type(value).__name__}, which cannot be saved "
                "without pickle. Store it as an array, a list of strings or a plain value."
            )
    return state


def _write_registry(registry: Sequence[RegistryEntry], folder: Path, dim: int) -> dict[str, Any]:
    centroids = np.zeros((len(registry), dim), dtype=np.float32)
    members: list[np.ndarray] = []
    offsets = [0]
    for i, entry in enumerate(registry):
        centroids[i] = np.asarray(entry.centroid, dtype=np.float32)
        own = np.asarray(entry.members if entry.members is not None else [], dtype=np.int64)
        members.append(own)
        offsets.append(offsets[-1] + len(own))
    np.save(folder / "registry_centroids.npy", centroids, allow_pickle=False)
    flat = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
    np.save(folder / "registry_members.npy", flat.astype(np.int64), allow_pickle=False)
    labels = {
        "cluster_ids": [int(e.cluster_id) for e in registry],
        "labels": [e.label for e in registry],
        "member_offsets": offsets,
    }
    (folder / "registry.json").write_text(json.dumps(labels, ensure_ascii=False))
    return {
        "centroids": "registry_centroids.npy",
        "members": "registry_members.npy",
        "labels": "registry.json",
        "n_clusters": len(registry),
    }


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
    target = Path(path)
    if target.exists():
        if not overwrite:
            raise InputError(
                f"{target} already exists. Pass overwrite=True to replace it, or choose another folder."
            )
        if not (target / MANIFEST).is_file():
            raise InputError(
                f"{target} exists and is not a baseline folder, so it is not replaced. "
                "Choose another folder."
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        state = _write_state(baseline, tmp)
        dim = int(np.asarray(baseline.reference_embeddings_).shape[1])
        registry_info = _write_registry(registry, tmp, dim)
        files = {p.name: file_sha256(p) for p in sorted(tmp.iterdir())}
        config = baseline.config if baseline.config is not None else AnalyzerConfig()
        manifest = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "baseline_id": hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[
                :16
            ],
            "model_id": str(baseline.model_id_),
            "weights_sha256": getattr(baseline.embedder, "weights_sha256", None),
            "dimension": dim,
            "n_reference": len(baseline.reference_),
            "config": config.to_dict(),
            "versions": package_versions(),
            "state": state,
            "registry": registry_info,
            "files": files,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        if target.exists():
            trash = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
            os.replace(target, trash)
            os.replace(tmp, target)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def read_manifest(path: str | Path) -> dict[str, Any]:
    """Read and check a baseline folder's manifest (format and version)."""
    folder = Path(path)
    manifest_path = folder / MANIFEST
    if not folder.is_dir() or not manifest_path.is_file():
        raise InputError(
            f"{folder} is not a baseline folder (no {MANIFEST} in it). Make one with "
            "save_baseline() or `shift-analyzer baseline`."
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
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IncompatibleBaselineError(
            f"{folder} has baseline format version {manifest.get('format_version')!r}; this "
            f"shift-analyzer reads version {FORMAT_VERSION}. Make the baseline again with "
            "this version."
        )
    return manifest


def _load_file(folder: Path, manifest: Mapping[str, Any], name: str) -> Path:
    expected = manifest.get("files", {}).get(name)
    file = folder / name
    if expected is None or not file.is_file():
        raise IncompatibleBaselineError(
            f"Baseline {folder} lacks {name} (or its manifest does not list it). The folder is "
            "incomplete: make the baseline again."
        )
    if file_sha256(file) != expected:
        raise IncompatibleBaselineError(
            f"{file} does not match the sha256 in the manifest: the baseline was changed or "
            "damaged after it was saved. Make the baseline again."
        )
    return file


def _load_array(folder: Path, manifest: Mapping[str, Any], name: str) -> np.ndarray:
    file = _load_file(folder, manifest, name)
    try:
        return np.asarray(np.load(file, allow_pickle=False))
    except ValueError as exc:
        raise IncompatibleBaselineError(
            f"{file} cannot be read without pickle ({exc}). Make the baseline again."
        ) from exc


def _read_state(baseline: Baseline, folder: Path, manifest: Mapping[str, Any]) -> None:
    for name, info in manifest.get("state", {}).items():
        kind = info.get("kind")
        if kind == "array":
            value: Any = _load_array(folder, manifest, info["file"])
        elif kind == "texts":
            frame = pd.read_parquet(_load_file(folder, manifest, info["file"]))
            value = [str(t) for t in frame["text"].tolist()]
        elif kind == "batch":
            frame = pd.read_parquet(_load_file(folder, manifest, info["file"]))
            for column in info.get("json_columns", []):
                frame[column] = [json.loads(v) for v in frame[column]]
            value = QueryBatch(
                frame=frame,
                source=info["source"],
                text_col=info["text_col"],
                id_col=info["id_col"],
                skipped=tuple(SkippedRow(**s) for s in info.get("skipped", [])),
            )
        elif kind == "frame":
            value = pd.read_parquet(_load_file(folder, manifest, info["file"]))
            for column in info.get("json_columns", []):
                value[column] = [json.loads(v) for v in value[column]]
        elif kind == "value":
            value = info.get("value")
        else:
            raise IncompatibleBaselineError(
                f"Baseline {folder} stores {name} as {kind!r}, which this shift-analyzer does "
                "not know. Make the baseline again with this version."
            )
        setattr(baseline, name, value)


def _read_registry(folder: Path, manifest: Mapping[str, Any]) -> tuple[RegistryEntry, ...]:
    info = manifest.get("registry") or {}
    if not info.get("n_clusters"):
        return ()
    centroids = _load_array(folder, manifest, info["centroids"])
    members = _load_array(folder, manifest, info["members"])
    labels = json.loads(_load_file(folder, manifest, info["labels"]).read_text(encoding="utf-8"))
    offsets = labels["member_offsets"]
    return tuple(
        RegistryEntry(
            cluster_id=int(cid),
            label=str(label),
            centroid=centroids[i].astype(np.float32),
            members=members[offsets[i] : offsets[i + 1]].astype(np.int64),
            first_period=BASELINE_PERIOD,
            last_period=BASELINE_PERIOD,
            n_runs=0,
        )
        for i, (cid, label) in enumerate(zip(labels["cluster_ids"], labels["labels"], strict=True))
    )


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
    use_config = config if config is not None else saved_config
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
        embedder = SentenceTransformerEmbedder(use_config.embed.model, use_config.embed.batch_size)
    if embedder.model_id != manifest.get("model_id"):
        raise IncompatibleBaselineError(
            f"Baseline {folder} was embedded with {manifest.get('model_id')!r}, but the model "
            f"here is {embedder.model_id!r}. Use the same model, or make a new baseline with "
            "this one."
        )
    baseline = Baseline(
        config=use_config, embedder=embedder, use_cache=use_cache, progress=progress
    )
    _read_state(baseline, folder, manifest)
    _check_consistent(baseline, folder)
    return SavedBaseline(baseline, _read_registry(folder, manifest), manifest, folder)


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
