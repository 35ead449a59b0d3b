// Package dockerexec is Bonfire's container executor: it runs a task's OCI
// image through the Docker Engine API (github.com/moby/moby/client, API
// version negotiated with the engine, 1.40 or newer) with no network unless
// the job asks for it and the provider allows it, a read-only root
// filesystem, every capability dropped, no new privileges, CPU, memory and
// process limits, the task's inputs bind-mounted read-only and its output
// directory writable within a size quota. Logs are demultiplexed to the
// request's stdout and stderr; a timeout or cancellation kills the
// container, and the container is always removed.
//
// Images come from a registry (pulled, pinned by digest or by a tag the
// executor resolves to the image ID it reports), or from a `docker save`
// archive the provider fetched from the market's blob store, named in the
// spec by the archive's digest. Images the executor pulled or loaded are
// kept up to a disk cap and evicted least recently used first.
//
// See README.md for the flow of one task.
package dockerexec
