"""Per-cluster and global statistics of reference vs production (pure numpy/scipy)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import fisher_exact

from analyzer.stats import fdr_qvalues

PRODUCTION_HEAVY = "production-heavy"
REFERENCE_HEAVY = "reference-heavy"
BALANCED = "balanced"


@dataclass(frozen=True)
class ClusterStats:
    """One region's counts, shares and test results (definitions in the report's appendix)."""

    cluster_id: int
    n_reference: int
    n_production: int
    share_reference: float
    share_production: float
    coverage: float
    log_ratio: float
    js_contribution: float
    p_value: float
    q_value: float
    direction: str
    is_flagged: bool

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def js_terms(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Per-component terms of the Jensen-Shannon divergence (base 2) of distributions p and q.

    The terms sum to the divergence, which lies in [0, 1].
    """
    m = (p + q) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        tp = np.where(p > 0, p * np.log2(p / m), 0.0)
        tq = np.where(q > 0, q * np.log2(q / m), 0.0)
    return 0.5 * (tp + tq)


def smoothed_log_ratio(
    n_production: np.ndarray, n_reference: np.ndarray, smoothing: float
) -> np.ndarray:
    """log of (production share / reference share), with ``smoothing`` added to every count."""
    k = len(n_production)
    prod = (n_production + smoothing) / (n_production.sum() + smoothing * k)
    ref = (n_reference + smoothing) / (n_reference.sum() + smoothing * k)
    ratio: np.ndarray = np.log(prod / ref)
    return ratio


def cluster_stats(
    labels: np.ndarray,
    is_production: np.ndarray,
    is_uncovered: np.ndarray,
    alpha: float,
    min_fold: float,
    smoothing: float,
) -> list[ClusterStats]:
    """Score every cluster.

    Parameters
    ----------
    labels
        Cluster id of each query, shape (n,).
    is_production
        True for production queries, False for reference queries, shape (n,).
    is_uncovered
        True for production queries the reference does not cover (p < alpha), shape (n,);
        ignored on reference rows.
    alpha
        FDR level for flagging clusters (Benjamini-Hochberg across clusters).
    min_fold
        A flagged cluster's smoothed production share is at least this many times its
        reference share.
    smoothing
        Pseudo-count added to each cluster's counts in the log-ratio.
    """
    ids = np.unique(labels)
    n_prod_total = int(is_production.sum())
    n_ref_total = int((~is_production).sum())
    n_prod = np.array([np.sum(is_production & (labels == c)) for c in ids])
    n_ref = np.array([np.sum(~is_production & (labels == c)) for c in ids])
    share_prod = n_prod / max(n_prod_total, 1)
    share_ref = n_ref / max(n_ref_total, 1)
    log_ratio = smoothed_log_ratio(n_prod, n_ref, smoothing)
    js = js_terms(share_prod, share_ref)
    pvalues = np.array(
        [
            fisher_exact(
                [[a, n_prod_total - a], [b, n_ref_total - b]], alternative="two-sided"
            ).pvalue
            for a, b in zip(n_prod, n_ref)
        ]
    )
    qvalues = fdr_qvalues(pvalues)
    out = []
    for i, cid in enumerate(ids):
        members = is_production & (labels == cid)
        coverage = float(1.0 - is_uncovered[members].mean()) if members.any() else float("nan")
        significant = qvalues[i] < alpha
        if significant and log_ratio[i] > 0:
            direction = PRODUCTION_HEAVY
        elif significant and log_ratio[i] < 0:
            direction = REFERENCE_HEAVY
        else:
            direction = BALANCED
        flagged = direction == PRODUCTION_HEAVY and log_ratio[i] >= np.log(min_fold)
        out.append(
            ClusterStats(
                cluster_id=int(cid),
                n_reference=int(n_ref[i]),
                n_production=int(n_prod[i]),
                share_reference=float(share_ref[i]),
                share_production=float(share_prod[i]),
                coverage=coverage,
                log_ratio=float(log_ratio[i]),
                js_contribution=float(js[i]),
                p_value=float(pvalues[i]),
                q_value=float(qvalues[i]),
                direction=direction,
                is_flagged=bool(flagged),
            )
        )
    return out
