package provider

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/protocol"
)

// execute runs one assignment to the end and queues its signed result,
// unless the task was cancelled by the market (nothing is owed) or handed
// back (the hand-back is owed instead).
func (p *Provider) execute(ctx context.Context, a protocol.Assignment, rt *runningTask) {
	log := p.log.With("task", a.TaskID, "attempt", a.Attempt, "job", a.JobID)
	dir, err := p.dirs.get()
	if err != nil {
		p.finish(ctx, a, rt, &bonfire.ExecResult{Err: bonfire.Errorf(bonfire.ECodeInternal, "creating task directory: %v", err)}, nil)
		return
	}
	defer p.dirs.put(dir)

	res, outputs := p.run(ctx, a, dir)
	if res.Err != nil {
		log.Info("task attempt failed", "code", res.Err.Code, "err", res.Err.Message)
	}
	p.finish(ctx, a, rt, res, outputs)
}

// run prepares the task's files, executes it and uploads its outputs.
func (p *Provider) run(ctx context.Context, a protocol.Assignment, dir string) (*bonfire.ExecResult, []bonfire.FileRef) {
	exec := p.executors[a.Executor]
	if exec == nil {
		return &bonfire.ExecResult{Err: bonfire.Errorf(bonfire.ECodeInvalid, "this provider has no %q executor", a.Executor)}, nil
	}
	if a.Resources.Network && !p.cfg.AllowNetwork {
		return &bonfire.ExecResult{Err: bonfire.Errorf(bonfire.ECodeForbidden, "this provider does not let tasks reach the network").
			WithHint("the job asks for network: true; run it on a provider that allows it")}, nil
	}
	req := &bonfire.ExecRequest{TaskID: a.TaskID, ModuleDigest: a.Module, Image: a.Image, Args: a.Args, Env: a.Env,
		OutputGuest: a.Outputs, Determinism: a.Determinism, Seed: a.Seed, Network: a.Resources.Network, GPU: a.Resources.GPU,
		Limits: bonfire.Limits{CPUMilli: a.Resources.CPUMilli, MemoryBytes: a.Resources.MemoryBytes, Timeout: a.Timeout.D(),
			LogBytes: p.cfg.LogBytes, OutputBytes: p.cfg.OutputBytes}}
	if a.Module == "" && bonfire.IsDigest(a.Image) {
		req.ModuleDigest = bonfire.Digest(a.Image) // an image uploaded as a docker save archive: fetched like a module
	}
	if req.ModuleDigest != "" {
		mod, err := p.fetch(ctx, req.ModuleDigest)
		if err != nil {
			return &bonfire.ExecResult{Err: asError(err, "fetching the module")}, nil
		}
		req.ModulePath = mod
	}
	mounts, err := p.layoutInputs(ctx, a, filepath.Join(dir, "in"))
	if err != nil {
		return &bonfire.ExecResult{Err: asError(err, "fetching inputs")}, nil
	}
	req.Mounts = mounts
	req.OutputDir = filepath.Join(dir, "out")
	req.Stdout = p.out.logWriter(a, "stdout")
	req.Stderr = p.out.logWriter(a, "stderr")
	res, err := exec.Run(ctx, req)
	flushLog(req.Stdout)
	flushLog(req.Stderr)
	if err != nil {
		return &bonfire.ExecResult{Err: asError(err, "executor failed")}, nil
	}
	if ctx.Err() != nil {
		return res, nil // cancelled or handed back: outputs are not wanted
	}
	outputs, err := p.uploadOutputs(ctx, req.OutputDir)
	if err != nil {
		return &bonfire.ExecResult{ExitCode: res.ExitCode, Usage: res.Usage, Image: res.Image, Err: asError(err, "uploading outputs")}, nil
	}
	return res, outputs
}

func flushLog(w io.Writer) {
	if f, ok := w.(interface{ Flush() }); ok {
		f.Flush()
	}
}

func asError(err error, doing string) *bonfire.Error {
	var e *bonfire.Error
	if errors.As(err, &e) {
		return e
	}
	return bonfire.Errorf(bonfire.ECodeInternal, "%s: %v", doing, err)
}

// upload sends one output file to the market. Tasks uploading identical
// content at the same moment are fine: each signed request carries its own
// nonce, and the blob store takes the same content twice safely.
func (p *Provider) upload(ctx context.Context, path string) (bonfire.Digest, int64, error) {
	p.mu.Lock()
	api := p.api
	p.mu.Unlock()
	return api.Upload(ctx, path)
}

func (p *Provider) fetch(ctx context.Context, d bonfire.Digest) (string, error) {
	p.mu.Lock()
	f := p.fetcher
	p.mu.Unlock()
	return f.Fetch(ctx, d)
}

// layoutInputs builds a read-only tree holding every input file at its
// guest path (hard links into the blob cache, so nothing is copied).
func (p *Provider) layoutInputs(ctx context.Context, a protocol.Assignment, root string) ([]bonfire.Mount, error) {
	if len(a.Inputs) == 0 {
		return nil, nil
	}
	for _, in := range a.Inputs {
		for _, f := range in.Files {
			src, err := p.fetch(ctx, f.Digest)
			if err != nil {
				return nil, err
			}
			guest := in.Path
			if f.Name != "" {
				guest = path.Join(in.Path, f.Name)
			}
			dst := filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(path.Clean(guest), "/")))
			if !strings.HasPrefix(dst, root+string(filepath.Separator)) {
				return nil, bonfire.Errorf(bonfire.ECodeInvalid, "input path %q leaves the input tree", guest)
			}
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return nil, err
			}
			if err := linkOrCopy(src, dst); err != nil {
				return nil, err
			}
		}
	}
	return topLevelMounts(root)
}

// topLevelMounts mounts each top-level directory of the input tree at its
// own guest path, so the output directory never nests inside an input
// mount. A file at the guest root forces one mount of the whole tree.
func topLevelMounts(root string) ([]bonfire.Mount, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var mounts []bonfire.Mount
	for _, e := range entries {
		if !e.IsDir() {
			return []bonfire.Mount{{HostPath: root, GuestPath: "/", ReadOnly: true}}, nil
		}
		mounts = append(mounts, bonfire.Mount{HostPath: filepath.Join(root, e.Name()), GuestPath: "/" + e.Name(), ReadOnly: true})
	}
	return mounts, nil
}

func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o444)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// uploadOutputs stores every regular file under dir in the local cache and
// uploads it to the market, returning the files sorted by name.
func (p *Provider) uploadOutputs(ctx context.Context, dir string) ([]bonfire.FileRef, error) {
	var refs []bonfire.FileRef
	err := filepath.WalkDir(dir, func(pth string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(dir, pth)
		digest, size, err := p.upload(ctx, pth)
		if err != nil {
			return err
		}
		refs = append(refs, bonfire.FileRef{Name: filepath.ToSlash(rel), Digest: digest, Size: size})
		return nil
	})
	sort.Slice(refs, func(i, j int) bool { return refs[i].Name < refs[j].Name })
	return refs, err
}

// outputDigest names a result's outputs and exit status, and the image
// that ran when there was one; two honest runs of a deterministic task give
// the same digest, and runs of different images never do.
func outputDigest(outputs []bonfire.FileRef, exitCode int, image string) bonfire.Digest {
	var b []byte
	if image == "" {
		b, _ = json.Marshal(struct {
			Outputs  []bonfire.FileRef
			ExitCode int
		}{outputs, exitCode})
	} else {
		b, _ = json.Marshal(struct {
			Outputs  []bonfire.FileRef
			ExitCode int
			Image    string
		}{outputs, exitCode, image})
	}
	return bonfire.DigestOf(append([]byte("bonfire/v1 task-outputs\n"), b...))
}

// finish turns an execution into what the market is owed.
func (p *Provider) finish(ctx context.Context, a protocol.Assignment, rt *runningTask, res *bonfire.ExecResult, outputs []bonfire.FileRef) {
	outcome := p.settle(ctx, a, rt, res, outputs)
	if p.cfg.Observer != nil {
		p.cfg.Observer.TaskFinished(outcome)
	}
	if p.log.Enabled(ctx, slog.LevelDebug) { // spares the hot path boxing the attributes
		p.log.Debug("task finished", "job", a.JobID, "task", a.TaskID, "attempt", a.Attempt, "outcome", outcome.String(),
			"exitCode", res.ExitCode)
	}
}

// settle queues the result or hand-back an execution owes and says which.
func (p *Provider) settle(ctx context.Context, a protocol.Assignment, rt *runningTask, res *bonfire.ExecResult, outputs []bonfire.FileRef) Outcome {
	p.mu.Lock()
	handback := rt.handback
	if handback != "" {
		p.stats.HandedBack++
	}
	p.mu.Unlock()
	if handback != "" {
		p.out.handback(protocol.Handback{TaskRef: rt.ref, Reason: handback})
		return OutcomeHandedBack
	}
	if ctx.Err() != nil {
		return OutcomeCancelled // by the market
	}
	r := &bonfire.TaskResult{TaskID: a.TaskID, JobID: a.JobID, Attempt: a.Attempt, Provider: p.cfg.Key.Address(),
		InputsDigest: a.InputsDigest(), Outputs: outputs, ExitCode: res.ExitCode, Error: res.Err, Usage: res.Usage,
		Image: res.Image, FinishedAt: time.Now().UTC()}
	if r.Error == nil && r.ExitCode != 0 {
		r.Error = bonfire.Errorf(bonfire.ECodeTaskFailed, "exited with code %d", r.ExitCode)
	}
	r.OutputDigest = outputDigest(outputs, res.ExitCode, res.Image)
	if err := identity.SignResult(p.cfg.Key, r); err != nil {
		p.log.Error("signing result", "job", a.JobID, "task", a.TaskID, "attempt", a.Attempt, "err", err)
		return OutcomeError
	}
	outcome := OutcomeSucceeded
	p.mu.Lock()
	if r.OK() {
		p.stats.Succeeded++
	} else {
		p.stats.Failed++
		outcome = OutcomeFailed
	}
	p.mu.Unlock()
	if a.Commit && r.OK() {
		p.out.commit(r)
	} else {
		p.out.result(r)
	}
	return outcome
}
