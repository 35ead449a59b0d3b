package wasmexec

import (
	"context"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// BenchmarkWarmStartNoop measures one Run of a cached module that does
// nothing: the executor's own cost per task.
func BenchmarkWarmStartNoop(b *testing.B) {
	benchmarkRuns(b, moduleRequest(b, NoopModule))
}

// BenchmarkWarmStartGo measures one Run of a cached Go program that exits
// at once: instantiation plus the Go runtime's start-up.
func BenchmarkWarmStartGo(b *testing.B) {
	benchmarkRuns(b, goRequest(b, "noop"))
}

func benchmarkRuns(b *testing.B, req *bonfire.ExecRequest) {
	ctx := context.Background()
	if res, err := shared.Run(ctx, req); err != nil || res.Err != nil {
		b.Fatalf("warm-up run: %v %v", err, res)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := shared.Run(ctx, req)
		if err != nil || res.Err != nil {
			b.Fatalf("run: %v %v", err, res)
		}
	}
}
