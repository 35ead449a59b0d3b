package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
)

// fakeMarket is an in-memory JobService, ResultService and
// ProviderDirectory with the ownership rules the real market has. fail, when
// set, is returned by every method instead, so tests can see any error
// travel through the API; panicOn makes the named method panic.
type fakeMarket struct {
	mu        sync.Mutex
	jobs      map[string]*bonfire.Job
	tasks     map[string][]*bonfire.Task
	logs      map[string][]*bonfire.LogChunk
	providers []*bonfire.Provider
	nextID    int

	fail    error
	panicOn string

	// What the last call saw, for assertions.
	lastCaller     bonfire.Address
	lastJobFilter  bonfire.JobFilter
	lastTaskFilter bonfire.TaskFilter
	lastAttempt    int
}

func newFakeMarket() *fakeMarket {
	return &fakeMarket{
		jobs:  map[string]*bonfire.Job{},
		tasks: map[string][]*bonfire.Task{},
		logs:  map[string][]*bonfire.LogChunk{},
		providers: []*bonfire.Provider{{
			Info:  bonfire.ProviderInfo{ID: "0x00000000000000000000000000000000000000aa", Name: "box", Executors: []string{"wasm"}},
			State: bonfire.ProviderOnline,
		}},
	}
}

func (m *fakeMarket) enter(method string) error {
	if m.panicOn == method {
		panic("fake market: " + method + " exploded")
	}
	return m.fail
}

func (m *fakeMarket) SubmitJob(_ context.Context, owner bonfire.Address, spec *bonfire.JobSpec) (*bonfire.Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter("SubmitJob"); err != nil {
		return nil, err
	}
	m.lastCaller = owner
	m.nextID++
	id := "job-" + strconv.Itoa(m.nextID)
	job := &bonfire.Job{ID: id, Owner: owner, Spec: *spec, State: bonfire.JobQueued, TaskCount: 2,
		Counts: bonfire.TaskCounts{Queued: 2}, SubmittedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	m.jobs[id] = job
	for i := range 2 {
		tid := id + "." + strconv.Itoa(i)
		m.tasks[id] = append(m.tasks[id], &bonfire.Task{ID: tid, JobID: id, Index: i, State: bonfire.TaskQueued, Attempt: 0})
		m.logs[tid] = []*bonfire.LogChunk{{TaskID: tid, Attempt: 1, Stream: "stdout", Seq: 0, Data: "hello from " + tid + "\n"}}
	}
	return job, nil
}

func (m *fakeMarket) owned(caller bonfire.Address, jobID string) (*bonfire.Job, error) {
	job, ok := m.jobs[jobID]
	if !ok {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "job %q does not exist", jobID).WithHint("list jobs with `bonfire jobs`")
	}
	if job.Owner.Normal() != caller.Normal() {
		return nil, bonfire.Errorf(bonfire.ECodeForbidden, "job %s belongs to %s, not %s", jobID, job.Owner, caller).
			WithHint("sign with the key that submitted the job")
	}
	return job, nil
}

func (m *fakeMarket) CancelJob(_ context.Context, caller bonfire.Address, jobID string) (*bonfire.Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter("CancelJob"); err != nil {
		return nil, err
	}
	m.lastCaller = caller
	job, err := m.owned(caller, jobID)
	if err != nil {
		return nil, err
	}
	job.State = bonfire.JobCancelled
	return job, nil
}

func (m *fakeMarket) Job(_ context.Context, id string) (*bonfire.Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter("Job"); err != nil {
		return nil, err
	}
	job, ok := m.jobs[id]
	if !ok {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "job %q does not exist", id).WithHint("list jobs with `bonfire jobs`")
	}
	return job, nil
}

func (m *fakeMarket) Jobs(_ context.Context, f bonfire.JobFilter) ([]*bonfire.Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter("Jobs"); err != nil {
		return nil, err
	}
	m.lastJobFilter = f
	var out []*bonfire.Job
	for i := 1; i <= m.nextID && len(out) < f.Limit; i++ {
		job := m.jobs["job-"+strconv.Itoa(i)]
		if f.Owner != "" && job.Owner.Normal() != f.Owner.Normal() {
			continue
		}
		out = append(out, job)
	}
	return out, nil
}

func (m *fakeMarket) Tasks(_ context.Context, f bonfire.TaskFilter) ([]*bonfire.Task, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter("Tasks"); err != nil {
		return nil, err
	}
	m.lastTaskFilter = f
	if _, ok := m.jobs[f.JobID]; !ok {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "job %q does not exist", f.JobID)
	}
	return m.tasks[f.JobID], nil
}

func (m *fakeMarket) JobResults(_ context.Context, caller bonfire.Address, jobID string) (*bonfire.JobResults, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter("JobResults"); err != nil {
		return nil, err
	}
	m.lastCaller = caller
	job, err := m.owned(caller, jobID)
	if err != nil {
		return nil, err
	}
	res := &bonfire.JobResults{Job: job}
	for _, t := range m.tasks[jobID] {
		res.Tasks = append(res.Tasks, bonfire.TaskOutcome{TaskID: t.ID, Index: t.Index, State: t.State})
	}
	res.Ranking = []bonfire.RankEntry{{Rank: 1, TaskID: jobID + ".1", Metric: 0.97}}
	return res, nil
}

func (m *fakeMarket) TaskLogs(_ context.Context, caller bonfire.Address, taskID string, attempt int) ([]*bonfire.LogChunk, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter("TaskLogs"); err != nil {
		return nil, err
	}
	m.lastCaller, m.lastAttempt = caller, attempt
	logs, ok := m.logs[taskID]
	if !ok {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "task %q does not exist", taskID)
	}
	if _, err := m.owned(caller, logs[0].TaskID[:len(logs[0].TaskID)-2]); err != nil {
		return nil, err
	}
	return logs, nil
}

func (m *fakeMarket) TaskHistory(_ context.Context, caller bonfire.Address, taskID string) ([]*bonfire.TaskEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter("TaskHistory"); err != nil {
		return nil, err
	}
	m.lastCaller = caller
	logs, ok := m.logs[taskID]
	if !ok {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "task %q does not exist", taskID)
	}
	if _, err := m.owned(caller, logs[0].TaskID[:len(logs[0].TaskID)-2]); err != nil {
		return nil, err
	}
	return []*bonfire.TaskEvent{{TaskID: taskID, Kind: "committed", Detail: "sha256:00"}}, nil
}

func (m *fakeMarket) Providers(context.Context) ([]*bonfire.Provider, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter("Providers"); err != nil {
		return nil, err
	}
	return m.providers, nil
}

// seenCalls is what the fake's last calls saw.
type seenCalls struct {
	lastCaller     bonfire.Address
	lastJobFilter  bonfire.JobFilter
	lastTaskFilter bonfire.TaskFilter
	lastAttempt    int
	nextID         int
}

func (m *fakeMarket) seen() seenCalls {
	m.mu.Lock()
	defer m.mu.Unlock()
	return seenCalls{m.lastCaller, m.lastJobFilter, m.lastTaskFilter, m.lastAttempt, m.nextID}
}

func (m *fakeMarket) setFail(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = err
}

// memBlobStore is an in-memory bonfire.BlobStore; the apiHarness serves it
// through the real BlobHandler. corrupt makes Open return other bytes than
// the digest names, as a damaged disk would.
type memBlobStore struct {
	mu      sync.Mutex
	blobs   map[bonfire.Digest][]byte
	puts    int
	corrupt bool
}

func newMemBlobStore() *memBlobStore { return &memBlobStore{blobs: map[bonfire.Digest][]byte{}} }

func (s *memBlobStore) Put(_ context.Context, r io.Reader, want bonfire.Digest, maxBytes int64) (bonfire.Digest, int64, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return "", 0, bonfire.Errorf(bonfire.ECodeInvalid, "read: %v", err)
	}
	if int64(len(data)) > maxBytes {
		return "", 0, bonfire.Errorf(bonfire.ECodeTooLarge, "blob exceeds %d bytes", maxBytes)
	}
	d := bonfire.DigestOf(data)
	if want != "" && want != d {
		return "", 0, bonfire.Errorf(bonfire.ECodeInvalid, "content hashes to %s, not %s", d, want).WithField("digest")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blobs[d] = data
	s.puts++
	return d, int64(len(data)), nil
}

func (s *memBlobStore) Open(_ context.Context, d bonfire.Digest) (io.ReadSeekCloser, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, ok := s.blobs[d]
	if !ok {
		return nil, 0, bonfire.Errorf(bonfire.ECodeNotFound, "blob %s does not exist", d)
	}
	if s.corrupt {
		data = append([]byte("evil"), data...)
	}
	return nopCloser{bytes.NewReader(data)}, int64(len(data)), nil
}

func (s *memBlobStore) Stat(ctx context.Context, d bonfire.Digest) (int64, error) {
	_, n, err := s.Open(ctx, d)
	return n, err
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func (s *memBlobStore) get(d bonfire.Digest) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.blobs[d]
}

func (s *memBlobStore) put(d bonfire.Digest, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blobs[d] = data
}

func (s *memBlobStore) putCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.puts
}

func (s *memBlobStore) setCorrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.corrupt = true
}

const (
	testToken = "s3cret-token"
	// tokenOwner is who the loopback token acts as.
	tokenOwner bonfire.Address = "0x1111111111111111111111111111111111111111"
)

// apiHarness is a running API server over a fake market.
type apiHarness struct {
	market *fakeMarket
	blobs  *memBlobStore
	server *Server
	http   *httptest.Server
	auth   TokenOrSignature
}

func newAPIHarness(t testing.TB, cfg ServerConfig) *apiHarness {
	t.Helper()
	h := &apiHarness{market: newFakeMarket()}
	h.auth = TokenOrSignature{Token: testToken, TokenOwner: tokenOwner, Verifier: identity.NewRequestVerifier(time.Minute)}
	h.blobs = newMemBlobStore()
	if cfg.Jobs == nil {
		cfg.Jobs, cfg.Results, cfg.Providers = h.market, h.market, h.market
	}
	if cfg.Blobs == nil {
		cfg.Blobs = BlobHandler(h.blobs, 1<<20, UploadAuthorizer(h.auth))
	}
	if cfg.Auth == nil {
		cfg.Auth = h.auth
	}
	h.server = NewServer(cfg)
	h.http = httptest.NewServer(h.server)
	t.Cleanup(h.http.Close)
	return h
}

func (h *apiHarness) client(t *testing.T, opts ...ClientOption) *Client {
	t.Helper()
	c, err := NewClient(h.http.URL, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newTestKey(t *testing.T) *identity.Key {
	t.Helper()
	k, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func sampleSpec() *bonfire.JobSpec {
	return &bonfire.JobSpec{
		APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "sweep", Executor: bonfire.ExecutorWASM,
		Module:  string(bonfire.DigestOf([]byte("module"))),
		Args:    []string{"--lr", "{{.lr}}"},
		Outputs: "/out",
		Resources: bonfire.Resources{
			CPUMilli: 1000, MemoryBytes: 64 << 20,
		},
		Matrix:      []bonfire.MatrixParam{{Name: "lr", Values: []string{"0.1", "0.01"}}},
		Timeout:     bonfire.Duration(90 * time.Second),
		Determinism: bonfire.Determinism{Deterministic: true, Seed: 7},
	}
}

func specJSON(t testing.TB) []byte {
	t.Helper()
	b, err := json.Marshal(sampleSpec())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeErrorBody reads an ErrorBody and fails the test unless it is one.
func decodeErrorBody(t testing.TB, body []byte) ErrorBody {
	t.Helper()
	var eb ErrorBody
	if err := json.Unmarshal(body, &eb); err != nil {
		t.Fatalf("error body is not JSON: %v\n%s", err, body)
	}
	if eb.Error == nil || eb.Error.Code == "" || eb.Error.Message == "" {
		t.Fatalf("error body lacks code or message: %s", body)
	}
	return eb
}

// serve runs one request through the server in process, as from remoteAddr.
func serveAPI(s http.Handler, method, target, remoteAddr string, body []byte, hdr http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	r.RemoteAddr = remoteAddr
	for k, v := range hdr {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// syncBuffer is a bytes.Buffer safe for a server goroutine to log into while
// the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func asError(err error, target **bonfire.Error) bool { return errors.As(err, target) }
