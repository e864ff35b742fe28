/* libOpenMMTorch.so (openmm-torch 1.5) lists libnvrtc.so.12 as NEEDED but calls none of
   its functions; the device image has CUDA 13's libnvrtc.so.13 only. This empty library
   with that soname satisfies the loader. */
int asteroid_nvrtc12_stub;
