"""``benchmarks/hybrid.py --quick`` runs end to end, ``--reuse-plain`` reuses an earlier run's plain MD, and
``benchmarks/fidelity_noise.py`` scores the saved samples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def hybrid(*args):
    return subprocess.run([sys.executable, str(REPO / "benchmarks" / "hybrid.py"), "--system", "alanine-dipeptide",
                           "--quick", "--plot", "none", *map(str, args)], capture_output=True, text=True, cwd=REPO)


def test_hybrid_benchmark_reuses_the_plain_runs_of_an_earlier_result(tmp_path):
    # The noise-floor runs in a worker process (--plain-workers) give the same result layout.
    first = hybrid("--json", tmp_path / "a.json", "--save-samples", tmp_path / "a.npz", "--plain-workers", 2)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "worker process" in first.stdout
    second = hybrid("--json", tmp_path / "b.json", "--reuse-plain", tmp_path / "a.json", "--sweep", "rollouts=2",
                    "preset=chained,rollouts=2", "--save-samples", tmp_path / "b.npz")
    assert second.returncode == 0, second.stderr[-2000:]
    a, b = (json.loads((tmp_path / f"{n}.json").read_text()) for n in "ab")
    plain = lambda r: {x["label"]: x for x in r["runs"] if x["kind"] == "plain"}  # noqa: E731
    assert set(plain(b)) == {"reference", "plain A", "plain B"}
    for label, run in plain(b).items():
        assert run["step_seconds"] == plain(a)[label]["step_seconds"] and run["seed"] == plain(a)[label]["seed"]
        assert run.get("js_vs_reference") == plain(a)[label].get("js_vs_reference")
    assert b["noise_floor"] == a["noise_floor"] and b["plain_runs_reused_from"] == str(tmp_path / "a.json")
    hybrids = [r for r in b["runs"] if r["kind"] == "hybrid"]
    assert [r["setting"] for r in hybrids] == ["rollouts=2", "preset=chained,rollouts=2"]
    assert hybrids[0]["simulated_ps"] == a["time_ps"]
    # A preset in a setting: its settings, with the setting's own knobs over them.
    chained = hybrids[1]["integrator_settings"]
    assert chained["rollouts"] == 2 and chained["torsion_mc_steps"] == 8 and chained["link_mc_steps"] == 1
    # The speed-up against the hybrid's own real steps: their cost times every simulated step, over the step time.
    st = hybrids[0]["stats"]
    assert st["real_steps"] > 0 and hybrids[0]["speedup_in_run"] == pytest.approx(
        st["md_seconds"] / st["real_steps"] * (st["real_steps"] + st["forecast_steps"]) / hybrids[0]["step_seconds"])
    assert "in-run" in second.stdout
    # Rotamer well changes per ps, per rotamer torsion, for every run (a trajectory check the histograms lack).
    assert len(b["rotamer_quads"]) >= 2  # phi and psi among them
    for run in b["runs"]:
        rates = run["rotamer_changes_per_ps"]
        assert len(rates) == len(b["rotamer_quads"]) and all(0 <= v < 1 / b["sample_interval_ps"] for v in rates)
    # Plain runs measured another way are refused, with the reason.
    third = hybrid("--json", tmp_path / "c.json", "--reuse-plain", tmp_path / "a.json", "--time-ps", "0.6")
    assert third.returncode != 0 and "time_ps" in third.stderr

    # fidelity_noise: every hybrid of both results is scored against role assignments of the plain segments.
    noise = subprocess.run([sys.executable, str(REPO / "benchmarks" / "fidelity_noise.py"), str(tmp_path / "a.json"),
                            str(tmp_path / "b.json"), "--plot", str(tmp_path / "n.png")],
                           capture_output=True, text=True, cwd=REPO)
    assert noise.returncode == 0, noise.stderr[-2000:]
    out = json.loads((tmp_path / "a_noise.json").read_text())
    runs = out["summary"]
    # Reference 2x the run length: 4 + 2 + 2 plain segments; (ref, tested) ordered, {a, b} unordered.
    assert runs["exact sampler (plain segments)"]["assignments"] == 8 * 7 * 15
    assert len(runs) == 1 + 2 + 2 and all(0 <= r["pass_rate"] <= 1 for r in runs.values())
    assert (tmp_path / "n.png").stat().st_size > 0

    # tradeoff: one point per setting, its speed-ups and pass rates the runs' own.
    trade = subprocess.run([sys.executable, str(REPO / "benchmarks" / "tradeoff.py"), str(tmp_path / "t.png"),
                            "--panel", "alanine", str(tmp_path / "a_noise.json"), str(tmp_path / "a.json"),
                            str(tmp_path / "b.json"), "--json", str(tmp_path / "t.json")],
                           capture_output=True, text=True, cwd=REPO)
    assert trade.returncode == 0, trade.stderr[-2000:]
    settings = json.loads((tmp_path / "t.json").read_text())["alanine"]["settings"]
    hybrid_runs = [r for result in (a, b) for r in result["runs"] if r["kind"] == "hybrid"]
    assert sorted(settings) == sorted({r["setting"] for r in hybrid_runs})
    assert sorted(x for v in settings.values() for x in v["speedup"]) == sorted(r["speedup_in_run"]
                                                                                for r in hybrid_runs)
    assert (tmp_path / "t.png").stat().st_size > 0


def test_fidelity_noise_ratios_match_the_benchmarks_divergences(tmp_path):
    """A segment ratio computed from pooled counts equals the benchmark's own JS divergences of those frames."""
    import numpy as np

    sys.path.insert(0, str(REPO / "benchmarks"))
    import fidelity_noise

    first = hybrid("--json", tmp_path / "a.json", "--save-samples", tmp_path / "a.npz", "--sweep", "default")
    assert first.returncode == 0, first.stderr[-2000:]
    result, runs = fidelity_noise.load([str(tmp_path / "a.json")])
    spec = fidelity_noise.fidelity_spec(result, *runs["reference"])
    metrics = result["metric_names"]
    seg = {k: fidelity_noise.segment_counts(spec, x, e, 2) for k, (x, e) in runs.items()}
    floor = fidelity_noise.noise_floor(seg["reference"][0], seg["plain B"][0], seg["plain B"][1], metrics)
    got = fidelity_noise.ratios(seg["plain A"][1], seg["reference"][0], floor, metrics)

    def feats(label, half):
        x, e = runs[label]
        n = len(e) // 2
        return spec.features(x[half * n:(half + 1) * n], e[half * n:(half + 1) * n])

    ref = feats("reference", 0)
    js = lambda label, half: spec.divergences(feats(label, half), ref)  # noqa: E731
    for m in metrics:
        expected = js("plain A", 1)[m] / (0.5 * (js("plain B", 0)[m] + js("plain B", 1)[m]))
        np.testing.assert_allclose(got[m], expected, rtol=1e-9)


def test_reference_with_torsion_moves_is_recorded_keeps_constraints_and_is_not_reused_as_plain_md(tmp_path):
    """--reference-torsion-mc: the reference gets Metropolis turns of its rotamer torsions; the floor runs do not."""
    import numpy as np

    from asteroid_openmm._openmm import import_openmm
    from asteroid_openmm.integrator.rotamers import Rotamers
    from asteroid_openmm.systems import get_system
    from asteroid_openmm.trajectories.bonds import bonds_from_topology

    run = hybrid("--json", tmp_path / "a.json", "--save-samples", tmp_path / "a.npz", "--sweep", "default",
                 "--reference-torsion-mc", 4, "--torsion-mc-every", 25)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads((tmp_path / "a.json").read_text())
    chunk = result["sample_interval_steps"]
    every = chunk * -(-25 // chunk)  # rounded up to whole sample intervals
    assert result["reference_sampler"] == {"kind": "plain MD + torsion Metropolis moves", "proposals": 4,
                                           "every_steps": every}
    runs = {r["label"]: r for r in result["runs"]}
    unit = import_openmm().unit
    sysdef = get_system("alanine-dipeptide")
    n_torsions = len(Rotamers(bonds_from_topology(sysdef.topology), sysdef.atomic_numbers))
    assert n_torsions > 0
    ref = runs["reference"]
    assert ref["torsion_mc_proposed"] == 4 * n_torsions * (ref["steps"] // every)
    assert 0 < ref["torsion_mc_accepted"] < ref["torsion_mc_proposed"]
    assert "torsion_mc_proposed" not in runs["plain A"] and "torsion_mc_proposed" not in runs["plain B"]
    # Rigid turns about bonds keep the HBonds constraints of every reference sample.
    x = np.load(tmp_path / "a.npz")["reference__positions_nm"].astype(np.float64)
    for k in range(sysdef.system.getNumConstraints()):
        i, j, length = sysdef.system.getConstraintParameters(k)
        d = np.linalg.norm(x[:, i] - x[:, j], axis=-1)
        np.testing.assert_allclose(d, length.value_in_unit(unit.nanometer), atol=2e-4)
    # A plain-MD benchmark does not take that reference as its own.
    again = hybrid("--json", tmp_path / "b.json", "--reuse-plain", tmp_path / "a.json")
    assert again.returncode != 0 and "reference sampler" in again.stderr
