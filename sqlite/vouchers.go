package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"math/big"
	"slices"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/ethereum/go-ethereum/common"
)

// Store keeps both sides of settlement's voucher channels: the totals a
// payer has signed (vouchers_issued) and the best voucher a payee holds from
// each payer (vouchers_received). Addresses are stored in checksummed hex,
// amounts as decimal text.
var _ settlement.VoucherLedger = (*Store)(nil)

// Issued implements settlement.VoucherLedger.
func (s *Store) Issued(ctx context.Context, payer, payee common.Address) (*big.Int, error) {
	if s.closed.Load() {
		return nil, s.dbError(ctx, "read issued voucher", nil)
	}
	var text string
	err := s.reader.QueryRowContext(ctx,
		`SELECT cumulative FROM vouchers_issued WHERE payer = ? AND payee = ?`, payer.Hex(), payee.Hex()).Scan(&text)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return new(big.Int), nil
		}
		return nil, s.dbError(ctx, "read issued voucher", err)
	}
	return s.amount(ctx, "vouchers_issued.cumulative", text)
}

// SaveIssued implements settlement.VoucherLedger.
func (s *Store) SaveIssued(ctx context.Context, payer, payee common.Address, cumulative *big.Int, sig []byte) error {
	if s.closed.Load() {
		return s.dbError(ctx, "save issued voucher", nil)
	}
	_, err := s.writer.ExecContext(ctx, `
INSERT INTO vouchers_issued (payer, payee, cumulative, signature, updated_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (payer, payee) DO UPDATE SET
	cumulative = excluded.cumulative, signature = excluded.signature, updated_at = excluded.updated_at`,
		payer.Hex(), payee.Hex(), cumulative.String(), notNull(sig), time.Now().UnixNano())
	if err != nil {
		return s.dbError(ctx, "save issued voucher", err)
	}
	return nil
}

// Received implements settlement.VoucherLedger.
func (s *Store) Received(ctx context.Context, payee common.Address) ([]settlement.ReceivedVoucher, error) {
	if s.closed.Load() {
		return nil, s.dbError(ctx, "read received vouchers", nil)
	}
	rows, err := s.reader.QueryContext(ctx,
		`SELECT payer, cumulative, signature, claimed FROM vouchers_received WHERE payee = ? ORDER BY payer`, payee.Hex())
	if err != nil {
		return nil, s.dbError(ctx, "read received vouchers", err)
	}
	defer rows.Close()
	var out []settlement.ReceivedVoucher
	for rows.Next() {
		var payer, cumulative, claimed string
		var r settlement.ReceivedVoucher
		if err := rows.Scan(&payer, &cumulative, &r.Signature, &claimed); err != nil {
			return nil, s.dbError(ctx, "read received vouchers", err)
		}
		r.Payer = common.HexToAddress(payer)
		if r.Cumulative, err = s.amount(ctx, "vouchers_received.cumulative", cumulative); err != nil {
			return nil, err
		}
		if r.Claimed, err = s.amount(ctx, "vouchers_received.claimed", claimed); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.dbError(ctx, "read received vouchers", err)
	}
	// ORDER BY sorts checksummed hex, whose letter case differs from byte
	// order; the interface promises byte order.
	slices.SortFunc(out, func(a, b settlement.ReceivedVoucher) int { return a.Payer.Cmp(b.Payer) })
	return out, nil
}

// SaveReceived implements settlement.VoucherLedger.
func (s *Store) SaveReceived(ctx context.Context, payee common.Address, r settlement.ReceivedVoucher) error {
	if s.closed.Load() {
		return s.dbError(ctx, "save received voucher", nil)
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return s.dbError(ctx, "save received voucher", err)
	}
	defer tx.Rollback()
	// The increase over the stored total is logged in the same transaction,
	// so the income log always adds up to the best voucher.
	before := new(big.Int)
	var old string
	err = tx.QueryRowContext(ctx, `SELECT cumulative FROM vouchers_received WHERE payee = ? AND payer = ?`,
		payee.Hex(), r.Payer.Hex()).Scan(&old)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return s.dbError(ctx, "save received voucher", err)
	default:
		if before, err = s.amount(ctx, "vouchers_received.cumulative", old); err != nil {
			return err
		}
	}
	now := time.Now().UnixNano()
	if _, err := tx.ExecContext(ctx, `
INSERT INTO vouchers_received (payee, payer, cumulative, signature, claimed, updated_at) VALUES (?, ?, ?, ?, '0', ?)
ON CONFLICT (payee, payer) DO UPDATE SET
	cumulative = excluded.cumulative, signature = excluded.signature, updated_at = excluded.updated_at`,
		payee.Hex(), r.Payer.Hex(), r.Cumulative.String(), notNull(r.Signature), now); err != nil {
		return s.dbError(ctx, "save received voucher", err)
	}
	if delta := new(big.Int).Sub(r.Cumulative, before); delta.Sign() > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO voucher_income (payee, payer, amount, at) VALUES (?, ?, ?, ?)`,
			payee.Hex(), r.Payer.Hex(), delta.String(), now); err != nil {
			return s.dbError(ctx, "save received voucher", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return s.dbError(ctx, "save received voucher", err)
	}
	return nil
}

// EarnedSince implements settlement.IncomeLog.
func (s *Store) EarnedSince(ctx context.Context, payee common.Address, since time.Time) (*big.Int, error) {
	if s.closed.Load() {
		return nil, s.dbError(ctx, "read income", nil)
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT amount FROM voucher_income WHERE payee = ? AND at >= ?`,
		payee.Hex(), since.UnixNano())
	if err != nil {
		return nil, s.dbError(ctx, "read income", err)
	}
	defer rows.Close()
	total := new(big.Int)
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, s.dbError(ctx, "read income", err)
		}
		v, err := s.amount(ctx, "voucher_income.amount", a)
		if err != nil {
			return nil, err
		}
		total.Add(total, v)
	}
	if err := rows.Err(); err != nil {
		return nil, s.dbError(ctx, "read income", err)
	}
	return total, nil
}

// SaveClaimed implements settlement.VoucherLedger.
func (s *Store) SaveClaimed(ctx context.Context, payee, payer common.Address, claimed *big.Int) error {
	if s.closed.Load() {
		return s.dbError(ctx, "save claimed amount", nil)
	}
	_, err := s.writer.ExecContext(ctx,
		`UPDATE vouchers_received SET claimed = ?, updated_at = ? WHERE payee = ? AND payer = ?`,
		claimed.String(), time.Now().UnixNano(), payee.Hex(), payer.Hex())
	if err != nil {
		return s.dbError(ctx, "save claimed amount", err)
	}
	return nil
}

// amount parses a stored decimal; a bad one means the file was edited or
// damaged, not a caller mistake.
func (s *Store) amount(ctx context.Context, column, text string) (*big.Int, error) {
	x, ok := new(big.Int).SetString(text, 10)
	if !ok || x.Sign() < 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "%s holds %q, not a decimal amount", column, text).
			WithHint("the state database " + s.path + " is damaged; restore it from a backup")
	}
	return x, nil
}

// notNull stores a nil signature as an empty blob: the driver would write
// NULL.
func notNull(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

var _ settlement.ClaimLedger = (*Store)(nil)

// SaveClaim implements settlement.ClaimLog.
func (s *Store) SaveClaim(ctx context.Context, payee common.Address, c settlement.ClaimRecord) error {
	if s.closed.Load() {
		return s.dbError(ctx, "save claim", nil)
	}
	paid := "0"
	if c.Paid != nil {
		paid = c.Paid.String()
	}
	_, err := s.writer.ExecContext(ctx, `
INSERT INTO voucher_claims (payee, tx, paid, claimed_at) VALUES (?, ?, ?, ?)
ON CONFLICT (payee, tx) DO UPDATE SET paid = excluded.paid, claimed_at = excluded.claimed_at`,
		payee.Hex(), c.Tx.Hex(), paid, c.At.UnixNano())
	if err != nil {
		return s.dbError(ctx, "save claim", err)
	}
	return nil
}

// Claims implements settlement.ClaimLog.
func (s *Store) Claims(ctx context.Context, payee common.Address, limit int) ([]settlement.ClaimRecord, error) {
	if s.closed.Load() {
		return nil, s.dbError(ctx, "read claims", nil)
	}
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.reader.QueryContext(ctx,
		`SELECT tx, paid, claimed_at FROM voucher_claims WHERE payee = ? ORDER BY claimed_at DESC, rowid DESC LIMIT ?`,
		payee.Hex(), limit)
	if err != nil {
		return nil, s.dbError(ctx, "read claims", err)
	}
	defer rows.Close()
	var out []settlement.ClaimRecord
	for rows.Next() {
		var tx, paid string
		var at int64
		if err := rows.Scan(&tx, &paid, &at); err != nil {
			return nil, s.dbError(ctx, "read claims", err)
		}
		c := settlement.ClaimRecord{Tx: common.HexToHash(tx), At: time.Unix(0, at)}
		if c.Paid, err = s.amount(ctx, "voucher_claims.paid", paid); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, s.dbError(ctx, "read claims", err)
	}
	return out, nil
}
