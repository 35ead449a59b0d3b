package protocol

import (
	"sync"
	"testing"
	"time"
)

func TestSequencerIncreases(t *testing.T) {
	t.Parallel()
	s := NewSequencer(testNow)
	first := s.Next()
	if first <= uint64(testNow.UnixNano()) {
		t.Fatalf("first seq %d is not above the start time %d", first, testNow.UnixNano())
	}
	prev := first
	for range 1000 {
		n := s.Next()
		if n != prev+1 {
			t.Fatalf("Next after %d = %d, want %d", prev, n, prev+1)
		}
		prev = n
	}
	// A restart a second later continues above everything used before.
	restarted := NewSequencer(testNow.Add(time.Second))
	if n := restarted.Next(); n <= prev {
		t.Fatalf("restarted sequencer gave %d, not above %d", n, prev)
	}
}

func TestSequencerZeroValue(t *testing.T) {
	t.Parallel()
	var s Sequencer
	before := uint64(time.Now().UnixNano())
	if n := s.Next(); n <= before {
		t.Fatalf("zero Sequencer gave %d, want above the current time %d", n, before)
	}
}

func TestSequencerConcurrent(t *testing.T) {
	t.Parallel()
	s := NewSequencer(testNow)
	const workers, each = 8, 500
	results := make(chan uint64, workers*each)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				results <- s.Next()
			}
		})
	}
	wg.Wait()
	close(results)
	seen := map[uint64]bool{}
	for n := range results {
		if seen[n] {
			t.Fatalf("seq %d handed out twice", n)
		}
		seen[n] = true
	}
	if len(seen) != workers*each {
		t.Fatalf("got %d distinct numbers, want %d", len(seen), workers*each)
	}
}
