/* Stand-in for libcufft.so.11 so OpenMM's CUDA plugin loads where only the
   CUDA 13 toolkit is installed. Every call fails with CUFFT_NOT_SUPPORTED (16):
   only systems without PME (no FFT) can run. Benchmark set-up only. */
#define STUB(name) int name() { return 16; }
STUB(cufftDestroy) STUB(cufftExecC2C) STUB(cufftExecC2R) STUB(cufftExecD2Z)
STUB(cufftExecR2C) STUB(cufftExecZ2D) STUB(cufftExecZ2Z) STUB(cufftPlan3d) STUB(cufftSetStream)
