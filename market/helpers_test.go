package market

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/blobfs"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/natsbus"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/sqlite"
	"github.com/nats-io/nats.go"
)

// The tests below run the market against its real parts (SQLite, the blob
// store, an embedded NATS server, real keys) and play providers by sending
// sealed messages by hand, so that every protocol rule is checked exactly.
// Time is an injected clock and the reaper is called directly.

// requestTimeout bounds one request to the real NATS server. It is a
// deadline for a failure, never a wait: a healthy market answers in
// milliseconds.
const requestTimeout = 10 * time.Second

// fakeClock is the market's clock in tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testMarket is a market with its store, blobs and bus in a temporary
// directory.
type testMarket struct {
	t      testing.TB
	dir    string
	clock  *fakeClock
	nats   *natsbus.Server
	blobs  *blobfs.Store
	key    *identity.Key
	owner  bonfire.Address
	module bonfire.Digest
	opts   []func(*Config)

	store *sqlite.Store
	conn  *nats.Conn
	m     *Market
}

// startMarket starts a market on fresh state. opts adjust its Config.
func startMarket(t testing.TB, opts ...func(*Config)) *testMarket {
	t.Helper()
	tm := &testMarket{t: t, dir: t.TempDir(), opts: opts,
		clock: &fakeClock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}}
	var err error
	if tm.nats, err = natsbus.StartServer(natsbus.ServerConfig{Port: -1}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tm.nats.Shutdown)
	if tm.blobs, err = blobfs.Open(filepath.Join(tm.dir, "blobs")); err != nil {
		t.Fatal(err)
	}
	if tm.key, err = identity.Generate(); err != nil {
		t.Fatal(err)
	}
	owner, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	tm.owner = owner.Address()
	tm.module = tm.putBlob([]byte("\x00asm\x01\x00\x00\x00 test module"))
	tm.open()
	t.Cleanup(tm.close)
	return tm
}

// open starts a market on the files in tm.dir, as a market process does.
func (tm *testMarket) open() {
	t := tm.t
	t.Helper()
	var err error
	if tm.store, err = sqlite.Open(filepath.Join(tm.dir, "state.db")); err != nil {
		t.Fatal(err)
	}
	if tm.conn, err = nats.Connect(tm.nats.ClientURL()); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Store: tm.store, Blobs: tm.blobs, Conn: tm.conn, Key: tm.key, BlobURL: "http://127.0.0.1:1/v1/blobs",
		Log: slog.New(slog.DiscardHandler), Now: tm.clock.Now,
		// Tests that move the clock by hours must not find their fake
		// providers unhealthy for ignoring the registration challenge;
		// challenge_test.go sets these itself.
		ChallengeGrace: 1000 * time.Hour, ChallengeEvery: -1}
	for _, o := range tm.opts {
		o(&cfg)
	}
	if tm.m, err = New(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if err := tm.m.Start(); err != nil {
		t.Fatal(err)
	}
}

// close stops the market and closes its store, as a market process exits.
func (tm *testMarket) close() {
	if tm.m == nil {
		return
	}
	tm.m.Close()
	tm.conn.Close()
	if err := tm.store.Close(); err != nil {
		tm.t.Error(err)
	}
	tm.m = nil
}

func (tm *testMarket) restart() {
	tm.t.Helper()
	tm.close()
	tm.open()
}

func (tm *testMarket) putBlob(data []byte) bonfire.Digest {
	tm.t.Helper()
	d, _, err := tm.blobs.Put(context.Background(), bytes.NewReader(data), "", 0)
	if err != nil {
		tm.t.Fatal(err)
	}
	return d
}

// spec is a valid resolved wasm spec of count tasks.
func (tm *testMarket) spec(count, retries int) *bonfire.JobSpec {
	return &bonfire.JobSpec{
		APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "test-job", Executor: bonfire.ExecutorWASM,
		Module: string(tm.module), Args: []string{"--index", "{{.index}}"}, Outputs: "/out",
		Resources: bonfire.Resources{CPUMilli: 1000, MemoryBytes: 64 << 20},
		Count:     count, Timeout: bonfire.Duration(time.Minute), Retries: retries,
		Determinism: bonfire.Determinism{Deterministic: true, Seed: 7},
		// Most tests are about one run per task; verify_test.go covers
		// the checking policies.
		Verify: bonfire.Verify{Policy: "none"},
	}
}

func (tm *testMarket) submit(spec *bonfire.JobSpec) *bonfire.Job {
	tm.t.Helper()
	j, err := tm.m.SubmitJob(context.Background(), tm.owner, spec)
	if err != nil {
		tm.t.Fatalf("submit: %v", err)
	}
	return j
}

func (tm *testMarket) job(id string) *bonfire.Job {
	tm.t.Helper()
	j, err := tm.m.Job(context.Background(), id)
	if err != nil {
		tm.t.Fatal(err)
	}
	return j
}

// storedTask reads a task as the store has it.
func (tm *testMarket) storedTask(id string) *bonfire.Task {
	tm.t.Helper()
	jobID := id[:len(id)-len(filepath.Ext(id))]
	tasks, err := tm.store.Tasks(context.Background(), bonfire.TaskFilter{JobID: jobID, Limit: 10000})
	if err != nil {
		tm.t.Fatal(err)
	}
	for _, t := range tasks {
		if t.ID == id {
			return t
		}
	}
	tm.t.Fatalf("task %s not in the store", id)
	return nil
}

// results lists every result the store recorded for a task.
func (tm *testMarket) results(taskID string) []*bonfire.TaskResult {
	tm.t.Helper()
	rs, err := tm.store.Results(context.Background(), taskID)
	if err != nil {
		tm.t.Fatal(err)
	}
	return rs
}

func (tm *testMarket) events(taskID string) []*bonfire.TaskEvent {
	tm.t.Helper()
	es, err := tm.store.Events(context.Background(), taskID)
	if err != nil {
		tm.t.Fatal(err)
	}
	return es
}

func (tm *testMarket) reap() {
	tm.t.Helper()
	if err := tm.m.Reap(context.Background()); err != nil {
		tm.t.Fatal(err)
	}
}

// provider returns the market's live view of a provider.
func (tm *testMarket) provider(id bonfire.Address) bonfire.Provider {
	tm.t.Helper()
	tm.m.mu.Lock()
	defer tm.m.mu.Unlock()
	p := tm.m.st.Provider(id)
	if p == nil {
		tm.t.Fatalf("provider %s unknown", id)
	}
	return *p
}

// fakeProvider speaks the provider side of the protocol by hand.
type fakeProvider struct {
	t   testing.TB
	tm  *testMarket
	key *identity.Key
	id  bonfire.Address // normalised, as the market keys it
	nc  *nats.Conn
	seq *protocol.Sequencer

	price uint64           // per cpu-second, as registered
	hw    bonfire.Hardware // as registered
}

func (tm *testMarket) newProvider() *fakeProvider {
	tm.t.Helper()
	k, err := identity.Generate()
	if err != nil {
		tm.t.Fatal(err)
	}
	nc, err := nats.Connect(tm.nats.ClientURL())
	if err != nil {
		tm.t.Fatal(err)
	}
	tm.t.Cleanup(nc.Close)
	return &fakeProvider{t: tm.t, tm: tm, key: k, id: k.Address().Normal(), nc: nc, seq: protocol.NewSequencer(time.Now())}
}

// seal seals body as p at the market's current time.
func (p *fakeProvider) seal(typ string, body any) []byte {
	p.t.Helper()
	data, err := protocol.Seal(p.key, typ, p.seq.Next(), p.tm.clock.Now(), body)
	if err != nil {
		p.t.Fatal(err)
	}
	return data
}

// requestRaw sends data as it is and returns the market's reply.
func (p *fakeProvider) requestRaw(subject string, data []byte) protocol.Reply {
	p.t.Helper()
	msg, err := p.nc.Request(subject, data, requestTimeout)
	if err != nil {
		p.t.Fatalf("request on %s: %v", subject, err)
	}
	var r protocol.Reply
	if err := json.Unmarshal(msg.Data, &r); err != nil {
		p.t.Fatalf("reply on %s is not a Reply: %v", subject, err)
	}
	if (r.Error == nil) == (r.Body == nil) {
		t := p.t
		t.Fatalf("reply on %s must have exactly one of error and body: %s", subject, msg.Data)
	}
	return r
}

// call seals body, sends it and decodes the reply body into out. It
// returns the reply's error, if any.
func (p *fakeProvider) call(subject, typ string, body, out any) *bonfire.Error {
	p.t.Helper()
	r := p.requestRaw(subject, p.seal(typ, body))
	if r.Error != nil {
		return r.Error
	}
	if out != nil {
		if err := json.Unmarshal(r.Body, out); err != nil {
			p.t.Fatalf("decoding %s reply: %v", typ, err)
		}
	}
	return nil
}

func (p *fakeProvider) must(err *bonfire.Error) {
	p.t.Helper()
	if err != nil {
		p.t.Fatalf("market refused a valid message: %v (code %s)", err, err.Code)
	}
}

func (p *fakeProvider) info() bonfire.ProviderInfo {
	return bonfire.ProviderInfo{ID: p.key.Address(), Name: "fake", Version: "test", Hardware: p.hw,
		Lend: bonfire.Capacity{CPUMilli: 64000, MemoryBytes: 64 << 30}, Executors: []string{bonfire.ExecutorWASM},
		PricePerCPUSecond: p.price}
}

func (p *fakeProvider) register() protocol.RegisterReply {
	p.t.Helper()
	var reply protocol.RegisterReply
	p.must(p.call(protocol.SubjectRegister, protocol.TypeRegister, &protocol.Register{Info: p.info()}, &reply))
	return reply
}

func (p *fakeProvider) heartbeat(running ...protocol.TaskRef) {
	p.t.Helper()
	p.must(p.call(protocol.SubjectHeartbeat, protocol.TypeHeartbeat,
		&protocol.Heartbeat{Running: running, Free: p.info().Lend}, nil))
}

func (p *fakeProvider) pull(max int) []protocol.Assignment {
	p.t.Helper()
	var reply protocol.PullReply
	p.must(p.call(protocol.SubjectPull, protocol.TypePull, &protocol.Pull{Max: max, Free: p.info().Lend}, &reply))
	return reply.Assignments
}

func (p *fakeProvider) report(rep protocol.Report) protocol.ReportReply {
	p.t.Helper()
	var reply protocol.ReportReply
	p.must(p.call(protocol.SubjectReport, protocol.TypeReport, &rep, &reply))
	return reply
}

func (p *fakeProvider) start(as ...protocol.Assignment) {
	p.t.Helper()
	var rep protocol.Report
	for _, a := range as {
		rep.Started = append(rep.Started, protocol.TaskRef{TaskID: a.TaskID, Attempt: a.Attempt})
	}
	p.report(rep)
}

// result is p's signed result of running a with exit code exit.
func (p *fakeProvider) result(a protocol.Assignment, exit int, outputs ...bonfire.FileRef) bonfire.TaskResult {
	p.t.Helper()
	out, _ := json.Marshal(struct {
		Outputs []bonfire.FileRef
		Exit    int
	}{outputs, exit})
	r := bonfire.TaskResult{TaskID: a.TaskID, JobID: a.JobID, Attempt: a.Attempt, InputsDigest: a.InputsDigest(),
		OutputDigest: bonfire.DigestOf(out), Outputs: outputs, ExitCode: exit,
		Usage: bonfire.Usage{CPUNanos: 1e9, WallNanos: 1e9, PeakMemoryBytes: 1 << 20}, FinishedAt: p.tm.clock.Now()}
	if err := identity.SignResult(p.key, &r); err != nil {
		p.t.Fatal(err)
	}
	return r
}

// finish reports the results and checks which were accepted.
func (p *fakeProvider) finish(results ...bonfire.TaskResult) protocol.ReportReply {
	p.t.Helper()
	return p.report(protocol.Report{Results: results})
}

// cancels subscribes to the provider's cancel subject.
func (p *fakeProvider) cancels() *nats.Subscription {
	p.t.Helper()
	sub, err := p.nc.SubscribeSync(protocol.CancelSubject(p.key.Address()))
	if err != nil {
		p.t.Fatal(err)
	}
	if err := p.nc.Flush(); err != nil {
		p.t.Fatal(err)
	}
	return sub
}

// nextCancel waits for the next cancel message, checks that the market
// sealed it and returns the tasks it names.
func (p *fakeProvider) nextCancel(sub *nats.Subscription) []protocol.TaskRef {
	p.t.Helper()
	msg, err := sub.NextMsg(requestTimeout)
	if err != nil {
		p.t.Fatalf("no cancel message: %v", err)
	}
	env, err := protocol.Open(msg.Data)
	if err != nil {
		p.t.Fatalf("cancel message does not open: %v", err)
	}
	if err := env.ExpectFrom(p.tm.key.Address()); err != nil || env.Type != protocol.TypeCancel {
		p.t.Fatalf("cancel message of type %q from %s, want cancel from the market: %v", env.Type, env.From, err)
	}
	var c protocol.Cancel
	if err := protocol.DecodeBody(env, &c); err != nil {
		p.t.Fatal(err)
	}
	return c.Tasks
}

func refs(as ...protocol.Assignment) []protocol.TaskRef {
	var out []protocol.TaskRef
	for _, a := range as {
		out = append(out, protocol.TaskRef{TaskID: a.TaskID, Attempt: a.Attempt})
	}
	return out
}

func taskIDs(as []protocol.Assignment) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.TaskID)
	}
	slices.Sort(out)
	return out
}

func wantCode(t testing.TB, what string, err *bonfire.Error, code bonfire.ErrorCode) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: accepted, want error %s", what, code)
	}
	if err.Code != code {
		t.Fatalf("%s: error %q has code %s, want %s", what, err.Error(), err.Code, code)
	}
}
