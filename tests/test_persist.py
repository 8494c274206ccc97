"""Baseline save/load: versioned folder, no pickle, refusal of foreign or mismatched folders."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analyzer.baseline import Baseline
from analyzer.config import AnalyzerConfig, CoverConfig
from analyzer.errors import IncompatibleBaselineError, InputError
from analyzer.ingest.load import load_queries
from analyzer.weekly.records import RegistryEntry
from analyzer.weekly.store import (
    FORMAT_VERSION,
    load_baseline,
    manifest_digest,
    read_manifest,
    save_baseline,
)
from tests.builders import HashingEmbedder

#: The embedder's dimension: the registry fixture's centroids have this many coordinates.
DIM = 16


@pytest.fixture
def reference() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    words = ["refund", "card", "limit", "weather", "alarm", "balance", "transfer", "pin"]
    texts = [" ".join(rng.choice(words, size=4)) + f" {i}" for i in range(60)]
    texts += texts[:5]  # duplicates collapse to one point each
    return pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(len(texts))],
            "text": texts,
            "client": rng.choice(["web", "app"], size=len(texts)),
            "meta": [{"k": i} if i % 2 else [i] for i in range(len(texts))],
        }
    )


@pytest.fixture
def fitted(reference: pd.DataFrame) -> Baseline:
    return Baseline(embedder=HashingEmbedder(DIM), use_cache=False).fit(load_queries(reference))


@pytest.fixture
def registry() -> list[RegistryEntry]:
    rng = np.random.default_rng(5)
    return [
        RegistryEntry(
            i, f"label {i}", rng.normal(size=DIM).astype(np.float32), np.arange(i, i + 3), "", ""
        )
        for i in range(4)
    ]


def test_round_trip_restores_every_fitted_array(
    tmp_path: Path, fitted: Baseline, registry: list[RegistryEntry]
) -> None:
    path = save_baseline(fitted, tmp_path / "base", registry=registry)
    saved = load_baseline(path, embedder=HashingEmbedder(DIM), use_cache=False)
    restored = saved.baseline
    for name in ("reference_embeddings_", "calibration_", "center_", "reference_inverse_"):
        np.testing.assert_array_equal(getattr(restored, name), getattr(fitted, name))
    assert restored.reference_texts_ == fitted.reference_texts_
    assert restored.model_id_ == "hashing-trigrams-16"
    pd.testing.assert_frame_equal(
        restored.reference_.frame.drop(columns="meta"), fitted.reference_.frame.drop(columns="meta")
    )
    assert restored.reference_.frame["meta"].tolist() == fitted.reference_.frame["meta"].tolist()
    assert [e.label for e in saved.registry] == [e.label for e in registry]
    np.testing.assert_array_equal(saved.registry[2].centroid, registry[2].centroid)
    assert saved.registry[3].members is not None
    assert saved.registry[3].members.tolist() == [3, 4, 5]
    assert saved.model_id == "hashing-trigrams-16" and len(saved.baseline_id) == 16


@pytest.mark.parametrize("blended", [False, True], ids=["knn", "knn+centroids"])
def test_loaded_baseline_scores_like_the_fitted_one(
    tmp_path: Path, reference: pd.DataFrame, blended: bool
) -> None:
    cover = CoverConfig(per_centroid=5, min_centroids=10) if blended else CoverConfig()
    fitted = Baseline(AnalyzerConfig(cover=cover), HashingEmbedder(DIM), use_cache=False).fit(
        load_queries(reference)
    )
    assert len(fitted.centroids_) == (12 if blended else 0)
    saved = load_baseline(
        save_baseline(fitted, tmp_path / "b"), embedder=HashingEmbedder(DIM), use_cache=False
    )
    np.testing.assert_array_equal(saved.baseline.centroids_, fitted.centroids_)
    probe = HashingEmbedder(DIM).encode(["refund card 3", "something else entirely"])
    np.testing.assert_allclose(
        saved.baseline.coverage_scores(probe), fitted.coverage_scores(probe), rtol=1e-6
    )


def test_saved_folder_holds_no_pickle(tmp_path: Path, fitted: Baseline) -> None:
    path = save_baseline(fitted, tmp_path / "b")
    for npy in path.glob("*.npy"):
        np.load(npy, allow_pickle=False)  # raises on object arrays
    manifest = read_manifest(path)
    assert manifest["format_version"] == FORMAT_VERSION
    assert set(manifest["files"]) == {p.name for p in path.iterdir()} - {"manifest.json"}
    assert not any(p.suffix in {".pkl", ".pickle", ".joblib"} for p in path.iterdir())
    assert not list(tmp_path.glob(".b.tmp-*"))


def test_existing_folder_needs_overwrite(tmp_path: Path, fitted: Baseline) -> None:
    path = save_baseline(fitted, tmp_path / "b")
    with pytest.raises(InputError, match="already exists. Pass overwrite=True to replace it"):
        save_baseline(fitted, path)
    save_baseline(fitted, path, overwrite=True)
    other = tmp_path / "not-a-baseline"
    other.mkdir()
    with pytest.raises(InputError, match="does not read as a baseline .* so it is not replaced"):
        save_baseline(fitted, other, overwrite=True)


def test_overwrite_never_replaces_a_folder_that_only_has_some_manifest(
    tmp_path: Path, fitted: Baseline
) -> None:
    """A web app's folder with its own manifest.json is no baseline: --force leaves it be."""
    app = tmp_path / "webapp"
    app.mkdir()
    (app / "manifest.json").write_text('{"name": "My App", "start_url": "/"}')
    (app / "index.js").write_text("console.log('hello')")
    with pytest.raises(InputError, match="is not a shift-analyzer baseline .* not replaced"):
        save_baseline(fitted, app, overwrite=True)
    assert (app / "index.js").read_text() == "console.log('hello')"


def test_an_edited_manifest_is_refused(tmp_path: Path, fitted: Baseline) -> None:
    path = save_baseline(fitted, tmp_path / "b")
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["config"]["cover"]["alpha"] = 0.2
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IncompatibleBaselineError, match="does not match its own sha256"):
        load_baseline(path, embedder=HashingEmbedder(DIM))


def test_unfitted_baseline_cannot_be_saved(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not fitted"):
        save_baseline(Baseline(), tmp_path / "b")


def test_a_folder_without_manifest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a baseline folder"):
        load_baseline(tmp_path, embedder=HashingEmbedder(DIM))


@pytest.mark.parametrize(
    ("edit", "error", "match"),
    [
        (lambda m: m.update(format="something-else"), InputError, "not a shift-analyzer baseline"),
        (
            lambda m: m.update(format_version=FORMAT_VERSION + 1),
            IncompatibleBaselineError,
            "format version",
        ),
        (
            lambda m: m.update(model_id="other-model@abc"),
            IncompatibleBaselineError,
            "was embedded with 'other-model@abc'",
        ),
        (
            lambda m: m["state"]["calibration_"].update(kind="pickle"),
            IncompatibleBaselineError,
            "does not know",
        ),
    ],
)
def test_mismatched_manifest_is_refused(
    tmp_path: Path, fitted: Baseline, edit: object, error: type[Exception], match: str
) -> None:
    path = save_baseline(fitted, tmp_path / "b")
    manifest = json.loads((path / "manifest.json").read_text())
    edit(manifest)  # type: ignore[operator]
    # Signed again, as someone who knows the format would: the deeper checks still refuse it.
    manifest["manifest_sha256"] = manifest_digest(manifest)
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(error, match=match):
        load_baseline(path, embedder=HashingEmbedder(DIM))


def test_another_model_is_refused(tmp_path: Path, fitted: Baseline) -> None:
    path = save_baseline(fitted, tmp_path / "b")
    with pytest.raises(IncompatibleBaselineError, match="Use the same model"):
        load_baseline(path, embedder=HashingEmbedder(2 * DIM))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"k": 7}, "k=7 but"),
        ({"centroid_weight": 0.2}, "centroid_weight=0.2 but"),
        ({"exact_max": 5000}, r"exact_max=5000 but .* exact_max=200000"),
        (
            {"per_centroid": 50},
            r"per_centroid=50 but .* per_centroid=30\. Drop \[cover\] per_centroid",
        ),
    ],
)
def test_a_changed_calibrated_cover_setting_is_refused(
    tmp_path: Path, fitted: Baseline, change: dict[str, Any], message: str
) -> None:
    path = save_baseline(fitted, tmp_path / "b")
    config = AnalyzerConfig(cover=CoverConfig(**change))
    with pytest.raises(IncompatibleBaselineError, match=message):
        load_baseline(path, embedder=HashingEmbedder(DIM), config=config)


def test_a_changed_alpha_is_allowed(tmp_path: Path, fitted: Baseline) -> None:
    path = save_baseline(fitted, tmp_path / "b")
    config = AnalyzerConfig(cover=CoverConfig(alpha=0.01))
    saved = load_baseline(path, embedder=HashingEmbedder(DIM), config=config)
    np.testing.assert_array_equal(saved.baseline.calibration_, fitted.calibration_)


def test_tampered_array_is_refused(tmp_path: Path, fitted: Baseline) -> None:
    path = save_baseline(fitted, tmp_path / "b")
    calibration = np.load(path / "calibration.npy")
    np.save(path / "calibration.npy", calibration * 0)
    with pytest.raises(IncompatibleBaselineError, match="does not match the sha256"):
        load_baseline(path, embedder=HashingEmbedder(DIM))


def test_pickled_array_is_never_unpickled(tmp_path: Path, fitted: Baseline) -> None:
    path = save_baseline(fitted, tmp_path / "b")
    np.save(path / "center.npy", np.array([{"x": 1}], dtype=object), allow_pickle=True)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["files"]["center.npy"] = hashlib.sha256((path / "center.npy").read_bytes()).hexdigest()
    manifest["manifest_sha256"] = manifest_digest(manifest)  # a forger who knows the format
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IncompatibleBaselineError, match="cannot be read without pickle"):
        load_baseline(path, embedder=HashingEmbedder(DIM))


def test_damaged_manifest_is_refused(tmp_path: Path, fitted: Baseline) -> None:
    path = save_baseline(fitted, tmp_path / "b")
    (path / "manifest.json").write_text("{not json")
    with pytest.raises(InputError, match="not valid JSON"):
        read_manifest(path)


def test_a_fitted_frame_attribute_round_trips(tmp_path: Path, fitted: Baseline) -> None:
    table = pd.DataFrame({"n": [1, 2], "flags": [["malformed"], []], "mixed": [{"a": 1}, [2]]})
    fitted.reference_detections_ = table
    saved = load_baseline(save_baseline(fitted, tmp_path / "b"), embedder=HashingEmbedder(DIM))
    back = saved.baseline.reference_detections_
    assert back["n"].tolist() == [1, 2]
    assert [list(f) for f in back["flags"]] == [["malformed"], []]
    assert back["mixed"].tolist() == [{"a": 1}, [2]]


def test_an_attribute_that_needs_pickle_is_refused(tmp_path: Path, fitted: Baseline) -> None:
    fitted.model_ = object()  # type: ignore[attr-defined]
    with pytest.raises(
        InputError, match="model_ is a object, which cannot be saved without pickle"
    ):
        save_baseline(fitted, tmp_path / "b")
    assert not (tmp_path / "b").exists() and not list(tmp_path.iterdir())
