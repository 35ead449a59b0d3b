package main

import (
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func TestHumanBytes(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0B", 1023: "1023B", 1024: "1Ki", 1536: "1.5Ki", 12342050 << 10: "11.8Gi", 1 << 40: "1Ti"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestProgressLineCountsAndETA(t *testing.T) {
	t.Parallel()
	start := time.Unix(1000, 0)
	j := &bonfire.Job{TaskCount: 10, Counts: bonfire.TaskCounts{Succeeded: 4, Failed: 1, Running: 2, Queued: 3}}
	line := progressLine(j, start, start.Add(10*time.Second), 10)
	// 5 of 10 finished in 10s: 10s to go.
	for _, want := range []string{"5/10", "done 4", "running 2", "failed 1", "queued 3", "ETA 10s", "█████░░░░░"} {
		if !strings.Contains(line, want) {
			t.Errorf("progress line %q lacks %q", line, want)
		}
	}
}
