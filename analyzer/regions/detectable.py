"""What the report could see: the smallest new region this run finds with 80% probability.

A reader of "0 flagged regions" must be able to tell "nothing shifted" from "too few queries
to see it". A *new region* here is ``m`` production queries of an area the reference lacks.

* **The minimum detectable region** is the emerging scan's (:mod:`analyzer.regions.emerging`),
  simulated with this run's permutation null. How uncovered queries of an area the reference
  lacks are is measured on the reference: up to 30 of its k-means clusters are held out in
  turn and their members scored against the rest (kNN without the cluster, centroid distance
  without its centroid). A simulated region draws ``m`` of those p-values; a window around one
  of its least covered members holds the centre, ``min(m - 1, k)`` other members and this
  run's own queries for the rest (production in the run's proportion, with their surprise).
  The region is found when a window's p-value among this run's null maxima reaches the run's
  cutoff, the centre's core holds at least ``min_size`` loose members and a third of the
  region is loose. The share found over 200 draws is the detection rate at ``m``.
* **Flags** (:mod:`analyzer.regions.stats`) are stated apart, as the size from which a new
  region that *forms a cluster of its own* (at least HDBSCAN's minimum cluster size) passes
  Benjamini-Hochberg at rank one of the run's K regions: ``2 C(N_p, m) / C(N_p + N_r, m) <=
  alpha / K`` with the smoothed fold change at least ``min_fold``. Small regions seldom form a
  cluster of their own (measured in docs/design.md), so this is a lower bound, not the
  headline.

``bench/small_regions.py`` checks the predicted rates against injected domains.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.special import gammaln

from analyzer.config import EmergingConfig
from analyzer.coverage.conformal import center, conformal_pvalues
from analyzer.regions.emerging import CORE, EmergingPass

POWER = 0.8
DRAWS = 200
SIZES = (3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200, 300)


@dataclass(frozen=True)
class DetectableRegion:
    """The smallest new region found with probability ``power`` (None: none up to the
    largest size tried, half the production rows or 300); ``by_flags`` the size from which a
    new region that forms a cluster of its own is flagged (a lower bound: small regions seldom
    do); the emerging scan's detection rate per size tried."""

    n_queries: int | None
    share: float | None
    by_flags: int | None
    power: float
    emerging_rates: dict[int, float]
    largest: int

    def to_dict(self) -> dict[str, object]:
        """Plain values for summary.json."""
        return {
            "n_queries": self.n_queries,
            "share": self.share,
            "power": self.power,
            "largest": self.largest,
            "flagged_if_own_cluster": self.by_flags,
            "detection_rates": {str(k): v for k, v in self.emerging_rates.items()},
        }


def flagged_size(
    n_production: int,
    n_reference: int,
    n_regions: int,
    min_cluster_size: int,
    alpha: float,
    min_fold: float,
    smoothing: float,
) -> int | None:
    """The smallest isolated region (``m`` production, 0 reference queries, at least the
    minimum cluster size) whose Fisher p-value passes BH at rank one of ``n_regions``."""
    level = np.log(alpha / max(n_regions, 1))
    total = n_production + n_reference
    for m in range(max(min_cluster_size, 1), n_production + 1):
        log_p = (
            gammaln(n_production + 1)
            - gammaln(n_production - m + 1)
            - gammaln(total + 1)
            + gammaln(total - m + 1)
        )
        share_p = (m + smoothing) / (n_production + smoothing * (n_regions + 1))
        share_r = smoothing / (n_reference + smoothing * (n_regions + 1))
        if np.log(2.0) + log_p <= level and share_p / share_r >= min_fold:
            return m
    return None


def held_out_pvalues(
    reference: np.ndarray,
    mean: np.ndarray,
    centroids: np.ndarray,
    scale: np.ndarray,
    calibration: np.ndarray,
    k: int,
    centroid_weight: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Coverage p-values of the members of up to 30 reference clusters, each cluster held
    out of the reference in turn (pooled, one value per member).

    ``mean``, ``centroids`` and ``scale`` are the coverage fit's; without centroids (kNN
    alone) a quick k-means only defines the clusters to hold out.
    """
    centred = center(reference, mean)
    blended = len(centroids) >= 2 and centroid_weight > 0
    if blended:
        cross = centred @ centroids.T - 0.5 * (centroids**2).sum(axis=1)
        labels = np.argmax(cross, axis=1)
        n_clusters = len(centroids)
    else:
        from sklearn.cluster import KMeans

        n_clusters = max(5, min(len(reference) // 30, 200))
        fitted = KMeans(n_clusters=n_clusters, n_init=1, max_iter=50, random_state=0)
        labels = fitted.fit_predict(centred.astype(np.float64))
    chosen = [c for c in rng.permutation(n_clusters) if np.sum(labels == c) >= 5][:30]
    pooled = []
    for c in chosen:
        members = np.flatnonzero(labels == c)
        sims = centred[members] @ centred.T
        sims[:, members] = -np.inf
        scores = 1.0 - np.partition(sims, -k, axis=1)[:, -k:].mean(axis=1)
        if blended:
            part = centred[members]
            dist = (
                (part**2).sum(axis=1)[:, None]
                - 2.0 * part @ centroids.T
                + (centroids**2).sum(axis=1)[None, :]
            )
            dist[:, c] = np.inf
            z_knn = (scores - scale[0]) / scale[1]
            z_centroid = (np.maximum(dist.min(axis=1), 0.0) - scale[2]) / scale[3]
            scores = (1.0 - centroid_weight) * z_knn + centroid_weight * z_centroid
        pooled.append(conformal_pvalues(scores, calibration))
    return np.concatenate(pooled) if pooled else np.zeros(0)


@dataclass(frozen=True)
class ScanBackground:
    """What fills a window around a new region: the run's production share among the scanned
    queries, and the surprise of its production and reference queries."""

    production_share: float
    production_surprise: np.ndarray
    reference_surprise: np.ndarray


#: Centres tried per simulated region: the scan looks at a window around every member.
CENTRES = 3


def emerging_rate(
    size: int,
    new_pvalues: np.ndarray,
    background: ScanBackground,
    found: EmergingPass,
    config: EmergingConfig,
    rng: np.random.Generator,
) -> float:
    """The share of ``DRAWS`` simulated new regions of ``size`` queries the scan finds.

    Each draw takes ``size`` held-out p-values; up to ``CENTRES`` of its least covered
    members are tried as centres. A centre's window of size k holds the centre, ``min(size
    - 1, k)`` other members at random and this run's own queries for the rest; its core is
    the centre and ``CORE`` other members at random. The draw is found when some centre is
    below the loose level, its best window reaches the cutoff and its core holds at least
    ``min_size`` loose members, and at least a third of the region is loose.
    """
    p = np.sort(rng.choice(new_pvalues, size=(DRAWS, size), replace=True), axis=1)
    loose = p < config.loose_p
    surprise = -np.log(np.clip(p, 1e-12, 1.0))
    share = background.production_share
    lam = share / max(1.0 - share, 1e-9)
    found_any = np.zeros(DRAWS, dtype=bool)
    for centre in range(min(CENTRES, size)):
        others = np.delete(np.arange(size), centre)
        order = others[np.argsort(rng.random((DRAWS, size - 1)), axis=1)]
        best = np.ones(DRAWS)
        for j, k in enumerate(found.window_sizes):
            inside = min(size - 1, k)
            own = surprise[:, centre] + np.take_along_axis(surprise, order[:, :inside], 1).sum(1)
            fill = k - inside
            is_prod = rng.random((DRAWS, fill)) < share
            prod_s = rng.choice(background.production_surprise, size=(DRAWS, fill))
            ref_s = rng.choice(background.reference_surprise, size=(DRAWS, fill))
            statistic = own + np.where(is_prod, prod_s, -lam * ref_s).sum(axis=1)
            ordered = np.sort(found.null_maxima[:, j])
            at_least = len(ordered) - np.searchsorted(ordered, statistic, side="left")
            best = np.minimum(best, (1 + at_least) / (len(ordered) + 1))
        in_core = loose[:, centre] + np.take_along_axis(loose, order[:, :CORE], 1).sum(axis=1)
        found_any |= loose[:, centre] & (best <= found.cutoff) & (in_core >= config.min_size)
    return float((found_any & (loose.sum(axis=1) >= size / 3)).mean())


def emerging_size(
    new_pvalues: np.ndarray,
    background: ScanBackground,
    found: EmergingPass,
    config: EmergingConfig,
    rng: np.random.Generator,
    largest: int,
) -> tuple[int | None, dict[int, float]]:
    """The smallest size in ``SIZES`` (up to ``largest``) found with probability ``POWER``,
    and the detection rate at every size tried."""
    rates: dict[int, float] = {}
    if not found.enabled or len(new_pvalues) == 0:
        return None, rates
    for size in (s for s in SIZES if config.min_size <= s <= largest):
        rates[size] = emerging_rate(size, new_pvalues, background, found, config, rng)
    reached = [size for size, rate in rates.items() if rate >= POWER]
    return (min(reached) if reached else None), rates


def detectable_region(
    found: EmergingPass,
    new_pvalues: np.ndarray,
    background: ScanBackground,
    flags: FlagSizes,
    config: EmergingConfig,
    rng: np.random.Generator,
) -> DetectableRegion:
    """The run's minimum detectable region (the emerging scan's, simulated) and the size from
    which a region that forms a cluster of its own is flagged (see the module docstring)."""
    by_flags = flagged_size(
        flags.n_production,
        flags.n_reference,
        flags.n_regions,
        flags.min_cluster_size,
        flags.alpha,
        flags.min_fold,
        flags.smoothing,
    )
    # A scan of a sample sees a region's sampled share: sizes are simulated in scanned
    # queries and stated in production queries (divided by the share scanned), and a window's
    # fill has the sample's production share.
    fraction = found.production_scanned if found.enabled else 1.0
    if found.enabled and found.production_share > 0:
        background = replace(background, production_share=found.production_share)
    largest = min(max(int(flags.n_production * fraction) // 2, config.min_size), SIZES[-1])
    n_scanned, scanned_rates = emerging_size(new_pvalues, background, found, config, rng, largest)
    rates = {int(np.ceil(m / fraction)): rate for m, rate in scanned_rates.items()}
    n = None if n_scanned is None else int(np.ceil(n_scanned / fraction))
    share = None if n is None else n / max(flags.n_production, 1)
    stated_largest = max(rates, default=int(np.ceil(largest / fraction)))
    return DetectableRegion(n, share, by_flags, POWER, rates, stated_largest)


@dataclass(frozen=True)
class FlagSizes:
    """What the flags' power depends on: both sides' rows, the number of regions, the
    clustering floor, and the flag settings."""

    n_production: int
    n_reference: int
    n_regions: int
    min_cluster_size: int
    alpha: float
    min_fold: float
    smoothing: float
