package dockerexec

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/bonfirenet/bonfire"
)

// cleanupTimeout bounds the kill and removal that follow every run; they
// use a fresh context so a cancelled task still cleans up.
const cleanupTimeout = 30 * time.Second

// Run executes req in a new container and reports how it ended. Workload
// failures (image not found, pull failed, digest mismatch, exit code,
// timeout, out of memory, output or log quota) are in the result; an error
// means the request or the engine is at fault. The container is removed
// before Run returns, whatever happened.
func (x *Executor) Run(ctx context.Context, req *bonfire.ExecRequest) (*bonfire.ExecResult, error) {
	if req == nil || req.OutputDir == "" {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "docker executor: a request needs an output directory")
	}
	fail := func(e *bonfire.Error) (*bonfire.ExecResult, error) {
		return &bonfire.ExecResult{ExitCode: NoExitCode, Err: e}, nil
	}
	if req.Network && !x.opts.AllowNetwork {
		return fail(bonfire.Errorf(bonfire.ECodeForbidden, "this provider does not let tasks reach the network").
			WithHint("run the job on a provider that allows network access, or ship what it downloads as an input"))
	}
	if g := req.GPU; g != nil && g.Count > x.opts.GPUs {
		return fail(bonfire.Errorf(bonfire.ECodeInvalid, "the task asks for %d GPUs; this provider lends %d to containers", g.Count, x.opts.GPUs).
			WithField("resources.gpu.count"))
	}

	imageID, bad, err := x.image(ctx, req)
	switch {
	case err != nil && ctx.Err() != nil:
		return fail(stoppedBefore(ctx))
	case err != nil:
		return nil, fmt.Errorf("docker executor: preparing image %s: %w", req.Image, err)
	case bad != nil:
		return fail(bad)
	}
	// image() marked it in use; it may be evicted only after this run.
	defer func() {
		x.cache.release(imageID)
		ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		x.evict(ectx)
	}()

	out, err := newOutputDir(req.OutputDir, req.Limits.OutputBytes, x.opts.PollQuota, x.opts.TempDir)
	if err != nil {
		return nil, fmt.Errorf("docker executor: output directory: %w", err)
	}
	defer out.close()

	cfg, host, bad := containerSpec(req, imageID, out.host, x.opts)
	if bad != nil {
		return fail(bad)
	}
	res, err := x.runContainer(ctx, req, cfg, host, out)
	if res != nil {
		res.Image = imageID
	}
	return res, err
}

func stoppedBefore(ctx context.Context) *bonfire.Error {
	if errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		return bonfire.Errorf(bonfire.ECodeTimeout, "the task's deadline passed while its image was prepared")
	}
	return bonfire.Errorf(bonfire.ECodeCancelled, "the task was cancelled while its image was prepared")
}

func (x *Executor) runContainer(ctx context.Context, req *bonfire.ExecRequest, cfg *container.Config, host *container.HostConfig, out *outputDir) (*bonfire.ExecResult, error) {
	// Everything after creation runs on a context that outlives ctx, so a
	// cancelled task is still killed, waited for and removed.
	bg, cancelBG := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBG()

	created, err := x.cli.ContainerCreate(ctx, client.ContainerCreateOptions{Config: cfg, HostConfig: host, Name: containerName(req.TaskID)})
	if err != nil {
		if ctx.Err() != nil {
			return &bonfire.ExecResult{ExitCode: NoExitCode, Err: stoppedBefore(ctx)}, nil
		}
		return nil, fmt.Errorf("docker executor: creating the container: %w", err)
	}
	id := created.ID
	defer x.remove(ctx, id)

	runCtx, cancelRun := ctx, context.CancelFunc(func() {})
	if req.Limits.Timeout > 0 {
		runCtx, cancelRun = context.WithTimeout(ctx, req.Limits.Timeout)
	}
	defer cancelRun()

	stdout := &capWriter{w: req.Stdout, limit: req.Limits.LogBytes}
	stderr := &capWriter{w: req.Stderr, limit: req.Limits.LogBytes}
	start := time.Now()
	if _, err := x.cli.ContainerStart(runCtx, id, client.ContainerStartOptions{}); err != nil {
		if runCtx.Err() != nil {
			return &bonfire.ExecResult{ExitCode: NoExitCode, Err: stoppedBefore(runCtx)}, nil
		}
		return nil, fmt.Errorf("docker executor: starting the container: %w", err)
	}
	logsDone := x.streamLogs(bg, id, stdout, stderr)
	stats := x.sampleStats(bg, id)
	wait := x.cli.ContainerWait(bg, id, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})

	var (
		exit   int64 = NoExitCode
		killed *bonfire.Error
	)
	select {
	case r := <-wait.Result:
		exit = r.StatusCode
	case err := <-wait.Error:
		return nil, fmt.Errorf("docker executor: waiting for the container: %w", err)
	case <-runCtx.Done():
		if ctx.Err() != nil {
			killed = cancelled()
		} else {
			killed = timedOut(req.Limits.Timeout.String())
		}
	case <-out.exceeded:
		killed = outputQuota(req.Limits.OutputBytes)
	}
	wall := time.Since(start)
	if killed != nil {
		x.kill(bg, id)
	}
	// The log stream ends when the container has stopped; a killed
	// container is given the clean-up time to get there.
	select {
	case <-logsDone:
	case <-time.After(cleanupTimeout):
	}
	usage := stats.stop()
	usage.WallNanos = wall.Nanoseconds()
	if usage.CPUNanos == 0 { // ended before the engine's first sample: charge the CPU it was allowed
		usage.CPUNanos = wall.Nanoseconds() * max(req.Limits.CPUMilli, 1000) / 1000
	}
	if g := req.GPU; g != nil {
		usage.GPUNanos = int64(g.Count) * wall.Nanoseconds()
	}
	res := &bonfire.ExecResult{ExitCode: int(exit), Usage: usage, Err: killed}
	if killed != nil && killed.Code == bonfire.ECodeQuota {
		out.discard()
	}
	if killed != nil {
		res.ExitCode = NoExitCode
		return res, nil
	}
	if info, err := x.cli.ContainerInspect(bg, id, client.ContainerInspectOptions{}); err == nil && info.Container.State != nil && info.Container.State.OOMKilled {
		res.Err = outOfMemory(req.Limits.MemoryBytes)
		return res, nil
	}
	// The engine learns of an OOM kill from an event that can come after
	// the exit (cgroup v1 under load); a SIGKILL nobody here sent, in a
	// container with a memory limit, is the kernel's OOM killer.
	if exit == 128+9 && req.Limits.MemoryBytes > 0 {
		res.Err = outOfMemory(req.Limits.MemoryBytes)
		res.Err.Message += " (killed by SIGKILL, exit code 137)"
		return res, nil
	}
	switch {
	case out.over():
		res.Err = outputQuota(req.Limits.OutputBytes)
		out.discard()
	case stdout.exceeded():
		res.Err = logQuota("stdout", req.Limits.LogBytes)
	case stderr.exceeded():
		res.Err = logQuota("stderr", req.Limits.LogBytes)
	case exit != 0:
		res.Err = exitError(int(exit), req.Network)
	default:
		if err := out.finish(); err != nil {
			return nil, fmt.Errorf("docker executor: collecting outputs: %w", err)
		}
	}
	return res, nil
}

// streamLogs follows the container's output, demultiplexed, until it stops.
func (x *Executor) streamLogs(ctx context.Context, id string, stdout, stderr *capWriter) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		rc, err := x.cli.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Follow: true})
		if err != nil {
			return
		}
		defer rc.Close()
		_, _ = stdcopy.StdCopy(stdout, stderr, rc)
	}()
	return done
}

// statsSampler keeps the engine's latest CPU total and the memory peak of a
// running container (the engine samples about once a second).
type statsSampler struct {
	mu     sync.Mutex
	usage  bonfire.Usage
	cancel context.CancelFunc
	done   chan struct{}
}

func (x *Executor) sampleStats(ctx context.Context, id string) *statsSampler {
	ctx, cancel := context.WithCancel(ctx)
	s := &statsSampler{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		resp, err := x.cli.ContainerStats(ctx, id, client.ContainerStatsOptions{Stream: true})
		if err != nil {
			return
		}
		defer resp.Body.Close()
		dec := json.NewDecoder(resp.Body)
		for {
			var st container.StatsResponse
			if dec.Decode(&st) != nil {
				return
			}
			s.mu.Lock()
			s.usage.CPUNanos = max(s.usage.CPUNanos, int64(st.CPUStats.CPUUsage.TotalUsage))
			s.usage.PeakMemoryBytes = max(s.usage.PeakMemoryBytes, int64(st.MemoryStats.MaxUsage), int64(st.MemoryStats.Usage))
			s.mu.Unlock()
		}
	}()
	return s
}

func (s *statsSampler) stop() bonfire.Usage {
	s.cancel()
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.usage
}

func (x *Executor) kill(ctx context.Context, id string) {
	kctx, cancel := context.WithTimeout(ctx, cleanupTimeout)
	defer cancel()
	if _, err := x.cli.ContainerKill(kctx, id, client.ContainerKillOptions{Signal: "KILL"}); err != nil &&
		!strings.Contains(err.Error(), "is not running") {
		x.opts.Log.Warn("killing container", "container", id, "err", err)
	}
	w := x.cli.ContainerWait(kctx, id, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
	select {
	case <-w.Result:
	case <-w.Error:
	}
}

// remove deletes the container and its anonymous volumes with a fresh
// context, so it happens however the run ended.
func (x *Executor) remove(ctx context.Context, id string) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if _, err := x.cli.ContainerRemove(rctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil {
		x.opts.Log.Error("removing container", "container", id, "err", err)
	}
}

// containerName is unique per attempt and says which task it runs.
func containerName(taskID string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' {
			return r
		}
		return '-'
	}, taskID)
	if len(clean) > 100 {
		clean = clean[:100]
	}
	return "bonfire-" + clean + "-" + hex.EncodeToString(b[:])
}
