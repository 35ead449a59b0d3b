// Package jobspec reads, checks, expands and resolves Bonfire job specs.
//
// A consumer writes a job as YAML (apiVersion: bonfire/v1, kind: Job). Parse
// turns it into a bonfire.JobSpec with defaults filled, reporting every
// problem at once with the field path and line of each. Resolve uploads the
// local module and input files it names and replaces them by digests, which
// is the only form the market accepts; the market checks a submission with
// CheckResolved and turns it into tasks with Expand.
//
// The YAML path (Parse) and the struct path (CheckResolved, for JSON
// submissions) share one set of rules in validate.go, so a spec that parses
// and resolves on a laptop is accepted by the market, and a hand-written JSON
// submission cannot bypass a rule the YAML path enforces. See
// docs/jobspec.md for the reference a consumer reads.
package jobspec
