package dashboard

import (
	"net/url"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// The jobs list's query parser accepts or names the parameter at fault,
// and never returns a state that is not a job state or a bad limit.
func FuzzParseJobQuery(f *testing.F) {
	for _, s := range []string{"", "state=running", "state=running,queued&q=sweep", "state=bogus", "limit=0", "limit=500",
		"limit=-1&state=", "q=" + strings.Repeat("x", 300), "state=ANY&after=job1", "state=%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := parseJobQuery(v)
		if err != nil {
			for _, e := range asErrors(t, err) {
				if e.Field == "" || e.Hint == "" || e.Code != bonfire.ECodeInvalid {
					t.Fatalf("problem %+v lacks a field or hint", e)
				}
			}
			return
		}
		if q.Limit < 1 || q.Limit > maxJobsPage {
			t.Fatalf("limit %d accepted", q.Limit)
		}
		for _, s := range q.States {
			if !containsState(jobStates, s) {
				t.Fatalf("state %q accepted", s)
			}
		}
	})
}

func asErrors(t *testing.T, err error) bonfire.Errors {
	es, ok := err.(bonfire.Errors)
	if !ok {
		t.Fatalf("error %T %v is not bonfire.Errors", err, err)
	}
	return es
}

// A task ID splits into its job and a non-negative index that rebuild it,
// or is refused naming the task field.
func FuzzSplitTaskID(f *testing.F) {
	for _, s := range []string{"job1.0", "j.b.12", "nodot", ".5", "job.-1", "job.", "job.99999999999999999999", "a.b.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		job, idx, err := splitTaskID(id)
		if err != nil {
			if be, ok := err.(*bonfire.Error); !ok || be.Field != "task" || be.Hint == "" {
				t.Fatalf("error %v lacks the field or hint", err)
			}
			return
		}
		if idx < 0 || job == "" || !strings.HasPrefix(id, job+".") {
			t.Fatalf("%q split into %q, %d", id, job, idx)
		}
	})
}

// Every spec field lands on one of the form's fields.
func FuzzFormField(f *testing.F) {
	for _, s := range []string{"", "token", "Authorization", "module", "inputs[0].source", "matrix.lr[2]", "name", "files", "spec"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, field string) {
		switch got := formField(field); got {
		case fieldToken, fieldSpec, fieldFiles, fieldForm:
			if field == "" && got != fieldForm {
				t.Fatalf("no field went to %s", got)
			}
		default:
			t.Fatalf("%q went to unknown form field %q", field, got)
		}
	})
}

func TestFormFieldMapping(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "form", "token": "token", "Authorization": "token", "module": "files",
		"inputs[3].source": "files", "matrix.lr[2]": "spec", "maxPrice": "spec"} {
		if got := formField(in); got != want {
			t.Errorf("formField(%q) = %q, want %q", in, got, want)
		}
	}
}
