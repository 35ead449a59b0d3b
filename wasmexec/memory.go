package wasmexec

import "github.com/tetratelabs/wazero/experimental"

// wasmPageSize is the WebAssembly page size; memory grows in whole pages.
const wasmPageSize = 64 << 10

// memoryBudget is a per-Run wazero memory allocator. wazero's own limit
// (RuntimeConfig.WithMemoryLimitPages) is fixed when a module is compiled,
// but one compiled module serves runs with different limits, so the limit
// is enforced here, where growth actually happens. It also records that a
// grow was refused, which is how an out-of-memory ending is recognised
// (a Go guest merely prints "out of memory" and exits 2).
type memoryBudget struct {
	limit   uint64 // bytes; 0 means unlimited
	peak    uint64 // largest size handed out
	refused bool   // a grow was refused because of limit
	memory  *budgetedMemory
}

func newMemoryBudget(limitBytes int64) *memoryBudget {
	b := &memoryBudget{}
	if limitBytes > 0 {
		b.limit = uint64(limitBytes) / wasmPageSize * wasmPageSize
	}
	return b
}

// Allocate implements experimental.MemoryAllocator. A module has at most
// one memory in WASI preview 1, so one budget backs one memory.
func (b *memoryBudget) Allocate(capacity, max uint64) experimental.LinearMemory {
	if b.limit > 0 {
		capacity = min(capacity, b.limit)
		max = min(max, b.limit)
	}
	b.memory = &budgetedMemory{budget: b, max: max, buf: make([]byte, 0, capacity)}
	return b.memory
}

type budgetedMemory struct {
	budget *memoryBudget
	max    uint64
	buf    []byte
}

// Reallocate implements experimental.LinearMemory. Returning nil makes
// memory.grow fail with -1, as if the machine had run out of memory.
func (m *budgetedMemory) Reallocate(size uint64) []byte {
	if m.budget.limit > 0 && size > m.budget.limit {
		m.budget.refused = true
		return nil
	}
	if size <= uint64(cap(m.buf)) {
		// Bytes past the old length were never handed out, so they are
		// still zero as the spec requires of new pages.
		m.buf = m.buf[:size]
	} else {
		// Double to keep repeated small grows amortised, but never reserve
		// more than the module may ever use.
		newCap := max(size, 2*uint64(cap(m.buf)))
		if m.max > 0 {
			newCap = max(size, min(newCap, m.max))
		}
		grown := make([]byte, size, newCap)
		copy(grown, m.buf)
		m.buf = grown
	}
	m.budget.peak = max(m.budget.peak, size)
	return m.buf
}

// Free implements experimental.LinearMemory.
func (m *budgetedMemory) Free() { m.buf = nil }
