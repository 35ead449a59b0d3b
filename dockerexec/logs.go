package dockerexec

import (
	"io"
	"sync"
)

// capWriter passes at most limit bytes to w (all when limit is 0) and
// remembers that more was offered.
type capWriter struct {
	mu    sync.Mutex
	w     io.Writer
	limit int64
	n     int64
	over  bool
}

func (c *capWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p)
	if c.w == nil {
		return n, nil
	}
	if c.limit > 0 {
		room := c.limit - c.n
		if int64(len(p)) > room {
			c.over = true
			p = p[:max(room, 0)]
		}
	}
	if len(p) > 0 {
		m, err := c.w.Write(p)
		c.n += int64(m)
		if err != nil {
			c.w = nil // a broken sink must not stop the container's stream
		}
	}
	return n, nil
}

func (c *capWriter) exceeded() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.over
}
