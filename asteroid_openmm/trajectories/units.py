"""Unit conversion constants, kept in one place.

The package works in nm, ps, kJ/mol and degrees at every public boundary. Files
in other conventions (MD17 ``.npz`` stores Å) are converted at the edge, using
these constants, so that no other module hard-codes a factor of 10.
"""

from __future__ import annotations

import math

#: Å per nm. Divide Å by this to get nm.
ANGSTROM_PER_NM = 10.0
#: nm per Å. Multiply Å by this to get nm.
NM_PER_ANGSTROM = 0.1
#: fs per ps.
FS_PER_PS = 1000.0
#: Degrees per radian.
DEGREES_PER_RADIAN = 180.0 / math.pi
#: kJ per kcal (thermochemical calorie). MD17 energies are in kcal/mol.
KJ_PER_KCAL = 4.184

__all__ = [
    "ANGSTROM_PER_NM",
    "NM_PER_ANGSTROM",
    "FS_PER_PS",
    "DEGREES_PER_RADIAN",
    "KJ_PER_KCAL",
]
