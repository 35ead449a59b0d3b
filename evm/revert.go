package evm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bonfirenet/bonfire/evm/bindings"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// RevertError is a contract call that reverted with one of the settlement
// contracts' custom errors (their own or an inherited OpenZeppelin one).
type RevertError struct {
	Name string // the Solidity error's name, e.g. "WithdrawalNotReady"
	Args []any  // its decoded arguments
}

func (r *RevertError) Error() string {
	if len(r.Args) == 0 {
		return "reverted with " + r.Name + "()"
	}
	parts := make([]string, len(r.Args))
	for i, a := range r.Args {
		parts[i] = fmt.Sprint(a)
	}
	return "reverted with " + r.Name + "(" + strings.Join(parts, ", ") + ")"
}

// knownErrors maps a 4-byte selector to the error it names, gathered from
// every contract's ABI.
var knownErrors = func() map[[4]byte]abi.Error {
	m := map[[4]byte]abi.Error{}
	for _, md := range []*bind.MetaData{bindings.BonfireEscrowMetaData, bindings.ProviderStakeMetaData, bindings.TestStablecoinMetaData} {
		parsed, err := md.GetAbi()
		if err != nil {
			panic("evm: committed binding has a broken ABI: " + err.Error())
		}
		for _, e := range parsed.Errors {
			m[[4]byte(e.ID[:4])] = e
		}
	}
	return m
}()

// DecodeRevert finds the revert data in err (as JSON-RPC clients return it
// from eth_call and eth_estimateGas) and decodes it against the settlement
// contracts' errors. ok is false when err carries no revert data or data no
// contract of ours defines.
func DecodeRevert(err error) (r *RevertError, ok bool) {
	var de interface{ ErrorData() any }
	if !errors.As(err, &de) {
		return nil, false
	}
	s, isString := de.ErrorData().(string)
	if !isString {
		return nil, false
	}
	data, decErr := hexutil.Decode(s)
	if decErr != nil || len(data) < 4 {
		return nil, false
	}
	e, found := knownErrors[[4]byte(data[:4])]
	if !found {
		return nil, false
	}
	args, unpackErr := e.Inputs.Unpack(data[4:])
	if unpackErr != nil {
		return nil, false
	}
	return &RevertError{Name: e.Name, Args: args}, true
}
