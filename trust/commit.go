package trust

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"time"

	"github.com/bonfirenet/bonfire"
)

// commitDomain separates commitments from every other SHA-256 in Bonfire, so
// a commitment can never be replayed as some other digest.
const commitDomain = "bonfire/v1 trust-commitment\n"

// Commitment binds a provider to its result before it may see anyone
// else's: SHA-256 over the result digest, the provider's (lower-case)
// address, the task and attempt, and a secret salt. The address and task
// make a commitment useless to anyone else and for any other task; the salt
// hides the result, because without it a lazy replica could hash the few
// likely answers and compare them with an honest replica's commitment.
// Every field is length-prefixed so no two inputs encode alike.
func Commitment(result bonfire.Digest, provider bonfire.Address, taskID string, attempt int, salt Hash) bonfire.Digest {
	h := sha256.New()
	h.Write([]byte(commitDomain))
	for _, f := range []string{string(result), string(provider.Normal()), taskID} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	var a [8]byte
	binary.BigEndian.PutUint64(a[:], uint64(int64(attempt)))
	h.Write(a[:])
	h.Write(salt[:])
	return bonfire.DigestFromSum(h.Sum(nil))
}

// Round is the commit–reveal exchange among the replicas of one task
// attempt. Every replica first sends a commitment before Deadline; only once
// all have committed may they reveal (result and salt), and each reveal
// must open its own commitment. The market keeps one Round per replicated
// task and sends reveals only to itself, never to other providers.
type Round struct {
	TaskID   string                             `json:"taskId"`
	Attempt  int                                `json:"attempt"`
	Replicas []bonfire.Address                  `json:"replicas"` // normalised
	Deadline time.Time                          `json:"deadline"` // commitments after it are late
	Commits  map[bonfire.Address]bonfire.Digest `json:"commits"`
	Reveals  map[bonfire.Address]bonfire.Digest `json:"reveals"` // opened result digests
}

// NewRound starts a round for the given replicas.
func NewRound(taskID string, attempt int, replicas []bonfire.Address, deadline time.Time) *Round {
	r := &Round{TaskID: taskID, Attempt: attempt, Deadline: deadline,
		Commits: map[bonfire.Address]bonfire.Digest{}, Reveals: map[bonfire.Address]bonfire.Digest{}}
	for _, p := range replicas {
		if p = p.Normal(); !slices.Contains(r.Replicas, p) {
			r.Replicas = append(r.Replicas, p)
		}
	}
	return r
}

// Commit records provider's commitment received at time at. Sending the same
// commitment twice is harmless (messages are redelivered); a different one
// is refused, so a provider cannot change its answer after seeing the round
// open.
func (r *Round) Commit(provider bonfire.Address, commitment bonfire.Digest, at time.Time) error {
	p := provider.Normal()
	if err := r.member(p); err != nil {
		return err
	}
	if err := commitment.Validate(); err != nil {
		return bonfire.Errorf(bonfire.ECodeInvalid, "malformed commitment: %s", err.Error()).WithField("commitment").
			WithHint("send Commitment(result digest, provider, task, attempt, salt)")
	}
	if old, ok := r.Commits[p]; ok {
		if old == commitment {
			return nil
		}
		return bonfire.Errorf(bonfire.ECodeConflict, "provider %s already committed to a different result for task %s attempt %d", p, r.TaskID, r.Attempt).
			WithField("commitment").WithHint("a replica commits once; a second commitment is not accepted")
	}
	if at.After(r.Deadline) {
		return bonfire.Errorf(bonfire.ECodeTimeout, "late commitment: received %s after the deadline %s",
			at.Sub(r.Deadline).Round(time.Millisecond), r.Deadline.UTC().Format(time.RFC3339)).
			WithField("commitment").WithHint("the task is reassigned; commit as soon as the result is ready")
	}
	r.Commits[p] = commitment
	return nil
}

// Open reports whether every replica has committed, so reveals may begin.
func (r *Round) Open() bool { return len(r.Commits) == len(r.Replicas) && len(r.Replicas) > 0 }

// Missing lists the replicas that have not committed, for the market to
// reassign once Deadline passes.
func (r *Round) Missing() []bonfire.Address {
	var out []bonfire.Address
	for _, p := range r.Replicas {
		if _, ok := r.Commits[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}

// Reveal opens provider's commitment; see CheckReveal for the reasons it
// can fail. A successful reveal is kept for Results.
func (r *Round) Reveal(provider bonfire.Address, result bonfire.Digest, salt Hash) error {
	if err := CheckReveal(r, provider, result, salt); err != nil {
		return err
	}
	r.Reveals[provider.Normal()] = result
	return nil
}

// CheckReveal says why a reveal cannot be accepted, or nil: the provider is
// not a replica, reveals before all commitments are in, never committed,
// reveals a malformed digest, or reveals something that does not match its
// commitment (a fault: the market records it against the provider).
func CheckReveal(r *Round, provider bonfire.Address, result bonfire.Digest, salt Hash) error {
	p := provider.Normal()
	if err := r.member(p); err != nil {
		return err
	}
	c, committed := r.Commits[p]
	if !committed {
		return bonfire.Errorf(bonfire.ECodeConflict, "provider %s reveals without having committed", p).
			WithField("reveal").WithHint("send a commitment first and reveal once the market says all are in")
	}
	if !r.Open() {
		return bonfire.Errorf(bonfire.ECodeConflict, "reveal before all commitments are in (%d of %d)", len(r.Commits), len(r.Replicas)).
			WithField("reveal").WithHint("wait until the market asks for reveals")
	}
	if err := result.Validate(); err != nil {
		return bonfire.Errorf(bonfire.ECodeInvalid, "malformed result digest: %s", err.Error()).WithField("reveal.result").
			WithHint("reveal the result digest you committed to")
	}
	if Commitment(result, p, r.TaskID, r.Attempt, salt) != c {
		return bonfire.Errorf(bonfire.ECodeInvalid, "reveal does not match its commitment").WithField("reveal").
			WithHint("reveal the same result digest and salt used for the commitment")
	}
	return nil
}

// Results lists the revealed results in replica order, ready for Decide.
func (r *Round) Results() []Replica {
	var out []Replica
	for _, p := range r.Replicas {
		if d, ok := r.Reveals[p]; ok {
			out = append(out, Replica{Provider: p, Result: d})
		}
	}
	return out
}

func (r *Round) member(p bonfire.Address) error {
	if slices.Contains(r.Replicas, p) {
		return nil
	}
	return bonfire.Errorf(bonfire.ECodeForbidden, "provider %s is not a replica of task %s attempt %d", p, r.TaskID, r.Attempt).
		WithField("provider").WithHint("only providers the task was assigned to take part in its round")
}
