package protocol

import (
	"sync"
	"sync/atomic"
	"time"
)

// Sequencer numbers the messages one sender seals. It starts at the unix
// time in nanoseconds and counts up by one, so a restarted sender continues
// above every number it used before (it cannot have sealed a message per
// nanosecond) and the receiver's ReplayGuard keeps accepting it, while
// consecutive messages stay one apart and fit the guard's window even when
// they arrive out of order. That relies on the clock not going back across
// a restart; the guard's error says so if it did.
//
// The zero value is ready to use; it is safe for concurrent use.
type Sequencer struct {
	start sync.Once
	last  atomic.Uint64
}

// NewSequencer returns a Sequencer whose first number is just above now in
// unix nanoseconds.
func NewSequencer(now time.Time) *Sequencer {
	s := &Sequencer{}
	s.start.Do(func() { s.last.Store(uint64(now.UnixNano())) })
	return s
}

// Next returns the next sequence number: never 0, always larger than any
// returned before.
func (s *Sequencer) Next() uint64 {
	s.start.Do(func() { s.last.Store(uint64(time.Now().UnixNano())) })
	return s.last.Add(1)
}
