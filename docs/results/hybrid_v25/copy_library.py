"""Give a model file the shipped aspirin model's donor library (the same 4096 MC-MD frames, 500 K).

    python docs/results/hybrid_v25/copy_library.py MODEL.pt
"""
import sys
from asteroid_openmm.model import load_model
from asteroid_openmm.model.checkpoint import save_model
from asteroid_openmm.model.donor_library import attach_donor_library, donor_library

library = donor_library(load_model("aspirin"))
model = load_model(sys.argv[1], device="cpu")
attach_donor_library(model, library.frames, library.temperature, library.source)
save_model(model, sys.argv[1], provenance=model.provenance, extra=model.extra)
print(f"{sys.argv[1]}: {len(library.frames)} library frames ({library.source})")
