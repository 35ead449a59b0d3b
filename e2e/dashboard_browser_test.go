package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire/examples"
	"github.com/bonfirenet/bonfire/localnet"
)

// chromiumPath is Debian's Chromium, which scripts/test.sh installs.
const chromiumPath = "/usr/bin/chromium"

// TestDashboardInARealBrowser drives the dashboard of a real `bonfire up`
// (paid providers, embedded chain) in headless Chromium: the script in
// e2e/browser submits the digits sweep from the Submit page, watches the
// task grid reach done through server-sent events without a reload, opens
// the ranking and finds a provider's earnings. Screenshots go to
// $BONFIRE_ARTIFACTS, or e2e/artifacts.
//
// In CI (CI=true) it always runs; elsewhere it skips, loudly, only when
// Chromium or the pinned playwright-core (npm ci --prefix e2e/browser) is
// missing.
func TestDashboardInARealBrowser(t *testing.T) {
	t.Parallel()
	node := browserPrerequisites(t)
	artifacts := os.Getenv("BONFIRE_ARTIFACTS")
	if artifacts == "" {
		abs, err := filepath.Abs("artifacts")
		if err != nil {
			t.Fatal(err)
		}
		artifacts = abs
	}
	artifacts = filepath.Join(artifacts, "dashboard")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}

	home := localnet.Home(t.TempDir())
	linkCompileCache(t, string(home))
	up := startUpWith(t, home, "--providers", "2", "--provider-cpu", "1", "--price", "1000")
	defer up.stop()
	ep, err := home.ReadEndpoints()
	if err != nil {
		t.Fatal(err)
	}
	dashURL := ep.API + "/dashboard/"
	poll(t, time.Minute, "bonfire up to print the dashboard's URL", func() (bool, string) {
		return strings.Contains(up.log.tail(1<<20), "dashboard  "+dashURL), "not printed yet"
	})
	token, err := home.Token()
	if err != nil {
		t.Fatal(err)
	}
	ex := t.TempDir()
	if err := examples.WriteTo(ex); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	script, err := filepath.Abs(filepath.Join("browser", "dashboard.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Dir = filepath.Dir(script)
	cmd.Env = append(os.Environ(),
		"DASHBOARD_URL="+dashURL, "BONFIRE_TOKEN="+token, "ARTIFACTS="+artifacts, "CHROMIUM="+chromiumPath,
		"SPEC="+filepath.Join(ex, "digits-sweep", examples.SpecFile),
		"MODULE="+filepath.Join(ex, "bin", "sweep.wasm"), "DATA="+filepath.Join(ex, "data", "digits.csv.gz"),
		"PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1", "PLAYWRIGHT_BROWSERS_PATH="+t.TempDir())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "[browser]") {
			t.Log(strings.TrimSpace(line))
		}
	}
	if runErr != nil {
		t.Fatalf("the browser script failed: %v\n%s", runErr, out.String())
	}
	if !strings.Contains(out.String(), "all checks passed") {
		t.Fatalf("the browser script ended without passing its checks:\n%s", out.String())
	}
	for _, name := range []string{"3-job-done.png", "4-ranking.png", "5-providers.png"} {
		if fi, err := os.Stat(filepath.Join(artifacts, name)); err != nil || fi.Size() == 0 {
			t.Errorf("screenshot %s: %v", name, err)
		}
	}
}

// browserPrerequisites returns node's path, or skips (fails in CI) when
// Chromium, node or the pinned playwright-core is missing.
func browserPrerequisites(t *testing.T) string {
	t.Helper()
	ci := os.Getenv("CI") == "true"
	missing := func(what, fix string) {
		msg := "SKIPPING THE BROWSER TEST: " + what + " is missing; " + fix
		if ci {
			t.Fatal(msg + " (CI=true: the browser test must run)")
		}
		t.Skip(msg)
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		missing(chromiumPath, "install Debian's chromium (./scripts/test.sh does it as root: apt-get install chromium)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node", "install Node.js 20 or later")
	}
	if _, err := os.Stat(filepath.Join("browser", "node_modules", "playwright-core", "package.json")); err != nil {
		missing("playwright-core", "run npm ci --prefix e2e/browser (./scripts/test.sh does it)")
	}
	return node
}
