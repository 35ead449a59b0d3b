package protocol

import (
	"encoding/json"
	"sort"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/trust"
)

// Subjects. Providers publish on the first four and subscribe to their own
// cancel subject; the market does the reverse. Every provider message is an
// Envelope; every reply is a Reply.
const (
	SubjectRegister  = "bonfire.v1.register"
	SubjectHeartbeat = "bonfire.v1.heartbeat"
	SubjectPull      = "bonfire.v1.pull"
	SubjectReport    = "bonfire.v1.report"
	// SubjectWork carries no data: the market publishes on it when tasks
	// are queued so that idle providers pull at once instead of polling.
	SubjectWork = "bonfire.v1.work"
)

// CancelSubject is where the market tells one provider to stop tasks.
func CancelSubject(provider bonfire.Address) string {
	return "bonfire.v1.provider." + string(provider.Normal()) + ".cancel"
}

// NoticeSubject is where the market sends one provider a Notice: reveal
// requests, vouchers decided by others' results, hardware challenges.
func NoticeSubject(provider bonfire.Address) string {
	return "bonfire.v1.provider." + string(provider.Normal()) + ".notice"
}

// Message types, the Envelope's Type field.
const (
	TypeRegister  = "register"
	TypeHeartbeat = "heartbeat"
	TypePull      = "pull"
	TypeReport    = "report"
	TypeCancel    = "cancel"
	TypeNotice    = "notice"
)

// Reply answers a request. Exactly one of Error and Body is set.
type Reply struct {
	Error *bonfire.Error  `json:"error,omitempty"`
	Body  json.RawMessage `json:"body,omitempty"`
}

// Register announces a provider and what it lends.
type Register struct {
	Info bonfire.ProviderInfo `json:"info"`
}

// RegisterReply tells a provider how to reach the market's other services.
type RegisterReply struct {
	Market            bonfire.Address  `json:"market"`  // signs cancel messages
	BlobURL           string           `json:"blobUrl"` // http://host:port/v1/blobs
	HeartbeatInterval bonfire.Duration `json:"heartbeatInterval"`
	ServerTime        time.Time        `json:"serverTime"`
	// Challenge is the hardware challenge every registration gets: solve
	// it and send the answer in a report before its deadline.
	Challenge *trust.Challenge `json:"challenge,omitempty"`
}

// TaskRef names one attempt of one task.
type TaskRef struct {
	TaskID  string `json:"taskId"`
	Attempt int    `json:"attempt"`
}

// Heartbeat says a provider is alive, what it runs, and whether its owner is
// using the machine (idle mode).
type Heartbeat struct {
	Running []TaskRef        `json:"running"`
	Free    bonfire.Capacity `json:"free"`
	Busy    bool             `json:"busy"`
}

// Pull asks for up to Max tasks that fit in Free.
type Pull struct {
	Max  int              `json:"max"`
	Free bonfire.Capacity `json:"free"`
}

// PullReply hands out tasks; it may be empty.
type PullReply struct {
	Assignments []Assignment `json:"assignments"`
}

// Assignment is everything a provider needs to run one task attempt.
type Assignment struct {
	TaskID      string              `json:"taskId"`
	JobID       string              `json:"jobId"`
	Attempt     int                 `json:"attempt"`
	Executor    string              `json:"executor"`
	Module      bonfire.Digest      `json:"module"`
	Image       string              `json:"image,omitempty"`
	Args        []string            `json:"args,omitempty"`
	Env         map[string]string   `json:"env,omitempty"`
	Inputs      []bonfire.Input     `json:"inputs,omitempty"`
	Outputs     string              `json:"outputs"`
	Resources   bonfire.Resources   `json:"resources"`
	Timeout     bonfire.Duration    `json:"timeout"`
	Determinism bonfire.Determinism `json:"determinism"`
	Seed        uint64              `json:"seed"`
	// Commit asks the provider to commit to its result (Report.Commits)
	// and keep it until the market asks for it (ReportReply.Reveal or a
	// Notice), so that no replica can copy another's. It is set for every
	// task of a job the market verifies, checked or not, so a provider
	// cannot tell which of its results will be compared.
	Commit bool `json:"commit,omitempty"`
}

// InputsDigest names everything that determines a deterministic task's
// output: module, image, args, env, inputs, outputs path, determinism and
// seed. Two assignments with the same digest must produce the same output
// digest when deterministic; the verification issue relies on it.
func (a *Assignment) InputsDigest() bonfire.Digest {
	type kv struct{ K, V string }
	env := make([]kv, 0, len(a.Env))
	for k, v := range a.Env {
		env = append(env, kv{k, v})
	}
	sort.Slice(env, func(i, j int) bool { return env[i].K < env[j].K })
	canon := struct {
		Executor    string
		Module      bonfire.Digest
		Image       string
		Args        []string
		Env         []kv
		Inputs      []bonfire.Input
		Outputs     string
		Determinism bonfire.Determinism
		Seed        uint64
	}{a.Executor, a.Module, a.Image, a.Args, env, append([]bonfire.Input(nil), a.Inputs...), a.Outputs, a.Determinism, a.Seed}
	for i := range canon.Inputs {
		canon.Inputs[i].Source = "" // how the consumer named it does not matter
	}
	b, _ := json.Marshal(canon)
	return bonfire.DigestOf(append([]byte("bonfire/v1 task-inputs\n"), b...))
}

// Handback returns a task the provider will not finish (idle mode, shutdown).
type Handback struct {
	TaskRef
	Reason string `json:"reason"`
}

// Report carries what happened since the last report. The market answers
// with a ReportReply; the provider keeps results until they are acknowledged.
type Report struct {
	Started   []TaskRef            `json:"started,omitempty"`
	Results   []bonfire.TaskResult `json:"results,omitempty"`
	Handbacks []Handback           `json:"handbacks,omitempty"`
	Logs      []bonfire.LogChunk   `json:"logs,omitempty"`
	// Commits bind the provider to results it holds back (Assignment.Commit).
	Commits []Commit `json:"commits,omitempty"`
	// Reveals open earlier commitments: each names a result in Results
	// and the salt its commitment was made with.
	Reveals []Reveal `json:"reveals,omitempty"`
	// Answers answer hardware challenges received in Notices.
	Answers []trust.Answer `json:"answers,omitempty"`
}

// Commit is trust.Commitment over a held result's output digest, the
// provider, the task and attempt, and a secret salt.
type Commit struct {
	TaskRef
	Commitment bonfire.Digest `json:"commitment"`
}

// Reveal is the salt that opens the commitment of one result.
type Reveal struct {
	TaskRef
	Salt trust.Hash `json:"salt"`
}

// Notice is what the market pushes to one provider, signed by the market,
// on NoticeSubject. Each part is also delivered another way (reveals in
// report replies, vouchers with the next report, challenges again later),
// so a lost notice only delays.
type Notice struct {
	// Reveal lists committed results the market now wants.
	Reveal []TaskRef `json:"reveal,omitempty"`
	// Vouchers pay for results that others' results just confirmed.
	Vouchers []bonfire.Voucher `json:"vouchers,omitempty"`
	// Challenge is a hardware challenge to solve and answer by its deadline.
	Challenge *trust.Challenge `json:"challenge,omitempty"`
}

// ReportReply acknowledges a report. Results listed in neither Accepted nor
// Rejected were not processed and should be sent again.
//
// Vouchers pay for accepted results: for every job owner whose task results
// the report carried (accepted now or before), the voucher for everything
// that owner owes this provider so far. Vouchers are cumulative, so a lost
// reply costs nothing: the resent result brings the same or a higher one.
type ReportReply struct {
	Accepted []TaskRef         `json:"accepted"`
	Rejected []Rejected        `json:"rejected,omitempty"`
	Vouchers []bonfire.Voucher `json:"vouchers,omitempty"`
	// Reveal lists committed results the market now wants; commitments
	// in neither Reveal nor Rejected are recorded and wait for the others.
	Reveal []TaskRef `json:"reveal,omitempty"`
}

// Rejected is a result the market refused, with the reason.
type Rejected struct {
	TaskRef
	Reason string `json:"reason"`
}

// Cancel tells a provider to stop tasks (job cancelled, task reassigned).
type Cancel struct {
	Tasks []TaskRef `json:"tasks"`
}
