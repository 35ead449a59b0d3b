package dockerexec

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/moby/moby/client"

	"github.com/bonfirenet/bonfire"
)

// Options configure an Executor.
type Options struct {
	// Host is the engine's address (unix:///var/run/docker.sock,
	// tcp://…); empty takes DOCKER_HOST or the platform's default.
	Host string
	// AllowNetwork lets tasks whose job asks for the network have it. A
	// request for the network is refused without it, whatever the caller
	// passed.
	AllowNetwork bool
	// Network is the engine network such tasks join; empty is "bridge".
	Network string
	// GPUs is how many GPUs tasks may be given (through the "nvidia"
	// device driver); 0 refuses every GPU request.
	GPUs int
	// ImageCacheBytes caps the disk used by images this executor pulled or
	// loaded; past it the least recently used are removed. 0: no cap.
	ImageCacheBytes int64
	// StateDir keeps the image cache's index across restarts; empty keeps
	// it in memory.
	StateDir string
	// User is the uid:gid tasks run as, whatever the image says; empty is
	// the provider's own user on Linux when it is not root, else 65534
	// (nobody). Tasks never run as root.
	User string
	// PidsLimit caps a task's processes; 0 means DefaultPidsLimit.
	PidsLimit int64
	// PollQuota measures the output directory instead of mounting a
	// size-limited tmpfs for it (which needs root on Linux; without it
	// the executor polls anyway).
	PollQuota bool
	// TempDir is where output tmpfs mounts are staged; empty is the
	// system's temporary directory. Nothing is left in it after a run.
	TempDir string
	// Log receives image-cache and clean-up notes; nil discards them.
	Log *slog.Logger
}

// Executor runs container images through a Docker engine. It is safe for
// concurrent use.
type Executor struct {
	cli        *client.Client
	opts       Options
	cache      *imageCache
	imageLocks sync.Map // image reference → *sync.Mutex
}

var _ bonfire.Executor = (*Executor)(nil)

// New connects to the engine, negotiating the API version, and fails with
// ECodeUnavailable when no engine answers within ten seconds.
func New(ctx context.Context, opts Options) (*Executor, error) {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.ImageCacheBytes < 0 || opts.GPUs < 0 || opts.PidsLimit < 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "negative docker executor option").
			WithHint("give the image cache cap, GPU count and process limit as 0 or more")
	}
	clientOpts := []client.Opt{client.FromEnv, client.WithAPIVersionNegotiation()}
	if opts.Host != "" {
		clientOpts = append(clientOpts, client.WithHost(opts.Host))
	}
	cli, err := client.New(clientOpts...)
	if err != nil {
		return nil, errUnavailable(err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := cli.Ping(pctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		cli.Close()
		return nil, errUnavailable(err)
	}
	return &Executor{cli: cli, opts: opts, cache: newImageCache(opts.ImageCacheBytes, opts.StateDir)}, nil
}

// Available reports whether a Docker engine answers at host (empty: the
// environment's default) within timeout. Providers advertise the docker
// executor only when it does.
func Available(ctx context.Context, host string, timeout time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	x, err := New(ctx, Options{Host: host})
	if err != nil {
		return false
	}
	x.Close()
	return true
}

// Name returns "docker", the executor's name in job specs.
func (x *Executor) Name() string { return bonfire.ExecutorDocker }

// APIVersion is the engine API version negotiated.
func (x *Executor) APIVersion() string { return x.cli.ClientVersion() }

// Client is the engine client, for tests and tools that inspect what the
// executor left behind.
func (x *Executor) Client() *client.Client { return x.cli }

// CachedImageBytes is the size of the images the executor keeps.
func (x *Executor) CachedImageBytes() int64 { return x.cache.total() }

// Close releases the engine connection. Containers of runs still in
// progress are killed and removed by those runs.
func (x *Executor) Close() error { return x.cli.Close() }
