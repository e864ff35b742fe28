"""Device check: ANI-1x TorchForce on OpenMM's CUDA platform (energies, forces, MD speed)."""
import json, os, sys, time
import numpy as np
import torch
import openmm

out = {"torch": torch.__version__, "openmm": openmm.__version__}
plugin_dir = os.path.join(openmm.version.openmm_library_path, "plugins")
for name in sorted(os.listdir(plugin_dir)):
    if "Torch" in name:
        try:
            openmm.Platform.loadPluginLibrary(os.path.join(plugin_dir, name))
            print("loaded", name)
        except Exception as exc:
            print("FAILED", name, str(exc)[:300])
print("import-time failures:", [f[:200] for f in openmm.Platform.getPluginLoadFailures()])
out["platforms"] = [openmm.Platform.getPlatform(i).getName() for i in range(openmm.Platform.getNumPlatforms())]
print(out, flush=True)
from asteroid_openmm.systems import get_system
from asteroid_openmm.systems.ani import torch_threads

unit = openmm.unit
GPU = os.environ.get("GPU_PLATFORM", "CUDA")
systems = sys.argv[1:] or ["ethanol", "aspirin"]
for name in systems:
    s = get_system(name)
    res = {}
    ef = {}
    for plat, props in [("CPU", {}), (GPU, {"Precision": "mixed"} if GPU == "CUDA" else {})]:
        integ = openmm.VerletIntegrator(0.0005)
        ctx = openmm.Context(s.system, integ, openmm.Platform.getPlatformByName(plat), props)
        ctx.setPositions(s.positions)
        with torch_threads(1):
            st = ctx.getState(getEnergy=True, getForces=True)
        ef[plat] = (st.getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole),
                    np.asarray(st.getForces(asNumpy=True).value_in_unit(unit.kilojoule_per_mole / unit.nanometer)))
        del ctx, integ
    dE = abs(ef[GPU][0] - ef["CPU"][0])
    dF = float(np.abs(ef[GPU][1] - ef["CPU"][1]).max())
    Fmax = float(np.abs(ef["CPU"][1]).max())
    res["energy_cpu"], res["energy_cuda"], res["max_force_diff"], res["max_force"] = ef["CPU"][0], ef[GPU][0], dF, Fmax
    print(f"{name}: E cpu {ef['CPU'][0]:.4f} cuda {ef[GPU][0]:.4f} kJ/mol (|dE| {dE:.2e}); max|dF| {dF:.3e} of max|F| {Fmax:.1f}", flush=True)
    # plain MD speed on CUDA, with and without CUDA graphs in openmm-torch
    for graphs in ("false", "true"):
        system = s.system  # properties are read when the Context is made
        for i in range(system.getNumForces()):
            f = system.getForce(i)
            if f.getName() == "ANI-1x":
                import openmmtorch
                f = openmmtorch.TorchForce.cast(f) if hasattr(openmmtorch.TorchForce, "cast") else f
                try:
                    f.setProperty("useCUDAGraphs", graphs)
                    print("properties:", dict(f.getProperties()))
                except Exception as exc:
                    print("setProperty failed:", exc)
        try:
            integ = s.make_integrator(seed=1)
            ctx = openmm.Context(system, integ, openmm.Platform.getPlatformByName(GPU))
            ctx.setPositions(s.positions)
            ctx.setVelocitiesToTemperature(500, 1)
            integ.step(200)
            ctx.getState(getEnergy=True)
            n, t0 = 0, time.perf_counter()
            while time.perf_counter() - t0 < 8:
                integ.step(100); n += 100
            ctx.getState(getPositions=True)
            ms = 1e3 * (time.perf_counter() - t0) / n
            e = ctx.getState(getEnergy=True).getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
            res[f"cuda_ms_per_step_graphs_{graphs}"] = ms
            print(f"{name}: CUDA plain MD, useCUDAGraphs={graphs}: {ms:.3f} ms/step ({n} steps, final E {e:.1f})", flush=True)
            del ctx, integ
        except Exception as exc:
            print(f"{name}: CUDA MD with useCUDAGraphs={graphs} failed: {str(exc)[:300]}", flush=True)
    # CPU platform on this machine's cores, for the same-machine comparison
    integ = s.make_integrator(seed=1)
    ctx = openmm.Context(s.system, integ, openmm.Platform.getPlatformByName("CPU"))
    ctx.setPositions(s.positions); ctx.setVelocitiesToTemperature(500, 1)
    with torch_threads(1):
        integ.step(50)
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < 4:
            integ.step(50); n += 50
    res["cpu_ms_per_step"] = 1e3 * (time.perf_counter() - t0) / n
    print(f"{name}: CPU platform plain MD ({os.environ.get('OPENMM_CPU_THREADS', 'all')} threads, 1 torch thread): {res['cpu_ms_per_step']:.3f} ms/step", flush=True)
    out[name] = res
json.dump(out, open(os.path.join(os.environ.get("OUT", "."), "ani_cuda.json"), "w"), indent=1)
