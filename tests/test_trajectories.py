"""Loading trajectories (MD17 npz, DCD + PDB, XTC, PDB, HDF5), frame intervals,
bond graphs and leakage-free windows. Real files, written by the tests."""

from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pytest

from asteroid_openmm.trajectories import (
    ANGSTROM_PER_NM,
    TrajectoryData,
    WindowDataset,
    angle_triplets,
    dihedral_quadruplets,
    infer_bonds,
    load_trajectories,
    load_trajectory,
    split_trajectory,
)

# Water in Å (MD17 convention): O, H, H.
WATER_ANGSTROM = np.array([[0.0, 0.0, 0.0], [0.9572, 0.0, 0.0], [-0.2400, 0.9266, 0.0]])


def _hydrogen_peroxide_nm(dihedral_deg: float = 111.5) -> np.ndarray:
    """H-O-O-H geometry in nm: O-O 0.1475, O-H 0.095, H-O-O 94.8 degrees."""
    r_oh, r_oo, theta = 0.095, 0.1475, math.radians(94.8)
    phi = math.radians(dihedral_deg)
    o1 = np.array([0.0, 0.0, 0.0])
    o2 = np.array([r_oo, 0.0, 0.0])
    h1 = o1 + r_oh * np.array([math.cos(theta), math.sin(theta), 0.0])
    h2 = o2 + r_oh * np.array(
        [-math.cos(theta), math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi)]
    )
    return np.array([h1, o1, o2, h2])


def _write_md17(path, R, z, **extra):
    np.savez(path, R=R, z=z, **extra)
    return path


def _npz(path, **arrays):
    np.savez(path, **arrays)
    return path


# --------------------------------------------------------------------------- #
# A short real OpenMM run of H2O2 (harmonic bonds/angles + torsion), DCD + PDB.
# --------------------------------------------------------------------------- #
FRAME_INTERVAL_PS = 0.005  # 10 steps of 0.5 fs


@pytest.fixture(scope="module")
def h2o2_run(tmp_path_factory):
    from asteroid_openmm._openmm import import_openmm

    openmm = import_openmm()
    from openmm import app, unit

    d = tmp_path_factory.mktemp("h2o2")
    top = app.Topology()
    res = top.addResidue("HOO", top.addChain())
    el_h, el_o = app.Element.getBySymbol("H"), app.Element.getBySymbol("O")
    atoms = [top.addAtom(n, e, res) for n, e in (("H1", el_h), ("O1", el_o), ("O2", el_o), ("H2", el_h))]
    for i, j in ((0, 1), (1, 2), (2, 3)):
        top.addBond(atoms[i], atoms[j])
    system = openmm.System()
    for e in (el_h, el_o, el_o, el_h):
        system.addParticle(e.mass)
    bonds = openmm.HarmonicBondForce()
    bonds.addBond(0, 1, 0.095, 4.0e5)
    bonds.addBond(1, 2, 0.1475, 3.0e5)
    bonds.addBond(2, 3, 0.095, 4.0e5)
    angles = openmm.HarmonicAngleForce()
    angles.addAngle(0, 1, 2, math.radians(94.8), 400.0)
    angles.addAngle(1, 2, 3, math.radians(94.8), 400.0)
    torsion = openmm.PeriodicTorsionForce()
    torsion.addTorsion(0, 1, 2, 3, 2, 0.0, 5.0)
    for f in (bonds, angles, torsion):
        system.addForce(f)
    integrator = openmm.LangevinMiddleIntegrator(300 * unit.kelvin, 1 / unit.picosecond, 0.0005 * unit.picoseconds)
    integrator.setRandomNumberSeed(1)
    sim = app.Simulation(top, system, integrator, openmm.Platform.getPlatformByName("Reference"))
    sim.context.setPositions(_hydrogen_peroxide_nm() * unit.nanometer)
    sim.context.setVelocitiesToTemperature(300 * unit.kelvin, 1)
    pdb = d / "h2o2.pdb"
    with open(pdb, "w") as fh:
        app.PDBFile.writeFile(top, _hydrogen_peroxide_nm() * 10 * unit.angstrom, fh)
    dcd = d / "h2o2.dcd"
    sim.reporters.append(app.DCDReporter(str(dcd), 10))
    sim.step(2000)
    del sim  # closes the DCD file
    dcd.with_name("h2o2.dcd.json").write_text(json.dumps({"frame_interval_ps": FRAME_INTERVAL_PS}))
    return {"dir": d, "pdb": pdb, "dcd": dcd}


def test_dcd_with_pdb_topology_and_sidecar(h2o2_run):
    traj = load_trajectory(h2o2_run["dcd"], topology=h2o2_run["pdb"])
    assert traj.positions.dtype == np.float32 and traj.positions.shape == (200, 4, 3)
    assert traj.frame_interval == pytest.approx(FRAME_INTERVAL_PS)
    assert traj.atomic_numbers.tolist() == [1, 8, 8, 1]
    assert traj.bonds.tolist() == [[0, 1], [1, 2], [2, 3]]
    assert traj.angle_triplets().tolist() == [[0, 1, 2], [1, 2, 3]]
    assert traj.dihedral_quadruplets().tolist() == [[0, 1, 2, 3]]
    # nm, not Å: the O-O bond stays near 0.1475 nm during the run
    d_oo = np.linalg.norm(traj.positions[:, 2] - traj.positions[:, 1], axis=-1)
    assert 0.13 < d_oo.mean() < 0.16
    assert traj.topology is not None and traj.source == str(h2o2_run["dcd"])


def test_dcd_errors(h2o2_run, tmp_path):
    with pytest.raises(ValueError, match="topology"):
        load_trajectory(h2o2_run["dcd"])
    missing = tmp_path / "nope.dcd"
    with pytest.raises(FileNotFoundError, match="nope.dcd"):
        load_trajectory(missing, topology=h2o2_run["pdb"])
    with pytest.raises(FileNotFoundError, match="nope.pdb"):
        load_trajectory(h2o2_run["dcd"], topology=tmp_path / "nope.pdb")
    # no sidecar, and DCD has no usable time axis -> must ask for the interval
    bare = shutil.copy(h2o2_run["dcd"], tmp_path / "bare.dcd")
    with pytest.raises(ValueError, match="--frame-interval-ps"):
        load_trajectory(bare, topology=h2o2_run["pdb"])
    assert load_trajectory(bare, topology=h2o2_run["pdb"], frame_interval_ps=0.005).frame_interval == 0.005
    # explicit value disagreeing with the sidecar
    with pytest.raises(ValueError, match="disagrees"):
        load_trajectory(h2o2_run["dcd"], topology=h2o2_run["pdb"], frame_interval_ps=0.01)
    # atom-count mismatch: a 2-atom argon topology for the 4-atom trajectory
    import mdtraj as md

    top = md.Topology()
    res = top.add_residue("AR", top.add_chain())
    for _ in range(2):
        top.add_atom("AR", md.element.argon, res)
    md.Trajectory(np.zeros((1, 2, 3), np.float32), top).save_pdb(str(tmp_path / "ar.pdb"))
    with pytest.raises(ValueError, match="4 atoms but the topology has 2"):
        load_trajectory(h2o2_run["dcd"], topology=tmp_path / "ar.pdb")


def test_sidecar_topology_entry(h2o2_run, tmp_path):
    dcd = shutil.copy(h2o2_run["dcd"], tmp_path / "t.dcd")
    shutil.copy(h2o2_run["pdb"], tmp_path / "t.pdb")
    (tmp_path / "t.dcd.json").write_text(json.dumps({"frame_interval_ps": 0.005, "topology": "t.pdb"}))
    assert load_trajectory(dcd).n_atoms == 4


def _md_water_traj(n_frames, time=None):
    import mdtraj as md

    top = md.Topology()
    res = top.add_residue("HOH", top.add_chain())
    for name, el in (("O", md.element.oxygen), ("H1", md.element.hydrogen), ("H2", md.element.hydrogen)):
        top.add_atom(name, el, res)
    rng = np.random.default_rng(0)
    xyz = WATER_ANGSTROM / 10 + 0.002 * rng.standard_normal((n_frames, 3, 3))
    return md.Trajectory(xyz.astype(np.float32), top, time=time)


def test_xtc_time_axis(tmp_path):
    traj = _md_water_traj(20, time=np.arange(20) * 0.02)
    traj[0].save_pdb(str(tmp_path / "w.pdb"))
    traj.save_xtc(str(tmp_path / "w.xtc"))
    t = load_trajectory(tmp_path / "w.xtc", topology=tmp_path / "w.pdb")
    assert t.frame_interval == pytest.approx(0.02, rel=1e-5)
    assert t.bonds.tolist() == [[0, 1], [0, 2]]  # inferred (the PDB has no CONECT for HOH) or standard
    assert load_trajectory(tmp_path / "w.xtc", topology=tmp_path / "w.pdb", frame_interval_ps=0.02).frame_interval == 0.02
    with pytest.raises(ValueError, match="disagrees"):
        load_trajectory(tmp_path / "w.xtc", topology=tmp_path / "w.pdb", frame_interval_ps=0.05)
    # a sidecar that contradicts the time axis is an error too
    (tmp_path / "w.xtc.json").write_text(json.dumps({"frame_interval_ps": 0.04}))
    with pytest.raises(ValueError, match="disagrees"):
        load_trajectory(tmp_path / "w.xtc", topology=tmp_path / "w.pdb")
    # unevenly spaced frames
    uneven = _md_water_traj(5, time=np.array([0.0, 0.02, 0.04, 0.08, 0.10]))
    uneven.save_xtc(str(tmp_path / "u.xtc"))
    with pytest.raises(ValueError, match="not evenly spaced"):
        load_trajectory(tmp_path / "u.xtc", topology=tmp_path / "w.pdb")


def test_pdb_is_self_contained_but_has_no_time(tmp_path):
    _md_water_traj(6).save_pdb(str(tmp_path / "m.pdb"))
    with pytest.raises(ValueError, match="--frame-interval-ps"):
        load_trajectory(tmp_path / "m.pdb")
    t = load_trajectory(tmp_path / "m.pdb", frame_interval_ps=0.001)
    assert (t.n_frames, t.n_atoms, t.frame_interval) == (6, 3, 0.001)


def test_hdf5_time_axis(tmp_path):
    pytest.importorskip("tables", reason="mdtraj HDF5 needs PyTables")
    traj = _md_water_traj(10, time=np.arange(10) * 0.1)
    traj.save_hdf5(str(tmp_path / "w.h5"))
    t = load_trajectory(tmp_path / "w.h5")
    assert t.frame_interval == pytest.approx(0.1, rel=1e-5)
    np.testing.assert_allclose(t.positions, traj.xyz)


def test_md17_npz_angstrom_to_nm(tmp_path):
    rng = np.random.default_rng(1)
    R = WATER_ANGSTROM + 0.01 * rng.standard_normal((7, 3, 3))
    path = _write_md17(tmp_path / "md17_water.npz", R=R, z=np.array([8, 1, 1]), E=np.zeros((7, 1)), F=np.zeros((7, 3, 3)))
    t = load_trajectory(path, frame_interval_ps=0.0005)
    assert ANGSTROM_PER_NM == 10.0
    assert t.positions.dtype == np.float32
    np.testing.assert_array_equal(t.positions, (R / 10.0).astype(np.float32))
    assert t.atomic_numbers.dtype == np.int64 and t.atomic_numbers.tolist() == [8, 1, 1]
    assert t.topology is None
    assert t.bonds.tolist() == [[0, 1], [0, 2]]  # inferred from covalent radii
    assert t.frame_interval == 0.0005
    # no interval anywhere -> clear error with the MD17 hint
    with pytest.raises(ValueError, match="0.0005"):
        load_trajectory(path)
    # sidecar works, explicit must agree with it
    (tmp_path / "md17_water.npz.json").write_text(json.dumps({"frame_interval_ps": 0.0005}))
    assert load_trajectory(path).frame_interval == 0.0005
    with pytest.raises(ValueError, match="disagrees"):
        load_trajectory(path, frame_interval_ps=0.001)


def test_md17_npz_errors(tmp_path):
    R = np.repeat(WATER_ANGSTROM[None], 4, axis=0)
    with pytest.raises(ValueError, match=r"'R'"):
        load_trajectory(_npz(tmp_path / "a.npz", z=[8, 1, 1]), frame_interval_ps=1)
    with pytest.raises(ValueError, match=r"'z'"):
        load_trajectory(_npz(tmp_path / "b.npz", R=R), frame_interval_ps=1)
    with pytest.raises(ValueError, match="atoms"):
        load_trajectory(_npz(tmp_path / "c.npz", R=R, z=[8, 1]), frame_interval_ps=1)
    with pytest.raises(ValueError, match="revised MD17"):
        load_trajectory(_npz(tmp_path / "d.npz", coords=R, nuclear_charges=[8, 1, 1]), frame_interval_ps=1)
    bad = R.copy()
    bad[2, 1, 0] = np.nan
    with pytest.raises(ValueError, match="frame 2"):
        load_trajectory(_npz(tmp_path / "e.npz", R=bad, z=[8, 1, 1]), frame_interval_ps=1)
    inf = R.copy()
    inf[3, 0, 2] = np.inf
    with pytest.raises(ValueError, match="frame 3"):
        load_trajectory(_npz(tmp_path / "f.npz", R=inf, z=[8, 1, 1]), frame_interval_ps=1)



def test_load_trajectories_checks_same_system(tmp_path):
    R = np.repeat(WATER_ANGSTROM[None], 4, axis=0)
    a = _npz(tmp_path / "a.npz", R=R, z=[8, 1, 1])
    b = _npz(tmp_path / "b.npz", R=R, z=[8, 1, 1])
    trajs = load_trajectories([a, b], frame_interval_ps=0.001)
    assert len(trajs) == 2 and all(t.n_atoms == 3 for t in trajs)
    with pytest.raises(ValueError, match="elements"):
        load_trajectories([a, _npz(tmp_path / "c.npz", R=R, z=[16, 1, 1])], frame_interval_ps=0.001)
    with pytest.raises(ValueError, match="atoms"):
        load_trajectories([a, _npz(tmp_path / "d.npz", R=R[:, :2], z=[8, 1])], frame_interval_ps=0.001)
    (tmp_path / "b.npz.json").write_text(json.dumps({"frame_interval_ps": 0.002}))
    (tmp_path / "a.npz.json").write_text(json.dumps({"frame_interval_ps": 0.001}))
    with pytest.raises(ValueError, match="every"):
        load_trajectories([a, b])


def test_load_trajectories_frame_step(tmp_path):
    R = WATER_ANGSTROM[None] + 0.01 * np.arange(7, dtype=float)[:, None, None]
    a = _npz(tmp_path / "a.npz", R=R, z=[8, 1, 1])
    (t,) = load_trajectories([a], frame_interval_ps=0.001, frame_step=3)
    assert t.n_frames == 3 and t.frame_interval == pytest.approx(0.003)
    np.testing.assert_allclose(t.positions, R[::3] / 10, rtol=1e-6)  # Å in the file, nm in memory
    for bad in (0, -2, 1.5):
        with pytest.raises(ValueError, match="frame_step"):
            load_trajectories([a], frame_interval_ps=0.001, frame_step=bad)


def test_bond_graph_helpers():
    x = _hydrogen_peroxide_nm()
    bonds = infer_bonds(x, [1, 8, 8, 1])
    assert bonds.tolist() == [[0, 1], [1, 2], [2, 3]]
    assert angle_triplets(bonds).tolist() == [[0, 1, 2], [1, 2, 3]]
    assert dihedral_quadruplets(bonds).tolist() == [[0, 1, 2, 3]]
    # argon: noble gases never bond, empty arrays keep their column count
    ar = infer_bonds(np.array([[0, 0, 0], [0.2, 0, 0], [0.4, 0, 0]]), [18, 18, 18])
    assert ar.shape == (0, 2)
    assert angle_triplets(ar).shape == (0, 3) and dihedral_quadruplets(ar).shape == (0, 4)
    # a 3-ring has angles but no proper dihedral
    ring = np.array([[0, 1], [1, 2], [0, 2]])
    assert len(angle_triplets(ring)) == 3 and len(dihedral_quadruplets(ring)) == 0


def _synthetic(n_frames, n_atoms=3, source="synthetic"):
    # Frame t has every coordinate equal to t: a window's values name its frames.
    pos = np.broadcast_to(np.arange(n_frames, dtype=np.float32)[:, None, None], (n_frames, n_atoms, 3))
    return TrajectoryData(pos, np.full(n_atoms, 18), frame_interval=0.01, source=source)


def test_split_blocks_in_time_order():
    s = split_trajectory(100)
    assert s == {"train": [(0, 80)], "validation": [(80, 90)], "test": [(90, 100)]}
    g = split_trajectory(100, gap_frames=3)
    assert g == {"train": [(0, 80)], "validation": [(83, 90)], "test": [(93, 100)]}
    assert split_trajectory(100, (0.9, 0.0, 0.1))["validation"] == []
    with pytest.raises(ValueError, match="sum to 1"):
        split_trajectory(100, (0.5, 0.1, 0.1))


@pytest.mark.parametrize("gap", [0, 4])
def test_windows_never_leak_across_splits(gap):
    trajs = [_synthetic(203, source="a"), _synthetic(150, source="b")]
    W, H = 8, 3
    sets = {
        split: WindowDataset(trajs, W, H, split=split, stride=2 if split == "train" else 1, gap_frames=gap)
        for split in ("train", "val", "test")
    }
    for ti in range(len(trajs)):
        train_frames = set(sets["train"].used_frames(ti).tolist())
        for split in ("val", "test"):
            ds = sets[split]
            for i in range(len(ds)):
                t_idx, frames = ds.frame_indices(i)
                if t_idx == ti:
                    assert not train_frames.intersection(frames.tolist()), (split, i)
        assert not set(sets["val"].used_frames(ti).tolist()) & set(sets["test"].used_frames(ti).tolist())
    # items are exactly the frames the indices claim (frame t holds value t)
    for ds in sets.values():
        for i in (0, len(ds) // 2, len(ds) - 1):
            item = ds[i]
            assert item.dtype.is_floating_point and str(item.dtype) == "torch.float32"
            assert tuple(item.shape) == (W + H, 3, 3)
            _, frames = ds.frame_indices(i)
            np.testing.assert_array_equal(item[:, 0, 0].numpy(), frames.astype(np.float32))
    ctx, tgt = sets["test"].arrays([0, 1])
    assert ctx.shape == (2, W, 3, 3) and tgt.shape == (2, H, 3, 3)


def test_all_split_and_too_short():
    t = _synthetic(30)
    ds = WindowDataset(t, 5, 5, split="all", stride=1)
    assert len(ds) == 21 and ds.frame_indices(20)[1][-1] == 29
    with pytest.raises(ValueError, match="too short"):
        WindowDataset(t, 5, 5, split="test")  # 3 frames in the test block
    with pytest.raises(ValueError, match="fraction is 0"):
        WindowDataset(_synthetic(300), 5, 5, split="validation", fractions=(0.9, 0.0, 0.1))
    with pytest.raises(ValueError, match="unknown split"):
        WindowDataset(t, 5, 5, split="dev")


def test_trajectory_data_validation():
    with pytest.raises(ValueError, match="frame 1"):
        TrajectoryData(np.array([[[0, 0, 0]], [[np.nan, 0, 0]]]), [18], 0.01)
    with pytest.raises(ValueError, match="positive"):
        TrajectoryData(np.zeros((2, 1, 3)), [18], 0.0)
    with pytest.raises(ValueError, match="atomic numbers"):
        TrajectoryData(np.zeros((2, 2, 3)), [18], 0.01)
