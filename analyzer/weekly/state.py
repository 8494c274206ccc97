"""The files of a baseline folder: a fitted Baseline's learned attributes and the registry.

Writers return what the manifest records about the files they wrote; readers take the manifest
and check every file against its sha256 before reading it. Arrays are read with
``allow_pickle=False`` and Parquet holds only data: nothing here can run code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from analyzer.embed import file_sha256
from analyzer.errors import IncompatibleBaselineError, InputError
from analyzer.ingest.batch import QueryBatch, SkippedRow
from analyzer.weekly.records import BASELINE_PERIOD, RegistryEntry

if TYPE_CHECKING:
    from analyzer.baseline import Baseline

_ARRAY_FILES = {"reference_embeddings_": "embeddings.npy", "calibration_": "calibration.npy"}
_TEXT_FILES = {"reference_texts_": "reference_texts.parquet"}


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


def write_state(baseline: Baseline, folder: Path) -> dict[str, Any]:
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


def write_registry(registry: Sequence[RegistryEntry], folder: Path, dim: int) -> dict[str, Any]:
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


def load_file(folder: Path, manifest: Mapping[str, Any], name: str) -> Path:
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


def load_array(folder: Path, manifest: Mapping[str, Any], name: str) -> np.ndarray:
    file = load_file(folder, manifest, name)
    try:
        return np.asarray(np.load(file, allow_pickle=False))
    except ValueError as exc:
        raise IncompatibleBaselineError(
            f"{file} cannot be read without pickle ({exc}). Make the baseline again."
        ) from exc


def read_state(baseline: Baseline, folder: Path, manifest: Mapping[str, Any]) -> None:
    for name, info in manifest.get("state", {}).items():
        kind = info.get("kind")
        if kind == "array":
            value: Any = load_array(folder, manifest, info["file"])
        elif kind == "texts":
            frame = pd.read_parquet(load_file(folder, manifest, info["file"]))
            value = [str(t) for t in frame["text"].tolist()]
        elif kind == "batch":
            frame = pd.read_parquet(load_file(folder, manifest, info["file"]))
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
            value = pd.read_parquet(load_file(folder, manifest, info["file"]))
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


def read_registry(folder: Path, manifest: Mapping[str, Any]) -> tuple[RegistryEntry, ...]:
    info = manifest.get("registry") or {}
    if not info.get("n_clusters"):
        return ()
    centroids = load_array(folder, manifest, info["centroids"])
    members = load_array(folder, manifest, info["members"])
    labels = json.loads(load_file(folder, manifest, info["labels"]).read_text(encoding="utf-8"))
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
