package provider

import (
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
)

// logWriter turns a task's output stream into log chunks: it buffers up to
// chunkBytes or chunkDelay, whichever comes first, so a chatty task sends
// few messages and a quiet one is still seen promptly.
type logWriter struct {
	o      *outbox
	task   string
	try    int
	stream string

	mu    sync.Mutex
	buf   []byte
	timer *time.Timer
}

const (
	chunkBytes = 32 << 10
	chunkDelay = 200 * time.Millisecond
)

func (o *outbox) logWriter(a protocol.Assignment, stream string) *logWriter {
	return &logWriter{o: o, task: a.TaskID, try: a.Attempt, stream: stream}
}

func (w *logWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, b...)
	if len(w.buf) >= chunkBytes {
		w.flushLocked()
	} else if w.timer == nil {
		w.timer = time.AfterFunc(chunkDelay, w.Flush)
	}
	return len(b), nil
}

// Flush sends what is buffered.
func (w *logWriter) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.flushLocked()
}

func (w *logWriter) flushLocked() {
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	if len(w.buf) == 0 {
		return
	}
	w.o.log(bonfire.LogChunk{TaskID: w.task, Attempt: w.try, Stream: w.stream, Data: string(w.buf)})
	w.buf = nil
}
