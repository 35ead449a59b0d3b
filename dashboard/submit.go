package dashboard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/jobspec"
)

// The submit form's fields. Every problem is shown next to one of them.
const (
	fieldToken = "token" // the owner's API token
	fieldSpec  = "spec"  // the job YAML, as a file or pasted text
	fieldFiles = "files" // the module and input files the spec names
	fieldForm  = "form"  // problems of the whole request
)

// formField is the form field a problem belongs to: token problems to the
// token, the module and inputs (the files the spec names) to the files,
// other spec fields ("matrix.lr[2]") to the spec, the rest to the form.
func formField(specField string) string {
	switch f := strings.ToLower(specField); {
	case f == "":
		return fieldForm
	case f == fieldToken || f == "authorization":
		return fieldToken
	case f == fieldFiles || f == "module" || strings.HasPrefix(f, "module.") || strings.HasPrefix(f, "inputs"):
		return fieldFiles
	case f == fieldSpec:
		return fieldSpec
	}
	return fieldSpec
}

// submitData is the submit form, with what was typed and every problem
// keyed by form field.
type submitData struct {
	SpecText  string
	HaveToken bool
	Problems  map[string][]*bonfire.Error
}

func (d *Dashboard) submitForm(w http.ResponseWriter, r *http.Request) {
	_, err := r.Cookie(tokenCookie)
	d.render(w, r, "submit", "Submit a job", submitData{HaveToken: err == nil})
}

// submit resolves the uploaded spec against the uploaded files, the way
// `bonfire job run` resolves a spec against its directory, and submits it
// as the token's owner.
func (d *Dashboard) submit(w http.ResponseWriter, r *http.Request) {
	data := submitData{}
	_, cerr := r.Cookie(tokenCookie)
	data.HaveToken = cerr == nil
	job, err := d.submitJob(w, r, &data)
	if err != nil {
		data.Problems = map[string][]*bonfire.Error{}
		ps := d.problems(r, err)
		for _, e := range ps {
			f := formField(e.Field)
			data.Problems[f] = append(data.Problems[f], e)
		}
		d.renderStatus(w, r, httpapi.Status(ps[0]), "submit", "Submit a job", data)
		return
	}
	http.Redirect(w, r, Prefix+"jobs/"+url.PathEscape(job.ID), http.StatusSeeOther)
}

func (d *Dashboard) submitJob(w http.ResponseWriter, r *http.Request, data *submitData) (*bonfire.Job, error) {
	r.Body = http.MaxBytesReader(w, r.Body, d.cfg.MaxUploadBytes)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, bonfire.Errorf(bonfire.ECodeTooLarge, "the upload is larger than %s", formatBytes(d.cfg.MaxUploadBytes)).
				WithField(fieldFiles).WithHint("upload large inputs with the CLI (bonfire job run) or name them by digest")
		}
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "the form is not a multipart upload: %v", err).
			WithHint("submit it from the dashboard's Submit page")
	}
	defer r.MultipartForm.RemoveAll()
	if d.cfg.Blobs == nil {
		return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "this dashboard cannot store uploads").
			WithHint("submit with the CLI (bonfire job run); report this to the market's operator")
	}
	raw, err := specBytes(r.MultipartForm)
	data.SpecText = string(raw)
	if err != nil {
		return nil, err
	}
	owner, err := d.caller(r, r.PostFormValue("token"))
	if err != nil {
		return nil, err
	}
	if tok := r.PostFormValue("token"); tok != "" {
		rememberToken(w, tok) // a good token is kept even when the spec is not
		data.HaveToken = true
	}
	spec, err := jobspec.Parse(raw)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "bonfire-submit-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := placeFiles(spec, r.MultipartForm.File[fieldFiles], dir); err != nil {
		return nil, err
	}
	sources := make([]string, len(spec.Inputs))
	for i, in := range spec.Inputs {
		sources[i] = in.Source
		if in.Source != "" && !bonfire.IsDigest(in.Source) {
			spec.Inputs[i].Source = path.Base(filepath.ToSlash(in.Source))
		}
	}
	module := spec.Module
	if spec.Executor == bonfire.ExecutorWASM && module != "" && !bonfire.IsDigest(module) {
		spec.Module = path.Base(filepath.ToSlash(module))
	}
	if err := jobspec.Resolve(ctx, spec, dir, blobUploader{d.cfg.Blobs, d.cfg.MaxUploadBytes}); err != nil {
		return nil, err
	}
	for i := range spec.Inputs {
		spec.Inputs[i].Source = sources[i]
	}
	return d.cfg.Jobs.SubmitJob(ctx, owner, spec)
}

// specBytes is the spec YAML: the uploaded file, else the pasted text.
func specBytes(f *multipart.Form) ([]byte, error) {
	if fhs := f.File[fieldSpec]; len(fhs) > 0 && fhs[0].Size > 0 {
		if len(fhs) > 1 {
			return nil, bonfire.Errorf(bonfire.ECodeInvalid, "%d spec files were attached", len(fhs)).WithField(fieldSpec).
				WithHint("attach one job YAML; its module and inputs go in the files field")
		}
		fh, err := fhs[0].Open()
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		return io.ReadAll(io.LimitReader(fh, jobspec.MaxSpecBytes+1))
	}
	if t := strings.TrimSpace(strings.Join(f.Value["specText"], "")); t != "" {
		return []byte(t), nil
	}
	return nil, bonfire.Errorf(bonfire.ECodeInvalid, "no job spec was given").WithField(fieldSpec).
		WithHint("attach the job's YAML file (such as examples/digits-sweep/job.yaml) or paste it")
}

// placeFiles writes each uploaded file the spec names into dir under its
// base name. A spec names local files by paths relative to itself
// ("../bin/sweep.wasm"); a browser sends only base names, so a file
// matches a path by its base name. Every file the spec needs and lacks is
// reported against its spec field.
func placeFiles(spec *bonfire.JobSpec, files []*multipart.FileHeader, dir string) error {
	byName := map[string]*multipart.FileHeader{}
	var errs bonfire.Errors
	for _, fh := range files {
		name := path.Base(filepath.ToSlash(fh.Filename))
		if name == "." || name == "/" || name == ".." || name == "" {
			continue
		}
		if _, dup := byName[name]; dup {
			errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "two attached files are named %s", name).WithField(fieldFiles).
				WithHint("attach each file once; files are matched to the spec by name"))
		}
		byName[name] = fh
	}
	need := map[string]bool{}
	want := func(field, p string) {
		name := path.Base(filepath.ToSlash(p))
		if byName[name] == nil {
			errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "the spec names %s but no file %s was attached", p, name).WithField(field).
				WithHint(fmt.Sprintf("add %s to the files field (directories: use the CLI, or name the input by digest)", name)))
			return
		}
		need[name] = true
	}
	if spec.Executor == bonfire.ExecutorWASM && spec.Module != "" && !bonfire.IsDigest(spec.Module) {
		want("module", spec.Module)
	}
	for i, in := range spec.Inputs {
		if len(in.Files) == 0 && in.Source != "" && !bonfire.IsDigest(in.Source) {
			want(fmt.Sprintf("inputs[%d].source", i), in.Source)
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	for name := range need {
		if err := saveUpload(byName[name], filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

func saveUpload(fh *multipart.FileHeader, dst string) error {
	src, err := fh.Open()
	if err != nil {
		return err
	}
	defer src.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, src); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// blobUploader stores resolved files in the market's blob store.
type blobUploader struct {
	blobs bonfire.BlobStore
	max   int64
}

func (u blobUploader) Upload(ctx context.Context, p string) (bonfire.Digest, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	return u.blobs.Put(ctx, f, "", u.max)
}
