package dockerexec

import (
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"

	"github.com/bonfirenet/bonfire"
)

// Labels set on every container the executor creates.
const (
	LabelTask     = "bonfire.task"     // the task ID
	LabelExecutor = "bonfire.executor" // always "docker"
)

// DefaultPidsLimit is how many processes a task may have when
// Options.PidsLimit is zero.
const DefaultPidsLimit = 512

// tmpSize is the size of the tmpfs at /tmp, which the read-only root
// filesystem would otherwise lack. It counts against the memory limit. Its
// mode is 1777 (the engine takes raw Unix bits, not os.ModeSticky), but
// runc gives it the mode of the image's own /tmp when the image has one:
// an image whose /tmp is not world-writable has a /tmp its task cannot
// write, as it would anywhere else.
const tmpSize = 64 << 20

// GPUDriver is the device driver GPU tasks are given devices by.
const GPUDriver = "nvidia"

// containerSpec builds the container a request runs in: the only host
// paths it sees are the request's input mounts (read-only) and outHost,
// its output directory. It is a pure function so the sandbox can be
// tested without an engine.
func containerSpec(req *bonfire.ExecRequest, imageID, outHost string, opts Options) (*container.Config, *container.HostConfig, *bonfire.Error) {
	if !path.IsAbs(req.OutputGuest) || req.OutputGuest == "/" {
		return nil, nil, bonfire.Errorf(bonfire.ECodeInvalid, "output path %q must be an absolute directory other than /", req.OutputGuest).
			WithField("outputs").WithHint("write outputs: /out")
	}
	mounts := make([]mount.Mount, 0, len(req.Mounts)+2)
	targets := []string{path.Clean(req.OutputGuest)}
	for _, m := range req.Mounts {
		guest := path.Clean(m.GuestPath)
		if !path.IsAbs(guest) || guest == "/" || !filepath.IsAbs(m.HostPath) {
			return nil, nil, bonfire.Errorf(bonfire.ECodeInvalid, "input %q cannot be mounted in a container", m.GuestPath).
				WithField("inputs").WithHint("give each input a directory path such as /data; a container's / is its image")
		}
		mounts = append(mounts, mount.Mount{Type: mount.TypeBind, Source: m.HostPath, Target: guest, ReadOnly: true,
			BindOptions: &mount.BindOptions{Propagation: mount.PropagationRPrivate}})
		targets = append(targets, guest)
	}
	mounts = append(mounts, mount.Mount{Type: mount.TypeBind, Source: outHost, Target: path.Clean(req.OutputGuest),
		BindOptions: &mount.BindOptions{Propagation: mount.PropagationRPrivate}})
	if !coversTmp(targets) {
		mounts = append(mounts, mount.Mount{Type: mount.TypeTmpfs, Target: "/tmp",
			TmpfsOptions: &mount.TmpfsOptions{SizeBytes: tmpSize, Mode: 0o1777}})
	}

	env := make([]string, 0, len(req.Env)+1)
	for k, v := range req.Env {
		env = append(env, k+"="+v)
	}
	if _, ok := req.Env["BONFIRE_SEED"]; !ok { // the market's tasks carry it already
		env = append(env, "BONFIRE_SEED="+strconv.FormatUint(req.Seed, 10))
	}
	sort.Strings(env)

	if _, ok := req.Env["HOME"]; !ok {
		env = append(env, "HOME=/tmp") // the task's user has no home; caches go to the writable /tmp
		sort.Strings(env)
	}
	cfg := &container.Config{
		Image:           imageID,
		User:            cmpOr(opts.User, taskUser()),
		Cmd:             req.Args,
		Env:             env,
		Labels:          map[string]string{LabelTask: req.TaskID, LabelExecutor: bonfire.ExecutorDocker},
		NetworkDisabled: !req.Network,
	}
	pids := opts.PidsLimit
	if pids == 0 {
		pids = DefaultPidsLimit
	}
	logMax := max(req.Limits.LogBytes*2, 1<<20)
	host := &container.HostConfig{
		NetworkMode:    "none",
		ReadonlyRootfs: true,
		CapDrop:        []string{"ALL"},
		SecurityOpt:    []string{"no-new-privileges"},
		Privileged:     false,
		Mounts:         mounts,
		LogConfig: container.LogConfig{Type: "json-file",
			Config: map[string]string{"max-size": strconv.FormatInt(logMax, 10), "max-file": "1"}},
		Resources: container.Resources{
			NanoCPUs:  req.Limits.CPUMilli * 1_000_000,
			Memory:    req.Limits.MemoryBytes,
			PidsLimit: &pids,
		},
	}
	if req.Limits.MemoryBytes > 0 {
		host.Resources.MemorySwap = req.Limits.MemoryBytes // no swap beyond the limit
	}
	if req.Network {
		host.NetworkMode = container.NetworkMode(cmpOr(opts.Network, "bridge"))
	}
	if g := req.GPU; g != nil && g.Count > 0 {
		host.Resources.DeviceRequests = []container.DeviceRequest{{Driver: GPUDriver, Count: g.Count, Capabilities: [][]string{{"gpu"}}}}
	}
	return cfg, host, nil
}

// taskUser is who a task runs as unless Options.User says otherwise: never
// root (the container shares the host's kernel and has no user namespace),
// but the provider's own user on Linux when it is not root, so it can read
// and delete whatever the task wrote, and nobody (65534) otherwise.
func taskUser() string {
	if uid, gid := os.Getuid(), os.Getgid(); runtime.GOOS == "linux" && uid > 0 {
		return strconv.Itoa(uid) + ":" + strconv.Itoa(gid)
	}
	return "65534:65534"
}

func coversTmp(targets []string) bool {
	for _, t := range targets {
		if t == "/tmp" || strings.HasPrefix(t, "/tmp/") {
			return true
		}
	}
	return false
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
