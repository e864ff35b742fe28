"""Device check 2: CUDA TorchForce energies/forces vs torch autograd; MD step cost with/without CUDA graphs."""
import json, os, sys, time
import numpy as np
import torch
from asteroid_openmm._openmm import import_openmm
openmm = import_openmm()
unit = openmm.unit
from asteroid_openmm.systems import get_system
from asteroid_openmm.systems.ani import scripted_ani_potential
import openmmtorch
out = {}
for name in sys.argv[1:]:
    s = get_system(name)
    res = {}
    pos = np.asarray(s.positions.value_in_unit(unit.nanometer) if hasattr(s.positions, "value_in_unit") else s.positions, dtype=np.float64)
    mod = scripted_ani_potential(tuple(int(z) for z in s.atomic_numbers))
    x = torch.tensor(pos, requires_grad=True)
    e = mod(x); e.backward()
    e_ref, f_ref = float(e), -x.grad.numpy()
    integ = openmm.VerletIntegrator(0.0005)
    ctx = openmm.Context(s.system, integ, openmm.Platform.getPlatformByName("CUDA"), {"Precision": "mixed"})
    ctx.setPositions(s.positions)
    st = ctx.getState(getEnergy=True, getForces=True)
    e_cu = st.getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
    f_cu = np.asarray(st.getForces(asNumpy=True).value_in_unit(unit.kilojoule_per_mole / unit.nanometer))
    res.update(energy_torch_cpu=e_ref, energy_cuda=e_cu, max_force_diff=float(np.abs(f_cu - f_ref).max()), max_force=float(np.abs(f_ref).max()))
    print(f"{name}: E torch-cpu {e_ref:.4f} openmm-cuda {e_cu:.4f} kJ/mol; max|dF| {res['max_force_diff']:.3e} of max|F| {res['max_force']:.1f} kJ/mol/nm", flush=True)
    del ctx, integ
    # the scripted module alone on the GPU: forward + backward, synchronised
    mc = mod.to("cuda")
    xc = torch.tensor(pos, device="cuda", requires_grad=True)
    for i in range(30):
        xc.grad = None; mc(xc).backward()
    torch.cuda.synchronize(); t0 = time.perf_counter()
    for i in range(100):
        xc.grad = None; mc(xc).backward()
    torch.cuda.synchronize()
    res["torch_only_cuda_ms"] = 1e3 * (time.perf_counter() - t0) / 100
    mod.to("cpu")
    print(f"{name}: scripted ANI-1x alone on CUDA, forward+backward: {res['torch_only_cuda_ms']:.2f} ms", flush=True)
    for graphs in ("false", "true"):
        for i in range(s.system.getNumForces()):
            f = s.system.getForce(i)
            if f.getName() == "ANI-1x":
                openmmtorch.TorchForce.cast(f).setProperty("useCUDAGraphs", graphs)
        try:
            integ = s.make_integrator(seed=1)
            ctx = openmm.Context(s.system, integ, openmm.Platform.getPlatformByName("CUDA"))
            ctx.setPositions(s.positions); ctx.setVelocitiesToTemperature(500, 1)
            times = []
            for block in range(8):
                t0 = time.perf_counter(); integ.step(50); ctx.getState(getEnergy=True)
                times.append(1e3 * (time.perf_counter() - t0) / 50)
            e = ctx.getState(getEnergy=True).getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
            res[f"cuda_ms_per_step_graphs_{graphs}"] = times
            print(f"{name}: CUDA plain MD useCUDAGraphs={graphs}: ms/step per 50-step block {np.round(times, 2).tolist()} (E {e:.1f})", flush=True)
            del ctx, integ
        except Exception as exc:
            print(f"{name}: useCUDAGraphs={graphs} failed: {str(exc)[:400]}", flush=True)
    out[name] = res
json.dump(out, open(os.path.join(os.environ.get("OUT", "."), "ani_cuda2.json"), "w"), indent=1)
