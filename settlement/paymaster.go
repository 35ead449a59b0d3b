package settlement

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/bindings"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// PaymasterConfig configures a Paymaster.
type PaymasterConfig struct {
	// Key is the market's session key: consumers authorise its address on
	// the escrow, and it signs every voucher.
	Key        *ecdsa.PrivateKey
	Deployment *evm.Deployment
	// Backend reads the escrow and the token (no transactions are sent).
	Backend bind.ContractBackend
	// Ledger keeps the totals signed so far, so they never go down.
	Ledger VoucherLedger
	// RPCURL is told to clients in Info; it is not dialled.
	RPCURL string
	// Now is the clock session-key expiry is checked against; nil is
	// time.Now.
	Now func() time.Time
}

// Paymaster is the market's paying side (bonfire.Payments): it signs
// cumulative vouchers for job owners with the session key they authorised,
// and checks a job's budget against their escrow deposit and the key's cap.
type Paymaster struct {
	key     *ecdsa.PrivateKey
	keyAddr common.Address
	chainID *big.Int
	escrow  common.Address
	reader  *bindings.BonfireEscrowCaller
	ledger  VoucherLedger
	info    bonfire.SettlementInfo
	now     func() time.Time

	mu sync.Mutex // serialises read-check-write of issued totals
}

var _ bonfire.Payments = (*Paymaster)(nil)

// NewPaymaster checks cfg and reads the token's symbol and decimals once.
func NewPaymaster(ctx context.Context, cfg PaymasterConfig) (*Paymaster, error) {
	var es bonfire.Errors
	if cfg.Key == nil {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "no session key given").WithField("key").
			WithHint("give the market's session key; consumers authorise its address"))
	}
	if cfg.Deployment == nil {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "no deployment given").WithField("deployment").
			WithHint("pass the deployments.json the chain wrote"))
	}
	if cfg.Backend == nil {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "no chain backend given").WithField("backend").
			WithHint("connect to the chain (ethclient) first"))
	}
	if cfg.Ledger == nil {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "no voucher ledger given").WithField("ledger").
			WithHint("pass the market's state store, which keeps issued totals"))
	}
	if err := es.Err(); err != nil {
		return nil, err
	}
	dep := cfg.Deployment
	reader, err := bindings.NewBonfireEscrowCaller(dep.Escrow, cfg.Backend)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "bind escrow: %v", err)
	}
	token, err := bindings.NewTestStablecoinCaller(dep.Token, cfg.Backend)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "bind token: %v", err)
	}
	opts := &bind.CallOpts{Context: ctx}
	decimals, err := token.Decimals(opts)
	if err != nil {
		return nil, chainError("read the token's decimals", err)
	}
	symbol, err := token.Symbol(opts)
	if err != nil {
		return nil, chainError("read the token's symbol", err)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	keyAddr := crypto.PubkeyToAddress(cfg.Key.PublicKey)
	return &Paymaster{
		key: cfg.Key, keyAddr: keyAddr, chainID: new(big.Int).SetUint64(dep.ChainID), escrow: dep.Escrow,
		reader: reader, ledger: cfg.Ledger, now: now,
		info: bonfire.SettlementInfo{
			ChainID: dep.ChainID, RPCURL: cfg.RPCURL, Escrow: bonfire.Address(dep.Escrow.Hex()),
			Token: bonfire.Address(dep.Token.Hex()), Symbol: symbol, Decimals: decimals,
			SessionKey: bonfire.Address(keyAddr.Hex()),
		},
	}, nil
}

// Info implements bonfire.Payments.
func (p *Paymaster) Info() bonfire.SettlementInfo { return p.info }

// SessionKey is the address consumers authorise.
func (p *Paymaster) SessionKey() common.Address { return p.keyAddr }

// Voucher implements bonfire.Payments. The total is stored before the
// voucher is returned, so a restarted market never signs a smaller one.
func (p *Paymaster) Voucher(ctx context.Context, owner, provider bonfire.Address, cumulative uint64) (*bonfire.Voucher, error) {
	payer, err := parseAddress("owner", owner)
	if err != nil {
		return nil, err
	}
	payee, err := parseAddress("provider", provider)
	if err != nil {
		return nil, err
	}
	total := new(big.Int).SetUint64(cumulative)
	p.mu.Lock()
	defer p.mu.Unlock()
	issued, err := p.ledger.Issued(ctx, payer, payee)
	if err != nil {
		return nil, err
	}
	if total.Cmp(issued) < 0 {
		return nil, bonfire.Errorf(bonfire.ECodeConflict, "owner %s already promised provider %s %s, more than the %s asked for now",
			payer.Hex(), payee.Hex(), issued, total).
			WithField("cumulative").
			WithHint("cumulative totals only grow: sign the running total of every charge, which the ledger shows is at least " + issued.String())
	}
	sig, err := evm.SignVoucher(p.key, p.chainID, p.escrow, evm.Voucher{Payer: payer, Payee: payee, CumulativeAmount: total})
	if err != nil {
		return nil, err
	}
	if total.Cmp(issued) > 0 {
		if err := p.ledger.SaveIssued(ctx, payer, payee, total, sig); err != nil {
			return nil, err
		}
	}
	return &bonfire.Voucher{
		ChainID: p.info.ChainID, Escrow: p.info.Escrow,
		Payer: bonfire.Address(payer.Hex()), Payee: bonfire.Address(payee.Hex()),
		Cumulative: total, Signature: sig,
	}, nil
}

func parseAddress(field string, a bonfire.Address) (common.Address, error) {
	if !common.IsHexAddress(string(a)) {
		return common.Address{}, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not an Ethereum address", a).
			WithField(field).WithHint("give 0x followed by 40 hex digits")
	}
	return common.HexToAddress(string(a)), nil
}
