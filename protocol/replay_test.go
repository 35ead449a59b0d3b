package protocol

import (
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

const (
	alice bonfire.Address = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"
	bob   bonfire.Address = "0x1111111111111111111111111111111111111111"
)

func accept(t *testing.T, g *ReplayGuard, from bonfire.Address, seq uint64) {
	t.Helper()
	if err := g.Check(from, seq, testNow, testNow); err != nil {
		t.Fatalf("Check(%s, %d) = %v, want accepted", from, seq, err)
	}
}

func refuse(t *testing.T, g *ReplayGuard, from bonfire.Address, seq uint64, want string) {
	t.Helper()
	err := g.Check(from, seq, testNow, testNow)
	e, ok := err.(*bonfire.Error)
	if !ok || e.Code != bonfire.ECodeConflict || e.Field != "seq" || !strings.Contains(e.Message, want) {
		t.Fatalf("Check(%s, %d) = %v, want ECodeConflict on seq containing %q", from, seq, err, want)
	}
}

func TestReplayGuardDuplicates(t *testing.T) {
	t.Parallel()
	g := NewReplayGuard(time.Minute, 128)
	for seq := uint64(1000); seq < 1010; seq++ {
		accept(t, g, alice, seq)
	}
	refuse(t, g, alice, 1005, "already received")
	refuse(t, g, alice, 1009, "already received")
	// The same numbers from another sender are that sender's own.
	accept(t, g, bob, 1005)
	// Spelling the address differently does not make it another sender.
	refuse(t, g, alice.Normal(), 1005, "already received")
	if err := g.Check(alice, 0, testNow, testNow); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Fatalf("Check(seq 0) = %v, want ECodeInvalid", err)
	}
}

func TestReplayGuardOutOfOrderWindow(t *testing.T) {
	t.Parallel()
	g := NewReplayGuard(time.Minute, 128)
	accept(t, g, alice, 1000)
	accept(t, g, alice, 1010) // 1001..1009 still in flight
	for _, seq := range []uint64{1005, 1001, 1009, 999, 883} {
		accept(t, g, alice, seq) // 883 = 1010-127, the oldest in the window
	}
	refuse(t, g, alice, 1005, "already received")
	refuse(t, g, alice, 882, "beyond the replay window of 128")
	refuse(t, g, alice, 1, "beyond the replay window")

	// A jump wider than the window forgets everything below the new low edge
	// but accepts the numbers just under the new highest once.
	accept(t, g, alice, 5000)
	accept(t, g, alice, 4999)
	refuse(t, g, alice, 4999, "already received")
	refuse(t, g, alice, 1010, "beyond the replay window")
	accept(t, g, alice, 4990)
	// A small advance clears the slots that enter the window unseen: 5118
	// shares 4990's slot, which must not read as seen for 5118.
	accept(t, g, alice, 5120)
	accept(t, g, alice, 5118)
	refuse(t, g, alice, 4990, "beyond the replay window")
	refuse(t, g, alice, 4999, "already received") // still inside the window
}

func TestReplayGuardLargestSeq(t *testing.T) {
	t.Parallel()
	g := NewReplayGuard(time.Minute, 64)
	accept(t, g, alice, math.MaxUint64-10)
	accept(t, g, alice, math.MaxUint64) // must not wrap around and loop
	refuse(t, g, alice, math.MaxUint64, "already received")
	accept(t, g, alice, math.MaxUint64-1)
}

// The guard must agree with a plain model (a set of everything seen and the
// highest number) on random traffic.
func TestReplayGuardMatchesModel(t *testing.T) {
	t.Parallel()
	const window = 64
	g := NewReplayGuard(time.Minute, window)
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[uint64]bool{}
	var highest uint64
	next := uint64(1_000_000)
	for i := range 20000 {
		var seq uint64
		switch r := rng.IntN(10); {
		case r < 5:
			next += uint64(rng.IntN(3))
			seq = next
		case r < 9:
			seq = next - uint64(rng.IntN(2*window))
		default:
			next += uint64(rng.IntN(4 * window))
			seq = next
		}
		wantOK := !seen[seq] && (highest == 0 || seq > highest || highest-seq < window)
		err := g.Check(alice, seq, testNow, testNow)
		if (err == nil) != wantOK {
			t.Fatalf("step %d: Check(%d) with highest %d = %v, model says accept=%v", i, seq, highest, err, wantOK)
		}
		if wantOK {
			seen[seq] = true
			highest = max(highest, seq)
		}
	}
}

func TestReplayGuardTimeSkew(t *testing.T) {
	t.Parallel()
	g := NewReplayGuard(2*time.Minute, 64)
	err := g.Check(alice, 1, testNow.Add(-3*time.Minute), testNow)
	e, ok := err.(*bonfire.Error)
	if !ok || e.Code != bonfire.ECodeInvalid || e.Field != "time" ||
		!strings.Contains(e.Message, "is 3m old; clocks must agree within 2m") || !strings.Contains(e.Hint, "NTP") {
		t.Fatalf("3m old message: %v", err)
	}
	err = g.Check(alice, 2, testNow.Add(150*time.Second), testNow)
	if e, ok := err.(*bonfire.Error); !ok || e.Code != bonfire.ECodeInvalid || !strings.Contains(e.Message, "2m30s in the future") {
		t.Fatalf("future message: %v", err)
	}
	// A refused message does not use up its number.
	if err := g.Check(alice, 1, testNow.Add(-time.Minute), testNow); err != nil {
		t.Fatalf("seq 1 with a good time after a skew refusal: %v", err)
	}
}

func TestReplayGuardForgetsIdleSenders(t *testing.T) {
	t.Parallel()
	g := NewReplayGuard(time.Minute, 64)
	accept(t, g, alice, 10)
	accept(t, g, bob, 10)
	later := testNow.Add(3 * time.Minute)
	// Replaying alice's old message fails the time check, so forgetting her
	// is safe.
	if err := g.Check(alice, 10, testNow, later); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Fatalf("old replay: %v, want a time refusal", err)
	}
	if err := g.Check(bob, 11, later, later); err != nil {
		t.Fatal(err)
	}
	g.mu.Lock()
	_, hasAlice := g.senders[alice.Normal()]
	n := len(g.senders)
	g.mu.Unlock()
	if hasAlice || n != 1 {
		t.Fatalf("after 3m idle with 1m skew the guard tracks %d senders (alice: %v), want only bob", n, hasAlice)
	}
}

func TestReplayGuardMaxSenders(t *testing.T) {
	t.Parallel()
	g := NewReplayGuard(time.Minute, 64)
	g.SetMaxSenders(1)
	accept(t, g, alice, 1)
	if err := g.Check(bob, 1, testNow, testNow); bonfire.Code(err) != bonfire.ECodeUnavailable {
		t.Fatalf("second sender over the limit: %v, want ECodeUnavailable", err)
	}
	accept(t, g, alice, 2) // known senders still pass
	later := testNow.Add(5 * time.Minute)
	if err := g.Check(bob, 1, later, later); err != nil {
		t.Fatalf("once alice went idle, bob should fit: %v", err)
	}
}

func TestReplayGuardWindowRounding(t *testing.T) {
	t.Parallel()
	for in, want := range map[uint64]uint64{0: 64, 1: 64, 64: 64, 65: 128, 1000: 1024, math.MaxUint64: MaxReplayWindow} {
		if got := NewReplayGuard(time.Minute, in).window; got != want {
			t.Errorf("NewReplayGuard(window %d).window = %d, want %d", in, got, want)
		}
	}
}

func TestReplayGuardConcurrent(t *testing.T) {
	t.Parallel()
	g := NewReplayGuard(time.Minute, 1024)
	const senders, perSender, copies = 4, 200, 3
	addrs := []bonfire.Address{alice, bob, "0x2222222222222222222222222222222222222222", "0x3333333333333333333333333333333333333333"}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		accepted = map[bonfire.Address]int{}
	)
	for s := range senders {
		for range copies {
			wg.Go(func() {
				for i := range perSender {
					if g.Check(addrs[s], uint64(100+i), testNow, testNow) == nil {
						mu.Lock()
						accepted[addrs[s]]++
						mu.Unlock()
					}
				}
			})
		}
	}
	wg.Wait()
	for _, a := range addrs {
		if accepted[a] != perSender {
			t.Errorf("sender %s: %d of %d distinct messages accepted, sent %d times each", a, accepted[a], perSender, copies)
		}
	}
}
