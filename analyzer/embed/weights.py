"""What identifies a model: a digest of every file that shapes its vectors.

A sentence-transformers folder's vectors depend on its weights (one file or several shards) and
on its tokenizer and configuration files; :func:`model_digest` hashes all of them (README-like
files aside), so weights or a tokenizer changed in place change the digest, and with it the
model id that keys the embedding cache and binds baselines and histories. A model that cannot
be hashed (a hub name with no local copy) is refused, never used "unhashed".
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from analyzer.errors import ModelError

#: Files that do not change a model's vectors.
_IGNORED = frozenset({"readme.md", ".gitattributes", "data_config.json", "license", "license.txt"})
_WEIGHTS = (".safetensors", ".bin", ".pt", ".onnx", ".h5", ".msgpack")
_TOKENIZER_AND_CONFIG = (".json", ".txt", ".model", ".vocab")


def model_files(model_dir: Path) -> list[Path]:
    """The files of a model folder that shape its vectors, sorted by relative path."""
    files = [
        p
        for p in model_dir.rglob("*")
        if p.is_file()
        and p.name.lower() not in _IGNORED
        and p.suffix.lower() in (*_WEIGHTS, *_TOKENIZER_AND_CONFIG)
        and not any(part.startswith(".") for part in p.relative_to(model_dir).parts)
    ]
    return sorted(files, key=lambda p: p.relative_to(model_dir).as_posix())


def weight_files(model_dir: Path) -> list[Path]:
    """The weight files (single file or shards) of a model folder."""
    return [p for p in model_files(model_dir) if p.suffix.lower() in _WEIGHTS]


def file_sha256(path: Path) -> str:
    """Return the hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_digest(model_dir: Path) -> str:
    """sha256 over every file that shapes the vectors: ``relative path NUL file sha256`` lines.

    Raises
    ------
    ModelError
        When the folder holds no weight file (nothing to hash means nothing to trust).
    """
    if not weight_files(model_dir):
        raise ModelError(
            f"{model_dir} holds no weight file (.safetensors or .bin), so the model cannot be "
            "hashed and is refused. Pass model= with a complete sentence-transformers folder."
        )
    digest = hashlib.sha256()
    for path in model_files(model_dir):
        line = f"{path.relative_to(model_dir).as_posix()}\0{file_sha256(path)}\n"
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


def local_model_dir(name: str) -> Path:
    """The folder of a model given by path, or by hub name from the local Hugging Face cache
    (never downloaded); a ModelError when there is none."""
    path = Path(name)
    if path.is_dir():
        return path
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id=name, local_files_only=True))
    except Exception as exc:
        raise ModelError(
            f"Model {name!r} is neither a folder nor in the local Hugging Face cache, and "
            "nothing is downloaded at run time. Pass model= with a local sentence-transformers "
            "folder."
        ) from exc
