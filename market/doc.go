// Package market is Bonfire's coordinator. It accepts jobs (JobService),
// keeps the live state of unfinished jobs in memory with every change
// written through to the Store before it is acknowledged, answers providers
// over NATS (register, heartbeat, pull, report), and asks the scheduler
// where tasks go. See README.md for the flow and the lock order.
package market
