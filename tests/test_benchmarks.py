"""``benchmarks/hybrid.py --quick`` runs end to end, and ``--reuse-plain`` reuses an earlier run's plain MD."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def hybrid(*args):
    return subprocess.run([sys.executable, str(REPO / "benchmarks" / "hybrid.py"), "--system", "alanine-dipeptide",
                           "--quick", "--plot", "none", *map(str, args)], capture_output=True, text=True, cwd=REPO)


def test_hybrid_benchmark_reuses_the_plain_runs_of_an_earlier_result(tmp_path):
    first = hybrid("--json", tmp_path / "a.json", "--save-samples", tmp_path / "a.npz")
    assert first.returncode == 0, first.stderr[-2000:]
    second = hybrid("--json", tmp_path / "b.json", "--reuse-plain", tmp_path / "a.json", "--sweep", "rollouts=2")
    assert second.returncode == 0, second.stderr[-2000:]
    a, b = (json.loads((tmp_path / f"{n}.json").read_text()) for n in "ab")
    plain = lambda r: {x["label"]: x for x in r["runs"] if x["kind"] == "plain"}  # noqa: E731
    assert set(plain(b)) == {"reference", "plain A", "plain B"}
    for label, run in plain(b).items():
        assert run["step_seconds"] == plain(a)[label]["step_seconds"] and run["seed"] == plain(a)[label]["seed"]
        assert run.get("js_vs_reference") == plain(a)[label].get("js_vs_reference")
    assert b["noise_floor"] == a["noise_floor"] and b["plain_runs_reused_from"] == str(tmp_path / "a.json")
    hybrids = [r for r in b["runs"] if r["kind"] == "hybrid"]
    assert [r["setting"] for r in hybrids] == ["rollouts=2"] and hybrids[0]["simulated_ps"] == a["time_ps"]
    # Plain runs measured another way are refused, with the reason.
    third = hybrid("--json", tmp_path / "c.json", "--reuse-plain", tmp_path / "a.json", "--time-ps", "0.6")
    assert third.returncode != 0 and "time_ps" in third.stderr
