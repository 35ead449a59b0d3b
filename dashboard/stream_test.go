package dashboard

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

// event is one server-sent event.
type event struct{ name, data string }

// openStream connects to a job's event stream and returns its events as
// they arrive; the channel closes when the stream ends.
func openStream(t *testing.T, ctx context.Context, url string) <-chan event {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("stream: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	out := make(chan event, 64)
	go func() {
		defer close(out)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var ev event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = line[len("event: "):]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[len("data: "):]
			case line == "" && ev.name != "":
				out <- ev
				ev = event{}
			}
		}
	}()
	return out
}

// next waits for the next event named name, skipping others.
func next(t *testing.T, evs <-chan event, name string) event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-evs:
			if !ok {
				t.Fatalf("stream ended before a %q event", name)
			}
			if ev.name == name {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %q event within 10s", name)
		}
	}
}

// waitFor polls cond, failing after 10s; for state no event announces.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10s", what)
		}
		time.Sleep(time.Millisecond) // polling with a deadline
	}
}

func TestStreamSendsOnlyChangedCellsAndEndsWithTheJob(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.m.addJob("live", 3, nil)
	srv := httptest.NewServer(h.d)
	defer srv.Close()
	evs := openStream(t, t.Context(), srv.URL+"/dashboard/jobs/"+id+"/events")

	first := next(t, evs, "cells")
	if first.data != `[[0,"s-queued","queued"],[1,"s-queued","queued"],[2,"s-queued","queued"]]` {
		t.Fatalf("first cells %s, want every cell of the page", first.data)
	}
	if c := next(t, evs, "counts"); !strings.Contains(c.data, `"state":"queued"`) {
		t.Fatalf("counts %s", c.data)
	}
	h.m.setTask(id, 1, bonfire.TaskRunning)
	if c := next(t, evs, "cells"); c.data != `[[1,"s-running","running"]]` {
		t.Fatalf("after one change: %s, want only task 1", c.data)
	}
	if c := next(t, evs, "counts"); !strings.Contains(c.data, `"state":"running"`) || !strings.Contains(c.data, `"label":"running","count":1`) {
		t.Fatalf("counts after a start: %s", c.data)
	}
	for i := range 3 {
		h.m.setTask(id, i, bonfire.TaskSucceeded)
	}
	if e := next(t, evs, "end"); e.data != `"succeeded"` {
		t.Fatalf("end %s", e.data)
	}
	if _, open := <-evs; open {
		t.Fatal("the stream goes on after end")
	}
	waitFor(t, "the stream to be released", func() bool { return h.d.OpenStreams() == 0 })
}

func TestStreamEndsWhenTheClientGoesAndOnClose(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.m.addJob("live", 2, nil)
	srv := httptest.NewServer(h.d)
	defer srv.Close()

	ctx, cancel := context.WithCancel(t.Context())
	evs := openStream(t, ctx, srv.URL+"/dashboard/jobs/"+id+"/events")
	next(t, evs, "cells")
	if h.d.OpenStreams() != 1 {
		t.Fatalf("%d open streams, want 1", h.d.OpenStreams())
	}
	cancel()
	waitFor(t, "the stream of a gone client to end", func() bool { return h.d.OpenStreams() == 0 })

	evs = openStream(t, t.Context(), srv.URL+"/dashboard/jobs/"+id+"/events")
	next(t, evs, "cells")
	closed := make(chan struct{})
	go func() { h.d.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end the open stream")
	}
	for range evs { // the server ended it: the body reaches EOF
	}
	if n := h.d.OpenStreams(); n != 0 {
		t.Fatalf("%d streams open after Close", n)
	}
	// After Close no stream starts.
	w := h.get("/dashboard/jobs/"+id+"/events", false)
	wantBody(t, w, http.StatusServiceUnavailable, "shutting down")
}

func TestStreamOfAMissingJobOrPageIsAnError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.m.addJob("j", 2, nil)
	wantBody(t, h.get("/dashboard/jobs/nope/events", false), http.StatusNotFound, "no job nope")
	wantBody(t, h.get("/dashboard/jobs/"+id+"/events?page=3", false), http.StatusBadRequest, "page")
}
