package jobspec

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

const dockerBase = "executor: docker\n-module\nimage: python:3.12\n"

func TestParseDockerNetworkAndGPUPrice(t *testing.T) {
	t.Parallel()
	s := mustParse(t, dockerBase+"network: true\nmaxGpuPrice: 900\nresources:\n  cpu: 2\n  gpu: {count: 2, model: '*A100*', memory: 40Gi}")
	if !s.Resources.Network || s.MaxGPUPrice != 900 || s.Resources.CPUMilli != 2000 ||
		*s.Resources.GPU != (bonfire.GPURequest{Count: 2, Model: "*A100*", MemoryBytes: 40 << 30}) {
		t.Fatalf("spec %+v resources %+v", s, s.Resources)
	}
	if off := mustParse(t, dockerBase); off.Resources.Network {
		t.Fatal("network is on by default")
	}
	// A tag is accepted once resolved: the provider pins what ran.
	if err := CheckResolved(s); err != nil {
		t.Fatalf("a docker spec with a tag is refused: %v", err)
	}
}

func TestParseDockerRejects(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ yaml, field, msg string }{
		{"network: true", "network", "only docker tasks"},
		{dockerBase + "network: yes please", "network", "not true or false"},
		{dockerBase + "maxGpuPrice: 5", "maxGpuPrice", "asks for no GPU"},
		{dockerBase + "maxGpuPrice: -1", "maxGpuPrice", "negative"},
		{dockerBase + "gpuPrice: 5", "gpuPrice", "did you mean maxGpuPrice"},
	} {
		_, err := Parse(yamlSpec(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.field+":") || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: error %v, want field %s and %q", c.yaml, err, c.field, c.msg)
		}
	}
}

// TestSpecCannotWidenTheSandbox: there are no fields for host paths,
// privileges or capabilities; writing them is an unknown-field error whose
// hint says why.
func TestSpecCannotWidenTheSandbox(t *testing.T) {
	t.Parallel()
	for _, field := range []string{"privileged: true", "capAdd: [SYS_ADMIN]", "cap_add: [NET_ADMIN]", "volumes: ['/:/host']",
		"mounts: [{source: /etc, target: /etc}]", "devices: [/dev/kvm]", "hostNetwork: true", "securityOpt: [seccomp=unconfined]",
		"user: root", "pid: host"} {
		_, err := Parse(yamlSpec(dockerBase + field))
		errs := problems(t, err)
		key, _, _ := strings.Cut(field, ":")
		e := findField(errs, key)
		if e == nil || !strings.Contains(e.Message, "unknown field") || !strings.Contains(e.Hint, "cannot widen the container") {
			t.Errorf("%s: got %v", field, errs)
		}
	}
	// Nor can an input smuggle a host path: sources are uploaded, paths are guest paths.
	_, err := Parse(yamlSpec(dockerBase + "inputs:\n  - {source: ./d, path: /data, hostPath: /etc}"))
	if e := findField(problems(t, err), "inputs[0].hostPath"); e == nil || !strings.Contains(e.Message, "unknown field") {
		t.Errorf("hostPath in an input: %v", err)
	}
}

func TestParseVerifyNumeric(t *testing.T) {
	t.Parallel()
	s := mustParse(t, dockerBase+"determinism: {deterministic: false}\nverify:\n  replicate: 2\n  homogeneous: true\n  numeric:\n    file: metrics.json\n    metrics: [accuracy, eval.loss]\n    relTol: 0.01\n    absTol: 0.001")
	nc := s.Verify.Numeric
	if nc == nil || nc.File != "metrics.json" || len(nc.Metrics) != 2 || nc.Metrics[1] != "eval.loss" || nc.RelTol != 0.01 || nc.AbsTol != 0.001 || !s.Verify.Homogeneous {
		t.Fatalf("verify %+v numeric %+v", s.Verify, nc)
	}
	if got := Policy(s).String(); got != "replicate: 2" {
		t.Fatalf("policy %q", got)
	}
	// A numeric check makes replication of nondeterministic work meaningful,
	// so the default for such a job is no longer none.
	s = mustParse(t, dockerBase+"determinism: {deterministic: false}\nverify:\n  numeric: {file: m.json, metrics: acc, relTol: 0.1}")
	if got := Policy(s).String(); got != "adaptive" || s.Verify.Numeric.Metrics[0] != "acc" {
		t.Fatalf("policy %q metrics %v", got, s.Verify.Numeric.Metrics)
	}
	if err := CheckResolved(s); err != nil {
		t.Fatal(err)
	}
}

func TestParseVerifyNumericRejects(t *testing.T) {
	t.Parallel()
	nd := dockerBase + "determinism: {deterministic: false}\n"
	for _, c := range []struct{ yaml, field, msg string }{
		{nd + "verify: {numeric: {file: /abs.json, metrics: [a], relTol: 0.1}}", "verify.numeric.file", "not a relative output file"},
		{nd + "verify: {numeric: {file: ../x.json, metrics: [a], relTol: 0.1}}", "verify.numeric.file", "not a relative output file"},
		{nd + "verify: {numeric: {file: m.json, relTol: 0.1}}", "verify.numeric.metrics", "no metrics"},
		{nd + "verify: {numeric: {file: m.json, metrics: [a..b], relTol: 0.1}}", "verify.numeric.metrics[0]", "not a metric path"},
		{nd + "verify: {numeric: {file: m.json, metrics: [a]}}", "verify.numeric", "no tolerance"},
		{nd + "verify: {numeric: {file: m.json, metrics: [a], relTol: -1}}", "verify.numeric.relTol", "not a tolerance"},
		{nd + "verify: {numeric: {file: m.json, metrics: [a], relTol: lots}}", "verify.numeric.relTol", "not a number"},
		{nd + "verify: {numeric: {file: m.json, metrics: [a], tol: 1}}", "verify.numeric.tol", "unknown field"},
		{nd + "verify: {policy: none, homogeneous: true}", "verify", "nothing to compare"},
		{nd + "verify: {homogeneous: maybe}", "verify.homogeneous", "not true or false"},
		{nd + "verify: {replicate: 2}", "verify", "determinism is off"},
	} {
		_, err := Parse(yamlSpec(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.field+":") || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: error %v, want field %s and %q", c.yaml, err, c.field, c.msg)
		}
	}
}

// TestResolveUploadsImageArchive: image: ./app.tar is uploaded like a
// module and becomes the archive's digest.
func TestResolveUploadsImageArchive(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.tar"), []byte("a docker save archive"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := mustParse(t, "executor: docker\n-module\nimage: ./app.tar")
	if err := CheckResolved(s); err == nil {
		t.Fatal("an unresolved archive path passes CheckResolved")
	}
	up := &fakeUploader{}
	if err := Resolve(context.Background(), s, dir, up); err != nil {
		t.Fatal(err)
	}
	if want := string(bonfire.DigestOf([]byte("a docker save archive"))); s.Module != want {
		t.Fatalf("image = %q, want %q", s.Module, want)
	}
	if err := CheckResolved(s); err != nil {
		t.Fatal(err)
	}
	missing := mustParse(t, "executor: docker\n-module\nimage: ./none.tar")
	if e := findField(problems(t, Resolve(context.Background(), missing, dir, up)), "image"); e == nil {
		t.Fatal("a missing archive is not reported at image")
	}
}

// TestExampleDockerSpecsParse keeps the docker example specs valid.
func TestExampleDockerSpecsParse(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"docker-hello", "numpy-digits", "pytorch"} {
		data, err := os.ReadFile(filepath.Join("..", "examples", f, "job.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		s, err := Parse(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if s.Executor != bonfire.ExecutorDocker {
			t.Errorf("%s: executor %q", f, s.Executor)
		}
	}
}
