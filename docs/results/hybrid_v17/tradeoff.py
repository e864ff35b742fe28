"""The speed-up / fidelity trade-off of 100 ps ethanol hybrid settings: mean 25 ps pass rate against mean speed-up.

    python docs/results/hybrid_v17/tradeoff.py NOISE.json PLOT.png RESULT.json [RESULT.json ...]

NOISE.json: benchmarks/fidelity_noise.py over the same results (pass rate per run and of plain MD itself).
A setting is the result files' name less its seed suffix (``name_s1300.json`` -> ``name``), so runs of one setting
by different code versions can carry different names. Prints a markdown table; the plot marks plain MD's own
pass rate and the 10x target. Since the thirtieth session this is ``benchmarks/tradeoff.py`` with the
seventeenth session's choices (reported speed-ups, settings by file name).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
import tradeoff  # noqa: E402

noise, plot, *results = sys.argv[1:]
sys.exit(tradeoff.main([plot, "--panel", "Ethanol (ANI-1x, 500 K), 100 ps hybrids", noise, *results,
                        "--speedup", "reported", "--group-by", "file"]))
