package provider

import (
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestOutputDigestCoversFilesAndExitCode(t *testing.T) {
	t.Parallel()
	files := []bonfire.FileRef{{Name: "metrics.json", Digest: bonfire.DigestOf([]byte("{}")), Size: 2}}
	d := outputDigest(files, 0, "")
	if d != outputDigest([]bonfire.FileRef{files[0]}, 0, "") {
		t.Fatal("the same outputs must give the same digest")
	}
	if d == outputDigest(files, 1, "") {
		t.Fatal("the exit code must change the digest")
	}
	other := []bonfire.FileRef{{Name: "metrics.json", Digest: bonfire.DigestOf([]byte("{ }")), Size: 3}}
	if d == outputDigest(other, 0, "") || d == outputDigest(nil, 0, "") {
		t.Fatal("different outputs must give different digests")
	}
	img := "sha256:" + strings.Repeat("a", 64)
	if d == outputDigest(files, 0, img) || outputDigest(files, 0, img) == outputDigest(files, 0, "sha256:"+strings.Repeat("b", 64)) {
		t.Fatal("the image that ran must change the digest")
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
}
