// Package sqlite is the market's durable state: a bonfire.Store on one
// SQLite file, using the pure-Go modernc.org/sqlite driver so that the market
// builds with CGO_ENABLED=0.
//
// Each object is kept whole as JSON next to the few columns that listing
// filters on, so the domain types can grow without a migration while
// queries stay indexed. The database runs in WAL mode with
// synchronous=NORMAL: a committed batch survives a crash of the process
// (not necessarily a power loss), and readers never wait for the writer.
// All writes go through one connection, so batches are serialised in this
// process and never fail with SQLITE_BUSY against each other; reads use a
// small pool of read-only connections.
package sqlite
