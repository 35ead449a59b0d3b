package protocol

import (
	"fmt"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
)

// Window sizes a ReplayGuard accepts; others are rounded into this range.
const (
	MinReplayWindow = 64
	MaxReplayWindow = 1 << 16
)

// DefaultMaxSenders bounds how many senders a ReplayGuard tracks at once.
const DefaultMaxSenders = 1 << 18

// ReplayGuard refuses messages that were seen before or are too old to
// judge. A message passes when its time is within maxSkew of the receiver's
// clock and its sequence number was not seen from that sender before. Per
// sender it remembers the highest number seen and, in a bitmap, which of the
// window numbers below it were seen: messages may arrive out of order (the
// market serves several subjects concurrently) as long as they are within
// the window; anything older is refused.
//
// Call Check only for messages whose signature Open verified: a forged
// message with a huge sequence number would otherwise push its supposed
// sender's window past all its real messages.
//
// Senders are forgotten once their newest message is more than twice
// maxSkew old; any replay of their messages fails the time check by then.
// Memory is therefore bounded by window/8 bytes per sender active within
// that period, and by a maximum number of senders (SetMaxSenders).
// It is safe for concurrent use.
type ReplayGuard struct {
	maxSkew time.Duration
	window  uint64

	mu         sync.Mutex
	senders    map[bonfire.Address]*seqWindow
	maxSenders int
	lastSweep  time.Time
}

// seqWindow is one sender's memory: bit s%window of bits says whether seq
// s in (highest-window, highest] was seen.
type seqWindow struct {
	highest uint64
	bits    []uint64
	newest  time.Time // latest message time accepted
}

// NewReplayGuard accepts messages stamped within maxSkew of the local clock
// and out of order by fewer than window sequence numbers. window is rounded
// up to a multiple of 64 within [MinReplayWindow, MaxReplayWindow].
func NewReplayGuard(maxSkew time.Duration, window uint64) *ReplayGuard {
	window = min(max(window, MinReplayWindow), MaxReplayWindow)
	window = (window + 63) &^ 63
	return &ReplayGuard{
		maxSkew:    maxSkew,
		window:     window,
		senders:    make(map[bonfire.Address]*seqWindow),
		maxSenders: DefaultMaxSenders,
	}
}

// SetMaxSenders changes how many senders the guard tracks at once. When that
// many sent a message recently, messages from new senders are refused as
// unavailable; forgetting a recent sender instead would let its messages be
// replayed.
func (g *ReplayGuard) SetMaxSenders(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.maxSenders = max(n, 1)
}

// Check records seq from sender from, sealed at msgTime, as seen at now, or
// says why the message must be dropped: a time too far from now
// (ECodeInvalid, field "time"), a sequence number seen before or too old
// (ECodeConflict, field "seq"), or too many senders (ECodeUnavailable).
func (g *ReplayGuard) Check(from bonfire.Address, seq uint64, msgTime time.Time, now time.Time) error {
	if err := identity.CheckSkew("message time", msgTime, now, g.maxSkew); err != nil {
		return err.WithField("time")
	}
	if seq == 0 {
		return bonfire.Errorf(bonfire.ECodeInvalid, "sequence number is 0").
			WithField("seq").WithHint("number messages with a protocol.Sequencer")
	}
	key := from.Normal()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sweep(now, false)
	w := g.senders[key]
	if w == nil {
		if len(g.senders) >= g.maxSenders {
			g.sweep(now, true)
		}
		if len(g.senders) >= g.maxSenders {
			return bonfire.Errorf(bonfire.ECodeUnavailable, "too many senders (%d) in the last %s to track another", len(g.senders), identity.HumanDuration(2*g.maxSkew)).
				WithHint("retry in a minute")
		}
		w = &seqWindow{highest: seq, bits: make([]uint64, g.window/64), newest: msgTime}
		w.set(seq, g.window)
		g.senders[key] = w
		return nil
	}
	switch {
	case seq > w.highest:
		w.advance(seq, g.window)
	case w.highest-seq >= g.window:
		return bonfire.Errorf(bonfire.ECodeConflict, "sequence number %d is %d below the newest %d from %s, beyond the replay window of %d",
			seq, w.highest-seq, w.highest, from, g.window).WithField("seq").
			WithHint(fmt.Sprintf("number messages with a protocol.Sequencer; if the sender restarted with its clock set back, correct the clock, stop it for %s and start it again",
				identity.HumanDuration(2*g.maxSkew)))
	case w.has(seq, g.window):
		return bonfire.Errorf(bonfire.ECodeConflict, "sequence number %d from %s was already received (duplicate or replayed message)", seq, from).
			WithField("seq").WithHint("seal every message, retries included, with a fresh number from a protocol.Sequencer")
	}
	w.set(seq, g.window)
	if msgTime.After(w.newest) {
		w.newest = msgTime
	}
	return nil
}

// sweep forgets senders whose newest message is more than twice maxSkew
// old. Twice, not once, so that a caller whose now lags another's cannot
// see a forgotten sender's message still pass the time check. It runs once
// per maxSkew, or when forced (the guard is full) at most once a second.
func (g *ReplayGuard) sweep(now time.Time, force bool) {
	since := now.Sub(g.lastSweep)
	if since < max(g.maxSkew, time.Second) && !(force && since >= time.Second) {
		return
	}
	g.lastSweep = now
	cutoff := now.Add(-2 * g.maxSkew)
	for k, w := range g.senders {
		if w.newest.Before(cutoff) {
			delete(g.senders, k)
		}
	}
}

func (w *seqWindow) has(seq, window uint64) bool {
	i := seq % window
	return w.bits[i/64]&(1<<(i%64)) != 0
}

func (w *seqWindow) set(seq, window uint64) {
	i := seq % window
	w.bits[i/64] |= 1 << (i % 64)
}

// advance moves highest up to seq, clearing the bits of the numbers that
// enter the window unseen.
func (w *seqWindow) advance(seq, window uint64) {
	if seq-w.highest >= window {
		clear(w.bits)
	} else {
		// Counting n rather than s keeps seq = MaxUint64 from wrapping.
		for n := uint64(1); n <= seq-w.highest; n++ {
			i := (w.highest + n) % window
			w.bits[i/64] &^= 1 << (i % 64)
		}
	}
	w.highest = seq
}
