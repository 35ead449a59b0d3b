package jobspec

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/bonfirenet/bonfire"
)

// Uploader stores a local file as a blob and returns its digest and size.
// The CLI implements it against the market's blob API.
type Uploader interface {
	Upload(ctx context.Context, path string) (bonfire.Digest, int64, error)
}

const pathHint = "check the path; relative paths are relative to the spec file's directory"

// localFile is one file to upload and the name it gets inside its input.
type localFile struct {
	name string
	path string
}

// inputPlan is what one input resolves to: local files to upload, or refs
// already known (a digest source or an already resolved input).
type inputPlan struct {
	local []localFile
	refs  []bonfire.FileRef
}

// Resolve replaces the local module path of a wasm spec by the module's
// digest and fills every input's Files, uploading what is local through up.
// Relative paths are relative to baseDir. A source that is a file becomes
// one FileRef with an empty Name; a directory becomes one FileRef per
// regular file below it, named by its slash-separated relative path and
// sorted. Symlinks inside a directory are followed when they lead to a
// regular file inside it and skipped otherwise; other special files are an
// error. A "sha256:…" source becomes one FileRef of that digest with size 0,
// which the market fills in.
//
// Inputs that already list Files and a module already named by digest are
// left as they are, so resolving twice is harmless. Every local problem is
// reported (as bonfire.Errors) before anything is uploaded, and spec is
// changed only when everything succeeded.
func Resolve(ctx context.Context, spec *bonfire.JobSpec, baseDir string, up Uploader) error {
	if spec == nil || up == nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "jobspec.Resolve needs a spec and an uploader")
	}
	c := &checker{}
	modulePath := ""
	if spec.Executor == bonfire.ExecutorDocker && localImagePath(spec.Module) {
		modulePath = localPath(baseDir, spec.Module)
		switch fi, err := os.Stat(modulePath); {
		case err != nil:
			c.add("image", pathHint, "%s: %s", spec.Module, osErrText(err))
		case !fi.Mode().IsRegular():
			c.add("image", "name the docker save archive (.tar) itself", "%s is not a regular file", spec.Module)
		}
	}
	if spec.Executor == bonfire.ExecutorWASM && spec.Module != "" && !bonfire.IsDigest(spec.Module) {
		modulePath = localPath(baseDir, spec.Module)
		switch fi, err := os.Stat(modulePath); {
		case err != nil:
			c.add("module", pathHint, "%s: %s", spec.Module, osErrText(err))
		case !fi.Mode().IsRegular():
			c.add("module", "name the .wasm file itself", "%s is not a regular file", spec.Module)
		}
	}
	plans := make([]inputPlan, len(spec.Inputs))
	for i, in := range spec.Inputs {
		plans[i] = planInput(c, fmt.Sprintf("inputs[%d].source", i), in, baseDir)
	}
	if len(c.errs) > 0 {
		return c.errs
	}

	uploaded := map[string]bonfire.FileRef{}
	upload := func(field, shown, path string) (bonfire.FileRef, error) {
		if ref, ok := uploaded[path]; ok {
			return ref, nil
		}
		d, size, err := up.Upload(ctx, path)
		if err != nil {
			return bonfire.FileRef{}, uploadError(field, shown, err)
		}
		if verr := d.Validate(); verr != nil {
			return bonfire.FileRef{}, bonfire.Errorf(bonfire.ECodeInternal, "uploading %s: the store returned a bad digest: %v", shown, verr).WithField(field)
		}
		ref := bonfire.FileRef{Digest: d, Size: size}
		uploaded[path] = ref
		return ref, nil
	}

	module := spec.Module
	if modulePath != "" {
		field := "module"
		if spec.Executor == bonfire.ExecutorDocker {
			field = "image"
		}
		ref, err := upload(field, spec.Module, modulePath)
		if err != nil {
			return err
		}
		module = string(ref.Digest)
	}
	files := make([][]bonfire.FileRef, len(spec.Inputs))
	for i, plan := range plans {
		files[i] = plan.refs
		for _, lf := range plan.local {
			shown := spec.Inputs[i].Source
			if lf.name != "" {
				shown = filepath.Join(shown, filepath.FromSlash(lf.name))
			}
			ref, err := upload(fmt.Sprintf("inputs[%d].source", i), shown, lf.path)
			if err != nil {
				return err
			}
			ref.Name = lf.name
			files[i] = append(files[i], ref)
		}
	}
	spec.Module = module
	for i := range spec.Inputs {
		spec.Inputs[i].Files = files[i]
	}
	return nil
}

func planInput(c *checker, field string, in bonfire.Input, baseDir string) inputPlan {
	switch {
	case len(in.Files) > 0:
		return inputPlan{refs: in.Files} // already resolved; resolving is idempotent
	case in.Source == "":
		c.add(field, "name a local file or directory, e.g. source: ./data", "source is required")
		return inputPlan{}
	case bonfire.IsDigest(in.Source):
		d, err := bonfire.ParseDigest(in.Source)
		if err != nil {
			c.addErr(field, err)
			return inputPlan{}
		}
		return inputPlan{refs: []bonfire.FileRef{{Digest: d}}}
	}
	p := localPath(baseDir, in.Source)
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		c.add(field, pathHint, "%s: %s", in.Source, osErrText(err))
	case fi.Mode().IsRegular():
		return inputPlan{local: []localFile{{path: p}}}
	case fi.IsDir():
		return inputPlan{local: walkInput(c, field, in.Source, p)}
	default:
		c.add(field, "point source at a regular file or a directory", "%s is a %s, not a file or directory", in.Source, modeName(fi.Mode()))
	}
	return inputPlan{}
}

// walkInput lists the regular files below dir, sorted by slash name.
func walkInput(c *checker, field, source, dir string) []localFile {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		c.add(field, pathHint, "%s: %s", source, osErrText(err))
		return nil
	}
	var files []localFile
	tooMany := false
	walkErr := filepath.WalkDir(root, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			c.add(field, "make the directory readable", "%s: %s", shownPath(source, root, p), osErrText(err))
			return nil
		}
		if p == root || de.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		name := filepath.ToSlash(rel)
		target := p
		mode := de.Type()
		if mode&fs.ModeSymlink != 0 {
			var ok bool
			if target, ok = symlinkInside(root, p); !ok {
				return nil
			}
			fi, err := os.Stat(target)
			if err != nil || fi.IsDir() {
				return nil // a directory link could loop; its files are walked where they live
			}
			mode = fi.Mode()
		}
		if !mode.IsRegular() {
			c.add(field, "remove it, or point source at a directory without it",
				"%s is a %s; inputs hold only regular files", shownPath(source, root, p), modeName(mode))
			return nil
		}
		if !utf8.ValidString(name) || strings.ContainsRune(name, '\\') {
			c.add(field, "rename the file using UTF-8 and no backslashes", "%q is not a portable file name", name)
			return nil
		}
		if len(files) >= MaxInputFiles {
			tooMany = true
			return fs.SkipAll
		}
		files = append(files, localFile{name: name, path: target})
		return nil
	})
	if walkErr != nil {
		c.add(field, pathHint, "%s: %s", source, osErrText(walkErr))
	}
	if tooMany {
		c.errs = append(c.errs, bonfire.Errorf(bonfire.ECodeTooLarge, "%s has more than %d files", source, MaxInputFiles).
			WithField(field).WithHint("pack small files into an archive"))
		return nil
	}
	if len(files) == 0 {
		c.add(field, "put files in the directory or remove the input", "%s has no files", source)
		return nil
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files
}

// symlinkInside resolves link and reports whether it ends inside root, so a
// directory input cannot smuggle in ~/.ssh through a link.
func symlinkInside(root, link string) (string, bool) {
	target, err := filepath.EvalSymlinks(link)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return target, true
}

func shownPath(source, root, p string) string {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return p
	}
	return filepath.Join(source, rel)
}

func localPath(baseDir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(baseDir, p)
}

// osErrText is the OS's reason without the path, which the caller writes
// as the consumer spelled it.
func osErrText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func modeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m&fs.ModeIrregular != 0:
		return "irregular file"
	}
	return "special file"
}

func uploadError(field, shown string, err error) error {
	code := bonfire.Code(err)
	switch {
	case errors.Is(err, context.Canceled):
		code = bonfire.ECodeCancelled
	case errors.Is(err, context.DeadlineExceeded):
		code = bonfire.ECodeTimeout
	}
	msg, hint := err.Error(), "check that the market is reachable and try again"
	var e *bonfire.Error
	if errors.As(err, &e) {
		msg = e.Message
		if e.Hint != "" {
			hint = e.Hint
		}
	}
	return &bonfire.Error{Code: code, Field: field, Message: "uploading " + shown + ": " + msg, Hint: hint}
}

// localImagePath reports whether a docker image field names a local
// docker save archive to upload (./app.tar, /tmp/app.tar) rather than an
// image reference.
func localImagePath(image string) bool {
	return strings.HasPrefix(image, "./") || strings.HasPrefix(image, "../") || strings.HasPrefix(image, "/") ||
		strings.HasSuffix(image, ".tar") || strings.HasSuffix(image, ".tar.gz")
}
