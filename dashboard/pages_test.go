package dashboard

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestEveryTaskStateHasItsOwnClass(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, s := range []bonfire.TaskState{bonfire.TaskQueued, bonfire.TaskAssigned, bonfire.TaskRunning,
		bonfire.TaskSucceeded, bonfire.TaskFailed, bonfire.TaskCancelled} {
		c := stateClass(s)
		if c == "s-other" || seen[c] {
			t.Errorf("state %s has class %q: want its own", s, c)
		}
		seen[c] = true
	}
	if stateClass("verifying-someday") != "s-other" {
		t.Error("an unknown state must get the neutral class")
	}
	bar := countBar(bonfire.TaskCounts{Queued: 1, Succeeded: 3}, 4)
	if len(bar) != len(cellStates) || bar[0].Percent != 25 || bar[4].Count != 3 {
		t.Errorf("count bar %+v", bar)
	}
}

// A job of 10,000 tasks renders one page of cells and the whole job's
// counts; the next page starts where the first ended.
func TestJobPageShowsOnePageOfATenThousandTaskJob(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.m.addJob("big", 10_000, nil)
	h.m.setTask(id, 3, bonfire.TaskSucceeded)
	w := h.get("/dashboard/jobs/"+id, false)
	wantBody(t, w, http.StatusOK, `id="grid"`, `data-state="succeeded"`, `<b>9999</b>`, "?page=19")
	if n := strings.Count(w.Body.String(), `class="c `); n != GridPage {
		t.Fatalf("page 0 has %d task cells, want %d", n, GridPage)
	}
	if strings.Contains(w.Body.String(), `id="t500"`) {
		t.Fatal("page 0 shows task 500")
	}
	w = h.get("/dashboard/jobs/"+id+"?page=1", false)
	wantBody(t, w, http.StatusOK, `id="t500"`, `id="t999"`)
	if strings.Contains(w.Body.String(), `id="t499"`) || strings.Count(w.Body.String(), `class="c `) != GridPage {
		t.Fatal("page 1 is not tasks 500..999")
	}
	w = h.get("/dashboard/jobs/"+id+"?page=20", false)
	wantBody(t, w, http.StatusBadRequest, "page", "numbered from 0 to 19")
}

func BenchmarkJobPageTenThousandTasks(b *testing.B) {
	h := newHarness(b)
	id := h.m.addJob("big", 10_000, nil)
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		w := h.get("/dashboard/jobs/"+id+"?page=7", false)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
		size = w.Body.Len()
	}
	b.ReportMetric(float64(size), "html-bytes")
}

func TestJobListFiltersByStateAndText(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.m.addJob("digits-sweep", 2, nil)
	h.m.addJob("tokens", 1, nil)
	h.m.setTask(a, 0, bonfire.TaskRunning)
	wantBody(t, h.get("/dashboard/jobs", false), http.StatusOK, "digits-sweep", "tokens")
	w := h.get("/dashboard/jobs?state=running", false)
	wantBody(t, w, http.StatusOK, "digits-sweep")
	if strings.Contains(w.Body.String(), ">tokens<") {
		t.Error("state=running lists a queued job")
	}
	w = h.get("/dashboard/jobs?q=TOK", false)
	wantBody(t, w, http.StatusOK, ">tokens<")
	if strings.Contains(w.Body.String(), "digits-sweep") {
		t.Error("q=TOK lists digits-sweep")
	}
	wantBody(t, h.get("/dashboard/jobs?q="+string(testOwner), false), http.StatusOK, "digits-sweep", ">tokens<")
	wantBody(t, h.get("/dashboard/jobs?state=sleeping", false), http.StatusBadRequest, "state:", "use queued, running")
	w = h.get("/dashboard/jobs?limit=1", false)
	wantBody(t, w, http.StatusOK, "next page", "after="+a)
}

func TestRankingAndLogsNeedTheOwnersToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.m.addJob("sweep", 2, &bonfire.Summary{File: "m.json", Metric: "accuracy", Order: "desc"})
	h.m.ranking = []bonfire.RankEntry{
		{Rank: 1, TaskID: id + ".1", Params: map[string]string{"lr": "0.05", "hidden": "64"}, Metric: 0.97},
		{Rank: 2, TaskID: id + ".0", Params: map[string]string{"lr": "0.2", "hidden": "16"}, Metric: 0.91},
	}
	wantBody(t, h.get("/dashboard/jobs/"+id, false), http.StatusOK, `id="ranking-link"`)
	wantBody(t, h.get("/dashboard/jobs/"+id+"/ranking", false), http.StatusUnauthorized, "token", "Use token")
	w := h.get("/dashboard/jobs/"+id+"/ranking", true)
	wantBody(t, w, http.StatusOK, "hidden=64 lr=0.05", "0.97", "<svg", `class="bar"`)
	if strings.Index(w.Body.String(), "0.97") > strings.Index(w.Body.String(), "0.91") {
		t.Error("ranking is not best first")
	}
	wantBody(t, h.get("/dashboard/tasks/"+id+".1", false), http.StatusOK, "this needs your API token")
	wantBody(t, h.get("/dashboard/tasks/"+id+".1", true), http.StatusOK, "hello from "+id+".1")
	wantBody(t, h.get("/dashboard/tasks/"+id+".1", true), http.StatusOK, "<td>revealed</td>")
	wantBody(t, h.get("/dashboard/tasks/"+id+".9", true), http.StatusNotFound, "has no task 9")
	wantBody(t, h.get("/dashboard/tasks/nodot", true), http.StatusBadRequest, "not a task ID")
}

func TestProvidersAndMoneyShowEarnings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	w := h.get("/dashboard/providers", false)
	s, err := h.d.takeSample(t.Context()) // a sample of the provider's reputation for its history
	if err != nil {
		t.Fatal(err)
	}
	h.d.ring.add(s)
	w = h.get("/dashboard/providers", false)
	wantBody(t, w, http.StatusOK, "box", "online", "linux/amd64, 8 cores", "0.002 tUSD", "1.5 tUSD", "tasks done", ">7<",
		"reputation", "box reputation", `id="reputation-history"`)
	w = h.get("/dashboard/money", false)
	wantBody(t, w, http.StatusOK, "1337", "0xfeedface", "1000 tUSD", "1.5 tUSD", "0.5 tUSD")
}

func TestOverviewDrawsChartsFromSamples(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.m.addJob("j", 4, nil)
	h.m.setTask(id, 0, bonfire.TaskRunning)
	// The sampler took one sample at start; take another by hand.
	s, err := h.d.takeSample(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	h.d.ring.add(s)
	if s.CPUUsed != 1000 || s.CPULent != 4000 || s.Utilisation != 0.25 || s.Charged != 1_500_000 || s.ProvidersOnline != 1 {
		t.Fatalf("sample %+v", s)
	}
	w := h.get("/dashboard/", false)
	wantBody(t, w, http.StatusOK, "providers online", "utilisation", "tasks per second", "<polyline", "25%")
}

func TestReadsNeedLoopbackOrACredential(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := httptest.NewRequest("GET", "/dashboard/jobs", nil)
	r.RemoteAddr = "203.0.113.9:4000"
	w := httptest.NewRecorder()
	h.d.ServeHTTP(w, r)
	wantBody(t, w, http.StatusUnauthorized, "readable only from the market&#39;s machine")

	open := newHarness(t, func(c *Config) { c.PublicReads = true })
	w = httptest.NewRecorder()
	open.d.ServeHTTP(w, r)
	wantBody(t, w, http.StatusOK, "No jobs match")

	wantBody(t, h.get("/dashboard/nowhere", false), http.StatusNotFound, "no dashboard page")
	wantBody(t, h.get("/dashboard/static/dash.js", false), http.StatusOK, "EventSource")
}

func TestCancelNeedsTheOwnersToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.m.addJob("j", 2, nil)
	post := func(form string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/dashboard/jobs/"+id+"/cancel", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = "127.0.0.1:5000"
		w := httptest.NewRecorder()
		h.d.ServeHTTP(w, r)
		return w
	}
	wantBody(t, post(""), http.StatusUnauthorized, "token")
	wantBody(t, post("token=wrong"), http.StatusUnauthorized, "does not match")
	if len(h.m.cancelled) != 0 {
		t.Fatal("cancelled without the token")
	}
	w := post("token=" + testToken)
	if w.Code != http.StatusSeeOther || len(h.m.cancelled) != 1 {
		t.Fatalf("cancel with the token: %d, cancelled %v", w.Code, h.m.cancelled)
	}
}
