"""The weekly check's settings: thresholds, history and alert options ([check] table)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from analyzer.config.base import (
    check_known_keys,
)
from analyzer.errors import ConfigError


def _check_share(name: str, value: object, high: float = 1.0) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= high:
        raise ConfigError(
            f"The '{name}' parameter of [check] must be a number in the range [0, {high:g}]. "
            f"Got {value!r} instead."
        )


def check_webhook_url(url: str) -> str:
    """Refuse anything but an http(s) URL (urllib would also open file: and ftp: URLs)."""
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise ConfigError(
            f"The webhook URL must start with http:// or https://. Got {url!r}. "
            "Pass the incoming-webhook URL of your chat or alerting tool."
        )
    return url


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
        check_known_keys("check", data, {f.name for f in fields(cls)})
        return cls(**dict(data))
