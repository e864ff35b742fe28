"""Thermal fast modes for forecast frames: bond and angle distances from real MD.

A forecast gets the slow, conformational motion of a molecule right, but not
its bond and angle vibrations: they decorrelate within a few frames, so a
forecaster (and its restoration layer, see
:mod:`asteroid_openmm.model.geometry_restore`) predicts them near their mean.
Played back as they are, forecast frames have bond-length and angle
histograms that are too narrow and potential energies that are off (measured
on ethanol with the shipped model: bond-length divergence 7.6x the noise
floor at the default settings), and chained forecasts drift further.

The best a forecast can do for modes it cannot predict is a thermal sample.
:class:`FastModeResampler` gives every forecast frame the 1-2 (bond) and 1-3
(angle) distances of a randomly chosen recent equilibrium real-MD frame. It
solves for the smallest mass-weighted displacement that sets those distances
(Newton iterations on the distance constraints, as in matrix SHAKE), so the
forecast's conformation (torsions, overall shape) is kept and its fast modes
become real ones. Distances only: the result is rotation- and
translation-equivariant.

A long chained jump draws the fast modes of hundreds of forecast frames from
the few real frames that its short anchor phases recorded, and reusing a
handful of samples thousands of times is itself a distribution error
(measured on 100 ps of plain ethanol MD: 10,000 frames drawn from 340
distinct ones have bond, angle and energy divergences 5.5x, 5x and 4.6x the
noise floor, as large as those of the ``rollouts=8`` hybrid). ``bandwidth``
``h > 0`` makes the draw a smoothed bootstrap (a kernel density estimate,
Silverman 1986): a random real frame's 1-2/1-3 distances plus Gaussian noise
with ``h^2`` times the real frames' covariance, shrunk towards their mean by
``1/sqrt(1 + h^2)`` so mean and covariance are kept. The noise is a random
combination of the real frames' own deviations, so it respects what couples
the distances (ring closure, the redundant angles of an sp3 centre,
stretch-bend coupling): independent noise per distance or per angle broke
rings (aspirin at ``h`` = 0.5: angle and energy divergences 13-16x and 20x
the floor, 15-20% of jumps rejected).

Planar rings have fast modes that no distance sets to first order: their
out-of-plane vibrations (ring puckering, hydrogens' wags). A forecast
damps those too (measured on aspirin's chained jumps: ring torsions' sd
0.82-0.95x plain MD's). With ``planar_quads`` the
resampler also takes, from the same donor, the signed volume
``(r_j - r_i) . ((r_k - r_j) x (r_l - r_k))`` of each dihedral quad about a
bond of a planar ring (:func:`planar_ring_quads`): it is first order in the
out-of-plane displacement, and invariant under rotations and translations.
Rings whose torsions are conformational (puckered rings) and the wags of
heavy substituents, which are slow, are left to the model.

Units: nm, Da (volumes nm^3).
"""

from __future__ import annotations

import numpy as np

#: Newton iterations; 3 bring 1-2/1-3 distances of the built-in molecules to
#: within ~1e-3 nm (max) and ~5e-5 nm (mean) of their targets (measured).
NEWTON_ITERATIONS = 3
#: Levenberg-Marquardt damping relative to the mean diagonal. Planar groups
#: make the 1-2/1-3 set locally redundant (out-of-plane motion is second
#: order), and an undamped solve then explodes (measured on aspirin).
DAMPING = 1e-3
#: A ring is planar when every dihedral about its bonds lies within this many
#: degrees of 0 or 180 (median over the frames given): aromatic rings'
#: torsions fluctuate by about 10 degrees (aspirin, 500 K), a cyclohexane
#: chair's sit near 55.
PLANAR_TOLERANCE_DEG = 30.0
#: Up to this many coordinates (pairs + quads) the per-frame systems are solved densely in one batch;
#: beyond it (proteins), one sparse solve per frame keeps the cost linear in size.
DENSE_MAX_PAIRS = 512


def planar_ring_quads(bonds, frames) -> np.ndarray:
    """Dihedral quads about the bonds of planar rings, int [Q, 4].

    Parameters
    ----------
    bonds : int array [nb, 2]
        Bonded atom pairs.
    frames : array [F, N, 3]
        Frames (nm) that decide which rings are planar (the median of each
        dihedral's distance from 0 or 180 degrees must stay within
        :data:`PLANAR_TOLERANCE_DEG` for every dihedral about the ring's bonds).

    Returns
    -------
    int array [Q, 4]: every quad ``i-j-k-l`` with ``j-k`` a bond of a planar
    ring, ``i`` another neighbour of ``j`` and ``l`` another of ``k``, each
    of them a ring atom or a terminal atom (a hydrogen ...). A heavy
    substituent's out-of-plane wag is slow (aspirin's O3-C4-C9-C10 keeps an
    autocorrelation of 0.5 at 50 fs in plain MD, a ring torsion's is gone
    within 20 fs), so it stays the model's.
    """
    import networkx as nx

    from ..evaluation.metrics import dihedrals

    graph = nx.Graph([tuple(map(int, b)) for b in np.asarray(bonds, np.int64).reshape(-1, 2)])
    terminal = {a for a in graph if graph.degree(a) == 1}
    quads = []
    for ring in nx.cycle_basis(graph):
        ring_bonds = [(ring[n], ring[(n + 1) % len(ring)]) for n in range(len(ring))]
        # Outer atoms in the ring or terminal (hydrogens ...): a heavy substituent's wag is slow and the model's.
        fast = set(ring) | terminal
        q = np.array([(i, j, k, l) for j, k in ring_bonds for i in graph[j] if i != k and i in fast
                      for l in graph[k] if l not in (j, i) and l in fast], np.int64).reshape(-1, 4)
        phi = np.abs(dihedrals(np.asarray(frames, np.float64), q))  # [F, Q], 0..180
        if len(q) and np.all(np.median(np.minimum(phi, 180.0 - phi), axis=0) <= PLANAR_TOLERANCE_DEG):
            quads.append(q)
    if not quads:
        return np.zeros((0, 4), np.int64)
    return np.unique(np.concatenate(quads), axis=0)  # fused rings share bonds


def signed_volumes(frames: np.ndarray, quads: np.ndarray) -> np.ndarray:
    """``(r_j - r_i) . ((r_k - r_j) x (r_l - r_k))`` (nm^3) of quads [Q, 4] in frames [..., N, 3] -> [..., Q]."""
    a, b, c = (frames[..., quads[:, n + 1], :] - frames[..., quads[:, n], :] for n in range(3))
    return np.einsum("...qa,...qa->...q", a, np.cross(b, c))


class FastModeResampler:
    """Replace the bond and angle distances (and planar rings' out-of-plane modes) of forecast frames by real ones.

    Parameters
    ----------
    bonds : int array [nb, 2]
        Bonded atom pairs of the system.
    masses : array [N]
        Particle masses (Da); light atoms take most of a correction. Pairs
        with a massless particle (virtual site) are left out.
    iterations : int
        Newton iterations per call.
    planar_quads : int array [Q, 4], optional
        Dihedral quads whose signed volumes are resampled too
        (:func:`planar_ring_quads`); quads with a massless particle are left out.

    Notes
    -----
    The resampled coordinates (:meth:`coordinates`) are the pair distances
    (nm) followed by the quads' signed volumes (nm^3).
    """

    def __init__(self, bonds, masses, iterations: int = NEWTON_ITERATIONS, planar_quads=None):
        import scipy.sparse as sp

        from ..model.geometry_restore import restoration_pairs

        masses = np.asarray(masses, np.float64)
        bonds = np.asarray(bonds, np.int64).reshape(-1, 2)
        pairs = restoration_pairs(bonds)[0] if len(bonds) else np.zeros((0, 2), np.int64)
        pairs = pairs[(masses[pairs[:, 0]] > 0) & (masses[pairs[:, 1]] > 0)]
        quads = np.asarray(planar_quads if planar_quads is not None else np.zeros((0, 4)), np.int64).reshape(-1, 4)
        quads = quads[np.all(masses[quads] > 0, axis=1)]
        self.pairs, self.quads = pairs, quads
        self.iterations = int(iterations)
        self._inv_mass = np.where(masses > 0, 1.0 / np.where(masses > 0, masses, 1.0), 0.0)
        n_pairs, n_rows = len(pairs), len(pairs) + len(quads)
        # Jacobian entries: (row, atom); a pair's row touches 2 atoms, a quad's 4.
        self._entry_row = np.concatenate([np.repeat(np.arange(n_pairs), 2), np.repeat(np.arange(n_pairs, n_rows), 4)])
        self._entry_atom = np.concatenate([pairs.reshape(-1), quads.reshape(-1)])
        # A_rs = sum over entry pairs (e, f) on the same atom a of m_a^-1 g_e . g_f: nonzero only for rows sharing an
        # atom, so A stays sparse. Entry pairs that land on the same (r, s) are summed by a fixed 0/1 matrix.
        n_entries = len(self._entry_atom)
        on_atom = sp.csr_matrix((np.ones(n_entries), (np.arange(n_entries), self._entry_atom)),
                                shape=(n_entries, len(masses)))
        shared = (on_atom @ on_atom.T).tocoo()  # entry pairs on the same atom
        ef = np.stack([shared.row, shared.col], axis=1).astype(np.int64)
        self._ef, self._ef_weight = ef, self._inv_mass[self._entry_atom[ef[:, 0]]]
        keys = self._entry_row[ef[:, 0]] * max(n_rows, 1) + self._entry_row[ef[:, 1]]
        unique, inverse = np.unique(keys, return_inverse=True)
        self._c_rows, self._c_cols = unique // max(n_rows, 1), unique % max(n_rows, 1)
        self._sum = sp.csr_matrix((np.ones(len(ef)), (np.arange(len(ef)), inverse)), shape=(len(ef), len(unique)))
        self._is_pair_row = np.arange(n_rows) < n_pairs
        self._donor_cache: tuple = (None, None)  # (donor array, its coordinates): a fixed library comes again and again

    def distances(self, frames: np.ndarray) -> np.ndarray:
        """Pair distances (nm) of frames [..., N, 3] -> [..., P]."""
        from ..evaluation.metrics import bond_lengths

        return bond_lengths(frames, self.pairs)

    def coordinates(self, frames: np.ndarray) -> np.ndarray:
        """The resampled coordinates of frames [..., N, 3]: pair distances (nm), then signed volumes (nm^3)."""
        frames = np.asarray(frames, np.float64)
        return np.concatenate([self.distances(frames), signed_volumes(frames, self.quads)], axis=-1)

    def _values_and_gradients(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`coordinates` of frames x [F, N, 3] and each Jacobian entry's gradient [F, E, 3] (d(coordinate
        of its row) / d(position of its atom)), from one pass over the pair and quad vectors."""
        r = x[:, self.pairs[:, 1]] - x[:, self.pairs[:, 0]]
        d = np.linalg.norm(r, axis=-1)
        u = r / np.maximum(d, 1e-12)[..., None]
        g_pairs = np.stack([-u, u], axis=2).reshape(len(x), -1, 3)
        a, b, c = (x[:, self.quads[:, n + 1]] - x[:, self.quads[:, n]] for n in range(3))
        bc, ca, ab = np.cross(b, c), np.cross(c, a), np.cross(a, b)
        g_quads = np.stack([-bc, bc - ca, ca - ab, ab], axis=2).reshape(len(x), -1, 3)
        volumes = np.einsum("fqa,fqa->fq", a, bc)
        return np.concatenate([d, volumes], axis=1), np.concatenate([g_pairs, g_quads], axis=1)

    def set_coordinates(self, frames: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Frames [F, N, 3] moved (mass-weighted, least displacement) so :meth:`coordinates` match targets."""
        x = np.array(frames, np.float64)
        for _ in range(self.iterations):
            values, g = self._values_and_gradients(x)
            products = self._ef_weight * np.einsum("fea,fea->fe", g[:, self._ef[:, 0]], g[:, self._ef[:, 1]])
            lam = self._solve(np.asarray(products @ self._sum), targets - values)
            step = np.zeros_like(x)
            np.add.at(step, (slice(None), self._entry_atom), g * lam[:, self._entry_row, None])
            x += step * self._inv_mass[:, None]
        return x

    def _damping(self, diagonal: np.ndarray) -> np.ndarray:
        """Levenberg-Marquardt damping per row [..., R]: DAMPING x the mean diagonal of the row's kind.

        Distances and volumes have different units, so each kind is damped relative to its own scale.
        """
        out = np.zeros_like(diagonal)
        for kind in (self._is_pair_row, ~self._is_pair_row):
            if kind.any():
                out[..., kind] = DAMPING * diagonal[..., kind].mean(axis=-1, keepdims=True)
        return out

    def _solve(self, values: np.ndarray, rhs: np.ndarray) -> np.ndarray:
        """Solve the damped A lambda = rhs for each frame; A given by its values on its pattern [F, nnz]."""
        n_rows = len(self._is_pair_row)
        if n_rows <= DENSE_MAX_PAIRS:
            # Small molecules: one batched dense solve is faster than F sparse ones.
            a = np.zeros((len(values), n_rows, n_rows))
            a[:, self._c_rows, self._c_cols] = values
            k = np.arange(n_rows)
            a[:, k, k] += self._damping(a[:, k, k])
            return np.linalg.solve(a, rhs[..., None])[..., 0]
        import scipy.sparse as sp
        import scipy.sparse.linalg as spla

        out = np.empty_like(rhs)
        for f in range(len(values)):
            a = sp.csc_matrix((values[f], (self._c_rows, self._c_cols)), shape=(n_rows, n_rows))
            a = a + sp.diags(self._damping(a.diagonal()), format="csc")
            out[f] = spla.spsolve(a, rhs[f])
        return out

    def draw_coordinates(self, donors: np.ndarray, n: int, rng: np.random.Generator,
                         bandwidth: float = 0.0, covariance_sample: np.ndarray | None = None,
                         picks: np.ndarray | None = None) -> np.ndarray:
        """``n`` target coordinate vectors [n, P + Q] (:meth:`coordinates`) drawn from donor frames [K, N, 3] (nm).

        ``bandwidth`` 0 copies a random donor's coordinates; ``h > 0`` draws
        from the smoothed bootstrap (see the module docstring), with noise of
        the donors' covariance, or of ``covariance_sample``'s (coordinates
        [M, P + Q], e.g. of a longer history of real frames) when given.
        ``picks`` (int [n]) names each draw's donor instead of a random one
        (e.g. one in the target's rotamer, :mod:`.rotamers`). The donors'
        coordinates are kept for the next call with the same array (a fixed
        library): do not change a donor array in place between calls.
        """
        cached, d = self._donor_cache
        if cached is not donors:
            d = self.coordinates(donors)
            self._donor_cache = (donors, d)
        pick = rng.integers(len(d), size=n) if picks is None else np.asarray(picks, np.int64)
        if bandwidth <= 0 or len(d) < 2:
            return d[pick]
        mean = d.mean(axis=0)
        # Noise with the real frames' own covariance: random combinations of their deviations from their mean.
        sample = d if covariance_sample is None or len(covariance_sample) < 2 else np.asarray(covariance_sample)
        deviations = (sample - sample.mean(axis=0)) / np.sqrt(len(sample) - 1)
        noise = rng.standard_normal((n, len(sample))) @ deviations
        return mean + (d[pick] - mean + bandwidth * noise) / np.sqrt(1.0 + bandwidth**2)

    def __call__(self, frames: np.ndarray, donors: np.ndarray, rng: np.random.Generator,
                 bandwidth: float = 0.0, covariance_sample: np.ndarray | None = None,
                 picks: np.ndarray | None = None) -> np.ndarray:
        """Frames [F, N, 3] (nm) with pair distances (and planar quads' volumes) drawn from donor frames.

        Parameters
        ----------
        frames : array [F, N, 3]
            Forecast frames (nm).
        donors : array [K, N, 3]
            Recent equilibrium real-MD frames (nm) of the same system.
        rng : numpy Generator
            Picks one donor per frame (with replacement), and the smoothing noise.
        bandwidth : float
            0: each frame takes a random donor's coordinates. ``h > 0``: a
            smoothed bootstrap of the donors' coordinates (:meth:`draw_coordinates`).
        covariance_sample : array [M, P + Q], optional
            Coordinates whose covariance the smoothing noise takes instead of
            the donors' (:meth:`draw_coordinates`).
        picks : int array [F], optional
            Each frame's donor (index into ``donors``); default a random one.

        Returns
        -------
        array [F, N, 3], float64, a new array
        """
        frames = np.asarray(frames, np.float64)
        if len(self._is_pair_row) == 0 or len(donors) == 0 or len(frames) == 0:
            return frames.copy()
        return self.set_coordinates(frames, self.draw_coordinates(donors, len(frames), rng, bandwidth,
                                                                  covariance_sample, picks))
