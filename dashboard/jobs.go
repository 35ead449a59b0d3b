package dashboard

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// jobsData is the jobs list.
type jobsData struct {
	Jobs   []*bonfire.Job
	Query  jobQuery
	State  string // the state filter as typed
	States []bonfire.JobState
	Next   string // the URL of the next page; empty on the last
	M      money
}

// jobsScan bounds how many jobs one list page reads while the text filter
// looks for matches.
const jobsScan = 5000

func (d *Dashboard) jobList(w http.ResponseWriter, r *http.Request) {
	q, err := parseJobQuery(r.URL.Query())
	if err != nil {
		d.fail(w, r, err)
		return
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	data := jobsData{Query: q, State: r.URL.Query().Get("state"), States: jobStates}
	if d.cfg.Money != nil {
		data.M = moneyOf(d.cfg.Money.Settlement())
	}
	after, scanned, more := q.After, 0, false
scan:
	for {
		batch, err := d.cfg.Jobs.Jobs(ctx, bonfire.JobFilter{States: q.States, After: after, Limit: 200})
		if err != nil {
			d.fail(w, r, err)
			return
		}
		for _, j := range batch {
			if len(data.Jobs) == q.Limit {
				more = true
				break scan
			}
			after, scanned = j.ID, scanned+1
			if q.matches(j) {
				data.Jobs = append(data.Jobs, j)
			}
		}
		if len(batch) < 200 {
			break
		}
		if scanned >= jobsScan {
			more = true
			break
		}
	}
	if more && after != "" {
		v := r.URL.Query()
		v.Set("after", after)
		data.Next = Prefix + "jobs?" + v.Encode()
	}
	d.render(w, r, "jobs", "Jobs", data)
}

// cell is one task in the grid.
type cell struct {
	Index int
	Class string
	State bonfire.TaskState
}

// jobData is a job page: its counts for the whole job and one page of
// its task grid.
type jobData struct {
	Job      *bonfire.Job
	Bar      []stateCount
	Cells    []cell
	Page     int
	Pages    []int
	PageSize int
	M        money
	Charged  string
	Budget   string
}

func (d *Dashboard) jobPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageCtx(r)
	defer cancel()
	job, err := d.cfg.Jobs.Job(ctx, r.PathValue("id"))
	if err != nil {
		d.fail(w, r, err)
		return
	}
	pages := (job.TaskCount + GridPage - 1) / GridPage
	pg, err := parseGridPage(r.URL.Query().Get("page"), pages)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	cells, err := d.gridCells(r, job.ID, pg)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	data := jobData{Job: job, Bar: countBar(job.Counts, job.TaskCount), Cells: cells, Page: pg, PageSize: GridPage}
	if pages > 1 {
		data.Pages = make([]int, pages)
		for i := range data.Pages {
			data.Pages[i] = i
		}
	}
	if d.cfg.Money != nil {
		data.M = moneyOf(d.cfg.Money.Settlement())
	}
	data.Charged, data.Budget = data.M.U(job.Charged), data.M.U(job.Budget)
	d.render(w, r, "job", "Job "+job.ID, data)
}

// gridCells reads one page of a job's tasks as grid cells.
func (d *Dashboard) gridCells(r *http.Request, jobID string, pg int) ([]cell, error) {
	tasks, err := d.cfg.Jobs.Tasks(r.Context(), bonfire.TaskFilter{JobID: jobID, From: pg * GridPage, Limit: GridPage})
	if err != nil {
		return nil, err
	}
	cells := make([]cell, 0, len(tasks))
	for _, t := range tasks {
		if t.Index >= (pg+1)*GridPage {
			break
		}
		cells = append(cells, cell{Index: t.Index, Class: stateClass(t.State), State: t.State})
	}
	return cells, nil
}

// taskData is a task page.
type taskData struct {
	Task      *bonfire.Task
	Job       *bonfire.Job
	Logs      []*bonfire.LogChunk
	LogsError *bonfire.Error
	History   []*bonfire.TaskEvent // empty when the logs could not be read either
	Charge    string
}

func (d *Dashboard) taskPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageCtx(r)
	defer cancel()
	id := r.PathValue("id")
	jobID, idx, err := splitTaskID(id)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	job, err := d.cfg.Jobs.Job(ctx, jobID)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	ts, err := d.cfg.Jobs.Tasks(ctx, bonfire.TaskFilter{JobID: jobID, From: idx, Limit: 1})
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if len(ts) == 0 || ts[0].Index != idx {
		d.fail(w, r, bonfire.Errorf(bonfire.ECodeNotFound, "job %s has no task %d", jobID, idx).WithField("task").
			WithHint("the job has "+strconv.Itoa(job.TaskCount)+" tasks, numbered from 0"))
		return
	}
	data := taskData{Task: ts[0], Job: job}
	if d.cfg.Money != nil {
		data.Charge = moneyOf(d.cfg.Money.Settlement()).U(ts[0].Charge)
	}
	if d.cfg.Results != nil {
		who, err := d.caller(r, "")
		if err == nil {
			data.Logs, err = d.cfg.Results.TaskLogs(ctx, who, id, 0)
		}
		if err == nil {
			data.History, err = d.cfg.Results.TaskHistory(ctx, who, id)
		}
		if err != nil {
			data.LogsError = problem(err, "logs")
		}
	}
	d.render(w, r, "task", "Task "+id, data)
}

// splitTaskID reads "<job>.<index>".
func splitTaskID(id string) (string, int, error) {
	jobID, ok := bonfire.JobOfTask(id)
	bad := bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a task ID", clip(id)).WithField("task").
		WithHint("task IDs are <job ID>.<index>, as the job page links them")
	if !ok {
		return "", 0, bad
	}
	idx, err := strconv.Atoi(id[len(jobID)+1:])
	if err != nil || idx < 0 {
		return "", 0, bad
	}
	return jobID, idx, nil
}

// rankingData is a sweep's ranking.
type rankingData struct {
	Job     *bonfire.Job
	Ranking []bonfire.RankEntry
	Chart   any
	Metric  string
}

// rankingChartRows is how many configurations the bar chart shows.
const rankingChartRows = 40

func (d *Dashboard) ranking(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageCtx(r)
	defer cancel()
	if d.cfg.Results == nil {
		d.fail(w, r, bonfire.Errorf(bonfire.ECodeUnavailable, "this dashboard cannot read results").WithHint("report this to the market's operator"))
		return
	}
	who, err := d.caller(r, "")
	if err != nil {
		d.fail(w, r, err)
		return
	}
	res, err := d.cfg.Results.JobResults(ctx, who, r.PathValue("id"))
	if err != nil {
		d.fail(w, r, err)
		return
	}
	data := rankingData{Job: res.Job, Ranking: res.Ranking}
	if s := res.Job.Spec.Summary; s != nil {
		data.Metric = s.Metric
	}
	bars := make([]bar, 0, min(len(res.Ranking), rankingChartRows))
	for _, e := range res.Ranking[:min(len(res.Ranking), rankingChartRows)] {
		bars = append(bars, bar{Label: paramsText(e.Params, e.TaskID), Value: e.Metric})
	}
	data.Chart = barChart(data.Metric+" by configuration", bars, func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) })
	d.render(w, r, "ranking", "Ranking of "+res.Job.ID, data)
}

// paramsText writes a configuration as "hidden=64 lr=0.05", or the task
// ID when it has no parameters.
func paramsText(p map[string]string, taskID string) string {
	if len(p) == 0 {
		return taskID
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + p[k]
	}
	return strings.Join(parts, " ")
}

func (d *Dashboard) cancelJob(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		d.fail(w, r, bonfire.Errorf(bonfire.ECodeInvalid, "the cancel form is unreadable: %v", err))
		return
	}
	who, err := d.caller(r, r.PostFormValue("token"))
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if tok := r.PostFormValue("token"); tok != "" {
		rememberToken(w, tok)
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	job, err := d.cfg.Jobs.CancelJob(ctx, who, r.PathValue("id"))
	if err != nil {
		d.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Prefix+"jobs/"+url.PathEscape(job.ID), http.StatusSeeOther)
}
