"""Stage 5, coverage: a conformal p-value per production query of "the reference covers it".

Contract: pure numpy/scikit-learn/faiss, no I/O. :func:`~analyzer.coverage.stage.fit_coverage`
fits the reference once (centre, k-means centroids, score scale, leave-one-out calibration
scores); :func:`~analyzer.coverage.stage.score_coverage` turns production embeddings into
p-values, the uncovered flag at alpha and the uncovered share with its bootstrap interval.
Nearest neighbours come from :mod:`~analyzer.coverage.index` (faiss: exact inner product up
to ``CoverConfig.exact_max`` reference rows, HNSW above; one index scores and calibrates); the
exact numpy search it falls back on lives in :mod:`~analyzer.coverage.neighbors`; the formulas
in :mod:`~analyzer.coverage.conformal`.
"""
