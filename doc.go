// Package bonfire holds Bonfire's domain: jobs, tasks, providers, results,
// the error type every layer returns, and the service interfaces that the
// infrastructure packages (sqlite, blobfs, natsbus, wasmexec, httpapi)
// implement. It imports no infrastructure package; a test enforces that.
//
// Data flows consumer → market → provider → executor and back:
// a JobSpec is resolved (module and inputs uploaded as blobs), expanded into
// Tasks, scheduled onto providers, executed, and each execution returns a
// TaskResult signed by the provider that carries everything a verifier and a
// payer need: identity, inputs digest, output digest and measured usage.
package bonfire
