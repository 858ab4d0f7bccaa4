package synctest

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// skipped are names that belong to an engine, not to the journal.
func skipped(name string) bool {
	return name == ".stfolder" || name == ".stversions" || name == ".git" ||
		strings.HasPrefix(name, ".syncthing.") || strings.HasPrefix(name, "~syncthing~")
}

// files lists the regular files under dir, relative and slash-separated,
// leaving out engines' own files.
func files(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != dir && skipped(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// Snapshot describes the files under dir, one line each with the SHA-256
// of the content, so that two folders can be compared.
func Snapshot(dir string) (string, error) {
	names, err := files(dir)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%x %s\n", sha256.Sum256(data), n)
	}
	return b.String(), nil
}

// CopyPart copies files of src missing from dst, in random order: about
// the given fraction of them (0 < fraction <= 1), at least one if any is
// missing. It returns how many it copied. Like a person with a USB stick or
// rsync of half a folder: whole files, in no particular order, some not
// yet there.
func CopyPart(src, dst string, fraction float64, rng *rand.Rand) (int, error) {
	names, err := files(src)
	if err != nil {
		return 0, err
	}
	var missing []string
	for _, n := range names {
		if _, err := os.Lstat(filepath.Join(dst, filepath.FromSlash(n))); err != nil {
			missing = append(missing, n)
		}
	}
	rng.Shuffle(len(missing), func(i, j int) { missing[i], missing[j] = missing[j], missing[i] })
	k := int(float64(len(missing))*fraction + 0.5)
	if k == 0 && len(missing) > 0 {
		k = 1
	}
	for _, n := range missing[:k] {
		data, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(n)))
		if err != nil {
			return 0, err
		}
		p := filepath.Join(dst, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return 0, err
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			return 0, err
		}
	}
	return k, nil
}

// Git is a bare repository that plays the remote of several clones.
type Git struct {
	Remote string
	bin    string
}

// NewGitRemote makes a bare repository under the test's temporary folder.
func NewGitRemote(t TB) *Git {
	t.Helper()
	g := &Git{Remote: filepath.Join(t.TempDir(), "remote.git"), bin: Need(t, "git", "git")}
	g.run(t, "", "init", "--quiet", "--bare", "--initial-branch=main", g.Remote)
	return g
}

func (g *Git) run(t TB, dir string, args ...string) string {
	t.Helper()
	out, err := g.cmd(dir, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (g *Git) cmd(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(g.bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=journal test", "GIT_AUTHOR_EMAIL=test@example.invalid",
		"GIT_COMMITTER_NAME=journal test", "GIT_COMMITTER_EMAIL=test@example.invalid",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	return cmd
}

// Clone makes dir a clone of the remote (an empty remote gives an empty
// clone).
func (g *Git) Clone(t TB, dir string) {
	t.Helper()
	g.run(t, "", "clone", "--quiet", g.Remote, dir)
	g.run(t, dir, "checkout", "--quiet", "-B", "main")
}

// Exchange does what a user (or a cron job) does in a clone: commit every
// new file, pull the others' commits, push. Files are only ever added, each
// by one device, so the pull never conflicts; a push that lost a race is
// retried after pulling again.
func (g *Git) Exchange(t TB, dir string) {
	t.Helper()
	g.run(t, dir, "add", "--all", ".")
	if out, err := g.cmd(dir, "diff", "--cached", "--quiet").CombinedOutput(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("git diff: %v\n%s", err, out)
		}
		g.run(t, dir, "commit", "--quiet", "-m", "journal")
	}
	for range 5 {
		if out, err := g.cmd(dir, "pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main").CombinedOutput(); err != nil &&
			!strings.Contains(string(out), "couldn't find remote ref") {
			t.Fatalf("git pull conflicted or failed (files are only added, so it must not): %v\n%s", err, out)
		}
		if err := g.cmd(dir, "push", "--quiet", "origin", "HEAD:main").Run(); err == nil {
			return
		}
	}
	t.Fatalf("git push kept failing")
}
