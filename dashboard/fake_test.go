package dashboard

import (
	"bytes"
	"context"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
)

const (
	testToken = "secret-token"
	testOwner = bonfire.Address("0x00000000000000000000000000000000000000a1")
	testProv  = bonfire.Address("0x00000000000000000000000000000000000000b2")
)

// fakeMarket is an in-memory JobService, ResultService, ProviderDirectory
// and ChargeReader.
type fakeMarket struct {
	mu        sync.Mutex
	jobs      map[string]*bonfire.Job
	order     []string
	tasks     map[string][]*bonfire.Task
	submitted []*bonfire.JobSpec
	ranking   []bonfire.RankEntry
	cancelled []string
}

func newFakeMarket() *fakeMarket {
	return &fakeMarket{jobs: map[string]*bonfire.Job{}, tasks: map[string][]*bonfire.Task{}}
}

// addJob adds a job of n queued tasks and returns its ID.
func (m *fakeMarket) addJob(name string, n int, summary *bonfire.Summary) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := "job" + strconv.Itoa(len(m.order)+1)
	m.jobs[id] = &bonfire.Job{ID: id, Owner: testOwner, State: bonfire.JobQueued, TaskCount: n,
		Spec:   bonfire.JobSpec{Name: name, Summary: summary, Resources: bonfire.Resources{CPUMilli: 1000}},
		Counts: bonfire.TaskCounts{Queued: n}, SubmittedAt: time.Now()}
	m.order = append(m.order, id)
	ts := make([]*bonfire.Task, n)
	for i := range ts {
		ts[i] = &bonfire.Task{ID: bonfire.TaskID(id, i), JobID: id, Index: i, State: bonfire.TaskQueued}
	}
	m.tasks[id] = ts
	return id
}

// setTask moves one task to state and recounts its job.
func (m *fakeMarket) setTask(jobID string, i int, s bonfire.TaskState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tasks[jobID][i].State = s
	var c bonfire.TaskCounts
	done := true
	for _, t := range m.tasks[jobID] {
		switch t.State {
		case bonfire.TaskQueued:
			c.Queued++
		case bonfire.TaskAssigned:
			c.Assigned++
		case bonfire.TaskRunning:
			c.Running++
		case bonfire.TaskSucceeded:
			c.Succeeded++
		case bonfire.TaskFailed:
			c.Failed++
		case bonfire.TaskCancelled:
			c.Cancelled++
		}
		done = done && t.State.Terminal()
	}
	j := m.jobs[jobID]
	j.Counts = c
	j.State = bonfire.JobRunning
	if done {
		j.State = bonfire.JobSucceeded
	}
}

func (m *fakeMarket) SubmitJob(_ context.Context, owner bonfire.Address, spec *bonfire.JobSpec) (*bonfire.Job, error) {
	if owner != testOwner {
		return nil, bonfire.Errorf(bonfire.ECodeForbidden, "wrong owner %s", owner)
	}
	if spec.MaxPrice > 1_000_000 {
		return nil, bonfire.Errorf(bonfire.ECodePaymentRequired, "the escrow cannot cover it").WithField("maxPrice").WithHint("deposit more")
	}
	m.mu.Lock()
	m.submitted = append(m.submitted, spec)
	m.mu.Unlock()
	id := m.addJob(spec.Name, 1, spec.Summary)
	return m.Job(context.Background(), id)
}

func (m *fakeMarket) CancelJob(_ context.Context, caller bonfire.Address, id string) (*bonfire.Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[id]
	if !ok {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "no job %s", id)
	}
	if caller != j.Owner {
		return nil, bonfire.Errorf(bonfire.ECodeForbidden, "not yours")
	}
	j.State = bonfire.JobCancelled
	m.cancelled = append(m.cancelled, id)
	c := *j
	return &c, nil
}

func (m *fakeMarket) Job(_ context.Context, id string) (*bonfire.Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[id]
	if !ok {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "no job %s", id).WithHint("list jobs")
	}
	c := *j
	return &c, nil
}

func (m *fakeMarket) Jobs(_ context.Context, f bonfire.JobFilter) ([]*bonfire.Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*bonfire.Job
	past := f.After == ""
	for _, id := range m.order {
		if !past {
			past = id == f.After
			continue
		}
		j := m.jobs[id]
		if len(f.States) > 0 && !containsState(f.States, j.State) {
			continue
		}
		c := *j
		out = append(out, &c)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, nil
}

func containsState(ss []bonfire.JobState, s bonfire.JobState) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (m *fakeMarket) Tasks(_ context.Context, f bonfire.TaskFilter) ([]*bonfire.Task, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ts, ok := m.tasks[f.JobID]
	if !ok {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "no job %s", f.JobID)
	}
	var out []*bonfire.Task
	for _, t := range ts[min(f.From, len(ts)):] {
		c := *t
		out = append(out, &c)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, nil
}

func (m *fakeMarket) JobResults(ctx context.Context, caller bonfire.Address, id string) (*bonfire.JobResults, error) {
	j, err := m.Job(ctx, id)
	if err != nil {
		return nil, err
	}
	if caller != j.Owner {
		return nil, bonfire.Errorf(bonfire.ECodeForbidden, "not yours")
	}
	return &bonfire.JobResults{Job: j, Ranking: m.ranking}, nil
}

func (m *fakeMarket) TaskLogs(_ context.Context, caller bonfire.Address, taskID string, _ int) ([]*bonfire.LogChunk, error) {
	if caller != testOwner {
		return nil, bonfire.Errorf(bonfire.ECodeForbidden, "not yours")
	}
	return []*bonfire.LogChunk{{TaskID: taskID, Stream: "stdout", Data: "hello from " + taskID + "\n"}}, nil
}

func (m *fakeMarket) TaskHistory(_ context.Context, caller bonfire.Address, taskID string) ([]*bonfire.TaskEvent, error) {
	if caller != testOwner {
		return nil, bonfire.Errorf(bonfire.ECodeForbidden, "not yours")
	}
	return []*bonfire.TaskEvent{{TaskID: taskID, Kind: "revealed", Detail: "sha256:ab"}}, nil
}

func (m *fakeMarket) Providers(context.Context) ([]*bonfire.Provider, error) {
	return []*bonfire.Provider{{
		Info: bonfire.ProviderInfo{ID: testProv, Name: "box", PricePerCPUSecond: 2000,
			Hardware: bonfire.Hardware{OS: "linux", Arch: "amd64", CPUCores: 8, MemoryBytes: 16 << 30},
			Lend:     bonfire.Capacity{CPUMilli: 4000, MemoryBytes: 4 << 30}},
		State: bonfire.ProviderOnline, TasksDone: 7, TasksFailed: 1, LastHeartbeat: time.Now(),
	}}, nil
}

func (m *fakeMarket) OwedTotals(context.Context) ([]bonfire.Owed, error) {
	return []bonfire.Owed{{Owner: testOwner, Provider: testProv, Amount: 1_500_000}}, nil
}

func (m *fakeMarket) JobCharges(context.Context, string) ([]*bonfire.TaskCharge, error) {
	return nil, nil
}

// fakeMoney is a MoneySource with one consumer and one paid provider.
type fakeMoney struct{}

func (fakeMoney) Settlement() *bonfire.SettlementInfo {
	return &bonfire.SettlementInfo{ChainID: 1337, Escrow: "0x00000000000000000000000000000000000000e5", Symbol: "tUSD", Decimals: 6}
}

func (fakeMoney) Accounts(context.Context) ([]Account, error) {
	return []Account{{Address: testOwner, Token: big.NewInt(9_000_000), Escrow: big.NewInt(1_000_000_000)}}, nil
}

func (fakeMoney) Earnings(context.Context) ([]Earnings, error) {
	return []Earnings{{Provider: testProv, Earned: big.NewInt(1_500_000), Claimed: big.NewInt(1_000_000), Unclaimed: big.NewInt(500_000),
		Claims: []Claim{{Tx: "0xfeedface", Paid: big.NewInt(1_000_000), At: time.Now()}}}}, nil
}

// memBlobs is an in-memory BlobStore.
type memBlobs struct {
	mu    sync.Mutex
	blobs map[bonfire.Digest][]byte
}

func (s *memBlobs) Put(_ context.Context, r io.Reader, _ bonfire.Digest, maxBytes int64) (bonfire.Digest, int64, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return "", 0, err
	}
	d := bonfire.DigestOf(b)
	s.mu.Lock()
	s.blobs[d] = b
	s.mu.Unlock()
	return d, int64(len(b)), nil
}

func (s *memBlobs) Open(context.Context, bonfire.Digest) (io.ReadSeekCloser, int64, error) {
	return nil, 0, bonfire.Errorf(bonfire.ECodeNotFound, "not here")
}

func (s *memBlobs) Stat(context.Context, bonfire.Digest) (int64, error) { return 0, nil }

// harness is a dashboard over a fake market.
type harness struct {
	m     *fakeMarket
	blobs *memBlobs
	d     *Dashboard
}

func newHarness(t testing.TB, adjust ...func(*Config)) *harness {
	t.Helper()
	h := &harness{m: newFakeMarket(), blobs: &memBlobs{blobs: map[bonfire.Digest][]byte{}}}
	cfg := Config{Jobs: h.m, Results: h.m, Providers: h.m, Charges: h.m, Blobs: h.blobs, Money: fakeMoney{},
		Auth:        httpapi.TokenOrSignature{Token: testToken, TokenOwner: testOwner},
		StreamEvery: 5 * time.Millisecond, SampleEvery: time.Hour}
	for _, f := range adjust {
		f(&cfg)
	}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	h.d = d
	return h
}

// get serves a GET from loopback, with the token cookie when withToken.
func (h *harness) get(target string, withToken bool) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", target, nil)
	r.RemoteAddr = "127.0.0.1:5000"
	if withToken {
		r.AddCookie(&http.Cookie{Name: tokenCookie, Value: testToken})
	}
	w := httptest.NewRecorder()
	h.d.ServeHTTP(w, r)
	return w
}

func wantBody(t testing.TB, w *httptest.ResponseRecorder, status int, parts ...string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body:\n%s", w.Code, status, clipBody(w.Body))
	}
	for _, p := range parts {
		if !strings.Contains(w.Body.String(), p) {
			t.Errorf("body lacks %q:\n%s", p, clipBody(w.Body))
		}
	}
}

func clipBody(b *bytes.Buffer) string {
	s := b.String()
	if len(s) > 4000 {
		return s[:4000] + "…"
	}
	return s
}
