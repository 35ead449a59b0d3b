package bonfire

import (
	"strings"
	"time"
)

// Address is an Ethereum address in 0x-prefixed hex, checksummed or lower
// case. It identifies providers and job owners.
type Address string

// Normal returns a in lower case so that two spellings compare equal.
func (a Address) Normal() Address { return Address(strings.ToLower(string(a))) }

// Hardware is what a provider's machine has.
type Hardware struct {
	OS          string `json:"os"`
	Arch        string `json:"arch"`
	CPUCores    int    `json:"cpuCores"`
	MemoryBytes int64  `json:"memoryBytes"`
	GPUs        []GPU  `json:"gpus,omitempty"`
}

// GPU describes one graphics card.
type GPU struct {
	Vendor      string `json:"vendor"`
	Model       string `json:"model"`
	MemoryBytes int64  `json:"memoryBytes"`
	Driver      string `json:"driver,omitempty"`
	CUDA        string `json:"cuda,omitempty"`
}

// Capacity is an amount of machine: what a provider lends, or what is free.
type Capacity struct {
	CPUMilli    int64 `json:"cpuMilli"`
	MemoryBytes int64 `json:"memoryBytes"`
	GPUs        int   `json:"gpus"`
}

// Fits reports whether r fits in c.
func (c Capacity) Fits(r Resources) bool {
	gpus := 0
	if r.GPU != nil {
		gpus = r.GPU.Count
	}
	return r.CPUMilli <= c.CPUMilli && r.MemoryBytes <= c.MemoryBytes && gpus <= c.GPUs
}

// Sub returns c less r.
func (c Capacity) Sub(r Resources) Capacity {
	c.CPUMilli -= r.CPUMilli
	c.MemoryBytes -= r.MemoryBytes
	if r.GPU != nil {
		c.GPUs -= r.GPU.Count
	}
	return c
}

// ProviderInfo is what a provider declares when it registers.
type ProviderInfo struct {
	ID        Address  `json:"id"`
	Name      string   `json:"name"`
	Version   string   `json:"version"`
	Hardware  Hardware `json:"hardware"`
	Lend      Capacity `json:"lend"`
	Executors []string `json:"executors"`
	// PricePerCPUSecond is in the settlement token's smallest unit.
	PricePerCPUSecond uint64 `json:"pricePerCpuSecond"`
	// PricePerGPUSecond is per GPU and second of wall time a GPU is held.
	PricePerGPUSecond uint64 `json:"pricePerGpuSecond,omitempty"`
	// Network says the provider lets tasks that ask for it reach the
	// network (docker executor). Without it such jobs are not placed here.
	Network  bool `json:"network,omitempty"`
	IdleMode bool `json:"idleMode"` // lends only while the owner's machine is idle
	// BenchScore is the speed the provider claims for one core, in
	// millions of chained SHA-256 steps per second (see trust.Challenge).
	// The market checks it, with the claimed cores, by hardware challenge.
	BenchScore float64 `json:"benchScore,omitempty"`
}

// ProviderState is a provider's health as the market sees it.
type ProviderState string

// Provider states.
const (
	ProviderOnline  ProviderState = "online"  // heartbeating and taking work
	ProviderBusy    ProviderState = "busy"    // idle mode: the owner is using the machine
	ProviderOffline ProviderState = "offline" // missed its heartbeats
)

// Provider is a registered provider with its live state.
type Provider struct {
	Info          ProviderInfo  `json:"info"`
	State         ProviderState `json:"state"`
	RegisteredAt  time.Time     `json:"registeredAt"`
	LastHeartbeat time.Time     `json:"lastHeartbeat"`
	Running       int           `json:"running"`
	TasksDone     int64         `json:"tasksDone"`
	TasksFailed   int64         `json:"tasksFailed"`
	Reputation    Reputation    `json:"reputation"`
	// Unhealthy is set while the provider owes an answer to a hardware
	// challenge it let lapse; it is given no work until it answers one.
	Unhealthy bool `json:"unhealthy,omitempty"`
	// Slashed is what the provider's stake has lost to faults so far.
	Slashed uint64 `json:"slashed,omitempty"`
	// LastChallenge is the outcome of its latest hardware challenge, with
	// the reason when it did not pass.
	LastChallenge string `json:"lastChallenge,omitempty"`
	// Rejections counts the results and commitments the market refused
	// from this provider (forged, stale, malformed, late, not opening
	// their commitment); LastRejection is the latest reason.
	Rejections    int64  `json:"rejections,omitempty"`
	LastRejection string `json:"lastRejection,omitempty"`
}

// Reputation is what the market knows about one provider's honesty and
// health. Package trust owns the rules that change it (its Reputation is
// this record with methods); the core holds the record so that providers
// carry it everywhere they go: the store, the API, the scheduler.
type Reputation struct {
	// TasksDone counts results the provider returned for real tasks and
	// canaries, checked or not.
	TasksDone int64 `json:"tasksDone"`
	// Agreed counts results that matched the quorum; Faults counts results
	// in the minority, wrong canaries and broken commit–reveal rounds.
	Agreed int64 `json:"agreed"`
	Faults int64 `json:"faults"`
	// CV is BOINC's "consecutive valid": checked results that agreed since
	// the last fault. Unchecked results do not raise it, so it measures
	// evidence, not volume.
	CV int `json:"cv"`

	CanariesPassed   int64 `json:"canariesPassed"`
	CanariesFailed   int64 `json:"canariesFailed"`
	ChallengesPassed int64 `json:"challengesPassed"`
	ChallengesFailed int64 `json:"challengesFailed"` // wrong, late or unanswered

	// ClaimedScore is what the provider says one core does (see
	// ProviderInfo.BenchScore); MeasuredScore is what its latest answered
	// challenge showed (0: never).
	ClaimedScore  float64 `json:"claimedScore,omitempty"`
	MeasuredScore float64 `json:"measuredScore,omitempty"`

	// Uptime is the share of heartbeat samples in which the provider was
	// up, averaged over the last day of samples.
	Uptime        float64 `json:"uptime"`
	UptimeSamples int64   `json:"uptimeSamples"`

	// Score in [0, 1] sums the above up (trust.Reputation.Score); it ranks
	// providers and is what a job's verify.minReputation is compared with.
	// The market recomputes it on every change; a newcomer starts at 0.5.
	Score float64 `json:"score"`
}
