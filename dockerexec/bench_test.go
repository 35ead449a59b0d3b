package dockerexec

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// BenchmarkContainerOverhead is one task of a FROM-scratch image that exits
// at once: image lookup, create, start, wait, logs and removal.
func BenchmarkContainerOverhead(b *testing.B) {
	x := newTestExecutor(b, Options{})
	req, _, _ := request(b, probeRef, "exit", "0")
	for b.Loop() {
		res, err := x.Run(context.Background(), req)
		if err != nil || res.Err != nil {
			b.Fatalf("%+v %v", res, err)
		}
	}
}

// BenchmarkNumpyTraining runs the numpy example's training (EPOCHS=300)
// in its container through the executor; scripts/docker-examples.sh builds
// the image. Compare with the same script outside a container (see
// docs/performance.md).
func BenchmarkNumpyTraining(b *testing.B) {
	x := newTestExecutor(b, Options{})
	const image = "bonfire-examples/numpy-digits:latest"
	if _, err := x.cli.ImageInspect(context.Background(), image); err != nil {
		b.Skipf("SKIPPING: %s is missing (%v); run ./scripts/docker-examples.sh", image, err)
	}
	data, err := filepath.Abs("../examples/data")
	if err != nil {
		b.Fatal(err)
	}
	req, _, stderr := request(b, image)
	req.Mounts = []bonfire.Mount{{HostPath: data, GuestPath: "/data", ReadOnly: true}}
	req.Env = map[string]string{"EPOCHS": "300"}
	req.Limits.MemoryBytes = 512 << 20
	for b.Loop() {
		stderr.Reset()
		if err := os.RemoveAll(req.OutputDir); err != nil {
			b.Fatal(err)
		}
		res, err := x.Run(context.Background(), req)
		if err != nil || res.Err != nil {
			b.Fatalf("%+v %v; stderr %s", res, err, stderr)
		}
	}
	b.Logf("last run: %s", strings.TrimSpace(stderr.String()))
}
