"""Global two-sample tests of reference vs production embeddings."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import mannwhitneyu


@dataclass(frozen=True)
class ClassifierTest:
    """Classifier two-sample test: cross-validated AUC of telling production from reference.

    ``auc`` is 0.5 when the two are indistinguishable; ``p_value`` is the one-sided
    Mann-Whitney test of the out-of-fold scores (production above reference).
    """

    auc: float
    auc_ci: tuple[float, float]
    p_value: float
    n_reference: int
    n_production: int

    def to_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["auc_ci"] = list(self.auc_ci)
        return out


@dataclass(frozen=True)
class MMDTest:
    """Maximum mean discrepancy with a Gaussian kernel (median-distance bandwidth).

    ``p_value`` comes from ``n_permutations`` label permutations: (1 + #{perm >= obs}) / (1 + B).
    """

    mmd2: float
    p_value: float
    n_permutations: int
    bandwidth: float

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def balanced_sample(
    n_reference: int, n_production: int, cap: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Return index arrays of at most ``cap`` rows per side."""
    ref = rng.choice(n_reference, size=min(cap, n_reference), replace=False)
    prod = rng.choice(n_production, size=min(cap, n_production), replace=False)
    return np.sort(ref), np.sort(prod)


def classifier_test(
    reference: np.ndarray, production: np.ndarray, rng: np.random.Generator
) -> ClassifierTest:
    """Classifier two-sample test on a held-out half.

    A logistic regression is fit on a stratified half of the rows and scores the other half.
    Given the fitted model, the held-out scores of the two sides are exchangeable when there is
    no shift, so the one-sided Mann-Whitney p-value is exact; the AUC interval is a bootstrap of
    the held-out scores.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    x = np.vstack([reference, production])
    y = np.r_[np.zeros(len(reference)), np.ones(len(production))]
    if min(len(reference), len(production)) < 4:
        return ClassifierTest(0.5, (0.0, 1.0), 1.0, len(reference), len(production))
    train, test = train_test_split(
        np.arange(len(y)), test_size=0.5, stratify=y, random_state=int(rng.integers(2**31))
    )
    model = LogisticRegression(C=1.0, max_iter=500, class_weight="balanced")
    model.fit(x[train], y[train])
    scores, labels = model.decision_function(x[test]), y[test]
    auc = float(roc_auc_score(labels, scores))
    pos, neg = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    boot = []
    for _ in range(200):
        b = np.r_[rng.choice(neg, len(neg)), rng.choice(pos, len(pos))]
        boot.append(roc_auc_score(labels[b], scores[b]))
    low, high = np.quantile(boot, [0.025, 0.975])
    p = float(mannwhitneyu(scores[pos], scores[neg], alternative="greater").pvalue)
    return ClassifierTest(auc, (float(low), float(high)), p, len(reference), len(production))


def mmd_test(
    reference: np.ndarray, production: np.ndarray, n_permutations: int, rng: np.random.Generator
) -> MMDTest:
    """Unbiased MMD^2 with a Gaussian kernel and a permutation p-value."""
    x = np.vstack([reference, production]).astype(np.float64)
    n_ref = len(reference)
    sq = np.sum(x * x, axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * x @ x.T, 0.0)
    upper = d2[np.triu_indices(len(x), k=1)]
    bandwidth = float(np.sqrt(np.median(upper) / 2.0)) if len(upper) else 1.0
    kernel = np.exp(-d2 / (2.0 * max(bandwidth, 1e-12) ** 2))
    np.fill_diagonal(kernel, 0.0)

    row_sums = kernel.sum(axis=1)

    def statistic(is_ref: np.ndarray) -> float:
        a = is_ref.astype(np.float64)
        b = 1.0 - a
        na, nb = a.sum(), b.sum()
        ka = kernel @ a
        kb = row_sums - ka
        kaa = a @ ka / (na * (na - 1))
        kbb = b @ kb / (nb * (nb - 1))
        kab = b @ ka / (na * nb)
        return float(kaa + kbb - 2.0 * kab)

    labels = np.zeros(len(x), dtype=bool)
    labels[:n_ref] = True
    observed = statistic(labels)
    exceed = 0
    for _ in range(n_permutations):
        if statistic(rng.permutation(labels)) >= observed:
            exceed += 1
    return MMDTest(observed, (1 + exceed) / (1 + n_permutations), n_permutations, bandwidth)
