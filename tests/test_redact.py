"""Redaction of personal data and secrets (--redact): patterns, invariants, whole results."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.redact import (
    CARD,
    EMAIL,
    PHONE,
    SECRET,
    luhn_ok,
    redact_frame,
    redact_result,
    redact_segments,
    redact_text,
)
from analyzer.result import EmergingRegion, EmergingTable, ShiftResult
from analyzer.segments import SegmentAnalysis
from tests.builders import HashingEmbedder, fabricate_result
from tests.conftest import DATA

SECRETS = {
    "sk-proj-AbCdEfGhIjKlMnOpQrStUv0123456789": SECRET,
    "sk-ant-api03-abcdefghijklmnopqrstuvwx_yz012345": SECRET,
    "AKIAIOSFODNN7EXAMPLE": SECRET,
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789": SECRET,
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz": SECRET,
    "xoxb-123456789012-abcdefghijkl": SECRET,
    "AIzaSyA1234567890abcdefghijklmnopqrstuv": SECRET,
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc": SECRET,
    (
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    ): SECRET,
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08": SECRET,
    "hX2kq9Lw/Rt7ZpV3mN8c/Yb4Jf6Gd1Ts0Ea5Ku2W": SECRET,
    "jane.doe+billing@example.co.uk": EMAIL,
    "4111 1111 1111 1111": CARD,
    "5500-0000-0000-0004": CARD,
    "378282246310005": CARD,
    "+44 20 7946 0958": PHONE,
    "+1 (415) 555-0132": PHONE,
    "(555) 123-4567": PHONE,
    "555.123.4567": PHONE,
    "030 1234 5678": PHONE,
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "aws_secret_access_key = wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEYab",
            "aws_secret_access_key = [SECRET]",
        ),
        (
            'AWS_SECRET_KEY: "abcdefghijklmnopqrstuvwxyzABCDEFGH/+0123"',
            'AWS_SECRET_KEY: "[SECRET]"',
        ),
        (
            "alerts go to https://hooks.slack.com/services/T0001/B0002/abcdEFGHijklMNOP today",
            "alerts go to [SECRET] today",
        ),
        (
            "git clone https://alice:s3cr3t-pw@git.example.com/team/repo.git",
            "git clone https://[SECRET]@git.example.com/team/repo.git",
        ),
        (
            "DATABASE_URL=mysql://root:hunter2@10.0.0.5:3306/app",
            "DATABASE_URL=mysql://[SECRET]@10.0.0.5:3306/app",
        ),
        (
            ("why is this key rejected?\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAx\n"
            "q83jdkQ==\n-----END RSA PRIVATE KEY-----\nthanks"),
            "why is this key rejected?\n[SECRET]\nthanks",
        ),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXkt", "[SECRET]"),
    ],
)
def test_secret_shapes_beyond_tokens_are_masked(text: str, expected: str) -> None:
    assert redact_text(text) == expected
    assert redact_text(expected) == expected


def test_card_numbers_in_a_numeric_column_are_masked() -> None:
    """A CSV column of card numbers reads as numbers; --redact masks them too."""
    frame = pd.DataFrame(
        {
            "card": [4111111111111111, 5500000000000004, 1234],
            "amount": [12.5, 4111111111111111.0, 3.0],
            "order": [1000000000001, 20, 30],
        }
    )
    masked = redact_frame(frame)
    assert masked["card"].tolist() == [CARD, CARD, "1234"]
    assert masked["amount"].tolist() == ["12.5", CARD, "3"]
    assert masked["order"].tolist() == [1000000000001, 20, 30]  # no card: left as numbers


@pytest.mark.parametrize(("secret", "mask"), list(SECRETS.items()))
def test_each_kind_is_masked_inside_a_sentence(secret: str, mask: str) -> None:
    text = f"please check {secret} for me"
    assert redact_text(text) == f"please check {mask} for me"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc123def456ghi789jkl", "Authorization: Bearer [SECRET]"),
        ("api_key=Zx81hQ0pLmn3", "api_key=[SECRET]"),
        ('{"password": "hunter22"}', '{"password": "[SECRET]"}'),
    ],
)
def test_header_and_assignment_values_are_masked(text: str, expected: str) -> None:
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-22 10:46:41 ERROR [worker-660] ConnectionResetError: peer closed",
        "ping 192.168.100.200 then upgrade to v1.2.3 build 20261122",
        "card 4111 1111 1111 1112 fails the Luhn check",
        "order 1234567890123 and account 0000000000000",
        "uuid 123e4567-e89b-12d3-a456-426614174000",
        "see https://example.com/path/To/Resource123/abcdefghijkl",
        "Bearer authentication is explained in RFC 6750",
        "how do I transfer $2,500.00 to my savings account",
        "what is 12345 * 67890",
        "stock counts 100 100 1000 and 123.456.7890",
        "081109 204453 34 INFO dfs.DataNode$PacketResponder: block of size 67108864",
        "maxDate=1615750955993, issueDate=1615146155993",
        "new lease for [DFSClient_NONMAPREDUCE_1537864556_1] for path",
        "at org.apache.hadoop.fs.s3a.ITestS3AContractRootDirectoryWithLongName.run",
        "password = ProviderUtils.locatePassword(CREDENTIAL_PROVIDER_PATH)",
    ],
)
def test_lookalikes_are_kept(text: str) -> None:
    assert redact_text(text) == text


def test_luhn() -> None:
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


# -- properties --------------------------------------------------------------------------

_plain_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäéß", min_size=1, max_size=12)
_short_number = st.integers(min_value=0, max_value=99999).map(str)
_punct = st.sampled_from([" ", ", ", ". ", "? ", "! ", " - ", "\n", " (", ") ", ": "])
# A number always follows a word, so no generated text holds a phone-shaped run of numbers
# ("555 123 4567" is a phone number, not clean text).
_worded_number = st.builds(lambda w, n: f"{w} {n}", _plain_word, _short_number)
_clean_text = st.lists(st.tuples(st.one_of(_plain_word, _worded_number), _punct), max_size=40).map(
    lambda parts: "".join(w + p for w, p in parts)
)


@st.composite
def _card_numbers(draw: st.DrawFn) -> str:
    body = draw(st.lists(st.integers(0, 9), min_size=15, max_size=15))
    body[0] = draw(st.integers(3, 6))
    digits = "".join(map(str, body))
    check = next(str(d) for d in range(10) if luhn_ok(digits + str(d)))
    number = digits + check
    sep = draw(st.sampled_from(["", " ", "-"]))
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


_emails = st.builds(
    lambda user, host, tld: f"{user}@{host}.{tld}",
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._+", min_size=1, max_size=12).filter(
        lambda u: u[0].isalnum()
    ),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10).filter(
        lambda h: h[0].isalnum() and h[-1].isalnum()
    ),
    st.sampled_from(["com", "org", "io", "de", "co.uk"]),
)
_keys = st.one_of(
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        min_size=32,
        max_size=48,
    ).map(lambda s: "sk-" + s),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", min_size=16, max_size=16).map(
        lambda s: "AKIA" + s
    ),
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        min_size=36,
        max_size=36,
    ).map(lambda s: "ghp_" + s),
    st.text(alphabet="0123456789abcdef", min_size=40, max_size=64),
)
_secrets = st.one_of(_emails, _card_numbers(), _keys)
_any_text = st.one_of(
    st.text(max_size=120),
    st.builds(lambda a, s, b: f"{a} {s} {b}", _clean_text, _secrets, _clean_text),
    st.text(alphabet="0123456789 +-().@abcXYZ_/=:", max_size=80),
)


@settings(max_examples=300, deadline=None)
@given(_any_text)
def test_redaction_is_idempotent(text: str) -> None:
    once = redact_text(text)
    assert redact_text(once) == once


@settings(max_examples=300, deadline=None)
@given(_clean_text)
def test_text_without_secrets_is_unchanged(text: str) -> None:
    assert redact_text(text) == text


@settings(max_examples=300, deadline=None)
@given(_clean_text, _secrets, _clean_text)
def test_a_planted_secret_never_survives(before: str, secret: str, after: str) -> None:
    out = redact_text(f"{before} {secret} {after}")
    assert secret not in out
    assert any(mask in out for mask in (EMAIL, CARD, SECRET))


# -- frames and results -----------------------------------------------------------------


def test_redact_frame_masks_strings_lists_and_dicts_only() -> None:
    frame = pd.DataFrame(
        {
            "text": ["mail a@b.io", None, "plain"],
            "causes": [["a@b.io"], [], ["x"]],
            "segments": [{"user": "c@d.io"}, {}, {"user": "x"}],
            "n": [1, 2, 3],
        }
    )
    out = redact_frame(frame, skip=("segments",))
    assert out["text"][0] == "mail [EMAIL]" and out["text"][2] == "plain"
    assert out["text"].isna()[1]
    assert out["causes"].tolist() == [["[EMAIL]"], [], ["x"]]
    assert out["segments"].tolist() == frame["segments"].tolist()
    assert out["n"].tolist() == [1, 2, 3]
    assert frame["text"][0] == "mail a@b.io"  # the input is not modified


PLANTED = (
    "reach me at jane.doe@example.com, card 4111-1111-1111-1111, "
    "key sk-live0123456789ABCDEFabcdef0123"
)
LEAKS = ("jane.doe@example.com", "4111-1111-1111-1111", "sk-live0123456789ABCDEFabcdef0123")


def _fabricated(rng: np.random.Generator) -> tuple[ShiftResult, SegmentAnalysis]:
    texts = [
        "how do I reset my card pin",
        "transfer money to savings",
        PLANTED,
        "what is my balance",
    ]
    return fabricate_result(
        texts,
        n_production=300,
        n_reference=100,
        rng=rng,
        segment_values={"client": ["web", "ops@example.com", "api"]},
    )


def test_redact_result_masks_every_output_file(tmp_path: Path) -> None:
    from analyzer.report.outputs import write_outputs

    result, segments = _fabricated(np.random.default_rng(0))
    # The planted text also shows up in a label, a keyword and the summary's examples.
    rows = list(result.clusters.rows)
    rows[0] = replace(
        rows[0], label=PLANTED, keywords=("jane.doe@example.com",), examples=(PLANTED,)
    )
    extra = {**result.summary.extra, "cause_examples": {"new_domain": [PLANTED]},
             "emerging_regions": [{"emerging_id": 0, "label": PLANTED}]}
    emerging = EmergingTable((EmergingRegion(
        emerging_id=0, label=PLANTED, keywords=("jane.doe@example.com",), examples=(PLANTED,),
        n_production=3, share_production=0.01, n_distinct=3, mean_coverage_p=0.05,
        statistic=20.0, window=5, p_value=0.01, main_cluster_id=0, share_in_flagged=0.0),))
    result = replace(
        result,
        clusters=replace(result.clusters, rows=tuple(rows)),
        summary=replace(result.summary, extra=extra),
        emerging=emerging,
    )
    raw_dir, red_dir = tmp_path / "raw", tmp_path / "red"
    write_outputs(result, raw_dir, segments=segments)
    write_outputs(result, red_dir, segments=segments, redact=True)
    raw = {p.name: p.read_bytes() for p in raw_dir.iterdir()}
    red = {p.name: p.read_bytes() for p in red_dir.iterdir()}
    assert set(red) == {
        "queries.parquet",
        "clusters.csv",
        "summary.json",
        "report.html",
        "to_label.jsonl",
        "emerging.csv",
        "run.json",
    }
    queries = pd.read_parquet(red_dir / "queries.parquet")
    text_columns = [col for col in queries.columns if queries[col].dtype == object]
    text_cells = " ".join(str(v) for col in text_columns for v in queries[col])
    for leak in (*LEAKS, "ops@example.com"):
        assert leak.encode() in b"".join(raw.values()), leak  # planted where it would leak
        for name, content in red.items():
            if name != "queries.parquet":
                assert leak.encode() not in content, (leak, name)
        assert leak not in text_cells
    assert "[EMAIL]" in (red_dir / "report.html").read_text(encoding="utf-8")
    assert "[EMAIL]" in (red_dir / "emerging.csv").read_text(encoding="utf-8")
    summary = json.loads((red_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["cause_examples"]["new_domain"][0].startswith("reach me at [EMAIL], card [CARD]")
    # Statistics are untouched; the summary says whether its outputs were masked.
    assert summary["uncovered_share"] == json.loads(raw["summary.json"])["uncovered_share"]
    assert summary["redacted"] is True and json.loads(raw["summary.json"])["redacted"] is False


def test_values_added_after_masking_are_masked_again() -> None:
    """check masks before recording; later stages (segments) add values the writer masks."""
    result, _ = _fabricated(np.random.default_rng(0))
    rows = list(result.clusters.rows)
    rows[0] = replace(rows[0], label=PLANTED)
    masked = redact_result(replace(result, clusters=replace(result.clusters, rows=tuple(rows))))
    assert masked.summary.redacted and "jane.doe" not in masked.clusters.rows[0].label
    extra = {**masked.summary.extra, "segments": [{"value": "AKIAIOSFODNN7EXAMPLE"}]}
    later = replace(masked, summary=replace(masked.summary, extra=extra))
    again = redact_result(later)
    assert again.summary.extra["segments"] == [{"value": SECRET}]
    assert again.queries is later.queries  # the query table is masked once


def test_redact_segments_keeps_lift_matrix_aligned() -> None:
    result, segments = _fabricated(np.random.default_rng(1))
    masked = redact_segments(segments)
    assert masked.table is not None and segments.table is not None
    assert "client=[EMAIL]" in masked.table.lift_matrix().index.tolist()
    assert masked.table.lift_matrix().to_numpy().sum() == pytest.approx(
        segments.table.lift_matrix().to_numpy().sum()
    )
    assert redact_result(result).summary.n_production == result.summary.n_production


def test_real_queries_are_mostly_left_alone() -> None:
    path = DATA / "banking77.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent: set SHIFT_BENCH_DATA to the shared data folder")
    texts = pd.read_json(path, lines=True)["text"].head(3000).tolist()
    changed = [t for t in texts if redact_text(t) != t]
    assert len(changed) / len(texts) < 0.01, changed[:10]


def test_report_pipeline_with_redact_leaks_nothing(
    tmp_path: Path, clinc: pd.DataFrame, hashing_embedder: HashingEmbedder
) -> None:
    """`report --redact` end to end (small embedder): no planted secret in any output file."""
    from analyzer.pipeline import ReportOptions, run_report

    rng = np.random.default_rng(5)
    inscope = clinc[~clinc["is_oos"]]
    ref = inscope[inscope["split"] == "train"].sample(300, random_state=1)[["text"]]
    prod = inscope[inscope["split"] == "test"].sample(150, random_state=2)[["text"]]
    prod = prod.reset_index(drop=True)
    prod.loc[len(prod)] = {"text": PLANTED}
    prod.loc[len(prod)] = {"text": "my number is +44 20 7946 0958, call me"}
    prod["client"] = rng.choice(["web", "ops@example.com"], size=len(prod))
    prod["id"] = [f"p{i}" for i in range(len(prod))]
    ref_path, prod_path = tmp_path / "ref.jsonl", tmp_path / "prod.csv"
    ref.to_json(ref_path, orient="records", lines=True)
    prod.to_csv(prod_path, index=False)
    options = ReportOptions(segment_cols=("client",), use_cache=False, redact=True)
    out = tmp_path / "out"
    run_report(ref_path, prod_path, out, options=options, embedder=hashing_embedder)
    files = {p.name: p.read_bytes() for p in out.iterdir()}
    assert "to_label.jsonl" in files and "report.html" in files
    for leak in (*LEAKS, "ops@example.com", "7946 0958"):
        for name, content in files.items():
            assert leak.encode() not in content, (leak, name)
    queries = pd.read_parquet(out / "queries.parquet")
    assert (queries["client"] == "[EMAIL]").any()
    assert queries["text"].str.contains(r"\[PHONE\]", regex=True).any()


@pytest.mark.parametrize("command", ["report", "check"])
def test_redact_option_is_documented_in_help(command: str) -> None:
    from typer.testing import CliRunner

    from analyzer.cli import app

    done = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert done.exit_code == 0
    assert "--redact" in done.output
    assert "Mask e-mails, phone and card numbers" in " ".join(done.output.split())


@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redact"])
def test_check_records_no_secret_in_the_history(
    tmp_path: Path, clinc: pd.DataFrame, hashing_embedder: HashingEmbedder, redact: bool
) -> None:
    """Labels are built from masked texts, so the history never stores an address or a key;
    with --redact the written outputs carry none either, without it the queries keep them."""
    import sqlite3

    from analyzer.weekly.check import run_check
    from analyzer.weekly.jobs import make_baseline

    inscope = clinc[~clinc["is_oos"]]
    ref = inscope[inscope["split"] == "train"].sample(300, random_state=1)[["text"]]
    prod = inscope[inscope["split"] == "test"].sample(150, random_state=2)[["text"]]
    planted = pd.DataFrame({"text": [f"{PLANTED} order {i}" for i in range(40)]})
    ref_path, prod_path = tmp_path / "ref.jsonl", tmp_path / "prod.jsonl"
    ref.to_json(ref_path, orient="records", lines=True)
    pd.concat([prod, planted]).to_json(prod_path, orient="records", lines=True)
    base = make_baseline(ref_path, tmp_path / "base", embedder=hashing_embedder, use_cache=False)
    history, out = tmp_path / "history.sqlite", tmp_path / "out"
    outcome = run_check(
        base,
        prod_path,
        history,
        "2026-W48",
        out,
        embedder=hashing_embedder,
        use_cache=False,
        redact=redact,
    )
    with sqlite3.connect(history) as db:
        labels = [
            row[0]
            for table in ("run_clusters", "registry")
            for row in db.execute(f"SELECT label FROM {table}")
        ]
        breaches = "".join(row[0] for row in db.execute("SELECT breaches FROM runs"))
    stored = ("\n".join(labels) + breaches).lower()
    planted_label = next(r.label for r in outcome.result.clusters if "reach" in r.keywords)
    assert "email" in planted_label  # the masked address names the region
    # Name parts as whole words (a keyword such as "does" holds "doe" and leaks nothing);
    # the key and card digits anywhere.
    words = set(re.findall(r"[a-z]+", stored))
    for word in ("jane", "doe", "example"):
        assert word not in words, word
    for fragment in ("sk-live0123456789abcdef", "4111"):
        assert fragment not in stored, fragment
    texts = pd.read_parquet(out / "queries.parquet")["text"]
    written = texts.str.contains("jane.doe@example.com").any()
    assert written != redact


def test_check_redact_masks_segment_values(
    tmp_path: Path, clinc: pd.DataFrame, hashing_embedder: HashingEmbedder
) -> None:
    """An AWS key used as a client id: `check --redact` leaked it into summary.json and
    clusters.csv (the segment stage runs after the result was masked); `report` did not."""
    from analyzer.segments import SegmentOptions
    from analyzer.weekly.check import run_check
    from analyzer.weekly.jobs import make_baseline

    key = "AKIAIOSFODNN7EXAMPLE"
    inscope = clinc[~clinc["is_oos"]]
    ref = inscope[inscope["split"] == "train"].sample(300, random_state=1)[["text"]]
    prod = inscope[inscope["split"] == "test"].sample(200, random_state=2)[["text"]]
    prod["client"] = [key if i % 3 == 0 else "web" for i in range(len(prod))]
    ref_path, prod_path = tmp_path / "ref.jsonl", tmp_path / "prod.jsonl"
    ref.to_json(ref_path, orient="records", lines=True)
    prod.to_json(prod_path, orient="records", lines=True)
    base = make_baseline(ref_path, tmp_path / "base", embedder=hashing_embedder, use_cache=False)
    out = tmp_path / "out"
    run_check(
        base,
        prod_path,
        tmp_path / "h.sqlite",
        "2026-W48",
        out,
        embedder=hashing_embedder,
        use_cache=False,
        redact=True,
        segments=SegmentOptions(("client",)),
    )
    for name in (
        "summary.json",
        "clusters.csv",
        "report.html",
        "to_label.jsonl",
        "queries.parquet",
    ):
        assert key.encode() not in (out / name).read_bytes(), name
    assert "[SECRET]" in (out / "summary.json").read_text()
