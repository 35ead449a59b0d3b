package wasmexec

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

// entropyArgs writes files in unsorted order, a subdirectory, lists the
// output directory with its metadata, then reports time and randomness to
// stdout and to an output file.
var entropyArgs = []string{
	"write", "/out/c", "100", "write", "/out/a", "10", "write", "/out/b", "1000",
	"copy", "/in/data.txt", "/out/d",
	"list", "/out", "entropy", "/out/entropy.txt",
}

// treeOf reads every file under dir into a map by slash path.
func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	tree := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		tree[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func entropyRun(t *testing.T, det bonfire.Determinism, seed uint64) (*bonfire.ExecRequest, map[string]string) {
	t.Helper()
	req, _ := inputRequest(t, entropyArgs...)
	req.Determinism = det
	req.Seed = seed
	wantSuccess(t, mustRun(t, shared, req), req)
	return req, treeOf(t, req.OutputDir)
}

// reported returns the value printed after name ("time 123" → "123").
func reported(t *testing.T, out, name string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	t.Fatalf("no %q in %q", name, out)
	return ""
}

func TestDeterministicRunsAreIdentical(t *testing.T) {
	t.Parallel()
	det := bonfire.Determinism{Deterministic: true}
	req1, tree1 := entropyRun(t, det, 7)
	req2, tree2 := entropyRun(t, det, 7)
	if stdout(req1) != stdout(req2) || stderr(req1) != stderr(req2) {
		t.Errorf("logs differ:\n%s\n---\n%s", stdout(req1), stdout(req2))
	}
	if len(tree1) != 5 {
		t.Errorf("outputs %v, want 5 files", tree1)
	}
	for name, content := range tree1 {
		if tree2[name] != content {
			t.Errorf("output %s differs between runs", name)
		}
	}

	out := stdout(req1)
	listing := out[:strings.Index(out, "time ")]
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(listing), "\n") {
		names = append(names, strings.Fields(line)[0])
		for _, fixed := range []string{"mtime=0 ", "atime=0 ", "ctime=0 ", "nlink=1"} {
			if !strings.Contains(line, fixed) {
				t.Errorf("listing line %q lacks %q", line, fixed)
			}
		}
	}
	if got := strings.Join(names, " "); got != "a b c d" {
		t.Errorf("listing order %q, want sorted \"a b c d\"", got)
	}
	// Without a wall clock the guest sees wazero's fake epoch, 2022-01-01.
	ns, err := strconv.ParseInt(reported(t, out, "time"), 10, 64)
	if err != nil || time.Unix(0, ns).Year() != 2022 {
		t.Errorf("guest time %v (%v), want the fake 2022 clock", time.Unix(0, ns), err)
	}
}

func TestSeedChangesRandomness(t *testing.T) {
	t.Parallel()
	det := bonfire.Determinism{Deterministic: true}
	req1, _ := entropyRun(t, det, 1)
	req2, _ := entropyRun(t, det, 2)
	if reported(t, stdout(req1), "crypto/rand") == reported(t, stdout(req2), "crypto/rand") {
		t.Errorf("seeds 1 and 2 gave the same random number")
	}
}

func TestRandomOptInUsesHostRandomness(t *testing.T) {
	t.Parallel()
	det := bonfire.Determinism{Deterministic: true, Random: true}
	req1, tree1 := entropyRun(t, det, 7)
	req2, tree2 := entropyRun(t, det, 7)
	for _, name := range []string{"crypto/rand", "math/rand"} {
		if reported(t, stdout(req1), name) == reported(t, stdout(req2), name) {
			t.Errorf("%s gave the same number in two runs with host randomness", name)
		}
	}
	if tree1["entropy.txt"] == tree2["entropy.txt"] {
		t.Errorf("entropy.txt is the same in two runs with host randomness")
	}
	// The clock stays virtual: only randomness was asked for. (Its reading
	// may differ: the guest's random choices change how often it looks.)
	ns, err := strconv.ParseInt(reported(t, stdout(req1), "time"), 10, 64)
	if err != nil || time.Unix(0, ns).Year() != 2022 {
		t.Errorf("guest time %v (%v), want the virtual 2022 clock", time.Unix(0, ns), err)
	}
}

func TestClockOptInUsesHostClock(t *testing.T) {
	t.Parallel()
	before := time.Now()
	req, _ := entropyRun(t, bonfire.Determinism{Deterministic: true, Clock: true}, 7)
	ns, err := strconv.ParseInt(reported(t, stdout(req), "time"), 10, 64)
	guest := time.Unix(0, ns)
	if err != nil || guest.Before(before.Add(-time.Second)) || guest.After(time.Now().Add(time.Second)) {
		t.Errorf("guest time %v (%v), want around %v", guest, err, before)
	}
}

func TestNondeterministicShowsHostMetadata(t *testing.T) {
	t.Parallel()
	req, _ := entropyRun(t, bonfire.Determinism{}, 7)
	if strings.Contains(stdout(req), "mtime=0 ") {
		t.Errorf("listing %q hides host timestamps in nondeterministic mode", stdout(req))
	}
}

func TestSeededRandomIsAStream(t *testing.T) {
	t.Parallel()
	read := func(seed uint64) []byte {
		b := make([]byte, 64)
		if _, err := seededRandom(seed).Read(b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !bytes.Equal(read(9), read(9)) || bytes.Equal(read(9), read(10)) {
		t.Error("seededRandom is not a function of its seed alone")
	}
}

func TestLargeListingIsSortedAndComplete(t *testing.T) {
	t.Parallel()
	const files = 400
	req := goRequest(t, "touch", "/out/many", strconv.Itoa(files), "list", "/out/many")
	wantSuccess(t, mustRun(t, shared, req), req)
	lines := strings.Split(strings.TrimSpace(stdout(req)), "\n")
	if len(lines) != files {
		t.Fatalf("listed %d entries, want %d", len(lines), files)
	}
	for i, line := range lines {
		if want := fmt.Sprintf("file-%04d-", i); !strings.HasPrefix(line, want) {
			t.Fatalf("entry %d is %q, want it to start with %q", i, line, want)
		}
	}
}

func TestVirtualClock(t *testing.T) {
	t.Parallel()
	c := &virtualClock{}
	sec, nsec := c.walltime()
	if got := time.Unix(sec, int64(nsec)).UTC(); got != time.Date(2022, 1, 1, 0, 0, 0, int(time.Millisecond), time.UTC) {
		t.Errorf("first wall reading %v, want 2022-01-01 plus one tick", got)
	}
	before := c.nanotime()
	c.nanosleep(int64(time.Hour))
	if elapsed := time.Duration(c.nanotime() - before); elapsed != time.Hour+time.Millisecond {
		t.Errorf("an hour's sleep advanced the clock by %v, want 1h plus one tick", elapsed)
	}
}
