"""Baseline: fit on the reference once, then score production batches against it.

``Baseline().fit(reference)`` embeds the reference and calibrates coverage (leave-one-out
scores blending kNN and k-means centroid distances); ``.score(production)`` embeds the batch, computes each query's coverage p-value, maps
and clusters reference and production together, and scores every region.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np
import pandas as pd

from analyzer.config import AnalyzerConfig
from analyzer.coverage.conformal import (
    blend,
    center,
    centroid_count,
    centroid_scores,
    conformal_pvalues,
    fit_centroids,
    knn_scores,
    scale_of,
    uncovered_share,
)
from analyzer.detect import (
    CAUSES,
    DETECTION_COLUMNS,
    attribute_causes,
    cause_summary,
    cluster_causes,
    detect_queries,
    structure_outliers,
    structure_shift,
)
from analyzer.embed import Embedder, EmbeddingCache, SentenceTransformerEmbedder, embed_texts
from analyzer.errors import InputError, NotFittedError
from analyzer.ingest.batch import QueryBatch
from analyzer.ingest.normalize import collapse_duplicates, normalize_text
from analyzer.regions.keywords import cluster_keywords, representative_rows
from analyzer.regions.map import build_map
from analyzer.regions.stats import cluster_stats, js_terms
from analyzer.regions.twosample import balanced_sample, classifier_test, mmd_test
from analyzer.report.redact import redact_text
from analyzer.result import (
    QUERY_COLUMNS,
    ClusterRow,
    ClusterTable,
    QueryTable,
    ShiftResult,
    Summary,
)

Progress = Callable[[str], None]
PACKAGES = ("shift-analyzer", "numpy", "scipy", "scikit-learn", "umap-learn", "hdbscan",
            "sentence-transformers", "torch", "pandas")


def package_versions() -> dict[str, str]:
    """Versions of the packages whose behaviour the numbers depend on."""
    out = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def default_cache_dir() -> str:
    from platformdirs import user_cache_dir

    return str(user_cache_dir("shift-analyzer")) + "/embeddings"


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

    @property
    def _config(self) -> AnalyzerConfig:
        return self.settings

    def resolved_embedder(self) -> Embedder:
        """The embedder in use, creating the configured one on first call."""
        return self._embedder()

    def _say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    def _embedder(self) -> Embedder:
        if self.embedder is None:
            embed = self._config.embed
            self.embedder = SentenceTransformerEmbedder(
                embed.model, embed.batch_size, show_progress=self.show_progress_bar
            )
        return self.embedder

    def _embed(self, texts: list[str]) -> np.ndarray:
        cache = None
        if self.use_cache:
            cache = EmbeddingCache(self._config.embed.cache_dir or default_cache_dir())
        vectors, _ = embed_texts(
            texts, self._embedder(), cache, self._config.embed.max_chars, self._say
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
        k = self._config.cover.k
        normalized = [normalize_text(t) for t in reference.texts]
        unique, inverse, _ = collapse_duplicates(normalized)
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
        self.center_ = embeddings.mean(axis=0)
        self._say("coverage: calibrating on the reference (leave-one-out)")
        self._calibrate(center(embeddings, self.center_))
        self.model_id_ = self._embedder().model_id
        self._say("detectors on the reference")
        self.reference_detections_ = detect_rows(reference.texts)
        return self

    def _calibrate(self, reference: np.ndarray) -> None:
        """Fit the centroids and the blend's scale; set the leave-one-out calibration scores."""
        cover = self._config.cover
        knn = knn_scores(reference, reference, cover.k, leave_one_out=True)
        n_centroids = centroid_count(
            len(reference), cover.per_centroid, cover.centroid_fit_max, cover.min_centroids
        )
        if cover.centroid_weight == 0.0 or n_centroids == 0:
            self.centroids_ = np.zeros((0, reference.shape[1]), dtype=np.float32)
            self.score_scale_ = np.array([0.0, 1.0, 0.0, 1.0])
            self.calibration_ = knn
            return
        self.centroids_, centroid = fit_centroids(
            reference, n_centroids, cover.centroid_fit_max, cover.seed
        )
        self.score_scale_ = np.array([*scale_of(knn), *scale_of(centroid)])
        self.calibration_ = blend(knn, centroid, self.score_scale_, cover.centroid_weight)

    # -- score -------------------------------------------------------------------------------
    def coverage_scores(self, embeddings: np.ndarray) -> np.ndarray:
        """Nonconformity score of each row: kNN distance blended with centroid distance."""
        self._check_fitted()
        cover = self._config.cover
        queries = center(embeddings, self.center_)
        reference = center(self.reference_embeddings_, self.center_)
        knn = knn_scores(queries, reference, cover.k)
        if len(self.centroids_) == 0:
            return knn
        centroid = centroid_scores(queries, self.centroids_)
        return blend(knn, centroid, self.score_scale_, cover.centroid_weight)

    def embed_batch(self, batch: QueryBatch) -> np.ndarray:
        """Row-aligned embeddings (n, d) of a batch, as ``score`` embeds it.

        The batch last passed to ``score`` is answered from memory; any other batch is embedded
        (through the cache when it is on).
        """
        last = getattr(self, "_last_scored", None)
        if last is not None and last[0] is batch:
            return np.asarray(last[1][last[2]], dtype=np.float32)
        unique, inverse, _ = collapse_duplicates([normalize_text(t) for t in batch.texts])
        return np.asarray(self._embed(unique)[inverse], dtype=np.float32)

    def _reference_detections(self) -> pd.DataFrame:
        """Detector fields of the reference rows (fitted; recomputed for an older saved state)."""
        if getattr(self, "reference_detections_", None) is None:
            self.reference_detections_ = detect_rows(self.reference_.texts)
        detections: pd.DataFrame = self.reference_detections_
        return detections

    def score(self, production: QueryBatch) -> ShiftResult:
        """Score a production batch against the fitted reference."""
        self._check_fitted()
        config = self._config
        rng = np.random.default_rng(config.score.seed)
        normalized = [normalize_text(t) for t in production.texts]
        prod_unique, prod_inverse, _ = collapse_duplicates(normalized)
        self._say(f"production: {len(production)} queries, {len(prod_unique)} distinct")
        prod_embeddings = self._embed(prod_unique)
        self._last_scored = (production, prod_embeddings, prod_inverse)

        self._say("coverage: kNN and centroids against the reference")
        unique_scores = self.coverage_scores(prod_embeddings)
        row_scores = unique_scores[prod_inverse]
        pvalues = conformal_pvalues(row_scores, self.calibration_)
        is_uncovered = pvalues < config.cover.alpha
        share = uncovered_share(
            row_scores, self.calibration_, config.cover.alpha, config.cover.n_bootstrap, rng
        )

        # Joint map on the distinct texts of both sides (a text on both sides is one point).
        point_of = {text: i for i, text in enumerate(self.reference_texts_)}
        new_points: list[int] = []
        prod_point = np.empty(len(prod_unique), dtype=np.int64)
        for i, text in enumerate(prod_unique):
            if text not in point_of:
                point_of[text] = len(point_of)
                new_points.append(i)
            prod_point[i] = point_of[text]
        point_embeddings = np.vstack([self.reference_embeddings_, prod_embeddings[new_points]])
        point_side = np.r_[np.zeros(len(self.reference_texts_), int), np.ones(len(new_points), int)]
        self._say(f"map: UMAP and HDBSCAN on {len(point_of)} distinct queries")
        cmap = build_map(point_embeddings, point_side, config.cluster)

        ref_rows_point = self.reference_inverse_
        prod_rows_point = prod_point[prod_inverse]
        labels = np.r_[cmap.labels[ref_rows_point], cmap.labels[prod_rows_point]]
        is_production = np.r_[np.zeros(len(ref_rows_point), bool), np.ones(len(prod_rows_point), bool)]
        uncovered_rows = np.r_[np.zeros(len(ref_rows_point), bool), is_uncovered]

        self._say("scoring clusters")
        stats = cluster_stats(
            labels, is_production, uncovered_rows, config.score.alpha,
            config.score.min_fold, config.score.smoothing,
        )
        self._say("detectors: malformed, multi-intent, language, structure")
        ref_detections = self._reference_detections()
        prod_detections = detect_rows(production.texts)
        flagged_ids = {s.cluster_id for s in stats if s.is_flagged}
        prod_labels = labels[is_production]
        prod_causes = attribute_causes(
            prod_detections, is_uncovered, np.isin(prod_labels, list(flagged_ids)),
            structure_outliers(ref_detections, prod_detections),
        )
        ref_causes = attribute_causes(
            ref_detections, np.zeros(len(ref_detections), bool), np.zeros(len(ref_detections), bool)
        )
        per_cluster = cluster_causes(prod_labels, prod_causes["flags"].tolist())
        causes = cause_summary(ref_causes["flags"].tolist(), prod_causes["flags"].tolist())
        cause_examples = {
            cause: [str(production.texts[i]) for i in np.flatnonzero(
                prod_causes["flags"].map(lambda f, c=cause: c in f).to_numpy()
                & (np.isin(prod_labels, list(flagged_ids)) | is_uncovered)
            )[: config.score.n_examples]]
            for cause in CAUSES
        }

        point_texts = list(point_of)
        # Labels come from masked texts: a label names the kind of content ("email", "card")
        # and never carries an address, number or secret, with or without --redact.
        keywords = cluster_keywords(
            [redact_text(t) for t in point_texts], cmap.labels, config.score.n_keywords
        )
        in_production = np.zeros(len(point_texts), dtype=bool)
        in_production[prod_point] = True
        examples = representative_rows(cmap.coords, cmap.labels, in_production, config.score.n_examples)
        rows = [
            ClusterRow(
                stats=s,
                label=" / ".join(keywords.get(s.cluster_id, [])[:3]) or f"cluster {s.cluster_id}",
                keywords=tuple(keywords.get(s.cluster_id, [])),
                examples=tuple(point_texts[i] for i in examples.get(s.cluster_id, [])),
            )
            for s in stats
        ]
        rows.sort(key=lambda r: (not r.stats.is_flagged, -r.stats.share_production, r.stats.cluster_id))
        clusters = ClusterTable(tuple(rows), extra=per_cluster.drop(columns=["n"], errors="ignore"))

        self._say("global tests: classifier two-sample test and MMD")
        ref_idx, prod_idx = balanced_sample(
            len(self.reference_embeddings_), len(prod_embeddings), config.score.test_sample, rng
        )
        classifier = classifier_test(
            self.reference_embeddings_[ref_idx], prod_embeddings[prod_idx], rng
        )
        mmd_cap = min(config.score.test_sample, 1000)
        ref_mmd, prod_mmd = balanced_sample(
            len(self.reference_embeddings_), len(prod_embeddings), mmd_cap, rng
        )
        mmd = mmd_test(
            self.reference_embeddings_[ref_mmd], prod_embeddings[prod_mmd],
            config.score.n_permutations, rng,
        )
        share_prod = np.array([s.share_production for s in stats])
        share_ref = np.array([s.share_reference for s in stats])
        flagged = clusters.flagged_ids()
        verdict = "shift" if flagged or share.low > config.cover.alpha else "ok"

        queries = self._query_frame(
            production, labels, cmap.map_xy[np.r_[ref_rows_point, prod_rows_point]], pvalues,
            is_uncovered, cmap.is_core[np.r_[ref_rows_point, prod_rows_point]],
            pd.concat([ref_causes, prod_causes], ignore_index=True),
        )
        summary = Summary(
            verdict=verdict,
            alpha=config.cover.alpha,
            n_reference=len(self.reference_),
            n_production=len(production),
            uncovered_share=share.share,
            uncovered_share_ci=(share.low, share.high),
            js_divergence=float(js_terms(share_prod, share_ref).sum()),
            global_tests={"classifier": classifier.to_dict(), "mmd": mmd.to_dict()},
            n_clusters=len(stats),
            flagged_cluster_ids=flagged,
            skipped_rows=[s.to_dict() for s in (*self.reference_.skipped, *production.skipped)],
            parameters={**config.to_dict(), "min_cluster_size_used": cmap.min_cluster_size,
                        "n_fit": len(cmap.fit_index), "n_centroids_used": len(self.centroids_)},
            versions={**package_versions(), "model_id": self.model_id_,
                      "weights_sha256": getattr(self._embedder(), "weights_sha256", None)},
            extra={"causes": causes, "cause_examples": cause_examples,
                   "structure_shift": structure_shift(ref_detections, prod_detections)},
        )
        return ShiftResult(summary, clusters, QueryTable(queries))

    def _query_frame(
        self,
        production: QueryBatch,
        labels: np.ndarray,
        map_xy: np.ndarray,
        pvalues: np.ndarray,
        is_uncovered: np.ndarray,
        is_core: np.ndarray,
        detections: pd.DataFrame,
    ) -> pd.DataFrame:
        reserved = set(QUERY_COLUMNS) | {"is_core"} | set(detections.columns)
        frames = []
        for side, batch in (("reference", self.reference_), ("production", production)):
            frame = batch.frame.copy()
            frame = frame.rename(columns={c: f"input_{c}" for c in frame.columns if c in reserved})
            frame.insert(0, "side", side)
            frames.append(frame)
        out = pd.concat(frames, ignore_index=True, sort=False)
        n_ref = len(self.reference_)
        out["cluster_id"] = labels.astype(np.int64)
        out["map_x"] = map_xy[:, 0].astype(np.float64)
        out["map_y"] = map_xy[:, 1].astype(np.float64)
        out["coverage_p"] = np.r_[np.full(n_ref, np.nan), pvalues]
        out["is_uncovered"] = np.r_[np.zeros(n_ref, bool), is_uncovered]
        out["is_core"] = is_core
        for column in detections.columns:
            out[column] = detections[column].to_numpy()
        return out

    def describe(self) -> dict[str, Any]:
        """Model id and sizes of the fitted reference."""
        self._check_fitted()
        return {"model_id": self.model_id_, "n_reference": len(self.reference_),
                "n_distinct": len(self.reference_texts_)}


def detect_rows(texts: list[str]) -> pd.DataFrame:
    """Detector fields of each text, computed once per distinct text (as sent, not normalized)."""
    position: dict[str, int] = {}
    inverse = np.array([position.setdefault(t, len(position)) for t in texts], dtype=np.int64)
    unique = detect_queries(list(position))
    return unique.iloc[inverse].reset_index(drop=True)[list(DETECTION_COLUMNS)]
