package main

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDamage damages a journal file page by page (garbage pages, flipped
// bytes, truncation) and runs verify, timeline and add on each copy. Each
// either reports the damage in one line with its exit status, or, when the
// damage hit only unused space, gives exactly what the sound file gives.
// Nothing panics.
//
// The damage is drawn from a seed, printed when the test fails, and given
// again with JOURNAL_DAMAGE_SEED=N. The journal itself is made afresh on
// each run (its keys and times differ), so a failure also keeps the sound
// file and each damaged copy that failed, named in the log: in the test's
// output folder with 'go test -artifacts -outputdir DIR', otherwise in a
// temporary folder that is left in place.
func TestDamage(t *testing.T) {
	// Quick: every fourth page and both header pages. Slow: every page,
	// and more flips. Add runs on the garbage pages.
	flipsPerPage, pageStep := 1, 4
	if slowTests() {
		flipsPerPage, pageStep = 2, 1
	}
	commands := [][]string{{"verify"}, {"timeline", "--format", "json"}}
	seed := damageSeed(t)
	rng := rand.New(rand.NewPCG(seed, 7))
	t.Logf("seed %d", seed)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the damage was drawn from seed %d: JOURNAL_DAMAGE_SEED=%d go test -run '^TestDamage$' ./cmd/journal draws it again", seed, seed)
		}
	})
	dir := t.TempDir()
	env := journalEnv(dir)
	path := filepath.Join(dir, "journal.db")
	mustJournal(t, env, "init")
	cmd := exec.Command("addloop", "damage", "24")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("adding: %v\n%s", err, out)
	}
	mustJournal(t, env, "checkpoint")
	mustJournal(t, env, "add", "--summary", "after the checkpoint")
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wantVerify := mustJournal(t, env, "verify").stdout
	wantTimeline := mustJournal(t, env, "timeline", "--format", "json").stdout

	const pageSize = 4096
	pages := len(good) / pageSize
	kept := &damageKeeper{t: t, good: good}
	var damages []damage
	for p := range pages {
		if p > 1 && p%pageStep != 0 {
			continue
		}
		garbage := bytes.Clone(good)
		for i := p * pageSize; i < (p+1)*pageSize; i++ {
			garbage[i] = byte(rng.Uint32())
		}
		damages = append(damages, damage{fmt.Sprintf("garbage page %d", p), garbage})
		for range flipsPerPage {
			off := p*pageSize + rng.IntN(pageSize)
			flipped := bytes.Clone(good)
			flipped[off] ^= 1 << rng.IntN(8)
			damages = append(damages, damage{fmt.Sprintf("byte %d flipped (page %d)", off, p), flipped})
		}
	}
	for _, n := range []int{0, 100, pageSize, 2*pageSize + 17, len(good) / 2, len(good) - pageSize, len(good) - 1} {
		damages = append(damages, damage{fmt.Sprintf("truncated to %d bytes", n), good[:n]})
	}

	tally := map[string]int{}
	copyPath := filepath.Join(dir, "damaged.db")
	for _, d := range damages {
		cmds := commands
		if strings.HasPrefix(d.name, "garbage") {
			cmds = append(cmds, []string{"add", "--summary", "on a damaged file"})
		}
		for _, args := range cmds {
			if err := os.WriteFile(copyPath, d.data, 0o600); err != nil {
				t.Fatal(err)
			}
			r := runJournal(t, env, append(args, "--file", copyPath)...)
			what := d.name + ": journal " + args[0]
			// A Go crash prints "panic: " or "fatal error: " at the start
			// of a line, then the goroutines.
			for _, bad := range []string{"\npanic: ", "\nfatal error: ", "goroutine ", "[signal "} {
				if strings.Contains("\n"+r.stderr, bad) {
					kept.keep(d)
					t.Fatalf("%s crashed (exit %d):\n%s", what, r.code, r.stderr)
				}
			}
			key := fmt.Sprintf("%s exit %d", args[0], r.code)
			if tally[key] == 0 && r.code != 0 {
				t.Logf("%s: exit %d: %s", what, r.code, strings.TrimSpace(r.stderr))
			}
			tally[key]++
			if r.code == 0 {
				switch args[0] {
				case "verify":
					if r.stdout != wantVerify {
						kept.keep(d)
						t.Errorf("%s passed but printed\n%s\nwant\n%s", what, r.stdout, wantVerify)
					}
				case "timeline":
					// bbolt would read the older header page when the
					// newer is damaged, and give the journal as it was
					// before the last add: that is refused now.
					if r.stdout != wantTimeline {
						kept.keep(d)
						t.Errorf("%s succeeded but the timeline differs from the sound file's", what)
					}
				}
				continue
			}
			if !strings.HasPrefix(r.stderr, "journal: ") || strings.Count(r.stderr, "\n") != 1 {
				kept.keep(d)
				t.Errorf("%s: exit %d without a one-line message:\n%s", what, r.code, r.stderr)
			}
			if !slices.Contains([]int{exitFailure, exitUnlock, exitIntegrity}, r.code) {
				kept.keep(d)
				t.Errorf("%s: exit %d, want 1, 3 or 4: %s", what, r.code, r.stderr)
			}
		}
	}
	keys := make([]string, 0, len(tally))
	for k := range tally {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s: %d;", k, tally[k])
	}
	runs := 0
	for _, n := range tally {
		runs += n
	}
	t.Logf("damage: %d damaged copies of a %d-page file, %d runs:%s", len(damages), pages, runs, b.String())
}

// damageSeed is JOURNAL_DAMAGE_SEED if set, else drawn from the clock.
func damageSeed(t *testing.T) uint64 {
	v := os.Getenv("JOURNAL_DAMAGE_SEED")
	if v == "" {
		return uint64(time.Now().UnixNano())
	}
	seed, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		t.Fatalf("JOURNAL_DAMAGE_SEED=%q: want a whole number", v)
	}
	return seed
}

// damage is a damaged copy of the journal file.
type damage struct {
	name string
	data []byte
}

// damageKeeper keeps the sound journal and the damaged copies that failed,
// once each, where the person who reads the log finds them.
type damageKeeper struct {
	t    *testing.T
	good []byte
	dir  string
	done map[string]bool
}

func (k *damageKeeper) keep(d damage) {
	t := k.t
	if k.dir == "" {
		if f := flag.Lookup("test.artifacts"); f != nil && f.Value.String() == "true" {
			k.dir = t.ArtifactDir()
		} else {
			dir, err := os.MkdirTemp("", "TestDamage-")
			if err != nil {
				t.Logf("cannot keep the damaged file: %v", err)
				return
			}
			k.dir = dir
		}
		k.done = map[string]bool{}
		k.write("sound.db", k.good)
	}
	if k.done[d.name] {
		return
	}
	k.done[d.name] = true
	k.write(strings.NewReplacer(" ", "-", "(", "", ")", "").Replace(d.name)+".db", d.data)
}

func (k *damageKeeper) write(name string, data []byte) {
	path := filepath.Join(k.dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		k.t.Logf("cannot keep %s: %v", path, err)
		return
	}
	k.t.Logf("kept %s", path)
}
