package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/bonfirenet/bonfire"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// readers is the size of the read pool. Reads are short; a few connections
// keep the API responsive while the writer holds its transaction.
const readers = 4

// Store is a bonfire.Store backed by one SQLite file. It is safe for
// concurrent use.
type Store struct {
	path   string
	writer *sql.DB // exactly one connection: SQLite has one writer anyway
	reader *sql.DB // read-only connections; WAL lets them run beside the writer
	closed atomic.Bool
}

var _ bonfire.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path and brings its schema
// up to date.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "the state database path is empty").
			WithField("db").WithHint("give a file path such as ./market.db")
	}
	// The driver cuts the DSN at the first '?' to read its options, so a
	// path containing one would be silently truncated.
	if strings.ContainsRune(path, '?') {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "the state database path %q contains '?'", path).
			WithField("db").WithHint("choose a path without '?'")
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "the state database path %q is a directory", path).
			WithField("db").WithHint("give a file path inside it, such as " + filepath.Join(path, "market.db"))
	}

	// The writer gets a 32 MiB page cache so that a batch creating a large
	// sweep (tens of thousands of tasks) does not spill pages mid-transaction.
	const common = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	writer, err := sql.Open("sqlite", path+"?"+common+
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-32768)&_txlock=immediate")
	if err != nil {
		return nil, openError(path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)

	ctx := context.Background()
	if err := migrate(ctx, writer); err != nil {
		writer.Close()
		return nil, openError(path, err)
	}

	reader, err := sql.Open("sqlite", path+"?"+common+"&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return nil, openError(path, err)
	}
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	if err := reader.PingContext(ctx); err != nil {
		writer.Close()
		reader.Close()
		return nil, openError(path, err)
	}
	return &Store{path: path, writer: writer, reader: reader}, nil
}

// Close closes the database. Batches already committed are durable.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	return errors.Join(s.reader.Close(), s.writer.Close())
}

// openError explains why the file could not be used as a database.
func openError(path string, err error) error {
	var be *bonfire.Error
	if errors.As(err, &be) {
		return be
	}
	msg := err.Error()
	hint := "check that the path is writable by this user and that its directory exists"
	switch {
	case strings.Contains(msg, "not a database"), strings.Contains(msg, "malformed"), strings.Contains(msg, "corrupt"):
		hint = "the file is not a Bonfire state database or it is damaged; restore it from a backup or point at a new path"
	case strings.Contains(msg, "unable to open"):
		hint = "check that the directory exists and is writable by this user"
	}
	return bonfire.Errorf(bonfire.ECodeInternal, "cannot open the state database %s: %s", path, msg).
		WithField("db").WithHint(hint)
}

// dbError turns a driver error into a bonfire.Error. The caller's
// cancellation is reported as such, not as a database failure.
func (s *Store) dbError(ctx context.Context, op string, err error) error {
	var be *bonfire.Error
	if errors.As(err, &be) {
		return be
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return bonfire.Errorf(bonfire.ECodeTimeout, "%s: the deadline passed", op).
			WithHint("retry with a longer deadline")
	case ctx.Err() != nil:
		return bonfire.Errorf(bonfire.ECodeCancelled, "%s: cancelled", op)
	case s.closed.Load():
		return bonfire.Errorf(bonfire.ECodeUnavailable, "%s: the state database is closed", op).
			WithHint("the market is shutting down; retry against a running market")
	}
	return bonfire.Errorf(bonfire.ECodeInternal, "%s: %v", op, err).
		WithHint(fmt.Sprintf("the state database %s failed; check free disk space and the market's log", s.path))
}
