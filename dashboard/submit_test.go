package dashboard

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

const goodSpec = `apiVersion: bonfire/v1
kind: Job
name: tiny-sweep
executor: wasm
module: ../bin/tiny.wasm
args: ["-lr", "{{.lr}}"]
inputs:
  - source: ../data/in.txt
    path: /data/in.txt
outputs: /out
resources: {cpu: 1, memory: 64Mi}
matrix:
  lr: [0.1, 0.2]
timeout: 1m
maxPrice: 10
summary: {file: m.json, metric: accuracy, order: desc}
`

// upload is one submit form.
type upload struct {
	token    string
	spec     string            // as an attached file
	specText string            // pasted
	files    map[string]string // attached name → content
}

func (h *harness) submit(t *testing.T, u upload) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("token", u.token)
	if u.specText != "" {
		_ = mw.WriteField("specText", u.specText)
	}
	if u.spec != "" {
		fw, _ := mw.CreateFormFile("spec", "job.yaml")
		_, _ = fw.Write([]byte(u.spec))
	}
	for name, content := range u.files {
		fw, _ := mw.CreateFormFile("files", name)
		_, _ = fw.Write([]byte(content))
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/dashboard/submit", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.RemoteAddr = "127.0.0.1:5000"
	w := httptest.NewRecorder()
	h.d.ServeHTTP(w, r)
	return w
}

// section is the HTML of one form field's fieldset.
func section(t *testing.T, body, field string) string {
	t.Helper()
	i := strings.Index(body, `id="field-`+field+`"`)
	if i < 0 {
		t.Fatalf("no field %s in:\n%s", field, body)
	}
	rest := body[i:]
	return rest[:strings.Index(rest, "</fieldset>")]
}

func TestSubmitResolvesTheSpecAgainstTheUploadedFiles(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	files := map[string]string{"tiny.wasm": "\x00asm module bytes", "in.txt": "input data"}
	w := h.submit(t, upload{token: testToken, spec: goodSpec, files: files})
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/dashboard/jobs/job") {
		t.Fatalf("submit: %d %s\n%s", w.Code, w.Header().Get("Location"), clipBody(w.Body))
	}
	if c := w.Result().Cookies(); len(c) != 1 || c[0].Name != tokenCookie || !c[0].HttpOnly {
		t.Fatalf("cookies %v, want the token kept HttpOnly", c)
	}
	spec := h.m.submitted[0]
	if spec.Module != string(bonfire.DigestOf([]byte(files["tiny.wasm"]))) {
		t.Fatalf("module %q, want the uploaded module's digest", spec.Module)
	}
	in := spec.Inputs[0]
	if in.Source != "../data/in.txt" || len(in.Files) != 1 || in.Files[0].Digest != bonfire.DigestOf([]byte("input data")) || in.Files[0].Size != 10 {
		t.Fatalf("input %+v, want the uploaded file by digest under its spec source", in)
	}
	if len(h.blobs.blobs) != 2 {
		t.Fatalf("%d blobs stored, want 2", len(h.blobs.blobs))
	}

	// Pasted text works as well as a file.
	w = h.submit(t, upload{token: testToken, specText: goodSpec, files: files})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("pasted spec: %d\n%s", w.Code, clipBody(w.Body))
	}
}

func TestSubmitShowsEveryProblemNextToItsField(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	files := map[string]string{"tiny.wasm": "m", "in.txt": "d"}

	// No token: the token field says so.
	w := h.submit(t, upload{spec: goodSpec, files: files})
	wantBody(t, w, http.StatusUnauthorized)
	if len(w.Result().Cookies()) != 0 {
		t.Error("a missing token set a cookie")
	}
	if s := section(t, w.Body.String(), "token"); !strings.Contains(s, "this needs your API token") || !strings.Contains(s, "paste the token") {
		t.Fatalf("token field:\n%s", s)
	}
	w = h.submit(t, upload{token: "nope", spec: goodSpec, files: files})
	if s := section(t, w.Body.String(), "token"); w.Code != http.StatusUnauthorized || !strings.Contains(s, "does not match") {
		t.Fatalf("wrong token: %d\n%s", w.Code, s)
	}

	// Spec problems go to the spec field with their spec path and hint.
	bad := strings.Replace(goodSpec, "lr: [0.1, 0.2]", "rate: [0.1]", 1)
	bad = strings.Replace(bad, "name: tiny-sweep", "name: Bad_Name", 1)
	w = h.submit(t, upload{token: testToken, spec: bad, files: files})
	s := section(t, w.Body.String(), "spec")
	if w.Code != http.StatusBadRequest || !strings.Contains(s, "<code>name</code>") || !strings.Contains(s, "<code>args[1]</code>") ||
		!strings.Contains(s, `class="hint"`) {
		t.Fatalf("bad spec: %d\n%s", w.Code, s)
	}
	if !strings.Contains(w.Body.String(), "Bad_Name") {
		t.Error("the form lost the spec text")
	}
	if c := w.Result().Cookies(); len(c) != 1 || c[0].Value != testToken || !strings.Contains(w.Body.String(), "kept from last time") {
		t.Errorf("a good token with a bad spec: cookies %v; want it kept", c)
	}

	// A file the spec names and the form lacks goes to the files field.
	w = h.submit(t, upload{token: testToken, spec: goodSpec, files: map[string]string{"in.txt": "d"}})
	s = section(t, w.Body.String(), "files")
	if w.Code != http.StatusBadRequest || !strings.Contains(s, "<code>module</code>") || !strings.Contains(s, "add tiny.wasm to the files field") {
		t.Fatalf("missing module: %d\n%s", w.Code, s)
	}
	w = h.submit(t, upload{token: testToken, spec: goodSpec, files: map[string]string{"tiny.wasm": "m"}})
	if s := section(t, w.Body.String(), "files"); !strings.Contains(s, "<code>inputs[0].source</code>") {
		t.Fatalf("missing input:\n%s", s)
	}

	// No spec at all.
	w = h.submit(t, upload{token: testToken, files: files})
	if s := section(t, w.Body.String(), "spec"); w.Code != http.StatusBadRequest || !strings.Contains(s, "no job spec was given") {
		t.Fatalf("no spec: %d\n%s", w.Code, s)
	}

	// The market's own refusal keeps its code, field and hint.
	rich := strings.Replace(goodSpec, "maxPrice: 10", "maxPrice: 2000000", 1)
	w = h.submit(t, upload{token: testToken, spec: rich, files: files})
	if s := section(t, w.Body.String(), "spec"); w.Code != http.StatusPaymentRequired || !strings.Contains(s, "escrow cannot cover") || !strings.Contains(s, "deposit more") {
		t.Fatalf("refused: %d\n%s", w.Code, s)
	}
	if len(h.m.submitted) != 0 {
		t.Fatalf("%d jobs submitted by bad forms", len(h.m.submitted))
	}

	// Not multipart at all.
	r := httptest.NewRequest("POST", "/dashboard/submit", strings.NewReader("x=1"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = "127.0.0.1:1"
	rec := httptest.NewRecorder()
	h.d.ServeHTTP(rec, r)
	wantBody(t, rec, http.StatusBadRequest, "not a multipart upload")
}

func TestSubmitRefusesTooLargeUploads(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.MaxUploadBytes = 1024 })
	w := h.submit(t, upload{token: testToken, spec: goodSpec, files: map[string]string{"tiny.wasm": strings.Repeat("x", 4096), "in.txt": "d"}})
	if s := section(t, w.Body.String(), "files"); w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(s, "larger than 1.0 KiB") {
		t.Fatalf("too large: %d\n%s", w.Code, s)
	}
}
