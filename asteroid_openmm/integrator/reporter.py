"""``AsteroidReporter``: the integrator's statistics as CSV, at a report interval.

Columns: ``step``, ``time_ps`` and the fields of
:meth:`asteroid_openmm.integrator.AsteroidStats.as_dict` (cumulative counters
and wall-clock seconds since the integrator was built, plus
``acceptance_rate`` and ``forecast_fraction``).
"""

from __future__ import annotations

import csv
import io

from asteroid_openmm._openmm import import_openmm


class AsteroidReporter:
    """OpenMM reporter that writes :class:`AsteroidStats` rows as CSV.

    Parameters
    ----------
    file : str or file-like
        Output path (created / truncated) or an open text file.
    reportInterval : int
        Steps between rows.
    integrator : AsteroidIntegrator, optional
        Defaults to ``simulation.integrator`` at the first report.

    Notes
    -----
    Uses the OpenMM 8 reporter protocol: ``describeNextReport`` returns a
    dict; the reporter asks for no State content, so reporting costs no
    force evaluation.
    """

    def __init__(self, file, reportInterval: int, integrator=None):
        self._interval = int(reportInterval)
        if self._interval < 1:
            raise ValueError(f"reportInterval must be >= 1 step, got {reportInterval}")
        self._own = isinstance(file, (str, bytes)) or hasattr(file, "__fspath__")
        self._out = open(file, "w", newline="") if self._own else file
        self._integrator = integrator
        self._writer = None

    def describeNextReport(self, simulation) -> dict:
        steps = self._interval - simulation.currentStep % self._interval
        return {"steps": steps, "periodic": None, "include": []}

    def report(self, simulation, state) -> None:
        integrator = self._integrator if self._integrator is not None else simulation.integrator
        stats = getattr(integrator, "stats", None)
        if stats is None:
            raise ValueError(
                "AsteroidReporter needs an AsteroidIntegrator (it reports the integrator's forecast statistics); "
                f"the simulation uses a {type(integrator).__name__}"
            )
        openmm = import_openmm()
        row = {
            "step": simulation.currentStep,
            "time_ps": state.getTime().value_in_unit(openmm.unit.picosecond),
            **stats.as_dict(),
        }
        if self._writer is None:
            self._writer = csv.DictWriter(self._out, fieldnames=list(row))
            self._writer.writeheader()
        self._writer.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in row.items()})
        if hasattr(self._out, "flush"):
            self._out.flush()

    def close(self) -> None:
        if self._own and not self._out.closed:
            self._out.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def read_stats_csv(path) -> list[dict]:
    """Read an AsteroidReporter CSV back as a list of dicts of floats (``step`` as int)."""
    with open(path, newline="") as f:
        text = f.read()
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        rows.append({k: (int(v) if k == "step" else float(v)) for k, v in row.items()})
    return rows
