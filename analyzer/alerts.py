"""Weekly-check thresholds, their evaluation, and the webhook alert.

``CheckConfig`` is read from the ``[check]`` table of ``shift.toml``; :func:`evaluate` is pure
and returns the list of breaches (empty: exit 0; otherwise exit 1); :func:`post_webhook` sends
a compact Slack-compatible JSON alert and reports failure as a value instead of raising, so a
dead endpoint never loses a run.
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from analyzer.config import read_toml
from analyzer.errors import ConfigError

CAUSES = ("malformed", "multi_intent", "mixed_language", "new_domain")


def _check_share(name: str, value: object, high: float = 1.0) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= high:
        raise ConfigError(
            f"The '{name}' parameter of [check] must be a number in the range [0, {high:g}]. "
            f"Got {value!r} instead."
        )


@dataclass(frozen=True)
class CheckConfig:
    """Settings of ``shift-analyzer check``: thresholds, cluster matching and the webhook.

    Every threshold is a share of this period's production traffic (0-1); a value of 1 turns
    the rule off. A breach of any rule makes the check exit with code 1.

    Attributes
    ----------
    max_uncovered_share
        The share of production queries the reference does not cover (coverage p-value below
        alpha). About alpha of in-distribution traffic is uncovered by construction.
    max_flagged_share
        The production share of any one flagged cluster (production significantly
        over-represented against the reference).
    max_new_share
        The production share of all clusters that are regions never seen before, together
        (a new domain often arrives as several intent-sized clusters).
    max_growth
        The rise of any one cluster's production share since the previous period, in share
        points (0.05 = five percentage points).
    max_cause_share
        The share of production queries flagged with any one cause (malformed, multi_intent,
        mixed_language, new_domain).
    match_max_distance
        Cut-off of the registry matching: cosine distance between a cluster's centroid and a
        registry entry's above which they are never the same region (it gets a new id).
    match_overlap_weight
        Weight of the reference-membership overlap (Jaccard) in the assignment cost.
    new_min_fold
        A cluster counts as a new region only when its production share is at least this many
        times its reference share; a cluster the reference covers as much as production is a
        region the registry cut differently, not a new one.
    webhook_url
        Where to POST an alert on breach; ``--webhook`` overrides it. http(s) only.
    webhook_timeout_s
        Timeout of the POST.
    """

    max_uncovered_share: float = 0.15
    max_flagged_share: float = 0.04
    max_new_share: float = 0.04
    max_growth: float = 0.05
    max_cause_share: float = 0.10
    match_max_distance: float = 0.25
    match_overlap_weight: float = 0.5
    new_min_fold: float = 4.0
    webhook_url: str | None = None
    webhook_timeout_s: float = 10.0

    def __post_init__(self) -> None:
        for name in (
            "max_uncovered_share",
            "max_flagged_share",
            "max_new_share",
            "max_growth",
            "max_cause_share",
            "match_overlap_weight",
        ):
            _check_share(name, getattr(self, name))
        _check_share("match_max_distance", self.match_max_distance, 2.0)
        if self.match_max_distance == 0:
            raise ConfigError(
                "The 'match_max_distance' parameter of [check] must be above 0. Got 0 instead."
            )
        fold = self.new_min_fold
        if isinstance(fold, bool) or not isinstance(fold, (int, float)) or not 1 <= fold <= 1000:
            raise ConfigError(
                "The 'new_min_fold' parameter of [check] must be a number in [1, 1000]. "
                f"Got {fold!r} instead."
            )
        if self.webhook_url is not None:
            check_webhook_url(self.webhook_url)
        timeout = self.webhook_timeout_s
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, (int, float))
            or not (0 < timeout <= 300)
        ):
            raise ConfigError(
                "The 'webhook_timeout_s' parameter of [check] must be a number in (0, 300]. "
                f"Got {timeout!r} instead."
            )

    def to_dict(self) -> dict[str, Any]:
        """Every setting as a plain value."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckConfig:
        """Build from the ``[check]`` table; unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(
                f"Unknown key(s) {', '.join(sorted(unknown))} in config section [check]. "
                f"Known keys: {', '.join(sorted(known))}."
            )
        return cls(**dict(data))

    @classmethod
    def from_toml(cls, path: str | Path) -> CheckConfig:
        """Read the ``[check]`` table of a TOML file (defaults when the table is absent)."""
        table = read_toml(path).get("check", {})
        if not isinstance(table, dict):
            raise ConfigError(
                f"[check] in {path} must be a table. Got {type(table).__name__}. "
                "Write it as a [check] section."
            )
        return cls.from_dict(table)


@dataclass(frozen=True)
class Breach:
    """One threshold exceeded: which rule, by what, and the one-line message."""

    rule: str
    value: float
    limit: float
    message: str
    cluster_id: int | None = None
    cause: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values."""
        return asdict(self)


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def evaluate(
    config: CheckConfig,
    *,
    uncovered_share: float,
    clusters: pd.DataFrame,
    cause_shares: Mapping[str, float] | None = None,
) -> list[Breach]:
    """Compare one run's figures with the thresholds.

    Parameters
    ----------
    config
        The thresholds.
    uncovered_share
        This period's share of uncovered production queries (NaN: rule skipped).
    clusters
        One row per cluster with ``cluster_id``, ``label``, ``share_production``,
        ``is_flagged``, and optionally ``is_new`` and ``growth`` (NaN growth is skipped).
        Noise (``cluster_id`` -1) is never a cluster breach.
    cause_shares
        Share of production queries per cause.

    Returns
    -------
    list of Breach
        In rule order, clusters by descending share; empty when nothing is breached.
    """
    breaches: list[Breach] = []
    if math.isfinite(uncovered_share) and uncovered_share > config.max_uncovered_share:
        breaches.append(
            Breach(
                "max_uncovered_share",
                float(uncovered_share),
                config.max_uncovered_share,
                f"{_pct(uncovered_share)} of production is not covered by the reference "
                f"(limit {_pct(config.max_uncovered_share)})",
            )
        )
    frame = clusters[clusters["cluster_id"] >= 0].sort_values(
        "share_production", ascending=False, kind="stable"
    )
    if "is_flagged" in frame:
        limit = config.max_flagged_share
        for row in frame[frame["is_flagged"].astype(bool)].to_dict(orient="records"):
            share = float(row["share_production"])
            if share > limit:
                breaches.append(
                    Breach(
                        "max_flagged_share",
                        share,
                        limit,
                        f"flagged cluster {int(row['cluster_id'])} ({row['label']}) takes "
                        f"{_pct(share)} of production (limit {_pct(limit)})",
                        cluster_id=int(row["cluster_id"]),
                    )
                )
    if "is_new" in frame:
        new = frame[frame["is_new"].astype(bool)]
        total = float(new["share_production"].sum())
        if len(new) and total > config.max_new_share:
            named = ", ".join(
                f"{int(r['cluster_id'])} ({r['label']})" for r in new.head(5).to_dict("records")
            )
            more = f" and {len(new) - 5} more" if len(new) > 5 else ""
            breaches.append(
                Breach(
                    "max_new_share",
                    total,
                    config.max_new_share,
                    f"regions never seen before take {_pct(total)} of production: {named}{more} "
                    f"(limit {_pct(config.max_new_share)})",
                    cluster_id=int(new["cluster_id"].iloc[0]) if len(new) == 1 else None,
                )
            )
    if "growth" in frame:
        for row in frame.to_dict(orient="records"):
            growth = float(row["growth"])
            if math.isfinite(growth) and growth > config.max_growth:
                breaches.append(
                    Breach(
                        "max_growth",
                        growth,
                        config.max_growth,
                        f"cluster {int(row['cluster_id'])} ({row['label']}) grew by "
                        f"{100 * growth:.1f} share points since the previous period "
                        f"(limit {100 * config.max_growth:.1f})",
                        cluster_id=int(row["cluster_id"]),
                    )
                )
    for cause, share in sorted((cause_shares or {}).items()):
        if math.isfinite(share) and share > config.max_cause_share:
            breaches.append(
                Breach(
                    "max_cause_share",
                    float(share),
                    config.max_cause_share,
                    f"{_pct(share)} of production is {cause.replace('_', '-')} "
                    f"(limit {_pct(config.max_cause_share)})",
                    cause=cause,
                )
            )
    return breaches


def cause_shares(flags: Sequence[Sequence[str]] | pd.Series) -> dict[str, float]:
    """Share of queries carrying each cause, from per-query lists of causes.

    Causes that never occur are reported as 0.0; an empty input gives an empty dict.
    """
    lists = list(flags)
    if not lists:
        return {}
    counts = dict.fromkeys(CAUSES, 0)
    for entry in lists:
        for cause in set(entry if entry is not None else ()):
            counts[str(cause)] = counts.get(str(cause), 0) + 1
    return {cause: count / len(lists) for cause, count in counts.items()}


def build_alert(
    period: str, breaches: Sequence[Breach], summary: Mapping[str, Any]
) -> dict[str, Any]:
    """The webhook body: a Slack-compatible ``text`` plus the figures behind it."""
    head = f"shift-analyzer check {period}: {len(breaches)} threshold(s) breached"
    lines = [head] + [f"- {b.message}" for b in breaches]
    return {
        "text": "\n".join(lines),
        "period": period,
        "verdict": summary.get("verdict"),
        "uncovered_share": summary.get("uncovered_share"),
        "n_production": summary.get("n_production"),
        "flagged_cluster_ids": list(summary.get("flagged_cluster_ids", [])),
        "new_cluster_ids": list(summary.get("new_cluster_ids", [])),
        "breaches": [b.to_dict() for b in breaches],
    }


def check_webhook_url(url: str) -> str:
    """Refuse anything but an http(s) URL (urllib would also open file: and ftp: URLs)."""
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise ConfigError(
            f"The webhook URL must start with http:// or https://. Got {url!r}. "
            "Pass the incoming-webhook URL of your chat or alerting tool."
        )
    return url


@dataclass(frozen=True)
class WebhookOutcome:
    """What happened to one POST: ``ok`` with the HTTP status, or the error text."""

    ok: bool
    status: int | None
    error: str | None = None


def post_webhook(
    url: str, payload: Mapping[str, Any], *, timeout_s: float = 10.0
) -> WebhookOutcome:
    """POST ``payload`` as JSON to ``url``; never raises for network or HTTP failures."""
    check_webhook_url(url)
    body = json.dumps(payload, allow_nan=False, default=str).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "shift-analyzer"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return WebhookOutcome(False, int(exc.code), f"HTTP {exc.code} {exc.reason}")
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        return WebhookOutcome(False, None, str(reason))
    return WebhookOutcome(200 <= status < 300, status, None if status < 300 else f"HTTP {status}")
