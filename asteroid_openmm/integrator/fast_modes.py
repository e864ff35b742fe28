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

Units: nm, Da.
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
#: Up to this many pairs the per-frame systems are solved densely in one batch;
#: beyond it (proteins), one sparse solve per frame keeps the cost linear in size.
DENSE_MAX_PAIRS = 512


class FastModeResampler:
    """Replace the bond and angle distances of forecast frames by those of real frames.

    Parameters
    ----------
    bonds : int array [nb, 2]
        Bonded atom pairs of the system.
    masses : array [N]
        Particle masses (Da); light atoms take most of a correction. Pairs
        with a massless particle (virtual site) are left out.
    iterations : int
        Newton iterations per call.
    """

    def __init__(self, bonds, masses, iterations: int = NEWTON_ITERATIONS):
        import scipy.sparse as sp

        from ..model.geometry_restore import restoration_pairs

        masses = np.asarray(masses, np.float64)
        bonds = np.asarray(bonds, np.int64).reshape(-1, 2)
        pairs = restoration_pairs(bonds)[0] if len(bonds) else np.zeros((0, 2), np.int64)
        pairs = pairs[(masses[pairs[:, 0]] > 0) & (masses[pairs[:, 1]] > 0)]
        self.pairs = pairs
        self.iterations = int(iterations)
        self._inv_mass = np.where(masses > 0, 1.0 / np.where(masses > 0, masses, 1.0), 0.0)
        n_pairs = len(pairs)
        # Incidence (+1 at j, -1 at i): the Jacobian of pair p's distance is u_p * incidence.
        rows = np.repeat(np.arange(n_pairs), 2)
        inc = sp.csr_matrix((np.tile([-1.0, 1.0], n_pairs), (rows, pairs.reshape(-1))),
                            shape=(n_pairs, len(masses)))
        # C_pq = sum_a m_a^-1 s_p(a) s_q(a): nonzero only for pairs sharing an atom, so A stays sparse.
        c = (inc @ sp.diags(self._inv_mass) @ inc.T).tocoo()
        self._c_rows, self._c_cols, self._c_vals = c.row, c.col, c.data

    def distances(self, frames: np.ndarray) -> np.ndarray:
        """Pair distances (nm) of frames [..., N, 3] -> [..., P]."""
        from ..evaluation.metrics import bond_lengths

        return bond_lengths(frames, self.pairs)

    def set_distances(self, frames: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Frames [F, N, 3] moved (mass-weighted, least displacement) so pair distances match targets [F, P]."""
        x = np.array(frames, np.float64)
        i, j = self.pairs[:, 0], self.pairs[:, 1]
        for _ in range(self.iterations):
            r = x[:, j] - x[:, i]
            d = np.linalg.norm(r, axis=-1)
            u = r / np.maximum(d, 1e-12)[..., None]
            values = self._c_vals * np.einsum("fka,fka->fk", u[:, self._c_rows], u[:, self._c_cols])
            lam = self._solve(values, targets - d)
            g = u * lam[..., None]
            step = np.zeros_like(x)
            np.add.at(step, (slice(None), j), g)
            np.add.at(step, (slice(None), i), -g)
            x += step * self._inv_mass[:, None]
        return x

    def _solve(self, values: np.ndarray, rhs: np.ndarray) -> np.ndarray:
        """Solve the damped A lambda = rhs for each frame; A given by its values on C's pattern [F, nnz]."""
        n_pairs = len(self.pairs)
        if n_pairs <= DENSE_MAX_PAIRS:
            # Small molecules: one batched dense solve is faster than F sparse ones.
            a = np.zeros((len(values), n_pairs, n_pairs))
            a[:, self._c_rows, self._c_cols] = values
            k = np.arange(n_pairs)
            a[:, k, k] += DAMPING * a[:, k, k].mean(axis=1, keepdims=True)
            return np.linalg.solve(a, rhs[..., None])[..., 0]
        import scipy.sparse as sp
        import scipy.sparse.linalg as spla

        out = np.empty_like(rhs)
        for f in range(len(values)):
            a = sp.csc_matrix((values[f], (self._c_rows, self._c_cols)), shape=(n_pairs, n_pairs))
            a = a + sp.identity(n_pairs, format="csc") * (DAMPING * a.diagonal().mean())
            out[f] = spla.spsolve(a, rhs[f])
        return out

    def draw_distances(self, donors: np.ndarray, n: int, rng: np.random.Generator,
                       bandwidth: float = 0.0, covariance_sample: np.ndarray | None = None,
                       picks: np.ndarray | None = None) -> np.ndarray:
        """``n`` target pair-distance vectors [n, P] (nm) drawn from donor frames [K, N, 3] (nm).

        ``bandwidth`` 0 copies a random donor's distances; ``h > 0`` draws
        from the smoothed bootstrap (see the module docstring), with noise of
        the donors' covariance, or of ``covariance_sample``'s (pair distances
        [M, P], nm, e.g. a longer history of real frames) when given.
        ``picks`` (int [n]) names each draw's donor instead of a random one
        (e.g. one in the target's rotamer, :mod:`.rotamers`).
        """
        d = self.distances(np.asarray(donors, np.float64))
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
        """Frames [F, N, 3] (nm) with pair distances drawn from donor frames.

        Parameters
        ----------
        frames : array [F, N, 3]
            Forecast frames (nm).
        donors : array [K, N, 3]
            Recent equilibrium real-MD frames (nm) of the same system.
        rng : numpy Generator
            Picks one donor per frame (with replacement), and the smoothing noise.
        bandwidth : float
            0: each frame takes a random donor's distances. ``h > 0``: a
            smoothed bootstrap of the donors' distances (:meth:`draw_distances`).
        covariance_sample : array [M, P], optional
            Pair distances (nm) whose covariance the smoothing noise takes
            instead of the donors' (:meth:`draw_distances`).
        picks : int array [F], optional
            Each frame's donor (index into ``donors``); default a random one.

        Returns
        -------
        array [F, N, 3], float64, a new array
        """
        frames = np.asarray(frames, np.float64)
        if len(self.pairs) == 0 or len(donors) == 0 or len(frames) == 0:
            return frames.copy()
        return self.set_distances(frames, self.draw_distances(donors, len(frames), rng, bandwidth, covariance_sample,
                                                              picks))
