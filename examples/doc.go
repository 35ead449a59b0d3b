// Package examples ships Bonfire's example AI workloads so that the CLI's
// demo runs without a checkout: the job specs, the WASI modules they run
// (bin/*.wasm, built from wasm/* by build.sh), the digits data set, the
// trained model used by batch inference and the text shards.
//
// The modules are committed rather than built on demand because a user's
// machine need not have a Go toolchain; tests keep them honest by rebuilding
// from source and comparing bytes, and by running them under wazero.
//
// The examples:
//
//   - digits-sweep: a learning-rate × hidden-size sweep of a small neural
//     network on handwritten digits, ranked by held-out accuracy.
//   - batch-inference: a trained model classifying the digits in 4 shards.
//   - text-tokens: token counts and hashed embeddings over 4 text shards.
package examples
