package dockerexec

import (
	"context"
	"testing"
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
