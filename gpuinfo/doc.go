// Package gpuinfo finds a provider's GPUs by running nvidia-smi and parsing
// its CSV output (--query-gpu=name,memory.total,driver_version
// --format=csv,noheader,nounits) and its banner's CUDA version. It uses
// nvidia-smi only, not NVML: NVML's Go bindings need cgo, and the provider
// binary must build with CGO_ENABLED=0 for every platform. A machine
// without nvidia-smi simply has no GPUs.
package gpuinfo
