package wasmexec

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/bonfirenet/bonfire"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental/sysfs"
)

// programName is argv[0]. It is the same for every task so that a
// program printing its own name stays deterministic across tasks.
const programName = "task"

// checkRequest rejects requests the provider built wrongly; they are
// executor errors, not workload failures.
func checkRequest(req *bonfire.ExecRequest) error {
	invalid := func(field, hint, format string, args ...any) error {
		return bonfire.Errorf(bonfire.ECodeInvalid, format, args...).WithField(field).WithHint(hint)
	}
	if req == nil {
		return invalid("request", "pass a request", "request is nil")
	}
	if err := req.ModuleDigest.Validate(); err != nil {
		return invalid("moduleDigest", "name the module by its digest", "%v", err)
	}
	if req.ModulePath == "" {
		return invalid("modulePath", "fetch the module and pass its host path", "module path is empty")
	}
	guests := map[string]string{}
	checkGuest := func(field, guest string) error {
		if !strings.HasPrefix(guest, "/") || path.Clean(guest) != guest {
			return invalid(field, `write guest paths absolute and clean, e.g. "/inputs"`,
				"guest path %q is not an absolute clean path", guest)
		}
		if other, taken := guests[guest]; taken {
			return invalid(field, "mount each guest path once", "guest path %q is already used by %s", guest, other)
		}
		guests[guest] = field
		return nil
	}
	checkHostDir := func(field, dir string) error {
		fi, err := os.Stat(dir)
		if err != nil {
			return invalid(field, "create the directory before running", "host path %q cannot be used: %v", dir, err)
		}
		if !fi.IsDir() {
			return invalid(field, "mount a directory holding the file at the file's guest parent directory",
				"host path %q is not a directory", dir)
		}
		return nil
	}
	for i, m := range req.Mounts {
		field := fmt.Sprintf("mounts[%d]", i)
		if err := checkGuest(field+".guestPath", m.GuestPath); err != nil {
			return err
		}
		if err := checkHostDir(field+".hostPath", m.HostPath); err != nil {
			return err
		}
	}
	if req.OutputDir != "" {
		if err := checkGuest("outputGuest", req.OutputGuest); err != nil {
			return err
		}
		if err := checkHostDir("outputDir", req.OutputDir); err != nil {
			return err
		}
	}
	for i, a := range req.Args {
		if strings.IndexByte(a, 0) >= 0 {
			return invalid(fmt.Sprintf("args[%d]", i), "remove the NUL byte", "argument contains a NUL byte")
		}
	}
	for k, v := range req.Env {
		if k == "" || strings.ContainsAny(k, "=\x00") || strings.IndexByte(v, 0) >= 0 {
			return invalid("env."+k, "use names without '=' or NUL and values without NUL",
				"environment variable %q cannot be passed", k)
		}
	}
	l := req.Limits
	if l.MemoryBytes < 0 || l.Timeout < 0 || l.LogBytes < 0 || l.OutputBytes < 0 {
		return invalid("limits", "use zero for no limit", "limits must not be negative: %+v", l)
	}
	if l.MemoryBytes > 0 && l.MemoryBytes < wasmPageSize {
		return invalid("limits.memoryBytes", "allow at least 64 KiB, one WebAssembly page",
			"memory limit %d is below one WebAssembly page", l.MemoryBytes)
	}
	return nil
}

// moduleConfig describes one instance: arguments, environment, streams,
// file system, clocks and randomness.
// done ends the guest's sleeps early when the run is stopped.
func moduleConfig(req *bonfire.ExecRequest, stdout, stderr io.Writer, quota *outputQuota, done <-chan struct{}) wazero.ModuleConfig {
	cfg := wazero.NewModuleConfig().
		WithName("").         // anonymous, so concurrent instances of one module do not clash
		WithStartFunctions(). // _start is called by the executor, which classifies how it ends
		WithArgs(append([]string{programName}, req.Args...)...).
		WithStdout(stdout).
		WithStderr(stderr)
	keys := make([]string, 0, len(req.Env))
	for k := range req.Env {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the guest sees environ in this order
	for _, k := range keys {
		cfg = cfg.WithEnv(k, req.Env[k])
	}

	det := req.Determinism
	cfg = withClock(cfg, !det.Deterministic || det.Clock, done)
	if !det.Deterministic || det.Random {
		cfg = cfg.WithRandSource(rand.Reader)
	} else {
		cfg = cfg.WithRandSource(seededRandom(req.Seed))
	}

	fsc := wazero.NewFSConfig().(sysfs.FSConfig)
	var dev uint64
	for _, m := range req.Mounts {
		dev++
		g := &guestFS{inner: &sysfs.ReadFS{FS: sysfs.DirFS(m.HostPath)}, dev: dev, normalize: det.Deterministic}
		fsc = fsc.WithSysFSMount(g, m.GuestPath).(sysfs.FSConfig)
	}
	if req.OutputDir != "" {
		dev++
		g := &guestFS{inner: sysfs.DirFS(req.OutputDir), dev: dev, normalize: det.Deterministic, quota: quota}
		fsc = fsc.WithSysFSMount(g, req.OutputGuest).(sysfs.FSConfig)
	}
	return cfg.WithFSConfig(fsc.(wazero.FSConfig))
}

// seededRandom is the deterministic random_get stream of a task.
func seededRandom(seed uint64) io.Reader {
	h := sha256.New()
	h.Write([]byte("bonfire wasmexec random_get v1\x00"))
	h.Write(binary.LittleEndian.AppendUint64(nil, seed))
	var key [32]byte
	copy(key[:], h.Sum(nil))
	return mathrand.NewChaCha8(key)
}
