package evm_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/simchain"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

func containsField(err error, field string) bool {
	var es bonfire.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			if e.Field == field {
				return true
			}
		}
		return false
	}
	var e *bonfire.Error
	return errors.As(err, &e) && e.Field == field
}

// eip712Reference hashes v with go-ethereum's independent EIP-712
// implementation (the one behind eth_signTypedData).
func eip712Reference(t *testing.T, chainID *big.Int, contract common.Address, v evm.Voucher) common.Hash {
	t.Helper()
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {
				{Name: "name", Type: "string"},
				{Name: "version", Type: "string"},
				{Name: "chainId", Type: "uint256"},
				{Name: "verifyingContract", Type: "address"},
			},
			"Voucher": {
				{Name: "payer", Type: "address"},
				{Name: "payee", Type: "address"},
				{Name: "cumulativeAmount", Type: "uint256"},
			},
		},
		PrimaryType: "Voucher",
		Domain: apitypes.TypedDataDomain{
			Name:              evm.EscrowDomainName,
			Version:           evm.EscrowDomainVersion,
			ChainId:           (*math.HexOrDecimal256)(chainID),
			VerifyingContract: contract.Hex(),
		},
		Message: apitypes.TypedDataMessage{
			"payer":            v.Payer.Hex(),
			"payee":            v.Payee.Hex(),
			"cumulativeAmount": v.CumulativeAmount.String(),
		},
	}
	hash, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	return common.BytesToHash(hash)
}

func TestVoucherDigestMatchesReferenceEIP712(t *testing.T) {
	t.Parallel()
	max256 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	for _, amount := range []*big.Int{big.NewInt(0), big.NewInt(1), usd(123456), max256} {
		v := evm.Voucher{Payer: common.HexToAddress("0x1111111111111111111111111111111111111111"),
			Payee: common.HexToAddress("0x2222222222222222222222222222222222222222"), CumulativeAmount: amount}
		for _, chainID := range []*big.Int{big.NewInt(1), big.NewInt(8453), big.NewInt(31337)} {
			contract := common.HexToAddress("0x3333333333333333333333333333333333333333")
			got := evm.VoucherDigest(chainID, contract, v)
			if want := eip712Reference(t, chainID, contract, v); got != want {
				t.Fatalf("amount %s chain %s: digest %s, reference %s", amount, chainID, got, want)
			}
		}
	}
}

func TestVoucherDigestMatchesContract(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	v := evm.Voucher{Payer: e.chain.Address(firstUser), Payee: e.chain.Address(firstUser + 1), CumulativeAmount: usd(42)}
	onChain, err := e.k.Escrow.VoucherDigest(e.call(), v)
	if err != nil {
		t.Fatal(err)
	}
	if got := evm.VoucherDigest(e.chain.ChainID(), e.dep.Escrow, v); got != common.Hash(onChain) {
		t.Fatalf("Go digest %s, contract digest %x", got, onChain)
	}
	sep, err := e.k.Escrow.DOMAINSEPARATOR(e.call())
	if err != nil {
		t.Fatal(err)
	}
	if got := evm.DomainSeparator(e.chain.ChainID(), e.dep.Escrow); got != common.Hash(sep) {
		t.Fatalf("Go domain separator %s, contract %x", got, sep)
	}
	domain, err := e.k.Escrow.Eip712Domain(e.call())
	if err != nil {
		t.Fatal(err)
	}
	if domain.Name != evm.EscrowDomainName || domain.Version != evm.EscrowDomainVersion {
		t.Fatalf("contract domain %q %q, Go %q %q", domain.Name, domain.Version, evm.EscrowDomainName, evm.EscrowDomainVersion)
	}
}

func TestSignAndVerifyVoucher(t *testing.T) {
	t.Parallel()
	payer, stranger := newKey(t), newKey(t)
	chainID, contract := big.NewInt(8453), common.Address{0xee}
	v := evm.Voucher{Payer: addr(payer), Payee: common.Address{0xaa}, CumulativeAmount: usd(5)}
	sig, err := evm.SignVoucher(payer, chainID, contract, v)
	if err != nil {
		t.Fatal(err)
	}
	if len(sig) != evm.SignatureLength || (sig[64] != 27 && sig[64] != 28) {
		t.Fatalf("signature %x is not 65 bytes with v 27/28", sig)
	}
	if err := evm.VerifyVoucher(chainID, contract, v, sig, addr(payer)); err != nil {
		t.Fatalf("valid signature rejected: %v", err)
	}

	unauthorized := func(name string, err error) {
		t.Helper()
		if bonfire.Code(err) != bonfire.ECodeUnauthorized {
			t.Errorf("%s: got %v, want an unauthorized error", name, err)
		}
	}
	unauthorized("other signer", evm.VerifyVoucher(chainID, contract, v, sig, addr(stranger)))
	unauthorized("other chain", evm.VerifyVoucher(big.NewInt(1), contract, v, sig, addr(payer)))
	unauthorized("other contract", evm.VerifyVoucher(chainID, common.Address{0xef}, v, sig, addr(payer)))
	more := v
	more.CumulativeAmount = usd(6)
	unauthorized("other amount", evm.VerifyVoucher(chainID, contract, more, sig, addr(payer)))

	// Malleated (high-s) copy of a valid signature: the contract rejects it, so must Go.
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(sig[32:64])
	high := append([]byte(nil), sig...)
	copy(high[32:64], common.LeftPadBytes(new(big.Int).Sub(n, s).Bytes(), 32))
	high[64] ^= 1 // 27 <-> 28
	invalid := func(name string, sig []byte) {
		t.Helper()
		err := evm.VerifyVoucher(chainID, contract, v, sig, addr(payer))
		if bonfire.Code(err) != bonfire.ECodeInvalid || !containsField(err, "signature") {
			t.Errorf("%s: got %v, want invalid signature", name, err)
		}
	}
	invalid("high s", high)
	invalid("short", sig[:64])
	zeroV := append([]byte(nil), sig...)
	zeroV[64] -= 27
	invalid("v of 0/1", zeroV)
}

func TestCheckVoucherNamesEveryProblem(t *testing.T) {
	t.Parallel()
	err := evm.CheckVoucher(evm.Voucher{CumulativeAmount: big.NewInt(-1)})
	for _, f := range []string{"voucher.payer", "voucher.payee", "voucher.cumulativeAmount"} {
		if !containsField(err, f) {
			t.Errorf("error %v does not name %s", err, f)
		}
	}
	if _, err := evm.SignVoucher(newKey(t), big.NewInt(1), common.Address{1}, evm.Voucher{Payer: common.Address{1}, Payee: common.Address{2}}); !containsField(err, "voucher.cumulativeAmount") {
		t.Errorf("SignVoucher with no amount: got %v, want voucher.cumulativeAmount error", err)
	}
}

func TestDeploymentRoundTripsAndMatchesChain(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	b, err := json.Marshal(e.dep)
	if err != nil {
		t.Fatal(err)
	}
	var back evm.Deployment
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back != *e.dep {
		t.Fatalf("deployment changed in JSON round trip:\n%+v\n%+v", back, *e.dep)
	}
	if back.ChainID != simchain.DefaultChainID || !back.TestToken || back.Block == 0 {
		t.Fatalf("deployment = %+v, want chain %d, a test token and a block", back, simchain.DefaultChainID)
	}

	fee, err := e.k.Escrow.FeeBps(e.call())
	if err != nil || fee != testFeeBps {
		t.Fatalf("feeBps = %d, %v; want %d", fee, err, testFeeBps)
	}
	delay, err := e.k.Escrow.WithdrawDelay(e.call())
	if err != nil || delay != uint64(testWithdrawDelay.Seconds()) {
		t.Fatalf("withdrawDelay = %d, %v", delay, err)
	}
	token, err := e.k.Stake.Token(e.call())
	if err != nil || token != e.dep.Token {
		t.Fatalf("stake token = %s, %v; want %s", token, err, e.dep.Token)
	}
	decimals, err := e.k.Token.Decimals(e.call())
	if err != nil || decimals != 6 {
		t.Fatalf("decimals = %d, %v; want 6", decimals, err)
	}
	_, err = e.k.Token.Faucet(e.chain.Auth(firstUser), e.chain.Address(firstUser), new(big.Int).Add(usd(1_000_000), big.NewInt(1)))
	e.reverts("FaucetLimit", nil, err)
}
