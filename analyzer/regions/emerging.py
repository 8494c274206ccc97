"""Emerging regions: production queries each weakly covered but together new ground.

A new product area at half a percent of traffic rarely forms a cluster of its own, and its
queries' coverage p-values (0.003-0.2, say) pass one at a time; taken together they are
overwhelming evidence. This second discovery pass is a scan, pure numpy:

1. **Windows by meaning**: every distinct query of either side, and its ``k`` nearest
   distinct queries of either side (cosine, ``k`` in ``window_sizes``).
2. **Joint evidence**: a query's surprise is ``-log p`` of its coverage p-value (reference
   queries: their leave-one-out p-value). A window centred on a production query with
   ``p < loose_p`` scores ``T = sum of production surprise - lambda * sum of reference
   surprise``, ``lambda`` = production / reference queries: zero on average wherever
   production is like the reference, large where uncovered production queries crowd with
   little reference around them.
3. **Calibration**: the side labels of the same queries are permuted ``n_null`` times and
   each window size keeps its largest ``T`` per permutation (the reference's own
   leave-one-out p-values and geometry make the null). A window's p-value is its rank among
   those maxima; windows whose smallest p-value over the sizes is at most the ``alpha``
   quantile of the same minimum over the permutations are significant. Traffic exchangeable
   with the reference therefore shows an emerging region with probability at most ``alpha``.
4. **Regions**: grown from the centres of significant windows through their nearest
   ``CORE`` queries, to production queries below ``loose_p`` whose own best window is at least
   as strong as a typical permutation's largest (``HOT``); regions of at least ``min_size``
   distinct texts are reported.

At most ``sample_cap`` distinct queries enter the scan (a random sample, reference and
production in proportion); production queries outside it join the region of their nearest
sampled query when that one is a member.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from analyzer.config import EmergingConfig
from analyzer.coverage.index import NeighborIndex, has_faiss

#: The small window through which a region grows from its significant centres.
CORE = 5
#: A candidate joins a region when its own best window p-value is at most this: as strong as
#: a typical largest window of a permutation (measured on dev draws in docs/design.md).
HOT = 0.8


@dataclass(frozen=True)
class EmergingGroup:
    """One emerging region: distinct production texts (indices), its strongest window's
    statistic and size, and its p-value adjusted for every window and size scanned."""

    members: np.ndarray
    statistic: float
    window: int
    p_value: float


@dataclass(frozen=True)
class EmergingPass:
    """The pass's regions (strongest first) and how they were decided.

    ``null_maxima`` (n_null, n_sizes) the largest ``T`` per permutation and window size;
    ``cutoff`` the window p-value a window needs; ``n_sample`` the distinct queries scanned,
    ``n_candidates`` the production centres below ``loose_p``; ``production_share`` the
    production share of the scanned queries and ``production_scanned`` the share of all
    production queries scanned (1.0 when none was left out).
    """

    groups: tuple[EmergingGroup, ...]
    null_maxima: np.ndarray
    cutoff: float
    window_sizes: tuple[int, ...]
    n_sample: int
    n_candidates: int
    production_share: float = 0.0
    production_scanned: float = 1.0

    @property
    def enabled(self) -> bool:
        """False when the pass could not run (too few queries)."""
        return len(self.null_maxima) > 0


def reference_pvalues(calibration: np.ndarray) -> np.ndarray:
    """Leave-one-out p-value of each reference query among the others' calibration scores:
    ``(1 + #{j != i: score_j >= score_i}) / n``."""
    ordered = np.sort(calibration)
    at_least = len(ordered) - np.searchsorted(ordered, calibration, side="left")
    return at_least / len(calibration)  # at_least counts the query itself: 1 + others


def window_statistics(
    windows: np.ndarray,
    surprise: np.ndarray,
    is_production: np.ndarray,
    centres: np.ndarray,
    sizes: tuple[int, ...],
) -> np.ndarray:
    """``T`` of every window (m, n_sizes), for windows (m, 1 + largest size): each row a
    query's index and its nearest; ``centres`` (m,) whether the row's query is a centre
    (``-inf`` where it is not); columns the sizes, a window of size k being its centre and
    its k nearest. ``surprise`` and ``is_production`` cover every query (n,)."""
    n_production = int(is_production.sum())
    lam = n_production / max(len(is_production) - n_production, 1)
    contribution = surprise * np.where(is_production, 1.0, -lam)
    cumulative = np.cumsum(contribution[windows], axis=1)
    statistics = cumulative[:, list(sizes)]
    return np.where(centres[:, None], statistics, -np.inf)


def _rank_pvalues(values: np.ndarray, maxima: np.ndarray) -> np.ndarray:
    """``(1 + #{maxima >= value}) / (B + 1)`` per column, for values (n, s), maxima (B, s)."""
    out = np.empty(values.shape)
    for j in range(values.shape[1]):
        ordered = np.sort(maxima[:, j])
        out[:, j] = 1 + len(ordered) - np.searchsorted(ordered, values[:, j], side="left")
    return out / (len(maxima) + 1)


def smallest_null_pvalues(maxima: np.ndarray) -> np.ndarray:
    """Each permutation's smallest window p-value over the sizes (B,): the rank of its own
    maxima among all permutations' maxima, as an observed window's p-value is ranked."""
    b = len(maxima)
    out = np.empty(maxima.shape)
    for j in range(maxima.shape[1]):
        column = maxima[:, j]
        out[:, j] = (column[None, :] >= column[:, None]).sum(axis=1) / (b + 1)
    return np.asarray(out.min(axis=1))


def cutoff_of(maxima: np.ndarray, alpha: float) -> float:
    """The window p-value a window needs: the largest null smallest-p-value ``c`` with at most
    ``floor((B + 1) alpha)`` permutations at or below it (ties counted), so an exchangeable
    run reaches it with probability at most ``alpha``; 0.0 when none qualifies."""
    smallest = np.sort(smallest_null_pvalues(maxima))
    allowed = int(np.floor((len(maxima) + 1) * alpha))
    values = np.unique(smallest)
    ok = np.searchsorted(smallest, values, side="right") <= allowed
    return float(values[ok].max()) if ok.any() else 0.0


def emerging_pass(
    embeddings: np.ndarray,
    pvalues: np.ndarray,
    is_production: np.ndarray,
    config: EmergingConfig,
    rng: np.random.Generator,
) -> EmergingPass:
    """Scan the joint distinct queries for emerging regions.

    Parameters
    ----------
    embeddings
        Unit embeddings (n, d) of the distinct queries of both sides.
    pvalues
        Their coverage p-values (n,): production queries against the reference, reference
        queries leave-one-out.
    is_production
        (n,) True for production queries.
    config, rng
        The pass's settings; ``rng`` draws the sample and the permutations.

    Returns
    -------
    EmergingPass
        Regions with members as indices into the rows given.
    """
    n_production = int(is_production.sum())
    if not config.enabled or min(n_production, len(is_production) - n_production) < 2:
        return EmergingPass((), np.zeros((0, 0)), 0.0, (), 0, 0)
    sample = _sample(is_production, config.sample_cap, rng)
    sizes = tuple(k for k in config.window_sizes if k < len(sample) - 1)
    if not sizes:
        return EmergingPass((), np.zeros((0, 0)), 0.0, (), 0, 0)
    windows = np.c_[np.arange(len(sample)), _self_neighbours(embeddings[sample], max(sizes))]
    surprise = -np.log(np.clip(pvalues[sample], 1e-12, 1.0))
    loose = pvalues[sample] < config.loose_p
    labels = is_production[sample]
    maxima = np.empty((config.n_null, len(sizes)))
    candidates = np.flatnonzero(loose)  # only loose queries can be centres: the rest is -inf
    loose_windows = windows[candidates]
    for b in range(config.n_null):
        permuted = rng.permutation(labels)
        centres = permuted[candidates]
        stats = window_statistics(loose_windows, surprise, permuted, centres, sizes)
        maxima[b] = stats.max(axis=0) if len(candidates) else -np.inf
    cutoff = cutoff_of(maxima, config.alpha)
    observed = window_statistics(windows, surprise, labels, labels & loose, sizes)
    window_p = _rank_pvalues(observed, maxima)
    groups = _regions(windows, observed, window_p, cutoff, labels & loose, config, maxima, sizes)
    extended = _extend(groups, embeddings, sample, is_production, pvalues < config.loose_p)
    return EmergingPass(
        extended,
        maxima,
        cutoff,
        sizes,
        len(sample),
        int((labels & loose).sum()),
        production_share=float(labels.mean()),
        production_scanned=float(labels.sum() / n_production),
    )


def _index(points: np.ndarray) -> NeighborIndex:
    """Exact cosine kNN over ``points`` (faiss when installed: 30,000 points in seconds)."""
    return NeighborIndex(points, "flat" if has_faiss() else "numpy")


def _self_neighbours(points: np.ndarray, k: int) -> np.ndarray:
    """Each point's ``k`` nearest other points (n, k). No float64 re-ranking: the permutation
    null is computed on the very same windows, so a near tie decided either way changes
    nothing it controls (and the re-ranking was as slow as the search)."""
    return _index(points).search_self_fast(k)


def _sample(is_production: np.ndarray, cap: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices of the queries scanned: at most as many production queries as reference
    ones, and at most ``cap`` in all (each side in proportion).

    With far more production than reference, a permutation often leaves a whole window of
    production labels where it was, so the null reaches the observed windows and the scan
    loses its power; a balanced sample keeps the sides exchangeable under no shift.
    """
    production = np.flatnonzero(is_production)
    reference = np.flatnonzero(~is_production)
    want = {True: min(len(production), max(len(reference), 2)), False: len(reference)}
    total = want[True] + want[False]
    if total > cap:
        want = {side: max(2, round(cap * count / total)) for side, count in want.items()}
    if want[True] >= len(production) and want[False] >= len(reference):
        return np.arange(len(is_production))
    chosen = [
        rng.choice(members, size=min(want[side], len(members)), replace=False)
        for side, members in ((True, production), (False, reference))
    ]
    return np.sort(np.concatenate(chosen))


def _regions(
    windows: np.ndarray,
    observed: np.ndarray,
    window_p: np.ndarray,
    cutoff: float,
    candidates: np.ndarray,
    config: EmergingConfig,
    maxima: np.ndarray,
    sizes: tuple[int, ...],
) -> list[EmergingGroup]:
    """Regions grown from the significant centres (indices into the sample).

    Seeds are centres whose best window reaches the cutoff. A candidate whose own best window
    is at least as strong as a typical null maximum (p-value <= ``HOT``) is *hot*; hot
    candidates and seeds link to the hot ones in their core window. The linked components
    that hold a seed are regions; those of at least ``min_size`` queries are kept.
    """
    best_p = np.where(candidates, window_p.min(axis=1), 1.0)
    seeds = np.flatnonzero(best_p <= cutoff)
    if len(seeds) == 0:
        return []
    hot = candidates & (best_p <= HOT)
    hot[seeds] = True
    n = len(windows)
    rows = np.repeat(np.arange(n), CORE)
    cols = windows[:, 1 : CORE + 1].ravel()
    keep = hot[rows] & hot[cols]
    graph = coo_matrix((np.ones(keep.sum()), (rows[keep], cols[keep])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    smallest = np.sort(smallest_null_pvalues(maxima))
    groups = []
    for label in np.unique(labels[seeds]):
        members = np.flatnonzero(hot & (labels == label))
        if len(members) < config.min_size:
            continue
        strongest = min((s for s in seeds if labels[s] == label), key=lambda s: best_p[s])
        size_index = int(np.argmin(window_p[strongest]))
        rank = np.searchsorted(smallest, best_p[strongest], side="right")
        groups.append(
            EmergingGroup(
                members=members,
                statistic=float(observed[strongest, size_index]),
                window=int(sizes[size_index]),
                p_value=float(min((1 + rank) / (len(maxima) + 1), 1.0)),
            )
        )
    return sorted(groups, key=lambda g: (g.p_value, -g.statistic))


def _extend(
    groups: list[EmergingGroup],
    embeddings: np.ndarray,
    sample: np.ndarray,
    is_production: np.ndarray,
    loose: np.ndarray,
) -> tuple[EmergingGroup, ...]:
    """Members as indices into all rows; production candidates outside the sample join the
    group of their nearest sampled query when that one is a member."""
    sampled = [sample[g.members] for g in groups]
    rest = np.setdiff1d(np.flatnonzero(is_production & loose), sample, assume_unique=True)
    if groups and len(rest):
        owner = np.full(len(embeddings), -1)
        for i, members in enumerate(sampled):
            owner[members] = i
        nearest_sampled = _index(embeddings[sample]).search(embeddings[rest], 1)[0]
        joined = owner[sample[nearest_sampled[:, 0]]]
        sampled = [np.sort(np.r_[m, rest[joined == i]]) for i, m in enumerate(sampled)]
    return tuple(
        EmergingGroup(members, g.statistic, g.window, g.p_value)
        for members, g in zip(sampled, groups, strict=True)
    )
