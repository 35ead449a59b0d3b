package trustsim

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/jobspec"
)

// Config is one scenario.
type Config struct {
	// Dir holds the market's state and the providers' work directories.
	Dir      string
	Scenario string // a name for the report
	Honest   int    // honest providers
	Cheaters []Mode // one provider per entry
	// Tasks is the measured job; Warmup, when positive, is a job run
	// before it so that reputations are established, and the overhead is
	// then measured on the second job only.
	Tasks  int
	Warmup int
	// Sleepers makes cheaters behave during the warm-up job and cheat only
	// in the measured one, after earning a reputation.
	Sleepers bool
	Seed     uint64 // seeds the market's draws; 0 picks one at random
	Stake    uint64 // each provider's stake; 0 means DefaultStake
	Log      *slog.Logger
	// JobTimeout bounds each job; 0 allows a generous time per task.
	JobTimeout time.Duration
}

// DefaultStake is each provider's stake unless Config.Stake says otherwise:
// enough for many slashes at the simulation's prices.
const DefaultStake = 10_000_000

// Phase is what one job of the scenario cost.
type Phase struct {
	JobID     string           `json:"jobId"`
	State     bonfire.JobState `json:"state"`
	Tasks     int              `json:"tasks"`
	Succeeded int              `json:"succeeded"`
	// Executions counts every run handed to a provider's executor while
	// the job ran; Useful counts the job's own tasks that succeeded, so
	// Overhead = (Executions − Useful) / Useful is the extra work
	// verification and cheaters cost per useful result.
	Executions    int64   `json:"executions"`
	Useful        int     `json:"useful"`
	Overhead      float64 `json:"overhead"`
	CheckRuns     int     `json:"jobCheckRuns"`
	WrongAccepted int     `json:"wrongAccepted"`
	Seconds       float64 `json:"seconds"`
}

// CheaterReport is what became of one cheater.
type CheaterReport struct {
	Address bonfire.Address `json:"address"`
	Mode    Mode            `json:"mode"`
	Caught  bool            `json:"caught"`
	// TasksUntilCaught is which of the cheater's executions (counted from
	// when it began to cheat) was the first the market proved wrong; 0
	// when it was never caught. StartedBeforeCaught counts the executions
	// it had started by the time the market knew: a fast cheater takes
	// more tasks while its first wrong answer waits for its replica.
	TasksUntilCaught    int    `json:"tasksUntilCaught"`
	StartedBeforeCaught int    `json:"startedBeforeCaught"`
	Slashed             uint64 `json:"slashed"`
	Executions          int64  `json:"executions"`
	Faults              int64  `json:"faults"`
	CanariesFailed      int64  `json:"canariesFailed"`
	// Accepted counts the cheater's runs whose result the market accepted
	// for a task of the consumer's.
	Accepted int `json:"accepted"`
	// Claimed and CPUMilli are the cores it registered and what the market
	// lends out after its hardware challenge.
	ClaimedCPUMilli  int64  `json:"claimedCpuMilli"`
	CPUMilli         int64  `json:"cpuMilli"`
	LastChallenge    string `json:"lastChallenge,omitempty"`
	ChallengesFailed int64  `json:"challengesFailed"`
}

// Report is a scenario's outcome. The top-level job figures are the
// measured job's; Warmup holds the warm-up job's when there was one.
type Report struct {
	Scenario  string `json:"scenario"`
	Providers int    `json:"providers"`
	Cheaters  int    `json:"cheaters"`
	Modes     []Mode `json:"modes"`
	Sleepers  bool   `json:"sleepers,omitempty"`
	Phase
	Warmup *Phase `json:"warmup,omitempty"`
	// WrongAcceptedTotal counts wrong accepted results over both jobs.
	WrongAcceptedTotal int `json:"wrongAcceptedTotal"`
	// WrongAcceptedUnchecked counts those the market accepted without a
	// comparison: adaptive checking accepts a result alone when no other
	// provider looks able to check it (all offline, say on a starved host)
	// rather than stall the job, whoever the provider is.
	WrongAcceptedUnchecked int             `json:"wrongAcceptedUnchecked"`
	PerCheater             []CheaterReport `json:"perCheater"`
	CheatersCaught         int             `json:"cheatersCaught"`
	CheatersSlashed        int             `json:"cheatersSlashed"`
	// HonestFaulted and HonestSlashed count honest providers the market
	// wrongly held at fault; both must stay 0.
	HonestFaulted   int     `json:"honestFaulted"`
	HonestSlashed   int     `json:"honestSlashed"`
	DurationSeconds float64 `json:"durationSeconds"`
	// Anomalies quotes, up to a few, what should not happen: honest
	// providers held at fault and the job's tasks that failed.
	Anomalies []string `json:"anomalies,omitempty"`
}

func (c *Config) check() error {
	bad := func(field, format string, args ...any) *bonfire.Error {
		return bonfire.Errorf(bonfire.ECodeInvalid, format, args...).WithField(field)
	}
	if c.Dir == "" {
		return bad("dir", "no directory for the simulation's state").WithHint("pass a temporary directory")
	}
	if c.Honest+len(c.Cheaters) < 2 {
		return bad("providers", "%d providers cannot check each other", c.Honest+len(c.Cheaters)).
			WithHint("run at least two providers, most of them honest")
	}
	for _, m := range c.Cheaters {
		if !m.Valid() || m == Honest {
			return bad("cheaters", "%q is not a cheat mode", m).WithHint("use wrong, copy, cores, drop or canary")
		}
	}
	if c.Tasks < 1 || c.Tasks > jobspec.MaxTasks || c.Warmup < 0 || c.Warmup > jobspec.MaxTasks {
		return bad("tasks", "%d tasks after a warm-up of %d: each must be 1 to %d (warm-up may be 0)", c.Tasks, c.Warmup, jobspec.MaxTasks)
	}
	if c.Stake == 0 {
		c.Stake = DefaultStake
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Scenario == "" {
		c.Scenario = "custom"
	}
	return nil
}

// Run plays one scenario through a real market and reports it.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	start := time.Now()
	n, err := startNet(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer n.closeStore()
	// Jobs start only after every registration challenge is judged, so
	// the challenges race nothing but each other.
	if err := n.waitChallenges(ctx); err != nil {
		return nil, err
	}
	rep := &Report{Scenario: cfg.Scenario, Providers: len(n.provs), Cheaters: len(cfg.Cheaters), Sleepers: cfg.Sleepers,
		Modes: []Mode{}, PerCheater: []CheaterReport{}}
	for _, m := range cfg.Cheaters {
		if !slices.Contains(rep.Modes, m) {
			rep.Modes = append(rep.Modes, m)
		}
	}
	var jobs []string
	if cfg.Warmup > 0 {
		w, err := n.runJob(ctx, cfg.Warmup, "trustsim-warmup")
		if err != nil {
			return nil, err
		}
		rep.Warmup = w
		jobs = append(jobs, w.JobID)
		for _, p := range n.provs {
			p.exec.startCheating()
		}
	}
	main, err := n.runJob(ctx, cfg.Tasks, "trustsim")
	if err != nil {
		return nil, err
	}
	rep.Phase = *main
	jobs = append(jobs, main.JobID)
	if err := n.measure(ctx, rep, jobs); err != nil {
		return nil, err
	}
	rep.DurationSeconds = time.Since(start).Seconds()
	return rep, nil
}

// spec is the job of count tasks every scenario runs: the no-op module
// with the task's index in its args, priced so that faults are slashed.
func (n *simNet) spec(count int, name string) *bonfire.JobSpec {
	return &bonfire.JobSpec{APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: name,
		Executor: bonfire.ExecutorWASM, Module: string(n.module), Args: []string{"--task", "{{.index}}"}, Outputs: "/out",
		Resources: bonfire.Resources{CPUMilli: taskCPU, MemoryBytes: 16 << 20}, Count: count,
		Timeout: bonfire.Duration(taskTimeout), Retries: jobspec.MaxRetries, MaxPrice: price,
		Determinism: bonfire.Determinism{Deterministic: true, Seed: n.cfg.Seed}}
}

func (n *simNet) executions() int64 {
	var sum int64
	for _, p := range n.provs {
		sum += p.exec.runs.Load()
	}
	return sum
}

// runJob submits a job and follows it to its end, counting the executions
// it caused.
func (n *simNet) runJob(ctx context.Context, count int, name string) (*Phase, error) {
	spec := n.spec(count, name)
	if err := jobspec.CheckResolved(spec); err != nil {
		return nil, err
	}
	timeout := n.cfg.JobTimeout
	if timeout <= 0 {
		timeout = time.Minute + time.Duration(count)*50*time.Millisecond
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start, before := time.Now(), n.executions()
	j, err := n.market.SubmitJob(ctx, n.owner, spec)
	if err != nil {
		return nil, err
	}
	// Polling the market's view is the only way to learn a job ended; the
	// deadline above turns a stuck job into an error.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !j.State.Terminal() {
		select {
		case <-ctx.Done():
			return nil, bonfire.Errorf(bonfire.ECodeTimeout, "job %s still %s after %s: %d of %d tasks succeeded",
				j.ID, j.State, timeout, j.Counts.Succeeded, j.TaskCount).WithHint("the simulated network is stuck or too slow")
		case <-tick.C:
		}
		if j, err = n.market.Job(ctx, j.ID); err != nil {
			return nil, err
		}
	}
	ph := &Phase{JobID: j.ID, State: j.State, Tasks: j.TaskCount, Succeeded: j.Counts.Succeeded,
		Executions: n.executions() - before, Useful: j.Counts.Succeeded, CheckRuns: j.CheckRuns,
		Seconds: time.Since(start).Seconds()}
	if ph.Useful > 0 {
		ph.Overhead = float64(ph.Executions-int64(ph.Useful)) / float64(ph.Useful)
	}
	return ph, nil
}

// waitChallenges waits until the market has judged every provider's
// registration challenge.
func (n *simNet) waitChallenges(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		ps, err := n.market.Providers(ctx)
		if err != nil {
			return err
		}
		judged := 0
		for _, p := range ps {
			if p.LastChallenge != "" {
				judged++
			}
		}
		if judged >= len(n.provs) {
			return nil
		}
		select {
		case <-ctx.Done():
			return bonfire.Errorf(bonfire.ECodeTimeout, "%d of %d registration challenges judged", judged, len(n.provs))
		case <-tick.C:
		}
	}
}
