package settlement

import (
	"encoding/json"
	"math/big"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// SignedVoucher is a voucher with its signature and the chain and escrow it
// was signed for. ChainID and Escrow are not signed fields of their own (the
// EIP-712 domain covers them); they travel along so a payee can tell a
// voucher meant for another deployment from a forged one.
type SignedVoucher struct {
	ChainID   *big.Int
	Escrow    common.Address
	Voucher   evm.Voucher
	Signature []byte
}

// signedVoucherJSON is the wire form: amounts as decimal strings, because
// JSON numbers lose precision above 2^53 in most decoders.
type signedVoucherJSON struct {
	ChainID          string         `json:"chainId"`
	Escrow           common.Address `json:"escrow"`
	Payer            common.Address `json:"payer"`
	Payee            common.Address `json:"payee"`
	CumulativeAmount string         `json:"cumulativeAmount"`
	Signature        hexutil.Bytes  `json:"signature"`
}

// MarshalJSON encodes v with decimal-string amounts.
func (v SignedVoucher) MarshalJSON() ([]byte, error) {
	return json.Marshal(signedVoucherJSON{
		ChainID:          decimal(v.ChainID),
		Escrow:           v.Escrow,
		Payer:            v.Voucher.Payer,
		Payee:            v.Voucher.Payee,
		CumulativeAmount: decimal(v.Voucher.CumulativeAmount),
		Signature:        v.Signature,
	})
}

// UnmarshalJSON decodes the wire form, refusing amounts that are not
// non-negative decimal integers below 2^256.
func (v *SignedVoucher) UnmarshalJSON(data []byte) error {
	var w signedVoucherJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return bonfire.Errorf(bonfire.ECodeInvalid, "malformed voucher: %v", err).
			WithField("voucher").WithHint("send the JSON produced by Payer.Pay")
	}
	chainID, err := parseAmount("voucher.chainId", w.ChainID)
	if err != nil {
		return err
	}
	amount, err := parseAmount("voucher.cumulativeAmount", w.CumulativeAmount)
	if err != nil {
		return err
	}
	*v = SignedVoucher{
		ChainID:   chainID,
		Escrow:    w.Escrow,
		Voucher:   evm.Voucher{Payer: w.Payer, Payee: w.Payee, CumulativeAmount: amount},
		Signature: w.Signature,
	}
	return nil
}

func decimal(x *big.Int) string {
	if x == nil {
		return "0"
	}
	return x.String()
}

// parseAmount reads a uint256 written in decimal.
func parseAmount(field, s string) (*big.Int, error) {
	x, ok := new(big.Int).SetString(s, 10)
	if !ok || x.Sign() < 0 || x.BitLen() > 256 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not an unsigned 256-bit decimal integer", s).
			WithField(field).WithHint(`write the amount in the token's base units as a decimal string, e.g. "1500000"`)
	}
	return x, nil
}
