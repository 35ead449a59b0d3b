package trust

import (
	"slices"

	"github.com/bonfirenet/bonfire"
)

// MaxReferees bounds the referee runs one task may get after its replicas
// disagree. Two is enough for any deterministic task with at most one bad
// provider among four; more would only pay for a task that is itself
// nondeterministic.
const MaxReferees = 2

// Replica is one provider's result for a task: its output digest (which in
// deterministic mode covers the outputs and the exit code).
type Replica struct {
	Provider bonfire.Address `json:"provider"`
	Result   bonfire.Digest  `json:"result"`
}

// Outcome is what Decide concluded.
type Outcome string

// Outcomes of Decide.
const (
	// Pending: fewer results than the policy wants; wait for the rest.
	Pending Outcome = "pending"
	// Agreed: Result is accepted; Agree are paid and credited, Faulted are
	// not paid, lose their CV and may be slashed.
	Agreed Outcome = "agreed"
	// NeedReferee: no digest has a quorum; run the task once more on a
	// provider not in Exclude and call Decide again with its result added.
	NeedReferee Outcome = "need_referee"
	// Inconclusive: the referees are spent and still no digest leads. No
	// result is accepted and nobody is faulted; the task fails (see Decide).
	Inconclusive Outcome = "inconclusive"
)

// Decision is Decide's answer.
type Decision struct {
	Outcome Outcome           `json:"outcome"`
	Result  bonfire.Digest    `json:"result,omitempty"`  // when Agreed
	Agree   []bonfire.Address `json:"agree,omitempty"`   // providers of Result
	Faulted []bonfire.Address `json:"faulted,omitempty"` // providers of other digests, when Agreed
	Exclude []bonfire.Address `json:"exclude,omitempty"` // everyone who ran it, when NeedReferee
}

// Quorum is how many equal results accept a digest when want replicas run:
// a majority of want, and never fewer than 2 once a check was asked for.
func Quorum(want int) int {
	if want <= 1 {
		return 1
	}
	return want/2 + 1
}

// Decide judges the results of one task that the policy wants run on want
// providers (NeedsCheck's answer). A digest is agreed when at least
// Quorum(want) providers returned it and strictly more than returned any
// other digest; everyone else is faulted. Without such a digest a referee
// runs on a fresh provider, up to MaxReferees times; a referee's vote is
// just one more replica, so after "A≠B, referee = A" A has 2 of 3.
//
// If the referees are spent with no leader (A, B, C all differ), the answer
// is Inconclusive and nobody is faulted. Three or more independent providers
// disagreeing pairwise is far likelier to mean the task is nondeterministic
// (a clock, host randomness, a race) than that all of them cheat, and a
// rule that slashed everyone would let one consumer's nondeterministic job
// burn honest providers' stakes. The market fails the task with a hint to
// make it deterministic or use verify: none.
//
// Each provider votes once: a second result from the same provider (a
// replay or a re-run) is ignored, so no one can out-vote others alone.
func Decide(want int, results []Replica) Decision {
	want = max(want, 1)
	var seen []bonfire.Address
	var votes []Replica
	for _, r := range results {
		p := r.Provider.Normal()
		if slices.Contains(seen, p) {
			continue
		}
		seen = append(seen, p)
		votes = append(votes, Replica{Provider: p, Result: r.Result})
	}
	if len(votes) < want {
		return Decision{Outcome: Pending}
	}

	// Tally in first-seen order so the answer never depends on map order.
	var digests []bonfire.Digest
	count := map[bonfire.Digest]int{}
	for _, v := range votes {
		if count[v.Result] == 0 {
			digests = append(digests, v.Result)
		}
		count[v.Result]++
	}
	var lead bonfire.Digest
	top, second := 0, 0
	for _, d := range digests {
		switch n := count[d]; {
		case n > top:
			lead, top, second = d, n, top
		case n > second:
			second = n
		}
	}

	if top >= Quorum(want) && top > second {
		d := Decision{Outcome: Agreed, Result: lead}
		for _, v := range votes {
			if v.Result == lead {
				d.Agree = append(d.Agree, v.Provider)
			} else {
				d.Faulted = append(d.Faulted, v.Provider)
			}
		}
		return d
	}
	if len(votes) >= want+MaxReferees {
		return Decision{Outcome: Inconclusive}
	}
	return Decision{Outcome: NeedReferee, Exclude: seen}
}
