// openmm-torch 1.5's CUDA plugin was built against torch 2.9, where the line
// argument of c10_cuda_check_implementation was `int`; torch 2.11 made it
// `unsigned int`. Same registers, so forward the old mangled name.
namespace c10 { namespace cuda {
void c10_cuda_check_implementation(int, const char*, const char*, unsigned int, bool);
void c10_cuda_check_implementation(int err, const char* file, const char* fn, int line, bool wait) {
    c10_cuda_check_implementation(err, file, fn, static_cast<unsigned int>(line), wait);
}
}}
