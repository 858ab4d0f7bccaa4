package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestParseBuildInfo(t *testing.T) {
	setting := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	tests := []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build info", nil, false, "journal (devel) (commit unknown: built without version control information)"},
		{"tagged", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"},
			Settings: setting("vcs.revision", "1be09c7a7fdde736095cd4b6d805e984dea205f6", "vcs.modified", "false")}, true,
			"journal v1.2.0 (commit 1be09c7a7fdde736095cd4b6d805e984dea205f6)"},
		{"modified", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261125071900-1be09c7a7fdd+dirty"},
			Settings: setting("vcs.revision", "1be09c7a7fdde736095cd4b6d805e984dea205f6", "vcs.modified", "true", "vcs.time", "2026-11-25T07:19:00Z")}, true,
			"journal v0.0.0-20261125071900-1be09c7a7fdd+dirty (commit 1be09c7a7fdde736095cd4b6d805e984dea205f6, with uncommitted changes)"},
		{"go run", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true,
			"journal (devel) (commit unknown: built without version control information)"},
	}
	for _, tt := range tests {
		if got := parseBuildInfo(tt.info, tt.ok).String(); got != tt.want {
			t.Errorf("%s: parseBuildInfo().String() = %q, want %q", tt.name, got, tt.want)
		}
	}
	b := parseBuildInfo(tests[2].info, true)
	if got := b.time.Format("2006-01-02 15:04"); got != "2026-11-25 07:19" {
		t.Errorf("vcs.time = %s, want 2026-11-25 07:19", got)
	}
	// A release stamps its version (scripts/release): it names the build.
	stampedVersion = "v1.3.0"
	defer func() { stampedVersion = "" }()
	want := "journal v1.3.0 (commit 1be09c7a7fdde736095cd4b6d805e984dea205f6)"
	if got := parseBuildInfo(tests[1].info, true).String(); got != want {
		t.Errorf("stamped: parseBuildInfo().String() = %q, want %q", got, want)
	}
}

// TestVersionNamesCommit builds journal as a user would, from a git
// checkout, and checks that 'journal version' names the commit git names.
func TestVersionNamesCommit(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(root, ".git")); err != nil || !fi.IsDir() {
		t.Skip("not a plain git clone (a worktree or an exported tree): Go stamps the commit only in a clone")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	head, err := exec.Command(git, "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("git cannot read this checkout: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "journal")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/journal")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("journal version: %v", err)
	}
	want := "(commit " + strings.TrimSpace(string(head))
	if !strings.Contains(string(out), want) {
		t.Errorf("journal version printed %q, want it to contain %q", out, want)
	}
	if !strings.Contains(string(out), "committed ") {
		t.Errorf("journal version printed %q, want the commit's date", out)
	}
}
