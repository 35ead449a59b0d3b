package trust

import (
	"math/rand/v2"

	"github.com/bonfirenet/bonfire"
)

// Canary rates, see CanaryProbability.
const (
	// CanaryEvery is K in "one canary per K tasks" for a new provider.
	CanaryEvery = 10
	// MinCanaryProbability is the floor for long-trusted providers, so that a
	// provider which behaves only while its CV is low still meets canaries.
	MinCanaryProbability = 1.0 / 200
)

// Canary is a task whose answer the market already knows. The market makes
// canaries from tasks it has already accepted by agreement (same module,
// inputs and seed), so on the wire a canary is an ordinary task of an
// ordinary-looking job: the provider cannot tell it apart, and the market
// never says which tasks were canaries.
type Canary struct {
	TaskID   string         `json:"taskId"`   // the canary task as sent
	Inputs   bonfire.Digest `json:"inputs"`   // InputsDigest a faithful run reports
	Expected bonfire.Digest `json:"expected"` // the agreed OutputDigest
}

// CanaryFrom makes a canary out of an agreed decision on a task whose
// result is r, or reports false if the decision is not a solid one: only a
// result at least two providers agreed on is trusted as a known answer.
func CanaryFrom(taskID string, r *bonfire.TaskResult, d Decision) (Canary, bool) {
	if r == nil || d.Outcome != Agreed || len(d.Agree) < 2 || r.OutputDigest != d.Result {
		return Canary{}, false
	}
	return Canary{TaskID: taskID, Inputs: r.InputsDigest, Expected: d.Result}, true
}

// Check compares a provider's result with the known answer; an error is a
// fault. A wrong InputsDigest is a fault too: the provider did not run what
// it was sent.
func (c Canary) Check(r *bonfire.TaskResult) error {
	if r == nil {
		return bonfire.Errorf(bonfire.ECodeInvalid, "no result for task %s", c.TaskID).WithField("result").
			WithHint("return a result for every task taken")
	}
	if r.InputsDigest != c.Inputs {
		return bonfire.Errorf(bonfire.ECodeInvalid, "inputs digest %s is not the digest of the inputs sent", clip(string(r.InputsDigest))).
			WithField("result.inputsDigest").WithHint("run the task exactly as sent: module, args, env, inputs and seed")
	}
	if r.OutputDigest != c.Expected {
		return bonfire.Errorf(bonfire.ECodeInvalid, "output digest %s is not the known result of task %s", clip(string(r.OutputDigest)), c.TaskID).
			WithField("result.outputDigest").WithHint("a deterministic task has one right output; check the provider's executor")
	}
	return nil
}

// CanaryProbability is the chance that the next task the market gives rep's
// provider is a canary: 1/(CanaryEvery + CV), floored at
// MinCanaryProbability. A newcomer meets one canary per 10 tasks; the rate
// halves by CV 10 and falls to about 1 % by CV 90, because replication
// already checks a low-CV provider on every task and canaries then mostly
// add a second, independent net that costs a trusted provider little.
func CanaryProbability(rep Reputation) float64 {
	return max(1/float64(CanaryEvery+max(rep.CV, 0)), MinCanaryProbability)
}

// PickCanary draws whether the next task for rep's provider is a canary.
func PickCanary(rep Reputation, rng *rand.Rand) bool {
	return rng.Float64() < CanaryProbability(rep)
}
