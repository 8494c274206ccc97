"""Weekly-check thresholds, breach evaluation and the webhook POST."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.config import CheckConfig, load_settings
from analyzer.errors import ConfigError
from analyzer.weekly.thresholds import Breach, cause_shares, evaluate
from analyzer.weekly.webhook import build_alert, post_webhook


def _clusters(seed: int, n: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    shares = rng.dirichlet(np.ones(n)) * 0.9
    return pd.DataFrame(
        {
            "cluster_id": np.arange(n),
            "label": [f"c{i}" for i in range(n)],
            "share_production": np.minimum(shares, 0.039),
            "is_flagged": rng.random(n) < 0.3,
            "is_new": np.zeros(n, dtype=bool),
            "growth": rng.uniform(-0.03, 0.03, n),
        }
    )


def test_defaults_stay_quiet_on_a_benign_week() -> None:
    frame = _clusters(0)
    shares = {"malformed": 0.01, "multi_intent": 0.03, "mixed_language": 0.0, "new_domain": 0.05}
    assert evaluate(CheckConfig(), uncovered_share=0.06, clusters=frame, cause_shares=shares) == []


def test_defaults_fire_when_a_new_region_takes_five_percent() -> None:
    frame = _clusters(1)
    new = {
        "cluster_id": 99,
        "label": "weather",
        "share_production": 0.05,
        "is_flagged": True,
        "is_new": True,
        "growth": 0.05,
    }
    frame = pd.concat([frame, pd.DataFrame([new])], ignore_index=True)
    breaches = evaluate(CheckConfig(), uncovered_share=0.09, clusters=frame)
    rules = {(b.rule, b.cluster_id) for b in breaches}
    assert ("max_flagged_share", 99) in rules
    assert ("max_new_share", 99) in rules
    assert all(b.cluster_id == 99 for b in breaches)
    assert "never seen before take 5.0% of production: 99 (weather)" in " ".join(
        b.message for b in breaches
    )


def test_a_new_domain_in_many_small_clusters_fires_on_its_total() -> None:
    frame = _clusters(2)
    pieces = pd.DataFrame(
        {
            "cluster_id": range(100, 107),
            "label": [f"travel {i}" for i in range(7)],
            "share_production": [0.008] * 7,
            "is_flagged": [True] * 7,
            "is_new": [True] * 7,
            "growth": [0.008] * 7,
        }
    )
    frame = pd.concat([frame, pieces], ignore_index=True)
    breaches = evaluate(CheckConfig(), uncovered_share=0.1, clusters=frame)
    assert [b.rule for b in breaches] == ["max_new_share"]
    assert breaches[0].value == pytest.approx(0.056)
    assert breaches[0].cluster_id is None
    assert "and 2 more" in breaches[0].message


def test_emerging_regions_outside_new_clusters_count_as_new_ground() -> None:
    frame = _clusters(3)
    pieces = pd.DataFrame({"cluster_id": [100], "label": ["travel"], "share_production": [0.03],
                           "is_flagged": [True], "is_new": [True], "growth": [0.03]})
    frame = pd.concat([frame, pieces], ignore_index=True)
    assert evaluate(CheckConfig(), uncovered_share=0.05, clusters=frame) == []
    emerging = [{"emerging_id": 0, "label": "sso / seats", "share_production": 0.006,
                 "share_outside_new": 0.006},
                {"emerging_id": 1, "label": "inside", "share_production": 0.01,
                 "share_outside_new": 0.0}]
    low = evaluate(CheckConfig(max_new_share=0.035), uncovered_share=0.05, clusters=frame,
                   emerging=emerging)
    assert [b.rule for b in low] == ["max_new_share"]
    assert low[0].value == pytest.approx(0.036) and low[0].cluster_id is None
    assert "100 (travel), emerging region e0 (sso / seats)" in low[0].message
    assert "inside" not in low[0].message  # already counted in a new cluster


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), uncovered=st.floats(0.0, 1.0))
def test_rules_at_one_never_fire(seed: int, uncovered: float) -> None:
    off = CheckConfig(
        max_uncovered_share=1.0,
        max_flagged_share=1.0,
        max_new_share=1.0,
        max_growth=1.0,
        max_cause_share=1.0,
    )
    frame = _clusters(seed)
    frame["is_new"] = True
    assert (
        evaluate(off, uncovered_share=uncovered, clusters=frame, cause_shares={"malformed": 1.0})
        == []
    )


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), limit=st.floats(0.0, 0.2))
def test_lowering_a_threshold_never_removes_a_breach(seed: int, limit: float) -> None:
    frame = _clusters(seed)
    loose = CheckConfig(max_flagged_share=limit + 0.01, max_growth=limit + 0.01)
    tight = CheckConfig(max_flagged_share=limit, max_growth=limit)
    got_loose = {
        (b.rule, b.cluster_id) for b in evaluate(loose, uncovered_share=0.0, clusters=frame)
    }
    got_tight = {
        (b.rule, b.cluster_id) for b in evaluate(tight, uncovered_share=0.0, clusters=frame)
    }
    assert got_loose <= got_tight


def test_each_rule_reports_its_figure() -> None:
    frame = pd.DataFrame(
        {
            "cluster_id": [-1, 3],
            "label": ["noise", "refunds"],
            "share_production": [0.5, 0.02],
            "is_flagged": [True, False],
            "growth": [0.4, 0.08],
        }
    )
    breaches = evaluate(
        CheckConfig(),
        uncovered_share=0.2,
        clusters=frame,
        cause_shares={"malformed": 0.3, "mixed_language": float("nan")},
    )
    assert [(b.rule, b.cluster_id, b.cause) for b in breaches] == [
        ("max_uncovered_share", None, None),
        ("max_growth", 3, None),
        ("max_cause_share", None, "malformed"),
    ]
    assert breaches[1].value == pytest.approx(0.08)
    assert "grew by 8.0 share points" in breaches[1].message


def test_nan_uncovered_share_and_missing_columns_are_skipped() -> None:
    frame = pd.DataFrame(
        {"cluster_id": [0], "label": ["a"], "share_production": [0.9], "is_flagged": [False]}
    )
    assert evaluate(CheckConfig(), uncovered_share=float("nan"), clusters=frame) == []


def test_cause_shares_count_each_cause_once_per_query() -> None:
    shares = cause_shares([["malformed", "malformed"], [], ["multi_intent", "malformed"], []])
    assert shares["malformed"] == 0.5
    assert shares["multi_intent"] == 0.25
    assert shares["new_domain"] == 0.0
    assert cause_shares([]) == {}


def test_from_toml_reads_the_check_table(tmp_path: Path) -> None:
    path = tmp_path / "shift.toml"
    path.write_text('[cover]\nalpha = 0.05\n[check]\nmax_growth = 0.1\nwebhook_url = "https://x"\n')
    config = load_settings(path).check
    assert config.max_growth == 0.1
    assert config.webhook_url == "https://x"
    assert config.max_flagged_share == CheckConfig().max_flagged_share


def test_shipped_example_config_is_valid() -> None:
    example = Path(__file__).resolve().parents[1] / "shift.example.toml"
    config = load_settings(example).check
    assert config == CheckConfig(webhook_url=config.webhook_url)
    from analyzer.config import AnalyzerConfig

    # the [cover] values shown are the defaults
    assert load_settings(example).analysis == AnalyzerConfig()


@pytest.mark.parametrize(
    ("table", "match"),
    [
        ("max_growth = 2", "must be a number in the range"),
        ("max_flagged_share = true", "must be a number in the range"),
        ("maximum_growth = 0.1", "Unknown key.*maximum_growth.*Known keys"),
        ('webhook_url = "file:///etc/passwd"', "must start with http"),
        ("webhook_timeout_s = 0", "webhook_timeout_s"),
        ("match_max_distance = 0", "above 0"),
        ("new_min_fold = 0.5", "new_min_fold"),
    ],
)
def test_bad_config_is_refused(tmp_path: Path, table: str, match: str) -> None:
    path = tmp_path / "shift.toml"
    path.write_text(f"[check]\n{table}\n")
    with pytest.raises(ConfigError, match=match):
        load_settings(path)


@pytest.mark.parametrize(
    ("content", "match"), [(None, "does not exist"), ("[check\n", "not valid TOML")]
)
def test_unreadable_config_is_refused(tmp_path: Path, content: str | None, match: str) -> None:
    path = tmp_path / "shift.toml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ConfigError, match=match):
        load_settings(path)


class _Sink(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []
    status = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def sink() -> Iterator[tuple[str, type[_Sink]]]:
    handler = type("Sink", (_Sink,), {"received": [], "status": 200})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", handler
    server.shutdown()
    server.server_close()


def test_webhook_posts_the_alert(sink: tuple[str, type[_Sink]]) -> None:
    url, handler = sink
    breach = Breach("max_new_share", 0.12, 0.04, "new region 7 (x) takes 12.0%", cluster_id=7)
    payload = build_alert(
        "2026-W48", [breach], {"verdict": "shift", "uncovered_share": 0.2, "new_cluster_ids": [7]}
    )
    outcome = post_webhook(url, payload, timeout_s=5)
    assert outcome.ok and outcome.status == 200
    body = handler.received[0]
    assert body["text"].startswith("shift-analyzer check 2026-W48: 1 threshold(s) breached")
    assert body["new_cluster_ids"] == [7]
    assert body["breaches"][0]["cluster_id"] == 7


def test_webhook_http_error_is_reported_not_raised(sink: tuple[str, type[_Sink]]) -> None:
    url, handler = sink
    handler.status = 500
    outcome = post_webhook(url, {"text": "x"}, timeout_s=5)
    assert not outcome.ok
    assert outcome.status == 500 and outcome.error is not None and "500" in outcome.error


def test_webhook_unreachable_is_reported_not_raised() -> None:
    server = HTTPServer(("127.0.0.1", 0), _Sink)
    port = server.server_port
    server.server_close()
    outcome = post_webhook(f"http://127.0.0.1:{port}/", {"text": "x"}, timeout_s=2)
    assert not outcome.ok and outcome.status is None
    assert outcome.error


def test_webhook_refuses_non_http_urls() -> None:
    with pytest.raises(ConfigError, match="must start with http"):
        post_webhook("file:///etc/passwd", {"text": "x"})


class _Trickle(BaseHTTPRequestHandler):
    """Answers one header every 0.4 s, forever: each read is quick, the answer never ends."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for i in range(100):
            try:
                self.wfile.write(f"X-Slow-{i}: 1\r\n".encode())
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.4)

    def log_message(self, *args: object) -> None:
        return


class _Redirect(BaseHTTPRequestHandler):
    target = "http://127.0.0.1:9/elsewhere"
    hits: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        type(self).hits.append(self.command)
        self.send_response(302)
        self.send_header("Location", type(self).target)
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args: object) -> None:
        return


def _serve(handler: type[BaseHTTPRequestHandler]) -> tuple[str, HTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/hook", server


def test_one_deadline_bounds_the_whole_webhook_call() -> None:
    url, server = _serve(_Trickle)
    try:
        started = time.monotonic()
        outcome = post_webhook(url, {"text": "x"}, timeout_s=1.5)
        elapsed = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
    assert not outcome.ok and outcome.error == "no complete answer within 1.5 s"
    assert elapsed < 10  # each header came within the socket timeout; the call still ended


@pytest.mark.parametrize("target", ["http://127.0.0.1:9/elsewhere", "ftp://127.0.0.1/x"])
def test_a_redirect_is_a_reported_failure_never_followed(target: str) -> None:
    handler: type[_Redirect] = type("Redirect", (_Redirect,), {"target": target, "hits": []})
    url, server = _serve(handler)
    try:
        outcome = post_webhook(url, {"text": "x"}, timeout_s=5)
    finally:
        server.shutdown()
        server.server_close()
    assert not outcome.ok and outcome.status == 302
    assert outcome.error == f"HTTP 302 redirect to {target} (redirects are not followed)"
    assert handler.hits == ["POST"]  # nothing followed it
