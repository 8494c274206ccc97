"""Stable cluster identities across runs: match this run's clusters to a registry of regions.

Pure computation (numpy and scipy only, no I/O). A registry is the set of regions seen so far,
each with a stable integer id, a centroid in the embedding space and, when known, the indices
of the reference points it held. A run's clusters are matched one-to-one to registry entries by
the Hungarian algorithm on a cost that mixes the cosine distance between centroids with the
Jaccard distance between reference memberships; a pair whose centroids are farther apart than
``max_distance`` is never a match. Unmatched clusters get fresh ids; those with no registry
entry within ``max_distance`` at all are *new regions*, the others are splits of an existing
region (``parent_ids``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from analyzer.config import AnalyzerConfig
from analyzer.errors import InputError
from analyzer.weekly.records import BASELINE_PERIOD, RegistryEntry

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

DEFAULT_MAX_DISTANCE = 0.25
_FORBIDDEN = 1e6
DEFAULT_OVERLAP_WEIGHT = 0.5


@dataclass(frozen=True)
class MatchResult:
    """How one run's clusters map onto the registry.

    All arrays have shape ``(n_clusters,)`` and follow the order of the run's clusters.

    Attributes
    ----------
    stable_ids
        The stable id of each cluster: the matched registry id, or a fresh id above every id in
        the registry.
    is_matched
        Whether the cluster was matched to an existing registry entry.
    is_new
        Whether the cluster is a region never seen before: unmatched, and no registry entry
        within ``max_distance``.
    parent_ids
        For an unmatched cluster close to an existing entry (a split), that entry's id; -1
        otherwise.
    costs
        The cosine distance to the assigned (or, when unmatched, the nearest) registry entry;
        ``inf`` when the registry is empty.
    """

    stable_ids: IntArray
    is_matched: BoolArray
    is_new: BoolArray
    parent_ids: IntArray
    costs: FloatArray

    @property
    def new_ids(self) -> list[int]:
        """Stable ids of the clusters that are new regions, ascending."""
        return sorted(int(i) for i in self.stable_ids[self.is_new])


def _unit_rows(vectors: npt.ArrayLike, name: str) -> FloatArray:
    array = np.asarray(vectors, dtype=np.float64)
    if array.ndim != 2:
        raise InputError(
            f"{name} must be a 2-d array (one centroid per row). Got shape {array.shape}. "
            "Pass an array of shape (n_clusters, dim)."
        )
    if not np.all(np.isfinite(array)):
        raise InputError(f"{name} contains NaN or infinite values. Remove empty clusters first.")
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise InputError(
            f"{name} contains an all-zero centroid (row {int(np.argmin(norms[:, 0]))}). "
            "Every centroid needs a direction; drop empty clusters first."
        )
    return np.asarray(array / norms, dtype=np.float64)


def cosine_distances(a: npt.ArrayLike, b: npt.ArrayLike) -> FloatArray:
    """Cosine distance between every row of ``a`` (n, d) and every row of ``b`` (m, d).

    Returns an (n, m) array with values in [0, 2].
    """
    unit_a = _unit_rows(a, "centroids")
    unit_b = _unit_rows(b, "registry centroids")
    if unit_a.shape[1] != unit_b.shape[1]:
        raise InputError(
            f"Centroids have dimension {unit_a.shape[1]} but the registry's have "
            f"{unit_b.shape[1]}. Both must come from the same embedding model."
        )
    return np.asarray(np.clip(1.0 - unit_a @ unit_b.T, 0.0, 2.0), dtype=np.float64)


def jaccard_distances(
    members: Sequence[npt.ArrayLike], registry_members: Sequence[npt.ArrayLike | None]
) -> FloatArray:
    """Jaccard distance between index sets; NaN where either set is missing or both are
    empty (nothing to compare), 1 where exactly one is empty.

    Returns an (len(members), len(registry_members)) array.
    """
    sets = [set(np.asarray(m, dtype=np.int64).tolist()) for m in members]
    reg_sets = [
        None if m is None else set(np.asarray(m, dtype=np.int64).tolist()) for m in registry_members
    ]
    out = np.full((len(sets), len(reg_sets)), np.nan)
    for i, own in enumerate(sets):
        for j, other in enumerate(reg_sets):
            if other is None or (not other and not own):
                continue
            out[i, j] = 1.0 - len(own & other) / len(own | other)
    return out


def match_clusters(
    centroids: npt.ArrayLike,
    registry_centroids: npt.ArrayLike,
    registry_ids: npt.ArrayLike,
    *,
    members: Sequence[npt.ArrayLike] | None = None,
    registry_members: Sequence[npt.ArrayLike | None] | None = None,
    max_distance: float = DEFAULT_MAX_DISTANCE,
    overlap_weight: float = DEFAULT_OVERLAP_WEIGHT,
    next_id: int | None = None,
    can_be_new: npt.ArrayLike | None = None,
) -> MatchResult:
    """Give each of this run's clusters a stable id from the registry, or a fresh one.

    The assignment minimises, over one-to-one pairings, the sum of
    ``(1 - overlap_weight) * cosine + overlap_weight * jaccard`` where both reference
    memberships are known and non-empty, and the cosine distance alone elsewhere. A pair is
    only allowed when the cosine distance of its centroids is at most ``max_distance`` and,
    where the entry held reference queries, the cluster holds at least one of them (a cluster
    of production alone is new ground, not the covered region next to it).

    Parameters
    ----------
    centroids
        This run's cluster centroids, shape (n_clusters, dim), in the embedding space.
    registry_centroids
        The registry's centroids, shape (n_registry, dim); may have zero rows.
    registry_ids
        The registry's stable ids, shape (n_registry,), unique non-negative integers.
    members
        Optional: for each cluster, the indices of the reference points it holds.
    registry_members
        Optional: for each registry entry, the indices of the reference points it held, or
        ``None`` when unknown.
    max_distance
        The cut-off: cosine distance between centroids above which two clusters are never the
        same region, in (0, 2].
    overlap_weight
        Weight of the membership term in the assignment cost, in [0, 1].
    next_id
        First fresh id to hand out; defaults to one above the largest registry id (or 0).
    can_be_new
        Optional boolean mask, shape (n_clusters,): False for clusters that cannot be a new
        region whatever their distance (e.g. the reference covers them as much as production
        does: a region the registry cut differently). Such a cluster, when unmatched, is a
        split of its nearest entry.

    Returns
    -------
    MatchResult
        Stable ids, and which clusters are matched, new, or splits of an existing region
        (``costs`` holds the cosine distance to the assigned or nearest entry). Fresh ids go
        to unmatched clusters in their input order.
    """
    ids, cent, reg, fresh = _checked_registry(
        centroids, registry_centroids, registry_ids, max_distance, overlap_weight, next_id
    )
    n = cent.shape[0]
    stable = np.full(n, -1, dtype=np.int64)
    matched = np.zeros(n, dtype=bool)
    costs = np.full(n, np.inf)
    nearest = np.full(n, -1, dtype=np.int64)
    distance = cosine_distances(cent, reg) if n and len(ids) else np.zeros((n, len(ids)))
    if n and len(ids):
        cost, disjoint = _assignment_cost(distance, members, registry_members, overlap_weight)
        # A region that holds reference queries is identified by them: a cluster holding none
        # of them (new ground beside it, say) never takes its id.
        allowed = (distance <= max_distance) & ~disjoint
        rows, cols = linear_sum_assignment(np.where(allowed, cost, _FORBIDDEN))
        for r, c in zip(rows, cols, strict=True):
            if allowed[r, c]:
                stable[r], matched[r], costs[r] = ids[c], True, distance[r, c]
        best = np.argmin(distance, axis=1)
        for r in np.flatnonzero(~matched):
            costs[r] = distance[r, best[r]]
            if costs[r] <= max_distance:
                nearest[r] = ids[best[r]]
    may_be_new = np.ones(n, dtype=bool)
    if can_be_new is not None:
        may_be_new = np.asarray(can_be_new, dtype=bool).reshape(-1)
        if may_be_new.shape != (n,):
            raise InputError(
                f"can_be_new has {may_be_new.size} values for {n} clusters. Pass one per cluster."
            )
        if n and len(ids):  # a covered cluster that cannot be new is a split of its nearest
            covered = ~matched & ~may_be_new & (nearest < 0)
            nearest[covered] = ids[np.argmin(distance, axis=1)[covered]]
    unmatched = np.flatnonzero(~matched)
    stable[unmatched] = fresh + np.arange(len(unmatched))
    is_new = ~matched & (nearest < 0) & may_be_new
    return MatchResult(
        stable_ids=stable, is_matched=matched, is_new=is_new, parent_ids=nearest, costs=costs
    )


def _checked_registry(
    centroids: npt.ArrayLike,
    registry_centroids: npt.ArrayLike,
    registry_ids: npt.ArrayLike,
    max_distance: float,
    overlap_weight: float,
    next_id: int | None,
) -> tuple[IntArray, FloatArray, FloatArray, int]:
    """Validated (registry ids, run centroids (n, d), registry centroids (m, d), first fresh
    id) for :func:`match_clusters`."""
    if not 0.0 < max_distance <= 2.0:
        raise InputError(f"max_distance must be in (0, 2]. Got {max_distance!r}. Use e.g. 0.25.")
    if not 0.0 <= overlap_weight <= 1.0:
        raise InputError(f"overlap_weight must be in [0, 1]. Got {overlap_weight!r}. Use e.g. 0.5.")
    ids = np.asarray(registry_ids, dtype=np.int64).reshape(-1)
    if len(np.unique(ids)) != len(ids) or np.any(ids < 0):
        raise InputError(
            f"registry_ids must be unique non-negative integers. Got {ids.tolist()[:10]}... "
            "Rebuild the registry."
        )
    cent = np.asarray(centroids, dtype=np.float64)
    reg = np.asarray(registry_centroids, dtype=np.float64)
    if cent.size == 0:
        cent = cent.reshape(0, reg.shape[1] if reg.ndim == 2 else 0)
    if cent.ndim != 2:
        raise InputError(
            f"centroids must be a 2-d array (one centroid per row). Got shape {cent.shape}."
        )
    if reg.size == 0:
        reg = reg.reshape(0, cent.shape[1])
    if reg.shape[0] != len(ids):
        raise InputError(
            f"registry_centroids has {reg.shape[0]} rows but registry_ids has {len(ids)} ids. "
            "Pass one id per centroid."
        )
    fresh = int(next_id) if next_id is not None else (int(ids.max()) + 1 if len(ids) else 0)
    if len(ids) and fresh <= int(ids.max()):
        raise InputError(
            f"next_id {fresh} collides with registry id {int(ids.max())}. "
            "Leave next_id unset to use one above the largest id."
        )
    return ids, cent, reg, fresh


def _assignment_cost(
    distance: FloatArray,
    members: Sequence[npt.ArrayLike] | None,
    registry_members: Sequence[npt.ArrayLike | None] | None,
    overlap_weight: float,
) -> tuple[FloatArray, BoolArray]:
    """Cosine distance, mixed with the Jaccard distance of reference members where both are
    known; and which pairs are disjoint: the entry holds reference queries, the cluster none
    of them."""
    n, m = distance.shape
    if members is None or registry_members is None:
        return distance, np.zeros((n, m), dtype=bool)
    if len(members) != n or len(registry_members) != m:
        raise InputError(
            f"members has {len(members)} sets for {n} clusters and registry_members "
            f"{len(registry_members)} for {m} entries. Pass one set per row."
        )
    jac = jaccard_distances(members, registry_members)
    mixed = (1.0 - overlap_weight) * distance + overlap_weight * np.nan_to_num(jac)
    registry_holds = np.array([x is not None and len(np.asarray(x)) > 0 for x in registry_members])
    disjoint = registry_holds[None, :] & (jac == 1.0)
    cost = np.asarray(np.where(~np.isnan(jac), mixed, distance), dtype=np.float64)
    return cost, disjoint


def cluster_centroids(
    embeddings: npt.ArrayLike, labels: npt.ArrayLike
) -> tuple[IntArray, FloatArray]:
    """Mean direction of each cluster's unit-normalised embeddings.

    Parameters
    ----------
    embeddings
        Shape (n_points, dim).
    labels
        Shape (n_points,), the cluster of each point; -1 (noise) is skipped.

    Returns
    -------
    tuple
        The cluster labels present, ascending, shape (n_clusters,), and their unit centroids,
        shape (n_clusters, dim).
    """
    emb = np.asarray(embeddings, dtype=np.float64)
    lab = np.asarray(labels, dtype=np.int64).reshape(-1)
    if emb.ndim != 2 or emb.shape[0] != lab.shape[0]:
        raise InputError(
            f"embeddings of shape {emb.shape} and labels of shape {lab.shape} do not align. "
            "Pass one label per embedding row."
        )
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    unit = emb / np.where(norms == 0, 1.0, norms)
    present = np.unique(lab[lab >= 0])
    out = np.zeros((len(present), emb.shape[1]))
    for i, cid in enumerate(present):
        mean = unit[lab == cid].mean(axis=0)
        length = np.linalg.norm(mean)
        out[i] = mean / length if length > 0 else mean
    return present.astype(np.int64), out


def initial_registry(
    embeddings: npt.ArrayLike,
    texts: Sequence[str],
    row_points: npt.ArrayLike,
    config: AnalyzerConfig,
) -> list[RegistryEntry]:
    """The registry a baseline starts with: the reference's own clusters.

    Parameters
    ----------
    embeddings
        Embeddings of the distinct reference texts, shape (n_distinct, dim).
    texts
        The distinct texts, (n_distinct,), for the cluster labels.
    row_points
        For each reference row, the index of its distinct text, shape (n_rows,); members are
        stored as row indices, as the check's queries table numbers them.
    config
        The map/cluster and keyword settings.

    Returns
    -------
    list of RegistryEntry
        One entry per reference cluster, ids 0..n-1, first seen at the baseline.
    """
    from analyzer.regions.keywords import cluster_keywords
    from analyzer.regions.map import build_map

    emb = np.asarray(embeddings, dtype=np.float32)
    points = np.asarray(row_points, dtype=np.int64)
    cmap = build_map(emb, np.zeros(len(emb), dtype=np.int64), config.cluster)
    point_labels = np.asarray(cmap.labels, dtype=np.int64)
    present, centroids = cluster_centroids(emb, point_labels)
    keywords = cluster_keywords(list(texts), point_labels, config.score.n_keywords)
    row_labels = point_labels[points]
    return [
        RegistryEntry(
            cluster_id=i,
            label=" / ".join(keywords.get(int(cid), [])[:3]) or f"cluster {i}",
            centroid=centroids[i].astype(np.float32),
            members=np.flatnonzero(row_labels == cid).astype(np.int64),
            first_period=BASELINE_PERIOD,
            last_period=BASELINE_PERIOD,
            n_runs=0,
        )
        for i, cid in enumerate(present)
    ]
