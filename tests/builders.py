"""Builders of test inputs, shared by the tests and the benchmark scripts.

- :class:`HashingEmbedder`: a small deterministic embedder (hashed character trigrams, no model).
- :func:`fabricate_result`: a ShiftResult-shaped input for the report (fabricated map, clusters
  and statistics; the segment stage runs for real).
- :func:`build_scenario` / :func:`write_scenario`: the CLINC150 segment scenario in which one
  small client carries most of the shifted queries (``bench/segments_scenario.py``).

Tests build their inputs here and ``bench/`` imports them from here, never the other way round.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analyzer.config import AnalyzerConfig
from analyzer.coverage.conformal import centroid_count
from analyzer.regions.stats import ClusterStats
from analyzer.result import ClusterRow, ClusterTable, QueryTable, ShiftResult, Summary
from analyzer.segments import SegmentAnalysis, SegmentOptions, add_segments

# ---- a small deterministic embedder --------------------------------------------------------


class HashingEmbedder:
    """Deterministic bag of hashed character trigrams: small, fast, no model (unit tests only)."""

    def __init__(self, dimension: int = 64) -> None:
        self._dimension = dimension

    @property
    def model_id(self) -> str:
        return f"hashing-trigrams-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self._dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


# ---- a fabricated analysis for the report --------------------------------------------------

CAUSES = ("malformed", "multi_intent", "mixed_language", "new_domain")
DEFAULT_SEGMENT_VALUES = {"client": ["web", "mobile", "api"], "locale": ["en-US", "de-DE", "hi-IN"]}


def _fabricate_queries(
    texts: Sequence[str],
    n_production: int,
    n_reference: int,
    rng: np.random.Generator,
    n_clusters: int,
    flagged: list[int],
) -> pd.DataFrame:
    """The query table: sides, Gaussian blobs on the map, coverage and cause flags."""
    n_flagged = len(flagged)
    n = n_production + n_reference
    side = np.array(["production"] * n_production + ["reference"] * n_reference)
    weights = rng.dirichlet(np.ones(n_clusters) * 2.0)
    cluster = rng.choice(n_clusters, size=n, p=weights)
    is_ref = side == "reference"
    # the reference never covers the flagged clusters
    cluster[is_ref & np.isin(cluster, flagged)] = n_flagged
    centres = rng.normal(0, 10, size=(n_clusters, 2))
    xy = centres[cluster] + rng.normal(0, 0.8, size=(n, 2))
    exponent = np.where(np.isin(cluster, flagged), 8, 1)
    coverage = np.where(is_ref, np.nan, rng.uniform(0, 1, size=n) ** exponent)
    flags = [
        [] if is_ref[i] or rng.uniform() > 0.15 else [CAUSES[int(rng.integers(0, 4))]]
        for i in range(n)
    ]
    return pd.DataFrame(
        {
            "side": side,
            "id": [f"q{i:06d}" for i in range(n)],
            "text": [texts[i % len(texts)] for i in range(n)],
            "cluster_id": cluster,
            "map_x": xy[:, 0],
            "map_y": xy[:, 1],
            "coverage_p": coverage,
            "is_uncovered": ~is_ref & (np.nan_to_num(coverage, nan=1.0) < 0.05),
            "flags": flags,
        }
    )


def _fabricate_clusters(
    frame: pd.DataFrame,
    n_production: int,
    n_reference: int,
    rng: np.random.Generator,
    n_clusters: int,
    flagged: list[int],
) -> list[ClusterRow]:
    """One row per cluster (flagged first), with statistics made up from the counts."""
    cluster = frame["cluster_id"].to_numpy()
    is_ref = (frame["side"] == "reference").to_numpy()
    rows = []
    n_ref_c = np.bincount(cluster[is_ref], minlength=n_clusters)
    n_prod_c = np.bincount(cluster[~is_ref], minlength=n_clusters)
    for c in range(n_clusters):
        members = np.flatnonzero(cluster == c)[:5]
        sp, sr = n_prod_c[c] / max(n_production, 1), n_ref_c[c] / max(n_reference, 1)
        stats = ClusterStats(
            cluster_id=c,
            n_reference=int(n_ref_c[c]),
            n_production=int(n_prod_c[c]),
            share_reference=float(sr),
            share_production=float(sp),
            coverage=float(rng.uniform()),
            log_ratio=float(np.log((sp + 1e-3) / (sr + 1e-3))),
            js_contribution=0.01,
            p_value=0.001 if c in flagged else 0.5,
            q_value=0.002 if c in flagged else 0.6,
            direction="production-heavy" if c in flagged else "balanced",
            is_flagged=c in flagged,
        )
        words = str(frame["text"].iloc[members[0]] if len(members) else "empty").split()[:3]
        rows.append(
            ClusterRow(
                stats, " / ".join(words), tuple(words), tuple(frame["text"].iloc[members].tolist())
            )
        )
    rows.sort(key=lambda r: (not r.stats.is_flagged, -r.stats.share_production))
    return rows


def _fabricate_summary(
    frame: pd.DataFrame, n_production: int, n_reference: int, n_clusters: int, flagged: list[int]
) -> Summary:
    """A "shift" verdict with the default config's parameters and made-up global tests."""
    config = AnalyzerConfig()
    parameters: dict[str, Any] = {
        k: asdict(getattr(config, k)) for k in ("embed", "cover", "cluster", "score")
    }
    cover = config.cover
    n_centroids = centroid_count(
        n_reference, cover.per_centroid, cover.centroid_fit_max, cover.min_centroids
    )
    parameters.update(min_cluster_size_used=8, n_fit=len(frame), n_centroids_used=n_centroids)
    classifier = {
        "auc": 0.6,
        "auc_ci": [0.58, 0.62],
        "p_value": 0.001,
        "n_reference": n_reference,
        "n_production": n_production,
    }
    mmd = {"mmd2": 0.01, "p_value": 0.005, "n_permutations": 200, "bandwidth": 1.0}
    return Summary(
        verdict="shift",
        alpha=0.05,
        n_reference=n_reference,
        n_production=n_production,
        uncovered_share=float(frame["is_uncovered"].sum() / max(n_production, 1)),
        uncovered_share_ci=(0.1, 0.2),
        js_divergence=0.1,
        global_tests={"classifier": classifier, "mmd": mmd},
        n_clusters=n_clusters,
        flagged_cluster_ids=flagged,
        skipped_rows=[],
        parameters=parameters,
        versions={"model_id": "fabricated"},
    )


def fabricate_result(
    texts: Sequence[str],
    n_production: int,
    n_reference: int,
    rng: np.random.Generator,
    *,
    n_clusters: int = 40,
    n_flagged: int = 4,
    segment_values: dict[str, list[str]] | None = None,
) -> tuple[ShiftResult, SegmentAnalysis]:
    """A ShiftResult-shaped input for the report: fabricated map, clusters and statistics.

    Texts are drawn from ``texts`` (cycled); clusters are Gaussian blobs on the map; the first
    ``n_flagged`` clusters are production-only and flagged. The segment stage runs for real.
    """
    flagged = list(range(n_flagged))
    frame = _fabricate_queries(texts, n_production, n_reference, rng, n_clusters, flagged)
    is_ref = (frame["side"] == "reference").to_numpy()
    segment_values = segment_values or DEFAULT_SEGMENT_VALUES
    n = len(frame)
    for column, values in segment_values.items():
        drawn = rng.choice(np.array(values, dtype=object), size=n)
        frame[column] = np.where(is_ref, np.array(None, dtype=object), drawn)
    rows = _fabricate_clusters(frame, n_production, n_reference, rng, n_clusters, flagged)
    summary = _fabricate_summary(frame, n_production, n_reference, n_clusters, flagged)
    result = ShiftResult(summary, ClusterTable(tuple(rows)), QueryTable(frame))
    production = frame[~is_ref].drop(columns=["side"]).reset_index(drop=True)
    embeddings = rng.normal(size=(n_production, 8)).astype(np.float32)
    embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
    options = SegmentOptions(segment_cols=tuple(segment_values), label_size=50)
    return add_segments(result, production, embeddings, options)


# ---- the CLINC150 segment scenario ---------------------------------------------------------

REFERENCE_DOMAINS = (
    "banking",
    "credit_cards",
    "home",
    "kitchen_and_dining",
    "small_talk",
    "travel",
    "utility",
)
SHIFTED_DOMAINS = ("auto_and_commute", "meta", "work", "oos")
SEGMENT_ARGS = [
    "--segment-col",
    "client",
    "--segment-col",
    "locale",
    "--segment-col",
    "turns",
    "--route-col",
    "route",
    "--cheap-route",
    "small",
    "--outcome-col",
    "thumbs",
    "--bad-outcome",
    "down",
]
SCENARIO_COLUMNS = [
    "id",
    "text",
    "domain",
    "intent",
    "is_shifted",
    "client",
    "locale",
    "turns",
    "route",
    "thumbs",
]


def _per_domain(frame: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    parts = [
        g.sample(min(len(g), n), random_state=seed) for _, g in frame.groupby("domain", sort=True)
    ]
    return pd.concat(parts, ignore_index=True)


def _assign_metadata(
    production: pd.DataFrame, rng: np.random.Generator, minority_share_of_shift: float
) -> None:
    """Add client, locale, turns, route and thumbs columns to ``production`` (in place)."""
    n = len(production)
    is_shifted = production["is_shifted"].to_numpy()
    to_minority = np.where(is_shifted, minority_share_of_shift, 0.01)
    batch = rng.random(n) < to_minority
    others = rng.choice(["web", "app"], n, p=[0.65, 0.35])
    production["client"] = np.where(batch, "batch-api", others)
    locales = ["en-US", "en-GB", "en-IN", "en-AU"]
    production["locale"] = rng.choice(locales, n, p=[0.55, 0.2, 0.15, 0.1])
    production["turns"] = np.where(batch, 1, rng.geometric(0.35, n))
    to_small = rng.random(n) < np.where(is_shifted, 0.85, 0.40)
    production["route"] = np.where(to_small, "small", "large")
    thumbs_down = rng.random(n) < np.where(is_shifted, 0.30, 0.05)
    production["thumbs"] = np.where(thumbs_down, "down", "up")


def build_scenario(
    data: Path,
    *,
    reference_per_domain: int = 500,
    production_per_domain: int = 750,
    n_shifted: int = 270,
    minority_share_of_shift: float = 0.8,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (reference, production) frames; production carries ground truth ``is_shifted``.

    Reads ``clinc150.jsonl`` under ``data``; see ``bench/segments_scenario.py`` for the design.
    """
    rng = np.random.default_rng(seed)
    clinc = pd.read_json(data / "clinc150.jsonl", lines=True)
    clinc = clinc.drop_duplicates("text").reset_index(drop=True)
    train = clinc[(clinc["split"] == "train") & clinc["domain"].isin(REFERENCE_DOMAINS)]
    reference = _per_domain(train, reference_per_domain, seed)
    test = clinc[clinc["split"] == "test"]
    held_out = clinc[clinc["split"].isin(["test", "val"])]
    in_scope_pool = held_out[held_out["domain"].isin(REFERENCE_DOMAINS)]
    in_scope = _per_domain(in_scope_pool, production_per_domain, seed)
    shifted_pool = test[test["domain"].isin(SHIFTED_DOMAINS)]
    shifted = shifted_pool.sample(n_shifted, random_state=seed)
    production = pd.concat(
        [in_scope.assign(is_shifted=False), shifted.assign(is_shifted=True)], ignore_index=True
    )
    production = production.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    _assign_metadata(production, rng, minority_share_of_shift)
    production.insert(0, "id", [f"p{i:05d}" for i in range(len(production))])
    reference = reference[["text", "domain", "intent"]].copy()
    reference.insert(0, "id", [f"r{i:05d}" for i in range(len(reference))])
    return reference, production[SCENARIO_COLUMNS]


def write_scenario(
    reference: pd.DataFrame, production: pd.DataFrame, folder: Path
) -> tuple[Path, Path]:
    """Write both sides as JSONL under ``folder`` (outside the repository's tracked files)."""
    folder.mkdir(parents=True, exist_ok=True)
    ref_path, prod_path = folder / "reference.jsonl", folder / "production.jsonl"
    reference.to_json(ref_path, orient="records", lines=True, force_ascii=False)
    production.to_json(prod_path, orient="records", lines=True, force_ascii=False)
    return ref_path, prod_path


# ---- code-switched MGSM ----------------------------------------------------------------------

#: Languages the code-switched MGSM set mixes with English.
MGSM_SWITCH_LANGUAGES = ("de", "es", "fr")
_SENTENCE = re.compile(r"(?<=[.?!])\s+(?=\S)")


def mgsm_half(parallel_id: int) -> str:
    """``"tune"`` or ``"held_out"``: MGSM's 250 problems split in halves by a hash of their id."""
    digest = hashlib.sha256(f"mgsm:{parallel_id}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "held_out"


def build_mgsm_code_switched(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Code-switched word problems from MGSM's parallel translations (deterministic).

    For each problem and each of de/es/fr, two texts: English sentences first then the
    translation's (``en>xx``), and the translation's first then English (``xx>en``), switching
    at a sentence boundary: at the middle when both versions have the same number of
    sentences, else before the last sentence (the question). Rows: ``text``, ``parallel_id``,
    ``pair`` ("en-de" ...), ``order`` and ``half`` (see :func:`mgsm_half`).
    """
    by_id: dict[int, dict[str, str]] = {}
    for row in rows:
        by_id.setdefault(int(row["parallel_id"]), {})[str(row["language"])] = str(row["text"])
    out = []
    for pid in sorted(by_id):
        versions = by_id[pid]
        english = _SENTENCE.split(versions.get("en", "").strip())
        for lang in MGSM_SWITCH_LANGUAGES:
            other = _SENTENCE.split(versions.get(lang, "").strip())
            if len(english) < 2 or len(other) < 2:
                continue
            cut = len(english) // 2 if len(english) == len(other) else len(english) - 1
            cut_other = cut if len(english) == len(other) else len(other) - 1
            for order, text in (
                (f"en>{lang}", " ".join(english[:cut] + other[cut_other:])),
                (f"{lang}>en", " ".join(other[:cut_other] + english[cut:])),
            ):
                out.append(
                    {
                        "text": text,
                        "parallel_id": pid,
                        "pair": f"en-{lang}",
                        "order": order,
                        "half": mgsm_half(pid),
                    }
                )
    return out
