package evm

import (
	"crypto/ecdsa"
	"math/big"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm/bindings"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Voucher is a payer's signed promise that it owes payee CumulativeAmount in
// total so far. It is the contract's struct, so a []Voucher goes straight into
// the Claim binding.
type Voucher = bindings.BonfireEscrowVoucher

// EIP-712 domain of BonfireEscrow. These must match the constructor's
// EIP712("BonfireEscrow", "1"); TestVoucherDigestMatchesContract checks.
const (
	EscrowDomainName    = "BonfireEscrow"
	EscrowDomainVersion = "1"
)

// SignatureLength is the length of a voucher signature: r, s and v (27 or 28).
const SignatureLength = 65

var (
	domainTypeHash  = crypto.Keccak256Hash([]byte("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"))
	voucherTypeHash = crypto.Keccak256Hash([]byte("Voucher(address payer,address payee,uint256 cumulativeAmount)"))
	domainNameHash  = crypto.Keccak256Hash([]byte(EscrowDomainName))
	domainVerHash   = crypto.Keccak256Hash([]byte(EscrowDomainVersion))
	// secp256k1N / 2: signatures with a larger s are malleable copies that
	// OpenZeppelin's ECDSA rejects, so Go rejects them too.
	secp256k1HalfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)
)

// DomainSeparator returns the EIP-712 domain separator of the escrow at
// contract on chainID. It binds a signature to one chain and one contract.
func DomainSeparator(chainID *big.Int, contract common.Address) common.Hash {
	return crypto.Keccak256Hash(
		domainTypeHash[:],
		domainNameHash[:],
		domainVerHash[:],
		common.LeftPadBytes(chainID.Bytes(), 32),
		common.LeftPadBytes(contract[:], 32),
	)
}

// VoucherDigest returns the EIP-712 digest of v for the escrow at contract on
// chainID: the 32 bytes a signer signs and the contract recovers from.
// CumulativeAmount must be non-nil and non-negative (see CheckVoucher).
func VoucherDigest(chainID *big.Int, contract common.Address, v Voucher) common.Hash {
	structHash := crypto.Keccak256Hash(
		voucherTypeHash[:],
		common.LeftPadBytes(v.Payer[:], 32),
		common.LeftPadBytes(v.Payee[:], 32),
		common.LeftPadBytes(v.CumulativeAmount.Bytes(), 32),
	)
	sep := DomainSeparator(chainID, contract)
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, sep[:], structHash[:])
}

// CheckVoucher reports whether v can be signed at all: both parties set and
// distinct, and an amount that fits in a uint256.
func CheckVoucher(v Voucher) error {
	var es bonfire.Errors
	if v.Payer == (common.Address{}) {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "payer is the zero address").
			WithField("voucher.payer").WithHint("set the consumer's wallet address"))
	}
	if v.Payee == (common.Address{}) {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "payee is the zero address").
			WithField("voucher.payee").WithHint("set the provider's address"))
	}
	switch {
	case v.CumulativeAmount == nil:
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "cumulative amount is missing").
			WithField("voucher.cumulativeAmount").WithHint("set the total owed so far, in token base units"))
	case v.CumulativeAmount.Sign() < 0 || v.CumulativeAmount.BitLen() > 256:
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "cumulative amount %s is outside 0..2^256-1", v.CumulativeAmount).
			WithField("voucher.cumulativeAmount").WithHint("amounts are unsigned 256-bit token base units"))
	}
	return es.Err()
}

// SignVoucher signs v with key (the payer's own key or one of its session
// keys) for the escrow at contract on chainID. The result is the 65-byte
// r‖s‖v form with v in {27, 28} that the contract expects.
func SignVoucher(key *ecdsa.PrivateKey, chainID *big.Int, contract common.Address, v Voucher) ([]byte, error) {
	if err := CheckVoucher(v); err != nil {
		return nil, err
	}
	digest := VoucherDigest(chainID, contract, v)
	sig, err := crypto.Sign(digest[:], key)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot sign voucher: %v", err).
			WithHint("use a valid secp256k1 private key")
	}
	sig[64] += 27
	return sig, nil
}

// RecoverVoucherSigner returns the address whose key produced sig over v,
// applying the same rules as the contract (65 bytes, v in {27, 28}, low s).
func RecoverVoucherSigner(chainID *big.Int, contract common.Address, v Voucher, sig []byte) (common.Address, error) {
	if err := CheckVoucher(v); err != nil {
		return common.Address{}, err
	}
	if len(sig) != SignatureLength {
		return common.Address{}, bonfire.Errorf(bonfire.ECodeInvalid, "signature is %d bytes, want %d", len(sig), SignatureLength).
			WithField("signature").WithHint("send the 65-byte r||s||v signature from SignVoucher")
	}
	if sig[64] != 27 && sig[64] != 28 {
		return common.Address{}, bonfire.Errorf(bonfire.ECodeInvalid, "signature v is %d, want 27 or 28", sig[64]).
			WithField("signature").WithHint("add 27 to a 0/1 recovery id")
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64])
	if r.Sign() == 0 || s.Sign() == 0 || s.Cmp(secp256k1HalfN) > 0 {
		return common.Address{}, bonfire.Errorf(bonfire.ECodeInvalid, "signature has a zero or high-s component").
			WithField("signature").WithHint("sign with a library that emits low-s (canonical) signatures")
	}
	digest := VoucherDigest(chainID, contract, v)
	norm := append([]byte(nil), sig...)
	norm[64] -= 27
	pub, err := crypto.SigToPub(digest[:], norm)
	if err != nil {
		return common.Address{}, bonfire.Errorf(bonfire.ECodeInvalid, "signature does not recover to a key: %v", err).
			WithField("signature").WithHint("the signature is corrupt; ask the payer to sign again")
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// VerifyVoucher checks that sig is signer's signature over v for the escrow
// at contract on chainID. signer is the payer or a session key the caller
// knows the payer authorised; whether that key is still valid on chain (not
// revoked, expired or over its cap) is the contract's to decide at claim time.
func VerifyVoucher(chainID *big.Int, contract common.Address, v Voucher, sig []byte, signer common.Address) error {
	got, err := RecoverVoucherSigner(chainID, contract, v, sig)
	if err != nil {
		return err
	}
	if got != signer {
		return bonfire.Errorf(bonfire.ECodeUnauthorized, "voucher is signed by %s, not %s", got.Hex(), signer.Hex()).
			WithField("signature").
			WithHint("the voucher was signed by another key, or for another chain, contract, payer, payee or amount")
	}
	return nil
}
