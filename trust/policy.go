package trust

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// Mode is how a job's results are verified.
type Mode string

// Verification modes, as written after a job spec's verify: key.
const (
	ModeAdaptive  Mode = "adaptive"  // BOINC-style: check new providers always, trusted ones sometimes
	ModeReplicate Mode = "replicate" // every task runs on Replicas providers
	ModeNone      Mode = "none"      // believe the first result
)

// Policy limits.
const (
	// AlwaysCheckBelow is the CV under which the adaptive policy checks
	// every task (BOINC's threshold).
	AlwaysCheckBelow = 10
	// MaxReplicas bounds replicate: N, because each replica is paid for.
	MaxReplicas = 16
)

// Policy is a job's verification policy. The zero value is adaptive, which
// is the default when a spec says nothing.
type Policy struct {
	Mode     Mode `json:"mode,omitempty"`
	Replicas int  `json:"replicas,omitempty"` // only for ModeReplicate; at least 2
}

// Adaptive is the default policy.
func Adaptive() Policy { return Policy{Mode: ModeAdaptive} }

// None accepts every first result.
func None() Policy { return Policy{Mode: ModeNone} }

// Replicate runs every task n times. It does not check n; Validate does.
func Replicate(n int) Policy { return Policy{Mode: ModeReplicate, Replicas: n} }

// mode treats the zero Policy as adaptive, so an unset field is the default.
func (p Policy) mode() Mode {
	if p.Mode == "" {
		return ModeAdaptive
	}
	return p.Mode
}

// String writes p the way a spec writes it.
func (p Policy) String() string {
	if p.mode() == ModeReplicate {
		return "replicate: " + strconv.Itoa(p.Replicas)
	}
	return string(p.mode())
}

// Validate reports a policy that cannot be used, naming the spec field.
func (p Policy) Validate() error {
	switch p.mode() {
	case ModeAdaptive, ModeNone:
		if p.Replicas != 0 {
			return bonfire.Errorf(bonfire.ECodeInvalid, "replicas is set but the policy is %s", p.mode()).
				WithField("verify").WithHint("write verify: replicate: N to choose a replica count")
		}
		return nil
	case ModeReplicate:
		return checkReplicas(p.Replicas)
	}
	return badPolicy(string(p.Mode))
}

func checkReplicas(n int) error {
	if n < 2 {
		return bonfire.Errorf(bonfire.ECodeInvalid, "%d is below 2", n).WithField("verify.replicate").
			WithHint("a check needs at least two runs to compare; write verify: none to run each task once")
	}
	if n > MaxReplicas {
		return bonfire.Errorf(bonfire.ECodeInvalid, "%d is above %d", n, MaxReplicas).WithField("verify.replicate").
			WithHint("every replica is paid for; 3 already out-votes one wrong provider")
	}
	return nil
}

func badPolicy(s string) error {
	return bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a verification policy", clip(s)).WithField("verify").
		WithHint("write adaptive (the default), none, or replicate: N with N from 2 to 16")
}

// ParsePolicy reads the text of a spec's verify: setting: "adaptive",
// "none", or "replicate: N" (the space after the colon is optional, as a
// YAML flow mapping {replicate: 3} flattens to it). Empty text is the
// default, adaptive. Errors name the field: "verify" or "verify.replicate".
func ParsePolicy(s string) (Policy, error) {
	t := strings.TrimSpace(s)
	switch t {
	case "", string(ModeAdaptive):
		return Adaptive(), nil
	case string(ModeNone):
		return None(), nil
	}
	key, val, found := strings.Cut(t, ":")
	if strings.TrimSpace(key) != string(ModeReplicate) {
		return Policy{}, badPolicy(s)
	}
	val = strings.TrimSpace(val)
	if !found || val == "" {
		return Policy{}, bonfire.Errorf(bonfire.ECodeInvalid, "replicate needs a count").WithField("verify.replicate").
			WithHint("write verify: replicate: 3")
	}
	n, err := strconv.Atoi(val)
	if err != nil {
		return Policy{}, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a whole number", clip(val)).
			WithField("verify.replicate").WithHint("write verify: replicate: 3")
	}
	if err := checkReplicas(n); err != nil {
		return Policy{}, err
	}
	return Replicate(n), nil
}

// MarshalText writes p as ParsePolicy reads it.
func (p Policy) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads what ParsePolicy reads.
func (p *Policy) UnmarshalText(b []byte) error {
	v, err := ParsePolicy(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// NeedsCheck is how many providers must run a task first placed on a
// provider with reputation rep: 1 means its result is accepted alone, 2 or
// more that it is compared. Under adaptive, a provider with CV below
// AlwaysCheckBelow is always checked and one above it with probability
// 1/CV, so a steady honest provider costs little while a cheater cannot
// predict which of its results will be compared. The market draws rng from
// its own seeded source; tests pass a fixed seed.
func NeedsCheck(p Policy, rep Reputation, rng *rand.Rand) int {
	switch p.mode() {
	case ModeNone:
		return 1
	case ModeReplicate:
		return max(p.Replicas, 2)
	}
	if rep.CV < AlwaysCheckBelow || rng.IntN(rep.CV) == 0 {
		return 2
	}
	return 1
}

// ReplicaCheckProbability is the chance that NeedsCheck compares a task
// placed on rep's provider.
func ReplicaCheckProbability(p Policy, rep Reputation) float64 {
	switch p.mode() {
	case ModeNone:
		return 0
	case ModeReplicate:
		return 1
	}
	if rep.CV < AlwaysCheckBelow {
		return 1
	}
	return 1 / float64(rep.CV)
}

// CheckProbability is the chance that a wrong result from rep's provider is
// caught, counting canaries: the task it cheats on is a canary with
// probability c, and otherwise compared with probability r, so p = c+(1−c)r.
// It is the p of RequiredStake.
func CheckProbability(p Policy, rep Reputation) float64 {
	c := CanaryProbability(rep)
	return c + (1-c)*ReplicaCheckProbability(p, rep)
}

// MaxPaidRuns is the most runs of one task p can pay for: the replicas it
// compares and the referees a disagreement may add. A job's budget is this
// many times its tasks' price, so verification can never overspend it.
func MaxPaidRuns(p Policy) int {
	switch p.mode() {
	case ModeNone:
		return 1
	case ModeReplicate:
		return max(p.Replicas, 2) + MaxReferees
	}
	return 2 + MaxReferees
}
