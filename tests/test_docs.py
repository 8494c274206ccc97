"""The README's quickstart is true (a test runs what it says), and the demo data is reproducible."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def quickstart_commands() -> list[list[str]]:
    pattern = r"<!-- quickstart -->\s*```bash\n(.*?)```\s*<!-- /quickstart -->"
    block = re.search(pattern, README, re.DOTALL)
    assert block, "README.md lacks the <!-- quickstart --> block"
    joined = block.group(1).replace("\\\n", " ")
    return [shlex.split(line) for line in joined.splitlines() if line.strip()]


def test_readme_shows_the_two_commands() -> None:
    assert "make demo" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_demo_data_is_what_the_script_makes(tmp_path: Path) -> None:
    make_demo = [sys.executable, str(ROOT / "data" / "make_demo.py"), "--out", str(tmp_path)]
    subprocess.run(make_demo, check=True, capture_output=True)
    for name in ("reference.jsonl", "production.jsonl"):
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / "demo" / name).read_bytes()


@pytest.mark.e2e
def test_readme_quickstart_runs_as_written(tmp_path: Path, cache_dir: Path) -> None:
    commands = quickstart_commands()
    assert commands and all(c[0] == "shift-analyzer" for c in commands)
    for command in commands:
        args = command[1:]
        out = Path(args[args.index("--out") + 1])
        args[args.index("--out") + 1] = str(tmp_path / out.name)
        done = run_cli(*args, "--cache-dir", str(cache_dir), "--quiet")
        assert done.returncode in (0, 1), done.stderr
        assert done.stdout.startswith("verdict: ")
    out = tmp_path / "demo"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["verdict"] == "shift"
    queries = pd.read_parquet(out / "queries.parquet")
    prod = queries[queries["side"] == "production"]
    # The demo's shifted shapes are far less covered than its benchmark-like traffic.
    rates = prod.groupby("shape")["is_uncovered"].mean()
    assert rates[["support", "paste", "hinglish"]].min() > 3 * rates["benchmark-like"]
    assert (out / "to_label.jsonl").is_file()
