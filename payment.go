package bonfire

import (
	"context"
	"math/big"
	"time"
)

// Charge is what a task that used cpuNanos of CPU time costs at the
// provider's pricePerCPUSecond, capped by the job's maxPricePerCPUSecond, in
// the settlement token's smallest unit. It rounds up, so a provider is never
// paid for less CPU time than it ran. The market charges each accepted task
// exactly once with it; failed, cancelled and rejected attempts cost nothing.
func Charge(cpuNanos int64, pricePerCPUSecond, maxPricePerCPUSecond uint64) uint64 {
	price := min(pricePerCPUSecond, maxPricePerCPUSecond)
	if price == 0 || cpuNanos <= 0 {
		return 0
	}
	const nanosPerSecond = 1_000_000_000
	total := new(big.Int).Mul(big.NewInt(cpuNanos), new(big.Int).SetUint64(price))
	total.Add(total, big.NewInt(nanosPerSecond-1))
	total.Quo(total, big.NewInt(nanosPerSecond))
	if !total.IsUint64() {
		return ^uint64(0)
	}
	return total.Uint64()
}

// GPUCharge is what gpuNanos of GPU time (GPUs held × wall time) costs at
// the provider's pricePerGPUSecond, capped by the job's maxGPUPrice. It
// rounds up and saturates like Charge.
func GPUCharge(gpuNanos int64, pricePerGPUSecond, maxGPUPrice uint64) uint64 {
	return Charge(gpuNanos, pricePerGPUSecond, maxGPUPrice)
}

// TaskCost is what an accepted task that used u costs on provider p: its
// cpu-seconds at the CPU price plus its GPU-seconds at the GPU price, each
// capped by the job's maximum, the sum capped by MaxTaskCharge(spec).
func TaskCost(u Usage, p ProviderInfo, spec *JobSpec) uint64 {
	if spec == nil {
		return 0
	}
	cpu := Charge(u.CPUNanos, p.PricePerCPUSecond, spec.MaxPrice)
	gpu := GPUCharge(u.GPUNanos, p.PricePerGPUSecond, spec.MaxGPUPrice)
	total := cpu + gpu
	if total < cpu { // wrapped
		total = ^uint64(0)
	}
	return min(total, MaxTaskCharge(spec))
}

// MaxTaskCharge is the most one task of spec can cost: all its CPU for its
// whole timeout at the job's maximum price, plus all its GPUs for the whole
// timeout at the job's maximum GPU price. The market caps every charge at
// it, so a job never costs more than TaskCount × MaxTaskCharge, which is the
// budget checked against the owner's escrow before the job starts.
func MaxTaskCharge(spec *JobSpec) uint64 {
	if spec == nil || spec.MaxPrice == 0 && spec.MaxGPUPrice == 0 {
		return 0
	}
	timeout := big.NewInt(int64(spec.Timeout.D()))
	cpuNanos := new(big.Int).Mul(big.NewInt(spec.Resources.CPUMilli), timeout)
	cpuNanos.Quo(cpuNanos, big.NewInt(1000))
	if !cpuNanos.IsInt64() {
		return ^uint64(0)
	}
	total := Charge(cpuNanos.Int64(), spec.MaxPrice, spec.MaxPrice)
	if g := spec.Resources.GPU; g != nil && g.Count > 0 && spec.MaxGPUPrice > 0 {
		gpuNanos := new(big.Int).Mul(big.NewInt(int64(g.Count)), timeout)
		if !gpuNanos.IsInt64() {
			return ^uint64(0)
		}
		gpu := GPUCharge(gpuNanos.Int64(), spec.MaxGPUPrice, spec.MaxGPUPrice)
		if total+gpu < total {
			return ^uint64(0)
		}
		total += gpu
	}
	return total
}

// TaskCharge is what one accepted task costs its job's owner, owed to the
// provider whose result was accepted. The market writes it in the same batch
// that accepts the result, so a task is charged exactly once, and the
// running totals owed (what vouchers promise) derive from durable charges.
type TaskCharge struct {
	TaskID   string    `json:"taskId"`
	JobID    string    `json:"jobId"`
	Owner    Address   `json:"owner"`
	Provider Address   `json:"provider"`
	Amount   uint64    `json:"amount"` // token base units
	At       time.Time `json:"at"`
}

// Owed is the total a job owner owes one provider over all its charges.
type Owed struct {
	Owner    Address `json:"owner"`
	Provider Address `json:"provider"`
	Amount   uint64  `json:"amount"`
}

// ChargeReader reads the charges the market recorded.
type ChargeReader interface {
	// OwedTotals sums every charge by owner and provider.
	OwedTotals(ctx context.Context) ([]Owed, error)
	// JobCharges lists a job's charges by task ID.
	JobCharges(ctx context.Context, jobID string) ([]*TaskCharge, error)
}

// Voucher is a payer's signed promise of the cumulative amount it owes a
// payee on one escrow contract (EIP-712, verified on chain by the escrow).
// The newest voucher supersedes all earlier ones, so a payee keeps only the
// highest per payer and claims it whenever it likes.
type Voucher struct {
	ChainID    uint64   `json:"chainId"`
	Escrow     Address  `json:"escrow"`
	Payer      Address  `json:"payer"` // whose escrow deposit pays
	Payee      Address  `json:"payee"` // the provider
	Cumulative *big.Int `json:"cumulative"`
	Signature  []byte   `json:"signature"` // by the payer or a session key it authorised
}

// SettlementInfo tells clients where and how the market settles.
type SettlementInfo struct {
	ChainID    uint64  `json:"chainId"`
	RPCURL     string  `json:"rpcUrl,omitempty"`
	Escrow     Address `json:"escrow"`
	Token      Address `json:"token"`
	Symbol     string  `json:"symbol"`
	Decimals   uint8   `json:"decimals"`
	SessionKey Address `json:"sessionKey"` // consumers authorise it to pay for their jobs
}

// Payments is the market's paying side. The market records every charge
// durably with the task it pays for; Payments turns running totals into
// signed vouchers and checks a job's budget against the chain.
type Payments interface {
	// CheckBudget returns nil when owner's escrow deposit and the market's
	// session-key allowance cover need more than what owner already owes
	// (owed: cumulative totals per provider, some of them claimed), and an
	// ECodePaymentRequired error naming the shortfall otherwise.
	CheckBudget(ctx context.Context, owner Address, need uint64, owed map[Address]uint64) error
	// Voucher signs owner's promise to pay provider cumulative in total.
	// Totals only grow; signing the same total again is allowed.
	Voucher(ctx context.Context, owner, provider Address, cumulative uint64) (*Voucher, error)
	// Info describes the settlement for clients.
	Info() SettlementInfo
}

// VoucherReceiver is the provider's side: it checks a voucher and keeps it
// durably (the highest per payer) for claiming.
type VoucherReceiver interface {
	Receive(ctx context.Context, v Voucher) error
}

// Slasher takes part of a provider's stake for a proven fault and gives it
// to the consumer the fault harmed (ProviderStake.slash on chain).
type Slasher interface {
	// Slash takes up to amount from provider's stake, never more than the
	// stake holds, sends it to consumer citing evidence (the digest of the
	// signed results the fault rests on), and returns what it took. A
	// provider with no stake loses nothing here, only reputation and pay.
	Slash(ctx context.Context, provider, consumer Address, amount uint64, evidence Digest) (uint64, error)
}
