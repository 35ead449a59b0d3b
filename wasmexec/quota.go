package wasmexec

import (
	"fmt"
	"io"
)

// quotaExceeded is panicked from inside a guest's write (log or output
// file) to end the run on the spot: returning an errno would let the guest
// ignore it and carry on. wazero recovers the panic and returns it, wrapped,
// from the guest call.
type quotaExceeded struct {
	what  string // "stdout", "stderr" or "outputs"
	limit int64
}

func (q *quotaExceeded) Error() string {
	return fmt.Sprintf("%s exceeded %s", q.what, formatBytes(q.limit))
}

// formatBytes writes n the way people write limits: 1 MiB, 64 KiB, 1000 bytes.
func formatBytes(n int64) string {
	const kib, mib, gib = 1 << 10, 1 << 20, 1 << 30
	switch {
	case n >= gib && n%gib == 0:
		return fmt.Sprintf("%d GiB", n/gib)
	case n >= mib && n%mib == 0:
		return fmt.Sprintf("%d MiB", n/mib)
	case n >= kib && n%kib == 0:
		return fmt.Sprintf("%d KiB", n/kib)
	case n == 1:
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// logWriter passes a guest stream to the provider's writer, up to limit
// bytes (0: unlimited). The write that crosses the limit is cut at the
// limit and ends the run.
type logWriter struct {
	name    string
	w       io.Writer
	limit   int64
	written int64
}

func newLogWriter(name string, w io.Writer, limit int64) *logWriter {
	if w == nil {
		w = io.Discard
	}
	return &logWriter{name: name, w: w, limit: limit}
}

func (l *logWriter) Write(p []byte) (int, error) {
	if l.limit > 0 && l.written+int64(len(p)) > l.limit {
		fits := p[:l.limit-l.written]
		n, _ := l.w.Write(fits)
		l.written += int64(n)
		panic(&quotaExceeded{what: l.name, limit: l.limit})
	}
	n, err := l.w.Write(p)
	l.written += int64(n)
	return n, err
}

// note writes executor diagnostics (a trap's stack trace) to the stream
// after the guest has stopped, within what is left of the cap and never
// ending anything.
func (l *logWriter) note(s string) {
	if l.limit > 0 {
		left := l.limit - l.written
		if left <= 0 {
			return
		}
		if int64(len(s)) > left {
			s = s[:left]
		}
	}
	n, _ := io.WriteString(l.w, s)
	l.written += int64(n)
}

// outputQuota counts bytes a run puts under its output directory. A guest
// instance is single-threaded (wazero's threads feature is off), so no lock.
type outputQuota struct {
	limit int64 // 0: unlimited
	used  int64
}

// charge accounts n more bytes, or stops the run before they are written.
func (q *outputQuota) charge(n int64) {
	if n <= 0 || q == nil {
		return
	}
	if q.limit > 0 && q.used+n > q.limit {
		panic(&quotaExceeded{what: "outputs", limit: q.limit})
	}
	q.used += n
}

// refund gives back bytes that were charged but not written (a short write).
func (q *outputQuota) refund(n int64) {
	if n > 0 && q != nil {
		q.used -= n
	}
}
