"""Plain-MD trajectory generation: DCD + PDB + JSON, HDF5 + JSON, errors, CLI."""

from __future__ import annotations

import argparse
import json

import mdtraj
import numpy as np
import pytest

from asteroid_openmm.simulate import (
    add_arguments,
    available_platforms,
    metadata_path,
    run_from_args,
    simulate,
    topology_path,
)


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_dcd_pdb_json(tmp_path):
    out = tmp_path / "traj" / "ala.dcd"  # parent folder created on demand
    path = simulate("alanine-dipeptide", steps=55, report_interval=10, out=out, seed=1, equilibration_steps=10,
                    progress=False)  # fmt: skip
    assert path == out and out.exists()
    assert topology_path(out) == tmp_path / "traj" / "ala.pdb" and topology_path(out).exists()
    meta = json.loads(metadata_path(out).read_text())
    assert metadata_path(out).name == "ala.dcd.json"
    assert meta["frame_interval_ps"] == pytest.approx(0.02)
    assert meta["system"] == "alanine-dipeptide"
    assert meta["timestep_ps"] == 0.002 and meta["report_interval"] == 10
    assert meta["temperature_K"] == 300.0 and meta["seed"] == 1
    assert meta["n_frames"] == 5 and meta["format"] == "dcd" and meta["topology"] == "ala.pdb"
    traj = mdtraj.load(str(out), top=str(topology_path(out)))
    assert traj.n_frames == 5 and traj.n_atoms == 22
    assert np.isfinite(traj.xyz).all()
    # frames move, and stay in nm
    assert not np.allclose(traj.xyz[0], traj.xyz[-1])
    assert np.ptp(traj.xyz[0], axis=0).max() < 2.0


def test_hdf5_json(tmp_path):
    out = tmp_path / "eth.h5"
    simulate("ethanol", steps=40, report_interval=8, out=str(out), seed=3, platform="CPU", progress=False,
             system_options={"ani_model_index": 0})  # fmt: skip
    meta = json.loads(metadata_path(out).read_text())
    assert meta["n_frames"] == 5 and meta["format"] == "hdf5" and meta["topology"] is None
    assert meta["frame_interval_ps"] == pytest.approx(0.004) and meta["platform"] == "CPU"
    assert meta["system_options"] == {"ani_model_index": 0}
    traj = mdtraj.load(str(out))
    assert traj.n_frames == 5 and traj.n_atoms == 9
    assert [a.element.symbol for a in traj.topology.atoms][:3] == ["C", "C", "O"]
    np.testing.assert_allclose(traj.time, 0.004 * np.arange(1, 6), atol=1e-6)
    assert traj.unitcell_vectors is None  # vacuum: no fake periodic box


def test_same_seed_same_trajectory(tmp_path):
    trajs = []
    for i in range(2):
        out = tmp_path / f"run{i}.dcd"
        simulate("alanine-dipeptide", 30, 10, out, seed=7, platform="Reference", progress=False)
        trajs.append(mdtraj.load(str(out), top=str(topology_path(out))).xyz)
    np.testing.assert_array_equal(trajs[0], trajs[1])


def test_available_platforms_fastest_first():
    names = available_platforms()
    assert "CPU" in names and "Reference" in names
    assert len(names) == len(set(names))
    assert names.index("CPU") < names.index("Reference")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(system_name="no-such-system"), "unknown system 'no-such-system'.*ethanol"),
        (dict(steps=0), "steps must be an integer >= 1"),
        (dict(steps=-5), "steps"),
        (dict(steps=2.5), "steps"),
        (dict(report_interval=0), "report_interval"),
        (dict(report_interval=100), "must not exceed steps"),
        (dict(equilibration_steps=-1), "equilibration_steps"),
        (dict(out="traj.xtc"), r"\.dcd.*\.h5"),
        (dict(platform="NoSuchPlatform"), "unknown OpenMM platform.*CPU"),
        (dict(seed="abc"), "seed"),
    ],
)
def test_bad_arguments_raise_value_error(tmp_path, kwargs, match):
    args = dict(system_name="alanine-dipeptide", steps=20, report_interval=10, out=tmp_path / "x.dcd", progress=False)
    if "out" in kwargs:
        kwargs = {**kwargs, "out": tmp_path / kwargs["out"]}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        simulate(**args)


def test_cli(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = tmp_path / "cli.h5"
    args = parser.parse_args(
        ["benzene", "--steps", "20", "--report-interval", "10", "--out", str(out), "--seed", "2",
         "--ani-model-index", "0", "--platform", "CPU", "--no-progress"]
    )  # fmt: skip
    assert run_from_args(args) == 0
    assert "2 frames" in capsys.readouterr().out
    assert mdtraj.load(str(out)).n_frames == 2
    assert json.loads(metadata_path(out).read_text())["system"] == "benzene"
