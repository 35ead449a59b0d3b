package dockerexec

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/bonfirenet/bonfire"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

// imageRegistry serves one image (the probe plus a marker file, so it is
// new to the engine) at name:tag by the registry API v2, on 127.0.0.1 (the
// engine treats loopback registries as insecure: plain HTTP). It returns
// the registry's host, the manifest digest and the image ID (config digest).
func imageRegistry(t *testing.T, name, tag, marker string) (host, manifestDigest, imageID string) {
	t.Helper()
	var layer bytes.Buffer
	tw := tar.NewWriter(&layer)
	for _, f := range []struct {
		name string
		mode int64
		data []byte
	}{{"probe", 0o755, probeBin}, {"marker", 0o644, []byte(marker)}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.data))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(layer.Bytes())
	_ = zw.Close()
	config, _ := json.Marshal(map[string]any{
		"architecture": runtime.GOARCH, "os": "linux",
		"config": map[string]any{"Entrypoint": []string{"/probe"}},
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{sha(layer.Bytes())}},
	})
	manifest, _ := json.Marshal(map[string]any{
		"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
		"config": map[string]any{"mediaType": "application/vnd.docker.container.image.v1+json", "size": len(config), "digest": sha(config)},
		"layers": []any{map[string]any{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": gz.Len(), "digest": sha(gz.Bytes())}},
	})
	blobs := map[string][]byte{sha(config): config, sha(gz.Bytes()): gz.Bytes()}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
		p := r.URL.Path
		switch {
		case p == "/v2/":
			w.WriteHeader(http.StatusOK)
		case p == "/v2/"+name+"/manifests/"+tag || p == "/v2/"+name+"/manifests/"+sha(manifest):
			w.Header().Set("Content-Type", "application/vnd.docker.distribution.manifest.v2+json")
			w.Header().Set("Docker-Content-Digest", sha(manifest))
			w.Header().Set("Content-Length", fmt.Sprint(len(manifest)))
			if r.Method != http.MethodHead {
				_, _ = w.Write(manifest)
			}
		case strings.HasPrefix(p, "/v2/"+name+"/blobs/") && blobs[strings.TrimPrefix(p, "/v2/"+name+"/blobs/")] != nil:
			b := blobs[strings.TrimPrefix(p, "/v2/"+name+"/blobs/")]
			w.Header().Set("Content-Length", fmt.Sprint(len(b)))
			if r.Method != http.MethodHead {
				_, _ = w.Write(b)
			}
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}`)
		}
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), sha(manifest), sha(config)
}

// TestRunPullsFromRegistry pulls a new image by its registry digest, runs
// it again by tag (the executor reports the image ID either resolves to),
// and refuses a digest the registry does not have.
func TestRunPullsFromRegistry(t *testing.T) {
	t.Parallel()
	x := newTestExecutor(t, Options{})
	host, manifestDigest, imageID := imageRegistry(t, "pulled/probe", "v1", t.Name()+time.Now().String())
	t.Cleanup(func() {
		_, _ = x.cli.ImageRemove(context.Background(), imageID, client.ImageRemoveOptions{Force: true, PruneChildren: true})
	})
	// The first run pulls by digest and checks what arrived; the others find
	// it by tag and by tag and digest.
	for _, ref := range []string{host + "/pulled/probe@" + manifestDigest, host + "/pulled/probe:v1", host + "/pulled/probe:v1@" + manifestDigest} {
		req, stdout, stderr := request(t, ref, "hello")
		res, err := x.Run(context.Background(), req)
		if err != nil || res.Err != nil || !strings.Contains(stdout.String(), "hello from bonfire") {
			t.Fatalf("%s: %+v %v; stderr %s", ref, res, err, stderr)
		}
		if res.Image != imageID {
			t.Fatalf("%s ran %s, want %s", ref, res.Image, imageID)
		}
		assertNothingLeft(t, x, req.TaskID)
	}
	if got := x.CachedImageBytes(); got <= 0 {
		t.Fatalf("the pulled image is not in the cache (%d bytes)", got)
	}
	// A tag pulled fresh resolves to the image ID too.
	host2, _, imageID2 := imageRegistry(t, "tagged/probe", "latest", t.Name()+"tag"+time.Now().String())
	t.Cleanup(func() {
		_, _ = x.cli.ImageRemove(context.Background(), imageID2, client.ImageRemoveOptions{Force: true, PruneChildren: true})
	})
	req, _, stderr := request(t, host2+"/tagged/probe", "exit", "0")
	if res, err := x.Run(context.Background(), req); err != nil || res.Err != nil || res.Image != imageID2 {
		t.Fatalf("tag pull: %+v %v; stderr %s", res, err, stderr)
	}
	// A pin the registry does not have, under a name the engine holds.
	missing := "sha256:" + strings.Repeat("1", 64)
	req, _, _ = request(t, host+"/pulled/probe@"+missing, "hello")
	res, err := x.Run(context.Background(), req)
	if err != nil || res.Err == nil || res.Err.Code != bonfire.ECodeBadModule {
		t.Fatalf("unknown pin: %+v %v", res, err)
	}
}
