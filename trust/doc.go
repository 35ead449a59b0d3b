// Package trust decides whether the market may believe a provider's result.
// It holds the rules of issue 4 as pure functions and small records:
//
//   - Policy (verify: adaptive | replicate: N | none) and NeedsCheck, which
//     says how many providers must run a task, after BOINC's adaptive
//     replication: a provider is always checked until it has 10 consecutive
//     agreeing results, then with probability 1/CV;
//   - Round, the commit–reveal exchange that stops a lazy replica copying
//     another's answer;
//   - Decide, the quorum and referee rule over one task's replica results;
//   - Canary, tasks whose answer the market already knows;
//   - Challenge, a nonce-seeded CPU benchmark that checks claimed hardware;
//   - Reputation, the per-provider record those events update, and Score;
//   - RequiredStake, the bond that makes cheating lose money on average.
//
// The market calls all of it under its own lock, so nothing here does I/O,
// starts goroutines or reads a clock: times and randomness (math/rand/v2)
// come in as arguments, which is also what lets the tests be deterministic.
// It imports only the standard library and the core package. See
// docs/trust.md for the economics and how the defaults were chosen.
package trust
