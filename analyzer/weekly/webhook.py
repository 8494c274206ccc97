"""The webhook alert: a compact Slack-compatible JSON body, POSTed once on breach.

:func:`post_webhook` reports failure as a value instead of raising, so a dead endpoint never
loses a run; one deadline bounds the whole call, and redirects are refused.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analyzer.config import check_webhook_url
from analyzer.weekly.thresholds import Breach


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


@dataclass(frozen=True)
class WebhookOutcome:
    """What happened to one POST: ``ok`` with the HTTP status, or the error text."""

    ok: bool
    status: int | None
    error: str | None = None


def post_webhook(
    url: str, payload: Mapping[str, Any], *, timeout_s: float = 10.0
) -> WebhookOutcome:
    """POST ``payload`` as JSON to ``url``; never raises for network or HTTP failures.

    ``timeout_s`` bounds the whole call (connect, send, every read), not each socket read, so a
    server that trickles its answer cannot stall the check. A redirect is a failure (a POST
    would become a GET without its body, or go to another scheme), reported with its target.
    """
    check_webhook_url(url)
    body = json.dumps(payload, allow_nan=False, default=str).encode("utf-8")
    answers: list[WebhookOutcome] = []
    worker = threading.Thread(
        target=lambda: answers.append(_post(url, body, timeout_s)), name="webhook", daemon=True
    )
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive() or not answers:
        return WebhookOutcome(False, None, f"no complete answer within {timeout_s:g} s")
    return answers[0]


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises the 3xx as an HTTPError


_OPENER = urllib.request.build_opener(_RefuseRedirects())


def _post(url: str, body: bytes, timeout_s: float) -> WebhookOutcome:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "shift-analyzer"},
    )
    try:
        with _OPENER.open(request, timeout=timeout_s) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            target = exc.headers.get("Location", "?") if exc.headers else "?"
            error = f"HTTP {exc.code} redirect to {target} (redirects are not followed)"
            return WebhookOutcome(False, int(exc.code), error)
        return WebhookOutcome(False, int(exc.code), f"HTTP {exc.code} {exc.reason}")
    except (urllib.error.URLError, OSError, TimeoutError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return WebhookOutcome(False, None, str(reason))
    return WebhookOutcome(200 <= status < 300, status, None if status < 300 else f"HTTP {status}")
