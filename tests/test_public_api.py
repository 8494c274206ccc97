from __future__ import annotations

import subprocess
import sys

import pytest

import analyzer
from analyzer.errors import NotFittedError


def test_public_names_resolve() -> None:
    for name in analyzer.__all__:
        assert getattr(analyzer, name) is not None
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        analyzer.Nope  # noqa: B018


def test_scoring_before_fit_raises_not_fitted(hashing_embedder) -> None:
    import pandas as pd

    from analyzer import Baseline, load_queries

    batch = load_queries(pd.DataFrame({"text": ["a", "b"]}))
    with pytest.raises(NotFittedError, match=r"not fitted yet. Call fit\(reference\)"):
        Baseline(embedder=hashing_embedder).score(batch)


def test_import_is_light() -> None:
    code = (
        "import sys, analyzer; "
        "print(any(m in sys.modules for m in ('torch', 'umap', 'sentence_transformers')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
