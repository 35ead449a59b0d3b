package dockerexec

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/bonfirenet/bonfire"
)

// archiveRepo is the repository under which loaded archives are tagged by
// their blob digest, so a second task with the same archive loads nothing.
const archiveRepo = "bonfire/archive"

// imageRef is a parsed image field: a registry reference, optionally pinned
// ("name:tag@sha256:…"), or the digest of an archive blob ("sha256:…").
type imageRef struct {
	ref     string         // as written
	name    string         // without the pin; empty for an archive
	pin     string         // "sha256:…" or empty
	archive bonfire.Digest // set for an archive
}

func parseImage(ref string) (imageRef, *bonfire.Error) {
	r := imageRef{ref: ref}
	switch {
	case ref == "" || strings.ContainsAny(ref, " \t\n"):
		return r, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not an image reference", ref).WithField("image").
			WithHint("write the image like python:3.12@sha256:…, or the digest of an uploaded docker save archive")
	case bonfire.IsDigest(ref):
		r.archive = bonfire.Digest(ref)
		return r, nil
	}
	r.name = ref
	if i := strings.LastIndexByte(ref, '@'); i >= 0 {
		r.name, r.pin = ref[:i], ref[i+1:]
		if err := bonfire.Digest(r.pin).Validate(); err != nil || r.name == "" {
			return r, bonfire.Errorf(bonfire.ECodeInvalid, "image %q has a bad digest pin", ref).WithField("image").
				WithHint("pin with @sha256: and 64 hex digits")
		}
	}
	return r, nil
}

// image makes the requested image present and returns its ID. A workload
// problem (not found, mismatch, bad archive) is in the *bonfire.Error; the
// error is for the engine failing.
func (x *Executor) image(ctx context.Context, req *bonfire.ExecRequest) (string, *bonfire.Error, error) {
	r, bad := parseImage(req.Image)
	if bad != nil {
		return "", bad, nil
	}
	unlock := x.lockImage(req.Image)
	defer unlock()
	if r.archive != "" {
		return x.loadArchive(ctx, r, req.ModulePath)
	}
	if id, ok, err := x.local(ctx, r); err != nil || ok {
		return id, nil, err
	}
	pullErr := x.pull(ctx, r.ref)
	if pullErr != nil {
		if ctx.Err() != nil {
			return "", nil, ctx.Err()
		}
		if r.pin != "" { // a local image of that name with other content is the likelier story
			if info, err := x.cli.ImageInspect(ctx, r.name); err == nil && info.ID != r.pin {
				return "", digestMismatch(r.ref, r.pin, info.ID), nil
			}
		}
		if isNotFound(pullErr) {
			return "", imageNotFound(r.ref, pullErr), nil
		}
		return "", pullFailed(r.ref, pullErr), nil
	}
	info, err := x.cli.ImageInspect(ctx, r.ref)
	if err != nil {
		return "", pullFailed(r.ref, fmt.Errorf("pulled, but the engine does not list it: %w", err)), nil
	}
	if r.pin != "" && info.ID != r.pin && !slices.Contains(info.RepoDigests, repoName(r.name)+"@"+r.pin) {
		return "", digestMismatch(r.ref, r.pin, info.ID), nil
	}
	x.cache.add(info.ID, info.Size)
	return info.ID, nil, nil
}

// local finds the image among the engine's: by its pinned registry digest,
// by its image ID, or (unpinned) by name.
func (x *Executor) local(ctx context.Context, r imageRef) (string, bool, error) {
	lookups := []string{r.ref}
	if r.pin != "" {
		lookups = append(lookups, r.pin)
	}
	for _, l := range lookups {
		info, err := x.cli.ImageInspect(ctx, l)
		switch {
		case err == nil:
			if r.pin != "" && info.ID != r.pin && !slices.Contains(info.RepoDigests, repoName(r.name)+"@"+r.pin) {
				continue // a short-ID or other partial match is not the pinned content
			}
			x.cache.touch(info.ID)
			return info.ID, true, nil
		case !cerrdefs.IsNotFound(err) && !strings.Contains(err.Error(), "No such image"):
			return "", false, err
		}
	}
	return "", false, nil
}

func (x *Executor) pull(ctx context.Context, ref string) error {
	resp, err := x.cli.ImagePull(ctx, ref, client.ImagePullOptions{})
	if err != nil {
		return err
	}
	defer resp.Close()
	return resp.Wait(ctx)
}

// loadArchive loads a docker save archive the provider fetched, unless an
// earlier task already loaded the same blob.
func (x *Executor) loadArchive(ctx context.Context, r imageRef, path string) (string, *bonfire.Error, error) {
	tag := archiveRepo + ":" + r.archive.Hex()
	if info, err := x.cli.ImageInspect(ctx, tag); err == nil {
		x.cache.touch(info.ID)
		return info.ID, nil, nil
	}
	if path == "" {
		return "", nil, bonfire.Errorf(bonfire.ECodeInternal, "image archive %s was not fetched", r.archive)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	resp, err := x.cli.ImageLoad(ctx, f, client.ImageLoadWithQuiet(true))
	if err != nil {
		if ctx.Err() != nil {
			return "", nil, ctx.Err()
		}
		return "", badArchive(err), nil
	}
	loaded, err := readLoadStream(resp)
	resp.Close()
	if err != nil {
		return "", badArchive(err), nil
	}
	info, err := x.cli.ImageInspect(ctx, loaded)
	if err != nil {
		return "", badArchive(fmt.Errorf("the engine loaded %s but cannot find it: %w", loaded, err)), nil
	}
	if _, err := x.cli.ImageTag(ctx, client.ImageTagOptions{Source: info.ID, Target: tag}); err != nil {
		return "", nil, err
	}
	x.cache.add(info.ID, info.Size)
	return info.ID, nil, nil
}

// readLoadStream reads the engine's JSON messages after a load and returns
// the first image it names ("Loaded image ID: sha256:…" or "Loaded image:
// name:tag").
func readLoadStream(resp interface{ Read([]byte) (int, error) }) (string, error) {
	var first string
	sc := bufio.NewScanner(resp)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var m struct {
			Stream string `json:"stream"`
			Error  string `json:"error"`
		}
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			continue
		}
		if m.Error != "" {
			return "", errors.New(m.Error)
		}
		for _, p := range []string{"Loaded image ID: ", "Loaded image: "} {
			if s, ok := strings.CutPrefix(strings.TrimSpace(m.Stream), p); ok && first == "" {
				first = s
			}
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	if first == "" {
		return "", errors.New("it holds no image")
	}
	return first, nil
}

// repoName is how the engine spells a name in RepoDigests: without a tag.
func repoName(name string) string {
	if i := strings.LastIndexByte(name, ':'); i > strings.LastIndexByte(name, '/') {
		name = name[:i]
	}
	return name
}

func isNotFound(err error) bool {
	if cerrdefs.IsNotFound(err) {
		return true
	}
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "not found") || strings.Contains(s, "manifest unknown") ||
		strings.Contains(s, "pull access denied") || strings.Contains(s, "does not exist")
}

// lockImage serialises work on one image reference, so concurrent tasks
// with the same image pull or load it once.
func (x *Executor) lockImage(ref string) func() {
	v, _ := x.imageLocks.LoadOrStore(ref, &sync.Mutex{})
	mu := v.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}
