package sqlite

import (
	"context"
	"database/sql"

	"github.com/bonfirenet/bonfire"
)

// migrations are applied in order, each in its own transaction; the schema's
// version is the number applied. Never edit an entry once released: append a
// new one, because databases in the field already ran the old ones.
var migrations = []string{
	// 1: initial schema.
	`
CREATE TABLE jobs (
	id           TEXT PRIMARY KEY,
	owner        TEXT NOT NULL,
	state        TEXT NOT NULL,
	submitted_at INTEGER NOT NULL,
	finished_at  INTEGER,
	json         BLOB NOT NULL
);
CREATE INDEX jobs_owner ON jobs(owner, id);
CREATE INDEX jobs_state ON jobs(state, id);

CREATE TABLE tasks (
	id       TEXT PRIMARY KEY,
	job_id   TEXT NOT NULL REFERENCES jobs(id),
	idx      INTEGER NOT NULL,
	state    TEXT NOT NULL,
	provider TEXT NOT NULL,
	attempt  INTEGER NOT NULL,
	json     BLOB NOT NULL
);
CREATE INDEX tasks_job_idx ON tasks(job_id, idx);
CREATE INDEX tasks_state ON tasks(state);

CREATE TABLE results (
	task_id  TEXT NOT NULL,
	attempt  INTEGER NOT NULL,
	provider TEXT NOT NULL,
	json     BLOB NOT NULL,
	UNIQUE(task_id, attempt)
);

CREATE TABLE events (
	seq     INTEGER PRIMARY KEY AUTOINCREMENT,
	task_id TEXT NOT NULL,
	attempt INTEGER NOT NULL,
	json    BLOB NOT NULL
);
CREATE INDEX events_task ON events(task_id, seq);

CREATE TABLE logs (
	task_id TEXT NOT NULL,
	attempt INTEGER NOT NULL,
	stream  TEXT NOT NULL,
	seq     INTEGER NOT NULL,
	data    TEXT NOT NULL,
	UNIQUE(task_id, attempt, stream, seq)
);

CREATE TABLE providers (
	id   TEXT PRIMARY KEY,
	json BLOB NOT NULL
);
`,
	// 2: settlement vouchers (sqlite/vouchers.go). Amounts are decimal TEXT:
	// they are uint256, beyond any SQLite integer.
	`
CREATE TABLE vouchers_issued (
	payer      TEXT NOT NULL,
	payee      TEXT NOT NULL,
	cumulative TEXT NOT NULL,
	signature  BLOB NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (payer, payee)
);

CREATE TABLE vouchers_received (
	payee      TEXT NOT NULL,
	payer      TEXT NOT NULL,
	cumulative TEXT NOT NULL,
	signature  BLOB NOT NULL,
	claimed    TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (payee, payer)
);
`,
	// 3: what each accepted task cost (sqlite/charges.go). One row per task,
	// written with the acceptance, so a task is charged exactly once.
	`
CREATE TABLE charges (
	task_id  TEXT PRIMARY KEY,
	job_id   TEXT NOT NULL,
	owner    TEXT NOT NULL,
	provider TEXT NOT NULL,
	amount   INTEGER NOT NULL,
	at       INTEGER NOT NULL
);
CREATE INDEX charges_owed ON charges(owner, provider);
CREATE INDEX charges_job ON charges(job_id, task_id);
`,
	// 4: a payee's claim transactions (sqlite/vouchers.go), for earnings.
	`
CREATE TABLE voucher_claims (
	payee      TEXT NOT NULL,
	tx         TEXT NOT NULL,
	paid       TEXT NOT NULL,
	claimed_at INTEGER NOT NULL,
	PRIMARY KEY (payee, tx)
);
CREATE INDEX voucher_claims_time ON voucher_claims(payee, claimed_at);
`,
	// 5: each increase of a payee's best voucher (sqlite/vouchers.go), so a
	// provider can say what it earned today.
	`
CREATE TABLE voucher_income (
	payee  TEXT NOT NULL,
	payer  TEXT NOT NULL,
	amount TEXT NOT NULL,
	at     INTEGER NOT NULL
);
CREATE INDEX voucher_income_time ON voucher_income(payee, at);
`,
}

// migrate brings the schema up to date. It runs on the writer connection
// before any other statement, so nothing can observe a half-migrated schema.
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var version int
	err := db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&version)
	switch {
	case err == sql.ErrNoRows:
		if _, err := db.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if version > len(migrations) {
		return bonfire.Errorf(bonfire.ECodeInternal,
			"the state database has schema version %d but this binary knows only up to %d", version, len(migrations)).
			WithHint("run a bonfire release at least as new as the one that last wrote this database")
	}
	for v := version; v < len(migrations); v++ {
		if err := applyMigration(ctx, db, v+1, migrations[v]); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, version int, ddl string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, ddl); err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "schema migration %d failed: %v", version, err).
			WithHint("the database was left at the previous version; report this as a bug")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, version); err != nil {
		return err
	}
	return tx.Commit()
}
