package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestRoutesHappyPath(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{Version: "1.2.3"})
	c := h.client(t, WithToken(testToken))
	ctx := context.Background()

	job, err := c.SubmitJob(ctx, sampleSpec())
	if err != nil {
		t.Fatalf("SubmitJob: %v", err)
	}
	if job.ID == "" || job.Owner != tokenOwner || !reflect.DeepEqual(job.Spec, *sampleSpec()) {
		t.Fatalf("SubmitJob returned %+v, want a job owned by %s with the submitted spec", job, tokenOwner)
	}

	got, err := c.Job(ctx, job.ID)
	if err != nil || got.ID != job.ID || got.State != bonfire.JobQueued {
		t.Fatalf("Job(%s) = %+v, %v", job.ID, got, err)
	}

	jobs, err := c.Jobs(ctx, bonfire.JobFilter{Owner: tokenOwner, States: []bonfire.JobState{bonfire.JobQueued, bonfire.JobRunning}, Limit: 5, After: "job-0"})
	if err != nil || len(jobs) != 1 || jobs[0].ID != job.ID {
		t.Fatalf("Jobs = %v, %v; want [%s]", jobs, err, job.ID)
	}
	wantFilter := bonfire.JobFilter{Owner: tokenOwner, States: []bonfire.JobState{bonfire.JobQueued, bonfire.JobRunning}, Limit: 5, After: "job-0"}
	if !reflect.DeepEqual(h.market.seen().lastJobFilter, wantFilter) {
		t.Fatalf("service saw filter %+v, want %+v", h.market.seen().lastJobFilter, wantFilter)
	}

	tasks, err := c.Tasks(ctx, bonfire.TaskFilter{JobID: job.ID, States: []bonfire.TaskState{bonfire.TaskQueued}, Limit: 10, From: 3})
	if err != nil || len(tasks) != 2 || tasks[1].Index != 1 {
		t.Fatalf("Tasks = %v, %v", tasks, err)
	}
	wantTF := bonfire.TaskFilter{JobID: job.ID, States: []bonfire.TaskState{bonfire.TaskQueued}, Limit: 10, From: 3}
	if !reflect.DeepEqual(h.market.seen().lastTaskFilter, wantTF) {
		t.Fatalf("service saw task filter %+v, want %+v", h.market.seen().lastTaskFilter, wantTF)
	}

	res, err := c.JobResults(ctx, job.ID)
	if err != nil || res.Job.ID != job.ID || len(res.Tasks) != 2 || len(res.Ranking) != 1 || res.Ranking[0].Metric != 0.97 {
		t.Fatalf("JobResults = %+v, %v", res, err)
	}

	logs, err := c.TaskLogs(ctx, job.ID+".1", 3)
	if err != nil || len(logs) != 1 || !strings.Contains(logs[0].Data, job.ID+".1") {
		t.Fatalf("TaskLogs = %v, %v", logs, err)
	}
	if h.market.seen().lastAttempt != 3 || h.market.seen().lastCaller != tokenOwner {
		t.Fatalf("service saw attempt %d caller %s, want 3 and %s", h.market.seen().lastAttempt, h.market.seen().lastCaller, tokenOwner)
	}

	events, err := c.TaskHistory(ctx, job.ID+".1")
	if err != nil || len(events) != 1 || events[0].Kind != "committed" || h.market.seen().lastCaller != tokenOwner {
		t.Fatalf("TaskHistory = %v, %v (caller %s)", events, err, h.market.seen().lastCaller)
	}
	if _, err := c.TaskHistory(ctx, job.ID+".9"); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Fatalf("TaskHistory of an unknown task = %v, want not_found", err)
	}

	ps, err := c.Providers(ctx)
	if err != nil || len(ps) != 1 || ps[0].Info.Name != "box" {
		t.Fatalf("Providers = %v, %v", ps, err)
	}

	v, err := c.Version(ctx)
	if err != nil || *v != (VersionInfo{API: "v1", Version: "1.2.3"}) {
		t.Fatalf("Version = %+v, %v", v, err)
	}

	cancelled, err := c.CancelJob(ctx, job.ID)
	if err != nil || cancelled.State != bonfire.JobCancelled {
		t.Fatalf("CancelJob = %+v, %v", cancelled, err)
	}

	resp, err := http.Get(h.http.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "ok" {
		t.Fatalf("healthz = %d %q", resp.StatusCode, body)
	}
}

func TestSubmitAnswers201WithLocation(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	w := serveAPI(h.server, "POST", "/v1/jobs", "127.0.0.1:4000", specJSON(t), http.Header{"Authorization": {"Bearer " + testToken}})
	if w.Code != http.StatusCreated {
		t.Fatalf("status %d, want 201: %s", w.Code, w.Body)
	}
	var job bonfire.Job
	if err := json.Unmarshal(w.Body.Bytes(), &job); err != nil {
		t.Fatal(err)
	}
	if loc := w.Header().Get("Location"); loc != "/v1/jobs/"+job.ID {
		t.Fatalf("Location %q, want /v1/jobs/%s", loc, job.ID)
	}
}

func TestListsAreNeverNullAndOfferNext(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	w := serveAPI(h.server, "GET", "/v1/jobs", "127.0.0.1:1", nil, nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"jobs": []`) {
		t.Fatalf("empty list: %d %s", w.Code, w.Body)
	}
	for range 3 {
		if _, err := h.market.SubmitJob(context.Background(), tokenOwner, sampleSpec()); err != nil {
			t.Fatal(err)
		}
	}
	w = serveAPI(h.server, "GET", "/v1/jobs?limit=2", "127.0.0.1:1", nil, nil)
	var list JobList
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Jobs) != 2 || list.Next != "job-2" {
		t.Fatalf("full page: %d jobs, next %q; want 2 and job-2", len(list.Jobs), list.Next)
	}
	w = serveAPI(h.server, "GET", "/v1/jobs?limit=5", "127.0.0.1:1", nil, nil)
	list = JobList{}
	_ = json.Unmarshal(w.Body.Bytes(), &list)
	if len(list.Jobs) != 3 || list.Next != "" {
		t.Fatalf("short page: %d jobs, next %q; want 3 and none", len(list.Jobs), list.Next)
	}
	w = serveAPI(h.server, "GET", "/v1/jobs/job-1/tasks?limit=2", "127.0.0.1:1", nil, nil)
	var tl TaskList
	_ = json.Unmarshal(w.Body.Bytes(), &tl)
	if len(tl.Tasks) != 2 || tl.Next == nil || *tl.Next != 2 {
		t.Fatalf("task page: %d tasks, next %v; want 2 and 2", len(tl.Tasks), tl.Next)
	}
}

func TestUnknownFieldInSubmitIsNamed(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	body := []byte(`{"apiVersion":"bonfire/v1","kind":"Job","nmae":"typo"}`)
	w := serveAPI(h.server, "POST", "/v1/jobs", "127.0.0.1:1", body, http.Header{"Authorization": {"Bearer " + testToken}})
	if w.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %s", w.Code, w.Body)
	}
	eb := decodeErrorBody(t, w.Body.Bytes())
	if eb.Error.Field != "nmae" || !strings.Contains(eb.Error.Message, "nmae") || eb.Error.Hint == "" {
		t.Fatalf("error %+v does not name field nmae with a hint", eb.Error)
	}
	if h.market.seen().nextID != 0 {
		t.Fatal("a spec with an unknown field reached the service")
	}
}

func TestSubmitBodyErrors(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	cases := []struct {
		name, body, field, inMessage string
	}{
		{"empty", ``, "", "empty"},
		{"syntax", `{"name": }`, "", "not valid JSON"},
		{"truncated", `{"name": "x"`, "", "complete"},
		{"array", `[1,2]`, "", "want an object"},
		{"wrong type", `{"resources":{"cpuMilli":"lots"}}`, "resources.cpuMilli", "want a whole number"},
		{"negative price", `{"maxPrice":-1}`, "maxPrice", "from 0 up"},
		{"duration as number", `{"timeout":90}`, "timeout", "want a string"},
		{"bad duration", `{"timeout":"soon"}`, "timeout", "not a duration"},
		{"bad duration after others", `{"name":"x","env":{"A":"soon"},"resources":{"cpuMilli":1},"Timeout":"-"}`, "Timeout", "not a duration"},
		{"trailing", `{} {}`, "", "more data"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := serveAPI(h.server, "POST", "/v1/jobs", "127.0.0.1:1", []byte(tc.body), http.Header{"Authorization": {"Bearer " + testToken}})
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", w.Code, w.Body)
			}
			eb := decodeErrorBody(t, w.Body.Bytes())
			if eb.Error.Code != bonfire.ECodeInvalid || eb.Error.Field != tc.field || !strings.Contains(eb.Error.Message, tc.inMessage) || eb.Error.Hint == "" {
				t.Fatalf("got %+v; want invalid, field %q, message containing %q, a hint", eb.Error, tc.field, tc.inMessage)
			}
		})
	}
}

func TestBadQueryParameters(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	tok := http.Header{"Authorization": {"Bearer " + testToken}}
	cases := []struct{ target, field string }{
		{"/v1/jobs?limit=abc", "limit"},
		{"/v1/jobs?limit=0", "limit"},
		{"/v1/jobs?limit=100000", "limit"},
		{"/v1/jobs?limit=1&limit=2", "limit"},
		{"/v1/jobs?state=bogus", "state"},
		{"/v1/jobs?state=queued,assigned", "state"}, // assigned is a task state, not a job state
		{"/v1/jobs?owner=alice", "owner"},
		{"/v1/jobs?stat=running", "stat"},
		{"/v1/jobs/j/tasks?from=x", "from"},
		{"/v1/jobs/j/tasks?from=-1", "from"},
		{"/v1/jobs/j/tasks?state=done", "state"},
		{"/v1/jobs/j/tasks?owner=0x1111111111111111111111111111111111111111", "owner"},
		{"/v1/tasks/t/logs?attempt=-1", "attempt"},
		{"/v1/tasks/t/logs?attempt=first", "attempt"},
		{"/v1/providers?limit=3", "limit"},
	}
	for _, tc := range cases {
		t.Run(tc.target, func(t *testing.T) {
			w := serveAPI(h.server, "GET", tc.target, "127.0.0.1:1", nil, tok)
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", w.Code, w.Body)
			}
			eb := decodeErrorBody(t, w.Body.Bytes())
			if eb.Error.Field != tc.field || !strings.Contains(eb.Error.Message, tc.field) || eb.Error.Hint == "" {
				t.Fatalf("got %+v; want it to name %q and give a hint", eb.Error, tc.field)
			}
		})
	}
}

func TestOversizeBodyIs413(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{MaxBodyBytes: 64})
	big := append([]byte(`{"name":"`), bytes.Repeat([]byte("x"), 1000)...)
	big = append(big, `"}`...)

	// With a Content-Length the server refuses before reading.
	w := serveAPI(h.server, "POST", "/v1/jobs", "127.0.0.1:1", big, http.Header{"Authorization": {"Bearer " + testToken}})
	if w.Code != http.StatusRequestEntityTooLarge || decodeErrorBody(t, w.Body.Bytes()).Error.Code != bonfire.ECodeTooLarge {
		t.Fatalf("with length: status %d body %s, want 413 too_large", w.Code, w.Body)
	}

	// Without one (chunked), the reader's cap catches it.
	r, _ := http.NewRequest("POST", h.http.URL+"/v1/jobs", io.MultiReader(bytes.NewReader(big)))
	r.ContentLength = -1
	r.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || decodeErrorBody(t, body).Error.Hint == "" {
		t.Fatalf("chunked: status %d body %s, want 413 with a hint", resp.StatusCode, body)
	}
	if h.market.seen().nextID != 0 {
		t.Fatal("an oversize spec reached the service")
	}
}

func TestPanicIsRecoveredAs500(t *testing.T) {
	t.Parallel()
	var logBuf syncBuffer
	h := newAPIHarness(t, ServerConfig{Logger: slog.New(slog.NewJSONHandler(&logBuf, nil))})
	h.market.panicOn = "Job" // set before any request, so no race

	c := h.client(t)
	_, err := c.Job(context.Background(), "job-1")
	if bonfire.Code(err) != bonfire.ECodeInternal {
		t.Fatalf("panicking handler gave %v, want an internal error", err)
	}
	var be *bonfire.Error
	if !asError(err, &be) || strings.Contains(be.Message, "exploded") || be.Hint == "" {
		t.Fatalf("panic answer %+v leaks the panic or lacks a hint", be)
	}
	// The server still serves.
	if _, err := c.Providers(context.Background()); err != nil {
		t.Fatalf("after a panic: %v", err)
	}
	if !strings.Contains(logBuf.String(), "exploded") {
		t.Fatal("the panic was not logged")
	}
}

func TestRequestsAreLogged(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	h := newAPIHarness(t, ServerConfig{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	serveAPI(h.server, "GET", "/v1/jobs/missing", "127.0.0.1:1", nil, nil)
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("log line %q: %v", buf.String(), err)
	}
	if line["method"] != "GET" || line["path"] != "/v1/jobs/missing" || line["status"] != float64(404) || line["duration"] == nil {
		t.Fatalf("log line lacks method, path, status or duration: %v", line)
	}
}

func TestUnknownRoutesAndMethodsAnswerJSON(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	w := serveAPI(h.server, "GET", "/v1/nothing", "127.0.0.1:1", nil, nil)
	if w.Code != http.StatusNotFound || decodeErrorBody(t, w.Body.Bytes()).Error.Code != bonfire.ECodeNotFound {
		t.Fatalf("unknown route: %d %s", w.Code, w.Body)
	}
	w = serveAPI(h.server, "DELETE", "/v1/jobs/j1", "127.0.0.1:1", nil, nil)
	eb := decodeErrorBody(t, w.Body.Bytes())
	if w.Code != http.StatusMethodNotAllowed || !strings.Contains(w.Header().Get("Allow"), "GET") || !strings.Contains(eb.Error.Hint, "GET") {
		t.Fatalf("wrong method: %d Allow=%q %s", w.Code, w.Header().Get("Allow"), w.Body)
	}
}

func TestBlobRoutesGoToTheBlobHandler(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	d := bonfire.DigestOf([]byte("data"))
	h.blobs.put(d, []byte("data"))
	w := serveAPI(h.server, "GET", "/v1/blobs/"+string(d), "127.0.0.1:1", nil, nil)
	if w.Code != http.StatusOK || w.Body.String() != "data" {
		t.Fatalf("GET blob: %d %q", w.Code, w.Body)
	}

	none := NewServer(ServerConfig{Jobs: h.market, Results: h.market, Providers: h.market})
	w = serveAPI(none, "GET", "/v1/blobs/"+string(d), "127.0.0.1:1", nil, nil)
	if w.Code != http.StatusServiceUnavailable || decodeErrorBody(t, w.Body.Bytes()).Error.Hint == "" {
		t.Fatalf("no blob store: %d %s, want 503 with a hint", w.Code, w.Body)
	}
}

func TestMissingServicesAre503(t *testing.T) {
	t.Parallel()
	m := newFakeMarket()
	auth := TokenOrSignature{Token: testToken, TokenOwner: tokenOwner}
	s := NewServer(ServerConfig{Jobs: m, Auth: auth})
	tok := http.Header{"Authorization": {"Bearer " + testToken}}
	for _, target := range []string{"/v1/providers", "/v1/jobs/j/results", "/v1/tasks/t/logs"} {
		w := serveAPI(s, "GET", target, "127.0.0.1:1", nil, tok)
		if w.Code != http.StatusServiceUnavailable || decodeErrorBody(t, w.Body.Bytes()).Error.Hint == "" {
			t.Errorf("%s without its service: %d %s, want 503 with a hint", target, w.Code, w.Body)
		}
	}
}
