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
}
