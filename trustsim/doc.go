// Package trustsim is the adversarial simulation of issue 4: it runs honest
// and cheating providers, in this process, through the real market (its
// store, bus, blob server, scheduler, commit–reveal, canaries, hardware
// challenges and slashing) and reports what verification achieved and
// what it cost.
//
// Every provider is a real provider.Provider with its own key, NATS
// connection and work directory. Its executor wraps the WASM executor: an
// honest one runs the task and writes the task's one right output, a
// cheater cheats in one of the modes of Mode. Because every wrong output is
// marked, Run can read each accepted result back from the blob store and
// count the wrong ones the market let through, which must be none.
//
// The package is a test bed and a benchmark (`bonfire bench trust`), not
// part of a market: it shortens every timeout so that a scenario of
// thousands of tasks runs in seconds.
package trustsim
