package httpapi

import (
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/bonfirenet/bonfire"
)

// JobList is the body of GET /v1/jobs. Next, when set, is the after= value
// that fetches the following page.
type JobList struct {
	Jobs []*bonfire.Job `json:"jobs"`
	Next string         `json:"next,omitempty"`
}

// TaskList is the body of GET /v1/jobs/{id}/tasks. Next, when set, is the
// from= value that fetches the following page.
type TaskList struct {
	Tasks []*bonfire.Task `json:"tasks"`
	Next  *int            `json:"next,omitempty"`
}

// LogList is the body of GET /v1/tasks/{id}/logs.
type LogList struct {
	Logs []*bonfire.LogChunk `json:"logs"`
}

// EventList is the body of GET /v1/tasks/{id}/events.
type EventList struct {
	Events []*bonfire.TaskEvent `json:"events"`
}

// ProviderList is the body of GET /v1/providers.
type ProviderList struct {
	Providers []*bonfire.Provider `json:"providers"`
}

// authedHandler is a handler that runs only once the caller is known; body
// is the request body already read under the size cap, because a signature
// covers it.
type authedHandler func(w http.ResponseWriter, r *http.Request, caller bonfire.Address, body []byte)

func (s *Server) authenticated(h authedHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(w, r, s.cfg.MaxBodyBytes)
		if err != nil {
			WriteError(w, err)
			return
		}
		if s.cfg.Auth == nil {
			WriteError(w, bonfire.Errorf(bonfire.ECodeUnauthorized, "this market accepts no credentials on its API").
				WithHint("the market was started without authentication; report this to its operator"))
			return
		}
		caller, err := s.cfg.Auth.Authenticate(r, body)
		if err != nil {
			WriteError(w, asUnauthorized(err))
			return
		}
		h(w, r, caller, body)
	}
}

// readBody reads the whole body, refusing more than max bytes with a 413.
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	if r.ContentLength > max {
		return nil, bodyTooLarge(max)
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, bodyTooLarge(max)
		}
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot read the request body: %v", err).
			WithHint("send the whole body; the connection broke or the client stopped sending")
	}
	return b, nil
}

func bodyTooLarge(max int64) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeTooLarge, "request body is larger than %d bytes", max).
		WithHint("upload large content to /v1/blobs and refer to it by digest")
}

func (s *Server) submitJob(w http.ResponseWriter, r *http.Request, caller bonfire.Address, body []byte) {
	spec, err := decodeJobSpec(body)
	if err != nil {
		WriteError(w, err)
		return
	}
	job, err := s.cfg.Jobs.SubmitJob(r.Context(), caller, spec)
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Location", "/"+APIVersion+"/jobs/"+url.PathEscape(job.ID))
	WriteJSON(w, http.StatusCreated, job)
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) {
	f, err := parseJobFilter(r.URL.Query())
	if err != nil {
		WriteError(w, err)
		return
	}
	jobs, err := s.cfg.Jobs.Jobs(r.Context(), f)
	if err != nil {
		WriteError(w, err)
		return
	}
	list := JobList{Jobs: nonNil(jobs)}
	if len(jobs) > 0 && len(jobs) >= f.Limit {
		list.Next = jobs[len(jobs)-1].ID
	}
	WriteJSON(w, http.StatusOK, list)
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request) {
	job, err := s.cfg.Jobs.Job(r.Context(), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, job)
}

func (s *Server) listTasks(w http.ResponseWriter, r *http.Request) {
	f, err := parseTaskFilter(r.URL.Query())
	if err != nil {
		WriteError(w, err)
		return
	}
	f.JobID = r.PathValue("id")
	tasks, err := s.cfg.Jobs.Tasks(r.Context(), f)
	if err != nil {
		WriteError(w, err)
		return
	}
	list := TaskList{Tasks: nonNil(tasks)}
	if len(tasks) > 0 && len(tasks) >= f.Limit {
		next := tasks[len(tasks)-1].Index + 1
		list.Next = &next
	}
	WriteJSON(w, http.StatusOK, list)
}

func (s *Server) cancelJob(w http.ResponseWriter, r *http.Request, caller bonfire.Address, _ []byte) {
	job, err := s.cfg.Jobs.CancelJob(r.Context(), caller, r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, job)
}

func (s *Server) jobResults(w http.ResponseWriter, r *http.Request, caller bonfire.Address, _ []byte) {
	if s.cfg.Results == nil {
		WriteError(w, notServed("job results"))
		return
	}
	res, err := s.cfg.Results.JobResults(r.Context(), caller, r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, res)
}

func (s *Server) taskLogs(w http.ResponseWriter, r *http.Request, caller bonfire.Address, _ []byte) {
	if s.cfg.Results == nil {
		WriteError(w, notServed("task logs"))
		return
	}
	attempt, err := parseAttempt(r.URL.Query())
	if err != nil {
		WriteError(w, err)
		return
	}
	logs, err := s.cfg.Results.TaskLogs(r.Context(), caller, r.PathValue("id"), attempt)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, LogList{Logs: nonNil(logs)})
}

func (s *Server) taskHistory(w http.ResponseWriter, r *http.Request, caller bonfire.Address, _ []byte) {
	if s.cfg.Results == nil {
		WriteError(w, notServed("task history"))
		return
	}
	if err := rejectQuery(r.URL.Query()); err != nil {
		WriteError(w, err)
		return
	}
	events, err := s.cfg.Results.TaskHistory(r.Context(), caller, r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, EventList{Events: nonNil(events)})
}

func (s *Server) listProviders(w http.ResponseWriter, r *http.Request) {
	if err := rejectQuery(r.URL.Query()); err != nil {
		WriteError(w, err)
		return
	}
	if s.cfg.Providers == nil {
		WriteError(w, notServed("the provider list"))
		return
	}
	ps, err := s.cfg.Providers.Providers(r.Context())
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, ProviderList{Providers: nonNil(ps)})
}

func notServed(what string) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeUnavailable, "this market does not serve %s", what).
		WithHint("the market was started without that service; report this to its operator")
}

// nonNil makes empty lists encode as [] rather than null, so clients in
// any language can iterate without a nil check.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// asUnauthorized makes any authentication failure a 401 (or the 403 an
// or 503 an authenticator chose) that carries a hint, never a 500 or 400 that would
// send the user looking for a bug rather than for their credentials.
func asUnauthorized(err error) error {
	var be *bonfire.Error
	if !errors.As(err, &be) {
		return bonfire.Errorf(bonfire.ECodeUnauthorized, "credentials rejected: %v", err).WithHint(credentialsHint)
	}
	out := *be
	if out.Code != bonfire.ECodeForbidden && out.Code != bonfire.ECodeUnavailable {
		out.Code = bonfire.ECodeUnauthorized
	}
	if out.Hint == "" {
		out.Hint = credentialsHint
	}
	return &out
}
