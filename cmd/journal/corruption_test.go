//go:build unix

package main

// The corruption table: every command that opens the journal, run on the
// same random corruptions of one journal file. Each run must end with a
// clear one-line message and a documented exit status, or, if it
// succeeds, give exactly what the sound file gives; never a panic, never
// Go's or bbolt's words; and a command that fails leaves the file as it
// was.

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// corruption is one damaged copy of the journal file.
type corruption struct {
	name string
	data []byte
}

// corrupt makes n damaged copies of good, from rng: bits flipped, runs of
// garbage, zeroed or swapped pages, a damaged header page, truncation and
// garbage appended.
func corrupt(good []byte, n int, rng *rand.Rand) []corruption {
	const page = 4096
	pages := len(good) / page
	// Most of a new file is room to grow, which damage there does not
	// touch: aim at the pages that hold something.
	var used []int
	for p := 2; p < pages; p++ {
		if slices.ContainsFunc(good[p*page:(p+1)*page], func(c byte) bool { return c != 0 }) {
			used = append(used, p)
		}
	}
	usedPage := func() int { return used[rng.IntN(len(used))] }
	inUse := func() int { return usedPage()*page + rng.IntN(page) }
	out := make([]corruption, 0, n)
	for i := range n {
		b := slices.Clone(good)
		var name string
		switch i % 8 {
		case 0, 1:
			off := inUse()
			bit := rng.IntN(8)
			b[off] ^= 1 << bit
			name = fmt.Sprintf("bit %d of byte %d flipped", bit, off)
		case 2:
			off, k := inUse(), 1+rng.IntN(512)
			for j := off; j < min(off+k, len(b)); j++ {
				b[j] = byte(rng.Uint32())
			}
			name = fmt.Sprintf("%d bytes of garbage at %d", k, off)
		case 3:
			p := usedPage()
			clear(b[p*page : (p+1)*page])
			name = fmt.Sprintf("page %d zeroed", p)
		case 4:
			p, q := usedPage(), usedPage()
			copy(b[p*page:(p+1)*page], good[q*page:(q+1)*page])
			copy(b[q*page:(q+1)*page], good[p*page:(p+1)*page])
			name = fmt.Sprintf("pages %d and %d swapped", p, q)
		case 5:
			// A byte in a header page's body, which its checksum covers.
			p, off := rng.IntN(2), 16+rng.IntN(64)
			b[p*page+off] ^= byte(1 + rng.IntN(255))
			name = fmt.Sprintf("header page %d damaged at byte %d", p, off)
		case 6:
			n := rng.IntN((used[len(used)-1] + 1) * page)
			b = b[:n]
			name = fmt.Sprintf("truncated to %d bytes", n)
		case 7:
			p := usedPage()
			for j := p * page; j < (p+1)*page; j++ {
				b[j] = byte(rng.Uint32())
			}
			name = fmt.Sprintf("page %d garbage", p)
		}
		out = append(out, corruption{name, b})
	}
	return out
}

// goInternals are words of Go's runtime, bbolt or the standard library
// that must never reach a person.
// Header pages are named "(page 0)" and "(page 1)", as repair needs.
var goInternals = regexp.MustCompile(`(?i)runtime error|nil pointer|invalid memory address|index out of range|slice bounds|assertion failed|goroutine|panic|bbolt|pgid|(?:^|[^(])page \d|page\(|\(hex\)|unexpected EOF|0x[0-9a-f]{4,}|\.go:\d|payload chunk`)

// tableRun is one command of the table.
type tableRun struct {
	args []string
	// compare says that a success must print exactly what the sound file
	// gives.
	compare bool
}

func TestCorruptionTable(t *testing.T) {
	n := 40
	if slowTests() {
		n = 200
	}
	seed := uint64(20261201)
	if s := os.Getenv("JOURNAL_CORRUPTION_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	dir := t.TempDir()
	if info, err := os.Stat("/dev/shm"); err == nil && info.IsDir() {
		// In memory, where a sync costs nothing: thousands of runs sync
		// the file, and the table is about messages, not disks.
		shm, err := os.MkdirTemp("/dev/shm", "journal-table-")
		if err == nil {
			dir = shm
			t.Cleanup(func() { os.RemoveAll(shm) })
		}
	}
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, ".config"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, ".local", "share"))
	t.Setenv("JOURNAL_PASSPHRASE", faultPassphrase)
	t.Setenv("JOURNAL_NEW_PASSPHRASE", "a new passphrase for the table")
	t.Setenv("JOURNAL_IDENTITY", "")
	t.Setenv("JOURNAL_FILE", "")
	t.Setenv("NO_COLOR", "1")
	t.Setenv("TZ", "UTC")
	sound := filepath.Join(dir, "sound.db")
	evidence := filepath.Join(dir, "letter.txt")
	csvFile := filepath.Join(dir, "diary.csv")
	out := filepath.Join(dir, "out")
	must := func(args ...string) string {
		t.Helper()
		var o, e bytes.Buffer
		if code := run(append(args, "--file", sound), tableStreams(&o, &e)); code != 0 {
			t.Fatalf("journal %s: exit %d: %s", strings.Join(args, " "), code, e.String())
		}
		return o.String()
	}
	os.WriteFile(evidence, bytes.Repeat([]byte("a letter left at reception\n"), 3000), 0o600)
	os.WriteFile(csvFile, []byte("date,time,description\n2026-11-20,09:00,Waited outside the surgery\n"), 0o600)
	os.Mkdir(out, 0o700)
	must("init", "--classic")
	for i := range 24 {
		args := []string{"add", "--when", fmt.Sprintf("2026-11-%02d 10:00", i+1), "--summary", fmt.Sprintf("incident %d", i+1),
			"--who", "John Smith (patient)", "--kind", "in-person", "--witness", "Ann Lee; 0123"}
		if i%4 == 0 {
			args = append(args, "--details", strings.Repeat("He stood by the car and would not move. ", 150))
		}
		must(args...)
	}
	must("attach", "3", evidence)
	must("checkpoint", "--note", "sent to my adviser")
	must("export", "--json", "-o", filepath.Join(dir, "first.json"))
	// The cache is written (verify writes its own once), so that reads
	// below change nothing.
	must("timeline")
	must("verify")
	good, err := os.ReadFile(sound)
	if err != nil {
		t.Fatal(err)
	}

	runs := []tableRun{
		{args: []string{"timeline", "--format", "json"}, compare: true},
		{args: []string{"show", "3", "--format", "json"}, compare: true},
		{args: []string{"people"}, compare: true},
		{args: []string{"disclosures", "--format", "json"}, compare: true},
		{args: []string{"evidence", "3"}, compare: true},
		{args: []string{"verify"}, compare: true},
		{args: []string{"evidence", "3", "letter.txt", "-o", filepath.Join(out, "letter.txt")}},
		{args: []string{"export", "--markdown", "-o", filepath.Join(out, "report.md")}},
		{args: []string{"export", "--pdf", "-o", filepath.Join(out, "report.pdf")}},
		{args: []string{"backup", filepath.Join(out, "backup.db")}},
		{args: []string{"checkpoint"}},
		{args: []string{"add", "--summary", "on a damaged file"}},
		{args: []string{"amend", "1", "--reason", "spelling", "--summary", "incident one"}},
		{args: []string{"void", "2", "--reason", "entered twice"}},
		{args: []string{"attach", "1", evidence}},
		{args: []string{"import", csvFile}},
		{args: []string{"key", "export", "-o", filepath.Join(out, "key.txt")}},
		{args: []string{"key", "add-recipient", "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"}},
		{args: []string{"passphrase"}},
		{args: []string{"repair"}},
	}
	want := map[int]string{}
	for i, r := range runs {
		if r.compare {
			want[i] = must(r.args...)
			if string(good) != string(mustRead(t, sound)) {
				t.Fatalf("journal %s changed the sound journal", strings.Join(r.args, " "))
			}
		}
	}
	if string(good) != string(mustRead(t, sound)) {
		t.Fatal("reading the sound journal changed it: the table could not tell a change from a failed command")
	}

	// What this computer remembers of the journal (its device key, the
	// records it has seen) is put back before each run too: a write that
	// succeeded on one damaged copy must not make the next copy look
	// rolled back.
	config := snapshotDir(t, filepath.Join(dir, ".config"))

	damaged := corrupt(good, n, rand.New(rand.NewPCG(seed, 1)))
	type outcome struct{ command, result string }
	tally := map[outcome]int{}
	messages := map[string]int{}
	copyPath := filepath.Join(dir, "damaged.db")
	for _, d := range damaged {
		for i, r := range runs {

			if err := os.WriteFile(copyPath, d.data, 0o600); err != nil {
				t.Fatal(err)
			}
			clearFolder(t, out)
			config.restore(t)
			what := fmt.Sprintf("%s: journal %s", d.name, strings.Join(r.args, " "))
			var o, e bytes.Buffer
			code, panicked := runRecovered(append(slices.Clone(r.args), "--file", copyPath), tableStreams(&o, &e))
			if panicked != "" {
				t.Errorf("%s panicked: %s", what, panicked)
				continue
			}
			if leak := lockHeld(copyPath); leak != "" {
				t.Fatalf("%s (exit %d) left the journal open: %s\n%s", what, code, leak, openFiles(copyPath))
			}
			stderr := e.String()
			if goInternals.MatchString(stderr) || goInternals.MatchString(o.String()) && !r.compare {
				t.Errorf("%s: Go internals in the output: %s", what, strings.TrimSpace(stderr))
			}
			result := "exit " + strconv.Itoa(code)
			switch {
			case code == 0 && r.compare && o.String() != want[i]:
				t.Errorf("%s succeeded but printed something else than the sound file gives:\n%s", what, o.String())
			case code == 0:
			case code < 1 || code > 5:
				t.Errorf("%s: exit %d is not a documented status", what, code)
			default:
				lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
				last := lines[len(lines)-1]
				if !strings.HasPrefix(last, "journal: ") || strings.Count(stderr, "journal: ") != 1 {
					t.Errorf("%s: exit %d without one line saying what is wrong:\n%s", what, code, stderr)
				}
				messages[normalizeMessage(last)]++
				if now, _ := os.ReadFile(copyPath); !bytes.Equal(now, d.data) {
					t.Errorf("%s failed (exit %d) but changed the file: %s", what, code, last)
				}
			}
			tally[outcome{r.label(), result}]++
		}
	}
	// The counts the note reports.
	keys := make([]outcome, 0, len(tally))
	for k := range tally {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].command != keys[b].command {
			return keys[a].command < keys[b].command
		}
		return keys[a].result < keys[b].result
	})
	var b strings.Builder
	runsDone := 0
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  %-28s %-7s %d", k.command, k.result, tally[k])
		runsDone += tally[k]
	}
	t.Logf("corruption table: %d corruptions of a %d-byte journal, %d commands, %d runs (seed %d):%s",
		len(damaged), len(good), len(runs), runsDone, seed, b.String())
	msgs := make([]string, 0, len(messages))
	for m := range messages {
		msgs = append(msgs, m)
	}
	sort.Strings(msgs)
	t.Logf("%d distinct messages:\n  %s", len(msgs), strings.Join(msgs, "\n  "))
}

// label names a run in the counts: the command and its arguments, paths
// shortened, flags' values left out.
func (r tableRun) label() string {
	var words []string
	for i, a := range r.args {
		if i > 0 && !strings.HasPrefix(a, "-") && strings.HasPrefix(r.args[i-1], "-") || len(words) == 3 {
			continue
		}
		words = append(words, filepath.Base(a))
	}
	return strings.Join(words, " ")
}

// tableStreams are the streams of a run with no terminal.
func tableStreams(out, err *bytes.Buffer) *streams {
	return &streams{in: strings.NewReader(""), out: out, err: err,
		openTTY: func() (*os.File, error) { return nil, errors.New("no terminal") }}
}

// runRecovered runs a command in this process and turns a panic into its
// message.
func runRecovered(args []string, s *streams) (code int, panicked string) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprint(r)
		}
	}()
	return run(args, s), ""
}

var numbers = regexp.MustCompile(`\d+|[a-z2-7]{4}(-[a-z2-7]{4}){5}|/[^ :]+`)

// normalizeMessage replaces numbers, fingerprints and paths, so that
// messages that differ only in them are counted as one.
func normalizeMessage(s string) string {
	return numbers.ReplaceAllString(s, "N")
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func clearFolder(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// dirSnapshot is the files of a folder, to put back.
type dirSnapshot struct {
	root  string
	files map[string][]byte
}

func snapshotDir(t *testing.T, root string) *dirSnapshot {
	t.Helper()
	d := &dirSnapshot{root: root, files: map[string][]byte{}}
	filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			d.files[p] = mustRead(t, p)
		}
		return nil
	})
	return d
}

// restore makes the folder hold exactly the files it held.
func (d *dirSnapshot) restore(t *testing.T) {
	t.Helper()
	filepath.WalkDir(d.root, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			if _, ok := d.files[p]; !ok {
				os.Remove(p)
			}
		}
		return nil
	})
	for p, b := range d.files {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// openFiles describes this process's open files that are path, for a
// leak's message.
func openFiles(path string) string {
	var b strings.Builder
	fds, _ := os.ReadDir("/proc/self/fd")
	for _, fd := range fds {
		if target, _ := os.Readlink("/proc/self/fd/" + fd.Name()); target == path {
			info, _ := os.ReadFile("/proc/self/fdinfo/" + fd.Name())
			fmt.Fprintf(&b, "fd %s: %s\n", fd.Name(), strings.ReplaceAll(string(info), "\n", " "))
		}
	}
	return b.String()
}
