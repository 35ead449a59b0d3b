package chainwallet

import (
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"
)

// feeHead is what suggestFees reads from a node.
type feeHead interface {
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	SuggestGasTipCap(ctx context.Context) (*big.Int, error)
}

// suggestFees returns an EIP-1559 tip and fee cap: the node's suggested tip,
// and twice the latest base fee plus the tip. The base fee can rise 12.5% a
// block, so twice it keeps the transaction includable through six full
// blocks in a row, while the sender still pays only base fee plus tip. Both
// are nil on a chain without a base fee (before London), where bind falls
// back to the node's gas price.
func suggestFees(ctx context.Context, node feeHead) (tip, feeCap *big.Int, err error) {
	head, err := node.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	if head.BaseFee == nil {
		return nil, nil, nil
	}
	if tip, err = node.SuggestGasTipCap(ctx); err != nil {
		return nil, nil, err
	}
	return tip, feeCapFor(head.BaseFee, tip), nil
}

// feeCapFor is 2 × baseFee + tip.
func feeCapFor(baseFee, tip *big.Int) *big.Int {
	return new(big.Int).Add(new(big.Int).Lsh(baseFee, 1), tip)
}
