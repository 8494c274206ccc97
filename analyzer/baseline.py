"""Baseline: fit on the reference once, then score production batches against it.

``Baseline().fit(reference)`` embeds the reference, fits coverage (leave-one-out calibration
blending kNN and k-means centroid distances) and runs the detectors on it;
``.score(production)`` chains the stages, each a function returning a frozen result:

    embed -> coverage -> joint points -> regions (map, clusters, statistics) -> causes
          -> region table -> global tests -> summary and query table
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analyzer.config import AnalyzerConfig, Progress
from analyzer.coverage.conformal import conformal_pvalues
from analyzer.coverage.index import NeighborIndex
from analyzer.coverage.stage import (
    CoverageFit,
    coverage_scores,
    fit_coverage,
    reference_index,
    score_coverage,
)
from analyzer.detect.stage import analyze_causes, detect_rows
from analyzer.embed import Embedder, EmbeddingCache, embed_texts, make_embedder
from analyzer.engine import open_engine
from analyzer.engine.rows import RowSpec, ScoredRows
from analyzer.errors import InputError, NotFittedError
from analyzer.ingest.batch import QueryBatch
from analyzer.ingest.normalize import collapse_duplicates, normalize_text
from analyzer.regions.emerging import reference_pvalues
from analyzer.regions.map import Assigner
from analyzer.regions.stage import (
    describe_emerging,
    describe_regions,
    find_detectable,
    find_emerging,
    find_regions,
    global_tests,
    joint_points,
    with_emerging,
)
from analyzer.result import QueryTable, ShiftResult, query_frame
from analyzer.spill import gather
from analyzer.summary import FittedFacts, build_summary


def default_cache_dir() -> str:
    from platformdirs import user_cache_dir

    return str(user_cache_dir("shift-analyzer")) + "/embeddings"


@dataclass(frozen=True)
class EmbeddedBatch:
    """A batch's distinct normalized texts, their embeddings (u, d) and each row's text (n,)."""

    texts: list[str]
    inverse: np.ndarray
    embeddings: np.ndarray


class Baseline:
    """The reference side of an analysis.

    Parameters
    ----------
    config
        All stages' settings; defaults when omitted.
    embedder
        Any object with ``model_id``, ``dimension`` and ``encode(texts)`` returning unit-norm
        rows; the configured sentence-transformers model when omitted.
    use_cache
        Reuse embeddings from the on-disk cache (``config.embed.cache_dir`` or the user cache).
    progress
        Called with a short message at each long step.
    show_progress_bar
        Show the embedding model's progress bar.
    """

    def __init__(
        self,
        config: AnalyzerConfig | None = None,
        embedder: Embedder | None = None,
        use_cache: bool = True,
        progress: Progress | None = None,
        show_progress_bar: bool = False,
    ) -> None:
        self.config = config
        self.embedder = embedder
        self.use_cache = use_cache
        self.progress = progress
        self.show_progress_bar = show_progress_bar

    # -- helpers -----------------------------------------------------------------------------
    @property
    def settings(self) -> AnalyzerConfig:
        """The configuration in force (the defaults when none was given)."""
        return self.config if self.config is not None else AnalyzerConfig()

    def resolved_embedder(self) -> Embedder:
        """The embedder in use: the one given, else the configured model (created once)."""
        if self.embedder is not None:
            return self.embedder
        if getattr(self, "_default_embedder", None) is None:
            self._default_embedder = make_embedder(
                self.settings.embed, show_progress=self.show_progress_bar
            )
        return self._default_embedder

    def _say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    def _cache_dir(self) -> str | None:
        if not self.use_cache:
            return None
        return self.settings.embed.cache_dir or default_cache_dir()

    def _embed(self, texts: list[str]) -> np.ndarray:
        folder = self._cache_dir()
        cache = EmbeddingCache(folder) if folder is not None else None
        vectors, _ = embed_texts(
            texts, self.resolved_embedder(), cache, self.settings.embed.max_chars, self._say
        )
        return vectors

    def _check_fitted(self) -> None:
        if not hasattr(self, "calibration_"):
            raise NotFittedError(
                "This Baseline is not fitted yet. Call fit(reference) before score(production)."
            )

    # -- fit ---------------------------------------------------------------------------------
    def fit(self, reference: QueryBatch) -> Baseline:
        """Embed the reference and calibrate coverage on it (leave-one-out); return self."""
        k = self.settings.cover.k
        unique, inverse, _ = collapse_duplicates([normalize_text(t) for t in reference.texts])
        if len(unique) < k + 2:
            raise InputError(
                f"{reference.source}: the reference has {len(unique)} distinct queries; at least "
                f"{k + 2} are needed (k={k} neighbours plus calibration). Add reference queries."
            )
        self._say(f"reference: {len(reference)} queries, {len(unique)} distinct")
        embeddings = self._embed(unique)
        self.reference_ = reference
        self.reference_texts_ = unique
        self.reference_inverse_ = inverse
        self.reference_embeddings_ = embeddings
        self._say("coverage: calibrating on the reference (leave-one-out)")
        index = reference_index(embeddings, self.settings.cover)
        fitted = fit_coverage(embeddings, self.settings.cover, index=index)
        self._coverage_index: NeighborIndex | None = index
        self.center_ = fitted.center
        self.centroids_ = fitted.centroids
        self.score_scale_ = fitted.scale
        self.calibration_ = fitted.calibration
        self.model_id_ = self.resolved_embedder().model_id
        self._say("detectors on the reference")
        self.reference_detections_ = detect_rows(reference.texts)
        return self

    # -- score -------------------------------------------------------------------------------
    def coverage_scores(self, embeddings: np.ndarray) -> np.ndarray:
        """Nonconformity score of each row: kNN distance blended with centroid distance."""
        self._check_fitted()
        return coverage_scores(
            embeddings,
            self.reference_embeddings_,
            self._fitted(),
            self.settings.cover,
            self._index(),
        )

    def _fitted(self) -> CoverageFit:
        """The coverage fit as one object (what the engines' workers get)."""
        return CoverageFit(self.center_, self.centroids_, self.score_scale_, self.calibration_)

    def _index(self) -> NeighborIndex:
        """The reference's neighbour index: built at fit, or at the first score of a loaded
        baseline (it is not saved; building it again gives the same index)."""
        index: NeighborIndex | None = getattr(self, "_coverage_index", None)
        if index is None:
            cover = self.settings.cover
            index = reference_index(self.reference_embeddings_, cover, self.center_)
            self._coverage_index = index
        return index

    def embed_batch(self, batch: QueryBatch) -> np.ndarray:
        """Row-aligned embeddings (n, d) of a batch, as ``score`` embeds it (through the cache
        when it is on). Pass them to ``score(batch, embeddings=...)`` to embed only once."""
        unique, inverse, _ = collapse_duplicates([normalize_text(t) for t in batch.texts])
        return np.asarray(self._embed(unique)[inverse], dtype=np.float32)

    def _embedded(self, batch: QueryBatch, embeddings: np.ndarray | None) -> EmbeddedBatch:
        unique, inverse, _ = collapse_duplicates([normalize_text(t) for t in batch.texts])
        self._say(f"production: {len(batch)} queries, {len(unique)} distinct")
        if embeddings is None:
            return EmbeddedBatch(unique, inverse, self._embed(unique))
        vectors = np.asarray(embeddings, dtype=np.float32)
        dim = self.reference_embeddings_.shape[1]
        if vectors.shape != (len(batch), dim):
            raise InputError(
                f"embeddings must have one row per query of the batch, shape ({len(batch)}, "
                f"{dim}). Got {vectors.shape}. Pass the output of embed_batch(batch)."
            )
        first = np.zeros(len(unique), dtype=np.int64)
        first[inverse[::-1]] = np.arange(len(inverse))[::-1]
        return EmbeddedBatch(unique, inverse, vectors[first])

    def _reference_detections(self) -> pd.DataFrame:
        """Detector fields of the reference rows (fitted; recomputed for an older saved state)."""
        detections: pd.DataFrame | None = getattr(self, "reference_detections_", None)
        return detect_rows(self.reference_.texts) if detections is None else detections

    def score(self, production: QueryBatch, embeddings: np.ndarray | None = None) -> ShiftResult:
        """Score a production batch against the fitted reference.

        ``embeddings`` (n, d), row-aligned with the batch, skip embedding it again (as returned
        by :meth:`embed_batch`); without them the per-row stages run on the configured engine
        (``config.engine``: local, in chunks, or Ray).
        """
        self._check_fitted()
        if embeddings is not None:
            batch = self._embedded(production, embeddings)
            scored = ScoredRows(
                batch.texts,
                batch.inverse,
                batch.embeddings,
                self.coverage_scores(batch.embeddings),
                detect_rows(production.texts),
                np.zeros(0, dtype=np.int64),
            )
            return self._analyse(production, scored, None)
        return self.score_rows(production)[0]

    def row_spec(self) -> RowSpec:
        """What an engine's workers need: settings, cache folder and the coverage fit."""
        self._check_fitted()
        config = self.settings
        return RowSpec(
            config.embed,
            self._cache_dir(),
            config.cover,
            self._fitted(),
            self.reference_embeddings_,
            self.embedder,
        )

    def score_rows(self, production: QueryBatch) -> tuple[ShiftResult, np.ndarray]:
        """:meth:`score` on the configured engine, with the production rows' embeddings
        (n, d) for the stages after scoring (file-backed past ``engine.chunk_rows`` rows)."""
        self._check_fitted()
        engine_config = self.settings.engine
        spec = self.row_spec()
        embedder = self.resolved_embedder()
        with open_engine(engine_config, spec, embedder, self.progress, self._index()) as engine:
            self._say(f"production: {len(production)} queries ({engine_config.kind} engine)")
            scored = engine.rows(production.texts)
            self._say(f"production: {len(scored.texts)} distinct")
            result = self._analyse(production, scored, engine.assigner)
        rows = gather(scored.vectors, scored.inverse, engine_config.chunk_rows)
        return result, rows

    def _analyse(
        self,
        production: QueryBatch,
        scored: ScoredRows,
        assigner: Callable[[np.ndarray], Assigner] | None,
    ) -> ShiftResult:
        """Every stage after the per-row ones, on the driver."""
        config = self.settings
        batch = EmbeddedBatch(scored.texts, scored.inverse, scored.vectors)
        rng = np.random.default_rng(config.score.seed)
        coverage = score_coverage(
            scored.scores,
            batch.inverse,
            self.calibration_,
            config.cover,
            rng,
        )
        points = joint_points(
            self.reference_texts_,
            self.reference_embeddings_,
            batch.texts,
            batch.embeddings,
            config.engine.chunk_rows,
        )
        self._say(f"map: UMAP and HDBSCAN on {len(points.texts)} distinct queries")
        regions = find_regions(
            points,
            self.reference_inverse_,
            batch.inverse,
            coverage.is_uncovered,
            config,
            assigner(points.embeddings) if assigner is not None else None,
        )
        self._say("detectors: malformed, multi-intent, language, structure")
        causes = analyze_causes(
            self._reference_detections(),
            production.texts,
            coverage.is_uncovered,
            regions.production_labels,
            regions.flagged_ids,
            config.score.n_examples,
            scored.detections,
        )
        self._say("regions: labels, keywords and examples")
        clusters = describe_regions(points, regions, causes.per_cluster, config.score)
        self._say("global tests: classifier two-sample test and MMD")
        tests = global_tests(self.reference_embeddings_, batch.embeddings, config.score, rng)
        self._say("emerging regions: weakly covered queries grouped and tested together")
        found = find_emerging(
            points,
            conformal_pvalues(coverage.scores, self.calibration_),
            reference_pvalues(self.calibration_),
            config.emerging,
            np.random.default_rng([config.score.seed, 1]),  # its own stream: others keep theirs
        )
        detectable = find_detectable(  # the smallest new region found with 80% probability
            self.reference_embeddings_,
            self._fitted(),
            points,
            found,
            coverage.scores,
            regions,
            config,
        )
        emerging, emerging_rows = describe_emerging(
            found,
            batch.texts,
            batch.embeddings,
            batch.inverse,
            regions.production_labels,
            regions.flagged_ids,
            causes.production["flags"].tolist(),
            coverage.pvalues,
            config.score,
        )
        facts = self._fitted_facts()
        summary = build_summary(
            config, facts, production, coverage, regions, clusters, causes, tests
        )
        summary = with_emerging(summary, found, emerging, config.emerging, detectable)
        rows = regions.row_points
        queries = query_frame(
            self.reference_.frame,
            production.frame,
            regions.labels,
            regions.map.map_xy[rows],
            coverage.pvalues,
            coverage.is_uncovered,
            regions.map.is_core[rows],
            pd.concat([causes.reference, causes.production], ignore_index=True),
            np.r_[np.full(len(self.reference_), -1, dtype=np.int64), emerging_rows],
        )
        return ShiftResult(summary, clusters, QueryTable(queries), emerging)

    def _fitted_facts(self) -> FittedFacts:
        """What the run's summary says of the fitted reference and the model."""
        return FittedFacts(
            n_reference=len(self.reference_),
            skipped=self.reference_.skipped,
            n_centroids=len(self.centroids_),
            neighbor_index=self._index().kind,
            model_id=self.model_id_,
            weights_sha256=getattr(self.resolved_embedder(), "weights_sha256", None),
        )

    def describe(self) -> dict[str, Any]:
        """Model id and sizes of the fitted reference."""
        self._check_fitted()
        return {
            "model_id": self.model_id_,
            "n_reference": len(self.reference_),
            "n_distinct": len(self.reference_texts_),
        }
