package dashboard

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// Page sizes.
const (
	// GridPage is how many task cells one job page shows: a 10,000-task
	// job is 20 pages, and each page and its live stream stay small.
	GridPage = 500
	// jobsPage is how many jobs the jobs list shows by default and at most.
	jobsPage, maxJobsPage = 50, 500
)

var jobStates = []bonfire.JobState{bonfire.JobQueued, bonfire.JobRunning, bonfire.JobSucceeded, bonfire.JobFailed, bonfire.JobCancelled}

// jobQuery is the jobs list's filter as the URL carries it.
type jobQuery struct {
	States []bonfire.JobState // ?state=running,queued (or repeated)
	Text   string             // ?q= matches ID, name or owner, case-insensitively
	After  string             // ?after= job ID to continue after
	Limit  int                // ?limit=
}

// parseJobQuery reads the jobs list's filter, naming the parameter and
// the fix for anything it cannot use.
func parseJobQuery(v url.Values) (jobQuery, error) {
	q := jobQuery{Text: strings.TrimSpace(v.Get("q")), After: strings.TrimSpace(v.Get("after")), Limit: jobsPage}
	var errs bonfire.Errors
	for _, raw := range v["state"] {
		for _, s := range strings.Split(raw, ",") {
			s = strings.TrimSpace(strings.ToLower(s))
			if s == "" || s == "any" {
				continue
			}
			ok := false
			for _, js := range jobStates {
				if string(js) == s {
					q.States, ok = append(q.States, js), true
				}
			}
			if !ok {
				errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a job state", clip(s)).WithField("state").
					WithHint("use queued, running, succeeded, failed or cancelled"))
			}
		}
	}
	if len(q.Text) > 200 {
		errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "the search text is %d bytes long", len(q.Text)).WithField("q").
			WithHint("search for part of a job ID, name or owner address (at most 200 bytes)"))
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxJobsPage {
			errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "limit %q is not a number from 1 to %d", clip(s), maxJobsPage).WithField("limit").
				WithHint("leave it out for "+strconv.Itoa(jobsPage)+" jobs a page"))
		} else {
			q.Limit = n
		}
	}
	return q, errs.Err()
}

// matches reports whether j passes the text part of the filter.
func (q jobQuery) matches(j *bonfire.Job) bool {
	if q.Text == "" {
		return true
	}
	t := strings.ToLower(q.Text)
	return strings.Contains(strings.ToLower(j.ID), t) || strings.Contains(strings.ToLower(j.Spec.Name), t) ||
		strings.Contains(strings.ToLower(string(j.Owner)), t)
}

// parseGridPage reads ?page= of a job page: 0-based, below pages.
func parseGridPage(s string, pages int) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || (pages > 0 && n >= pages) {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "page %q does not exist", clip(s)).WithField("page").
			WithHint("pages are numbered from 0 to " + strconv.Itoa(max(pages-1, 0)))
	}
	return n, nil
}

// clip shortens what a caller sent before it is quoted back.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
