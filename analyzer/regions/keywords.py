"""Class-based TF-IDF keywords and representative examples per cluster."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def cluster_keywords(
    texts: Sequence[str], labels: np.ndarray, n_keywords: int
) -> dict[int, list[str]]:
    """Return the top ``n_keywords`` terms of each cluster by class-based TF-IDF.

    Each cluster's texts form one document; a term's weight is its frequency in the cluster
    (normalised by the cluster's length) times log(1 + mean words per cluster / its total
    frequency), so terms frequent here and rare elsewhere rank first.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    ids = np.unique(labels)
    documents = [" ".join(texts[int(i)][:1000] for i in np.flatnonzero(labels == c)) for c in ids]
    vectorizer = CountVectorizer(
        stop_words="english", token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b", lowercase=True
    )
    try:
        counts = vectorizer.fit_transform(documents)
    except ValueError:  # no usable term at all (e.g. only digits or stop words)
        return {int(c): [] for c in ids}
    terms = np.asarray(vectorizer.get_feature_names_out())
    tf = np.asarray(counts.todense(), dtype=float)
    tf = tf / np.maximum(tf.sum(axis=1, keepdims=True), 1.0)
    totals = np.asarray(counts.sum(axis=0)).ravel()
    mean_words = counts.sum() / len(ids)
    idf = np.log(1.0 + mean_words / np.maximum(totals, 1))
    weights = tf * idf
    out: dict[int, list[str]] = {}
    for row, cid in enumerate(ids):
        top = np.argsort(-weights[row], kind="stable")[:n_keywords]
        out[int(cid)] = [str(terms[j]) for j in top if weights[row, j] > 0]
    return out


def representative_rows(
    coords: np.ndarray, labels: np.ndarray, candidates: np.ndarray, n: int
) -> dict[int, list[int]]:
    """Return, per cluster, up to ``n`` row indices nearest the cluster's centroid.

    Only rows where ``candidates`` is True are chosen (e.g. production rows); the centroid is
    taken over all the cluster's rows in ``coords`` (n_rows, c).
    """
    out: dict[int, list[int]] = {}
    for cid in np.unique(labels):
        members = np.flatnonzero(labels == cid)
        centroid = coords[members].mean(axis=0)
        pool = members[candidates[members]]
        if len(pool) == 0:
            pool = members
        order = np.argsort(np.linalg.norm(coords[pool] - centroid, axis=1), kind="stable")
        out[int(cid)] = [int(i) for i in pool[order[:n]]]
    return out
