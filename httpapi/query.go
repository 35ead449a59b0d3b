package httpapi

import (
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// Page sizes of the list routes; a whole sweep's tasks fit in one page. The
// server always passes a limit to the service so that it knows when a page
// is full and can offer "next".
const (
	DefaultPageLimit = 100
	MaxPageLimit     = 10000
)

var (
	jobStates  = []bonfire.JobState{bonfire.JobQueued, bonfire.JobRunning, bonfire.JobSucceeded, bonfire.JobFailed, bonfire.JobCancelled}
	taskStates = []bonfire.TaskState{bonfire.TaskQueued, bonfire.TaskAssigned, bonfire.TaskRunning, bonfire.TaskSucceeded, bonfire.TaskFailed, bonfire.TaskCancelled}
)

// queryParams checks q against the names a route accepts, so that a typo
// such as ?stat=running fails loudly instead of silently listing everything,
// and hands out each value at most once.
type queryParams struct {
	q       url.Values
	allowed []string
}

func newQueryParams(q url.Values, allowed ...string) (*queryParams, error) {
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !slices.Contains(allowed, name) {
			hint := "this route takes no query parameters"
			if len(allowed) > 0 {
				hint = "use only: " + strings.Join(allowed, ", ")
			}
			return nil, bonfire.Errorf(bonfire.ECodeInvalid, "unknown query parameter %q", truncateText(name)).
				WithField(truncateText(name)).WithHint(hint)
		}
	}
	return &queryParams{q: q, allowed: allowed}, nil
}

// single returns the one value of name, "" when absent.
func (p *queryParams) single(name string) (string, error) {
	vs := p.q[name]
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", bonfire.Errorf(bonfire.ECodeInvalid, "query parameter %s is given %d times", name, len(vs)).
		WithField(name).WithHint("give " + name + " once")
}

// list returns every comma-separated value of name across repetitions.
func (p *queryParams) list(name string) []string {
	var out []string
	for _, v := range p.q[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func (p *queryParams) limit() (int, error) {
	v, err := p.single("limit")
	if err != nil || v == "" {
		return DefaultPageLimit, err
	}
	n, convErr := strconv.Atoi(v)
	if convErr != nil || n < 1 || n > MaxPageLimit {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "limit %q is not a whole number from 1 to %d", truncateText(v), MaxPageLimit).
			WithField("limit").WithHint("omit limit for " + strconv.Itoa(DefaultPageLimit) + " per page, or give limit=1…" + strconv.Itoa(MaxPageLimit))
	}
	return n, nil
}

func parseJobFilter(q url.Values) (bonfire.JobFilter, error) {
	var f bonfire.JobFilter
	p, err := newQueryParams(q, "owner", "state", "limit", "after")
	if err != nil {
		return f, err
	}
	owner, err := p.single("owner")
	if err != nil {
		return f, err
	}
	if owner != "" {
		if !isAddress(owner) {
			return f, bonfire.Errorf(bonfire.ECodeInvalid, "owner %q is not an address", truncateText(owner)).
				WithField("owner").WithHint("give owner as 0x followed by 40 hex digits")
		}
		f.Owner = bonfire.Address(owner)
	}
	for _, s := range p.list("state") {
		st := bonfire.JobState(s)
		if !slices.Contains(jobStates, st) {
			return f, bonfire.Errorf(bonfire.ECodeInvalid, "state %q is not a job state", truncateText(s)).
				WithField("state").WithHint("use queued, running, succeeded, failed or cancelled; separate several with commas")
		}
		if !slices.Contains(f.States, st) {
			f.States = append(f.States, st)
		}
	}
	if f.Limit, err = p.limit(); err != nil {
		return f, err
	}
	if f.After, err = p.single("after"); err != nil {
		return f, err
	}
	return f, nil
}

func parseTaskFilter(q url.Values) (bonfire.TaskFilter, error) {
	var f bonfire.TaskFilter
	p, err := newQueryParams(q, "state", "limit", "from")
	if err != nil {
		return f, err
	}
	for _, s := range p.list("state") {
		st := bonfire.TaskState(s)
		if !slices.Contains(taskStates, st) {
			return f, bonfire.Errorf(bonfire.ECodeInvalid, "state %q is not a task state", truncateText(s)).
				WithField("state").WithHint("use queued, assigned, running, succeeded, failed or cancelled; separate several with commas")
		}
		if !slices.Contains(f.States, st) {
			f.States = append(f.States, st)
		}
	}
	if f.Limit, err = p.limit(); err != nil {
		return f, err
	}
	from, err := p.single("from")
	if err != nil {
		return f, err
	}
	if from != "" {
		n, convErr := strconv.Atoi(from)
		if convErr != nil || n < 0 {
			return f, bonfire.Errorf(bonfire.ECodeInvalid, "from %q is not a task index", truncateText(from)).
				WithField("from").WithHint("give from as a task index, 0 or more (the previous page's next value)")
		}
		f.From = n
	}
	return f, nil
}

func parseAttempt(q url.Values) (int, error) {
	p, err := newQueryParams(q, "attempt")
	if err != nil {
		return 0, err
	}
	v, err := p.single("attempt")
	if err != nil || v == "" {
		return 0, err
	}
	n, convErr := strconv.Atoi(v)
	if convErr != nil || n < 0 {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "attempt %q is not an attempt number", truncateText(v)).
			WithField("attempt").WithHint("give attempt as 1, 2, …, or omit it (or 0) for the latest attempt")
	}
	return n, nil
}

// rejectQuery fails on any query parameter, for routes that take none.
func rejectQuery(q url.Values) error {
	_, err := newQueryParams(q)
	return err
}

func isAddress(s string) bool {
	if len(s) != 42 || (s[:2] != "0x" && s[:2] != "0X") {
		return false
	}
	for i := 2; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// truncateText keeps echoed user input short in error messages.
func truncateText(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
