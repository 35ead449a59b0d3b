package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
)

// Client calls a market's HTTP API. Every error it returns is an
// *bonfire.Error or bonfire.Errors: the market's own when it answered with
// one, otherwise one describing the transport failure. It is safe for
// concurrent use.
type Client struct {
	base  *url.URL
	hc    *http.Client
	token string
	key   *identity.Key
	now   func() time.Time
}

// ClientOption configures a Client.
type ClientOption func(*Client)

// WithToken authenticates with the market's bearer token. The market
// accepts it only from its own machine.
func WithToken(token string) ClientOption { return func(c *Client) { c.token = token } }

// WithKey signs every request that needs authentication with k.
func WithKey(k *identity.Key) ClientOption { return func(c *Client) { c.key = k } }

// WithHTTPClient replaces http.DefaultClient, e.g. to set timeouts.
func WithHTTPClient(hc *http.Client) ClientOption { return func(c *Client) { c.hc = hc } }

// NewClient returns a client of the market at baseURL ("http://host:port").
func NewClient(baseURL string, opts ...ClientOption) (*Client, error) {
	u, err := url.Parse(strings.TrimSuffix(strings.TrimSpace(baseURL), "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "market URL %q is not an http(s) URL", truncateText(baseURL)).
			WithField("market").WithHint("give the market as http://host:port")
	}
	c := &Client{base: u, hc: http.DefaultClient, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// call is one API request. body is sent as is and, for authenticated
// calls, signed; out receives the JSON of a 2xx answer.
type call struct {
	method string
	path   string // below the base URL, already escaped
	query  url.Values
	body   []byte
	auth   bool
	want   int // expected status; 0 means 200
	out    any
}

func (c *Client) do(ctx context.Context, k call) error {
	req, err := c.newRequest(ctx, k.method, k.path, k.query, bytes.NewReader(k.body))
	if err != nil {
		return err
	}
	if k.body != nil {
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = int64(len(k.body))
	}
	if k.auth {
		if err := c.authorize(req, k.body); err != nil {
			return err
		}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return transportError(ctx, c.base, err)
	}
	defer resp.Body.Close()
	want := k.want
	if want == 0 {
		want = http.StatusOK
	}
	if resp.StatusCode != want {
		return decodeError(resp)
	}
	if k.out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(k.out); err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "cannot read the market's answer to %s %s: %v", k.method, k.path, err).
			WithHint("the client and the market may be different versions; compare `bonfire version` with GET /v1/version")
	}
	return nil
}

func (c *Client) newRequest(ctx context.Context, method, path string, query url.Values, body io.Reader) (*http.Request, error) {
	u := *c.base
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawPath = ""
	if p, err := url.PathUnescape(u.Path); err == nil {
		u.RawPath = u.Path
		u.Path = p
	}
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot build request %s %s: %v", method, path, err).
			WithHint("check the market URL")
	}
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// authorize adds the token or signs; with neither it sends nothing, and the
// market's 401 carries the hint.
func (c *Client) authorize(req *http.Request, body []byte) error {
	switch {
	case c.token != "":
		req.Header.Set("Authorization", "Bearer "+c.token)
	case c.key != nil:
		if err := identity.SignRequest(req, body, c.key, c.now()); err != nil {
			return err
		}
	}
	return nil
}

// transportError describes a request that got no HTTP answer.
func transportError(ctx context.Context, base *url.URL, err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded:
		return bonfire.Errorf(bonfire.ECodeTimeout, "the market at %s did not answer in time", base).
			WithHint("retry, or allow more time")
	case errors.Is(err, context.Canceled):
		return bonfire.Errorf(bonfire.ECodeCancelled, "request to the market at %s was cancelled", base)
	}
	return bonfire.Errorf(bonfire.ECodeUnavailable, "cannot reach the market at %s: %v", base, err).
		WithHint("check that the market is running and that --market is right")
}

// maxErrorBody bounds how much of an error answer the client reads.
const maxErrorBody = 1 << 20

// decodeError turns a non-2xx answer into the market's own error: the
// ErrorBody list as bonfire.Errors, or its single error. A body that is not
// an ErrorBody (a proxy's page, a HEAD answer) becomes an error of the code
// the status stands for.
func decodeError(resp *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var body ErrorBody
	if json.Unmarshal(raw, &body) == nil {
		if len(body.Errors) > 0 && !hasNil(body.Errors) {
			return bonfire.Errors(body.Errors)
		}
		if body.Error != nil && body.Error.Code != "" {
			return body.Error
		}
	}
	code := codeOf(resp.StatusCode)
	msg := fmt.Sprintf("the market answered %s", resp.Status)
	if text := strings.TrimSpace(string(raw)); text != "" && utf8Printable(text) {
		msg += ": " + truncateText(text)
	}
	e := bonfire.Errorf(code, "%s", msg)
	if code == bonfire.ECodeNotFound || code == bonfire.ECodeInternal {
		e.Hint = "check that --market names a Bonfire market and that it runs this client's version"
	}
	return e
}

func hasNil(es []*bonfire.Error) bool {
	for _, e := range es {
		if e == nil {
			return true
		}
	}
	return false
}

// primaryCode is the code a status stands for when an answer has no JSON
// body (a proxy's error page): the general meaning of each status in
// errors.go's statusOf.
var primaryCode = map[int]bonfire.ErrorCode{
	http.StatusBadRequest:            bonfire.ECodeInvalid,
	http.StatusUnauthorized:          bonfire.ECodeUnauthorized,
	http.StatusForbidden:             bonfire.ECodeForbidden,
	http.StatusNotFound:              bonfire.ECodeNotFound,
	http.StatusConflict:              bonfire.ECodeConflict,
	http.StatusRequestEntityTooLarge: bonfire.ECodeTooLarge,
	http.StatusUnprocessableEntity:   bonfire.ECodeInvalid,
	http.StatusServiceUnavailable:    bonfire.ECodeUnavailable,
	http.StatusGatewayTimeout:        bonfire.ECodeTimeout,
	http.StatusInternalServerError:   bonfire.ECodeInternal,
}

// codeOf keeps the meaning of a bodiless answer.
func codeOf(status int) bonfire.ErrorCode {
	if code, ok := primaryCode[status]; ok {
		return code
	}
	switch {
	case status == http.StatusMethodNotAllowed || (status >= 400 && status < 500):
		return bonfire.ECodeInvalid
	case status == http.StatusBadGateway:
		return bonfire.ECodeUnavailable
	}
	return bonfire.ECodeInternal
}

func utf8Printable(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' || (r < 0x20 && r != '\n' && r != '\t' && r != '\r') {
			return false
		}
	}
	return true
}

// SubmitJob submits a resolved spec as the client's identity.
func (c *Client) SubmitJob(ctx context.Context, spec *bonfire.JobSpec) (*bonfire.Job, error) {
	body, err := json.Marshal(spec)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot encode the job spec: %v", err)
	}
	var job bonfire.Job
	if err := c.do(ctx, call{method: http.MethodPost, path: "/v1/jobs", body: body, auth: true, want: http.StatusCreated, out: &job}); err != nil {
		return nil, err
	}
	return &job, nil
}

// Jobs lists jobs matching f, one page of at most f.Limit (0: the server's
// default page). Continue with f.After set to the last job's ID.
func (c *Client) Jobs(ctx context.Context, f bonfire.JobFilter) ([]*bonfire.Job, error) {
	q := url.Values{}
	if f.Owner != "" {
		q.Set("owner", string(f.Owner))
	}
	if len(f.States) > 0 {
		q.Set("state", joinStates(f.States))
	}
	if f.Limit != 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	if f.After != "" {
		q.Set("after", f.After)
	}
	var list JobList
	if err := c.do(ctx, call{method: http.MethodGet, path: "/v1/jobs", query: q, out: &list}); err != nil {
		return nil, err
	}
	return list.Jobs, nil
}

// Job returns one job.
func (c *Client) Job(ctx context.Context, id string) (*bonfire.Job, error) {
	if err := requireID("job ID", "jobId", id); err != nil {
		return nil, err
	}
	var job bonfire.Job
	if err := c.do(ctx, call{method: http.MethodGet, path: "/v1/jobs/" + pathID(id), out: &job}); err != nil {
		return nil, err
	}
	return &job, nil
}

// Tasks lists the tasks of job f.JobID, one page of at most f.Limit.
// Continue with f.From set to the last task's index + 1.
func (c *Client) Tasks(ctx context.Context, f bonfire.TaskFilter) ([]*bonfire.Task, error) {
	if err := requireID("job ID", "jobId", f.JobID); err != nil {
		return nil, err
	}
	q := url.Values{}
	if len(f.States) > 0 {
		q.Set("state", joinStates(f.States))
	}
	if f.Limit != 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	if f.From != 0 {
		q.Set("from", strconv.Itoa(f.From))
	}
	var list TaskList
	if err := c.do(ctx, call{method: http.MethodGet, path: "/v1/jobs/" + pathID(f.JobID) + "/tasks", query: q, out: &list}); err != nil {
		return nil, err
	}
	return list.Tasks, nil
}

// CancelJob cancels a job the client's identity owns.
func (c *Client) CancelJob(ctx context.Context, id string) (*bonfire.Job, error) {
	if err := requireID("job ID", "jobId", id); err != nil {
		return nil, err
	}
	if err := requireID("job ID", "jobId", id); err != nil {
		return nil, err
	}
	var job bonfire.Job
	if err := c.do(ctx, call{method: http.MethodPost, path: "/v1/jobs/" + pathID(id) + "/cancel", auth: true, out: &job}); err != nil {
		return nil, err
	}
	return &job, nil
}

// JobResults returns the outcome of a job the client's identity owns.
func (c *Client) JobResults(ctx context.Context, id string) (*bonfire.JobResults, error) {
	if err := requireID("job ID", "jobId", id); err != nil {
		return nil, err
	}
	var res bonfire.JobResults
	if err := c.do(ctx, call{method: http.MethodGet, path: "/v1/jobs/" + pathID(id) + "/results", auth: true, out: &res}); err != nil {
		return nil, err
	}
	return &res, nil
}

// TaskLogs returns the log chunks of one attempt of a task (0: the latest).
func (c *Client) TaskLogs(ctx context.Context, taskID string, attempt int) ([]*bonfire.LogChunk, error) {
	if err := requireID("task ID", "taskId", taskID); err != nil {
		return nil, err
	}
	q := url.Values{}
	if attempt != 0 {
		q.Set("attempt", strconv.Itoa(attempt))
	}
	var list LogList
	if err := c.do(ctx, call{method: http.MethodGet, path: "/v1/tasks/" + pathID(taskID) + "/logs", query: q, auth: true, out: &list}); err != nil {
		return nil, err
	}
	return list.Logs, nil
}

// TaskHistory returns a task's events (see bonfire.ResultService).
func (c *Client) TaskHistory(ctx context.Context, taskID string) ([]*bonfire.TaskEvent, error) {
	if err := requireID("task ID", "taskId", taskID); err != nil {
		return nil, err
	}
	var list EventList
	if err := c.do(ctx, call{method: http.MethodGet, path: "/v1/tasks/" + pathID(taskID) + "/events", auth: true, out: &list}); err != nil {
		return nil, err
	}
	return list.Events, nil
}

// Providers lists the providers the market knows.
func (c *Client) Providers(ctx context.Context) ([]*bonfire.Provider, error) {
	var list ProviderList
	if err := c.do(ctx, call{method: http.MethodGet, path: "/v1/providers", out: &list}); err != nil {
		return nil, err
	}
	return list.Providers, nil
}

// Version returns the market's API and build version.
func (c *Client) Version(ctx context.Context) (*VersionInfo, error) {
	var v VersionInfo
	if err := c.do(ctx, call{method: http.MethodGet, path: "/v1/version", out: &v}); err != nil {
		return nil, err
	}
	return &v, nil
}

func joinStates[S ~string](states []S) string {
	parts := make([]string, len(states))
	for i, s := range states {
		parts[i] = string(s)
	}
	return strings.Join(parts, ",")
}

// pathID escapes an ID as one path segment, so an ID can never climb to
// another route.
func pathID(id string) string { return url.PathEscape(id) }

func requireID(what, field, id string) error {
	if strings.TrimSpace(id) == "" {
		return bonfire.Errorf(bonfire.ECodeInvalid, "no %s given", what).WithField(field).
			WithHint("name the " + what + " (see `bonfire jobs`)")
	}
	return nil
}
