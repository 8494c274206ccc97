"""The per-row stages of one batch of texts: normalize, embed, coverage scores, detectors.

:class:`RowSpec` is what the driver fitted and every worker needs (picklable: Ray ships it to
its actors); :class:`RowWorker` builds the embedder, the embedding cache and the coverage index
from it once per process and runs the stages on one batch. :class:`RowCollector` puts the
batches' results together in row order on the driver: one entry per distinct normalized text
(vector and score of its first row) and the detector fields of every distinct text as sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analyzer.config import CoverConfig, EmbedConfig
from analyzer.coverage.index import NeighborIndex
from analyzer.coverage.stage import CoverageFit, coverage_scores, reference_index
from analyzer.detect import DETECTION_COLUMNS, detect_queries
from analyzer.embed import Embedder, EmbeddingCache, make_embedder
from analyzer.embed.cache import embed_through_cache, text_key
from analyzer.ingest.normalize import collapse_duplicates, normalize_text
from analyzer.spill import VectorStore


@dataclass(frozen=True)
class RowSpec:
    """What the per-row stages need from the driver.

    ``embed`` the embedding settings (``max_chars``, and the model when ``embedder`` is None);
    ``cache_dir`` the embedding cache (None: no cache); ``cover``, ``fit`` and ``reference``
    (the reference embeddings, (n, d)) the coverage fit, None for a pass that only embeds and
    detects (the reference's own); ``embedder`` an embedder given by the caller (None: the
    configured model, built where the worker runs).
    """

    embed: EmbedConfig
    cache_dir: str | None
    cover: CoverConfig
    fit: CoverageFit | None = None
    reference: np.ndarray | None = None
    embedder: Embedder | None = None

    def for_worker(self, device: str = "cpu") -> RowSpec:
        """The spec a worker process runs: one process each (no worker pools of its own), on
        ``device``."""
        return replace(self, embed=replace(self.embed, workers=1, device=device))


@dataclass(frozen=True)
class RowPart:
    """One batch's results: per text as sent, in order.

    ``texts`` the normalized texts (m,); ``vectors`` (m, d) and ``scores`` (m,) (NaN without a
    coverage fit); ``detections`` the detector fields (m rows); ``is_new`` (m,) vectors this
    batch embedded rather than read from the cache.
    """

    texts: list[str]
    vectors: np.ndarray
    scores: np.ndarray
    detections: pd.DataFrame
    is_new: np.ndarray


class RowWorker:
    """The per-row stages in one process.

    Parameters
    ----------
    spec
        The fitted state and settings.
    embedder
        Use this embedder instead of building one from ``spec`` (the driver's own).
    index
        The reference's coverage index, when the caller has it already.
    progress
        Called with a short message when a batch embeds.
    """

    def __init__(
        self,
        spec: RowSpec,
        embedder: Embedder | None = None,
        index: NeighborIndex | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.spec = spec
        self.embedder = embedder or spec.embedder or make_embedder(spec.embed)
        self.cache = EmbeddingCache(spec.cache_dir) if spec.cache_dir else None
        self._index = index
        self.progress = progress

    def index(self) -> NeighborIndex:
        """The reference's neighbour index (built on first use)."""
        if self._index is None:
            spec = self.spec
            assert spec.reference is not None and spec.fit is not None
            self._index = reference_index(spec.reference, spec.cover, spec.fit.center)
        return self._index

    def embed(self, texts: Sequence[str], store: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Vectors (m, d) of normalized ``texts`` through the cache, and which were embedded
        anew (m,); with ``store`` False new vectors are left for the caller to cache."""
        return embed_through_cache(
            texts, self.embedder, self.cache, self.spec.embed.max_chars, self.progress, store
        )

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """Coverage scores of unit ``vectors`` (m, d); NaN without a coverage fit."""
        spec = self.spec
        if spec.fit is None or spec.reference is None:
            return np.full(len(vectors), np.nan)
        return coverage_scores(vectors, spec.reference, spec.fit, spec.cover, self.index())

    def run(self, raw_texts: Sequence[str]) -> RowPart:
        """Every stage on a batch of texts as sent, leaving new vectors for the caller to
        cache: distinct normalized texts are embedded and scored once, and the detectors run
        once per distinct text."""
        normalized = [normalize_text(t) for t in raw_texts]
        unique, inverse, _ = collapse_duplicates(normalized)
        vectors, is_new = self.embed(unique, store=False)
        scores = self.scores(vectors)
        detections = detect_distinct(raw_texts)
        return RowPart(normalized, vectors[inverse], scores[inverse], detections, is_new[inverse])


def distinct_as_sent(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The distinct texts as sent, first seen first (u,), and each row's one (n,)."""
    position: dict[str, int] = {}
    row_part = np.array([position.setdefault(t, len(position)) for t in texts], dtype=np.int64)
    return list(position), row_part


def cache_new(
    cache: EmbeddingCache | None, model_id: str, part: RowPart, rows: np.ndarray, max_chars: int
) -> None:
    """Write to ``cache`` the vectors a worker embedded anew among ``part``'s ``rows`` (the
    first occurrences :meth:`RowCollector.add_part` returned); workers leave this to the driver
    so that one process writes the cache."""
    if cache is None:
        return
    fresh = rows[part.is_new[rows]]
    keys: dict[bytes, int] = {}
    for row in fresh:
        keys.setdefault(text_key(part.texts[row][:max_chars]), int(row))
    if keys:
        cache.store(model_id, list(keys), part.vectors[list(keys.values())])


def detect_distinct(texts: Sequence[str]) -> pd.DataFrame:
    """Detector fields of each text (m rows), run once per distinct text."""
    position: dict[str, int] = {}
    inverse = np.array([position.setdefault(t, len(position)) for t in texts], dtype=np.int64)
    unique = detect_queries(list(position))
    return unique.iloc[inverse].reset_index(drop=True)[list(DETECTION_COLUMNS)]


@dataclass(frozen=True)
class ScoredRows:
    """A batch through the per-row stages, put together on the driver.

    ``texts`` the distinct normalized texts, first seen first (u,); ``inverse`` (n,) each
    row's text; ``vectors`` (u, d), file-backed past one chunk; ``scores`` (u,) coverage scores
    (NaN without a fit); ``detections`` the detector fields of every row (n rows); ``first_part``
    (u,) the position, among the distinct texts as sent, of the text that brought each one
    (what a second pass over the same parts looks up).
    """

    texts: list[str]
    inverse: np.ndarray
    vectors: np.ndarray
    scores: np.ndarray
    detections: pd.DataFrame
    first_part: np.ndarray


class RowCollector:
    """Puts batches of distinct texts as sent together, in order, into :class:`ScoredRows`.

    Parameters
    ----------
    dim
        The vectors' width (None: that of the first vectors added).
    spill_rows
        Distinct texts kept in memory before the vectors spill to a temporary file.
    """

    def __init__(self, dim: int | None, spill_rows: int) -> None:
        self._position: dict[str, int] = {}
        self._text_of: list[np.ndarray] = []
        self._first: list[int] = []
        self._scores: list[np.ndarray] = []
        self._detections: list[pd.DataFrame] = []
        self._store = VectorStore(dim, spill_rows)
        self.n_parts = 0  # distinct texts as sent, so far

    def new_texts(self, texts: Sequence[str]) -> list[str]:
        """The distinct normalized ``texts`` not seen in earlier batches, first seen first."""
        seen = self._position
        fresh: dict[str, None] = {}
        for text in texts:
            if text not in seen:
                fresh.setdefault(text)
        return list(fresh)

    def add(
        self,
        texts: Sequence[str],
        new_vectors: np.ndarray,
        new_scores: np.ndarray,
        detections: pd.DataFrame,
    ) -> None:
        """Add a batch of distinct texts as sent: their normalized ``texts`` (m,), the vectors
        and scores of :meth:`new_texts` (in its order) and the detector fields (m rows)."""
        position = self._position
        text_of = np.empty(len(texts), dtype=np.int64)
        start = len(position)
        for i, text in enumerate(texts):
            index = position.get(text)
            if index is None:
                index = position[text] = len(position)
                self._first.append(self.n_parts + i)
            text_of[i] = index
        if len(position) - start != len(new_vectors):
            raise ValueError(f"{len(position) - start} new texts but {len(new_vectors)} vectors")
        self._text_of.append(text_of)
        self._store.append(new_vectors)
        self._scores.append(np.asarray(new_scores, dtype=np.float64))
        self._detections.append(detections)
        self.n_parts += len(texts)

    def add_part(self, part: RowPart) -> np.ndarray:
        """Add a :class:`RowPart` (vectors and scores per text); each new normalized text keeps
        its first occurrence's. Returns those occurrences' positions in the part."""
        first: dict[str, int] = {}
        for i, text in enumerate(part.texts):
            if text not in self._position:
                first.setdefault(text, i)
        rows = np.fromiter(first.values(), dtype=np.int64, count=len(first))
        self.add(part.texts, part.vectors[rows], part.scores[rows], part.detections)
        return rows

    def finish(self, row_part: np.ndarray) -> ScoredRows:
        """The collected batches; ``row_part`` (n,) maps each row to its distinct text as sent."""
        text_of = np.concatenate(self._text_of) if self._text_of else np.zeros(0, np.int64)
        frames = self._detections or [pd.DataFrame(columns=list(DETECTION_COLUMNS))]
        detections = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        scores = np.concatenate(self._scores) if self._scores else np.zeros(0)
        return ScoredRows(
            list(self._position),
            text_of[row_part],
            self._store.finish(),
            scores,
            detections.iloc[row_part].reset_index(drop=True),
            np.asarray(self._first, dtype=np.int64),
        )
