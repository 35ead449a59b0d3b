// Package scheduler decides where tasks run. It is a pure function of a
// read-only Snapshot: Place answers a provider's pull with the tasks it
// should run, Reap finds tasks whose provider went silent or whose time ran
// out. Both return a Plan; the market applies plans through its Planner.
// Nothing here touches the network, the clock or the database, so every
// decision is tested against in-memory state (see harness_test.go).
package scheduler
