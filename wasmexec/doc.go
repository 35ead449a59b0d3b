// Package wasmexec runs WebAssembly (WASI preview 1) workloads for a
// provider: it implements bonfire.Executor on top of wazero.
//
// Each module is compiled once per Executor (keyed by its digest) and every
// Run instantiates it afresh, so tasks share nothing but the compiled code.
//
// # What the guest sees
//
// The guest sees no host file system except what the request names: every
// bonfire.Mount read-only at its GuestPath, and OutputDir writable at
// OutputGuest. A mount's HostPath must be a directory. A single-file input
// is laid out by the provider as a host directory holding that file under
// its guest base name, mounted at the file's guest parent directory: the
// input "/in/data.csv" becomes a host directory D with D/data.csv, mounted
// at "/in". Inputs that share a guest parent share one host directory. The
// provider must not place symlinks in mounted directories; the guest cannot
// create any (symlink and hard link are refused in the output directory).
//
// # Determinism
//
// With Determinism.Deterministic (the default of job specs) the guest gets
// no wall clock (a virtual clock: time starts at 2022-01-01 UTC, advances
// 1ms per reading, and sleeping advances it at once), random_get reads a ChaCha8 stream seeded from
// ExecRequest.Seed, file metadata is normalised (zero timestamps, inode
// numbers derived from the guest path, constant device, link count 1, zero
// size for directories) and directory listings are sorted by name, so
// identical requests produce bit-identical stdout, stderr and outputs.
// Determinism.Clock and Determinism.Random re-enable the real clock and
// crypto/rand individually. argv[0] is always "task" so that it does not
// depend on which task ran the module.
//
// # Limits
//
// A zero limit means "no limit" (for memory: the 4 GiB WebAssembly
// maximum). Memory is enforced per Run by a wazero memory allocator that
// refuses to grow past Limits.MemoryBytes (rounded down to 64 KiB pages);
// a run that hits it and then fails reports ECodeOutOfMemory. Stdout and
// stderr are each capped at Limits.LogBytes, and everything written under
// the output directory at Limits.OutputBytes; the write that would cross a
// cap is stopped (log writes are truncated at the cap) and the run ends
// with ECodeQuota. Output bytes are counted as written, including holes
// left by seeking past the end of a file or by growing truncation;
// overwriting counts again.
//
// # Usage
//
// Usage covers instantiating and running the module, not compiling it
// (compilation is shared by every run of the module). CPUNanos is the CPU
// time of the OS thread the guest ran on (the run is pinned to one thread);
// outside Linux it is the wall time. PeakMemoryBytes is the size of the
// guest's linear memory at the end, which only ever grows.
package wasmexec
