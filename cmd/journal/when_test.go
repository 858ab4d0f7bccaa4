package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the corpus uses Europe/London on any machine
)

// TestWhenCorpus gives every phrasing of the dates corpus to
// "journal add --when" with the corpus's clock, without a terminal, and
// checks what the journal recorded (read back with timeline --format
// json) or the one line it refused with: exit 2, and for words that could
// mean two times, the choices. Each clock of the corpus has a journal of
// its own: a device's clock never goes back within its journal.
func TestWhenCorpus(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("JOURNAL_PASSPHRASE", "blue heron at dawn")
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", dir)
	defer func(c func() time.Time) { clock = c }(clock)
	journal := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(args, &streams{in: strings.NewReader(""), out: &out, err: &errb,
			openTTY: func() (*os.File, error) { return nil, errors.New("no terminal") }})
		return code, out.String(), errb.String()
	}
	var files []string
	f, err := os.Open("../../dates/testdata/corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var now time.Time
	type accepted struct {
		line      int
		in, want  string
		dateOnly  bool
		approx    bool
		clockZone *time.Location
	}
	var added []accepted
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if strings.HasPrefix(text, "clock ") {
			fs := strings.Fields(text)[1:]
			if now, err = time.Parse(time.RFC3339, fs[0]); err != nil {
				t.Fatal(err)
			}
			if len(fs) > 1 {
				loc, err := time.LoadLocation(fs[1])
				if err != nil {
					t.Fatal(err)
				}
				now = now.In(loc)
			}
			n := now
			clock = func() time.Time { return n }
			files = append(files, filepath.Join(dir, fmt.Sprintf("journal-%d.db", len(files)+1)))
			t.Setenv("JOURNAL_FILE", files[len(files)-1])
			if code, _, e := journal("init"); code != 0 {
				t.Fatalf("init: %s", e)
			}
			continue
		}
		in, want, _ := strings.Cut(text, " => ")
		in, want = strings.TrimSpace(in), strings.TrimSpace(want)
		code, _, stderr := journal("add", "--summary", fmt.Sprint(line), "--when", in)
		switch {
		case strings.HasPrefix(want, "! "), strings.HasPrefix(want, "? "):
			msg := want[2:]
			if want[0] == '?' {
				msg = "could be"
			}
			if code != exitUsage || !strings.Contains(stderr, msg) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("line %d: --when %q: exit %d, %q; want exit 2 and one line with %q", line, in, code, stderr, msg)
			}
		case code != 0:
			t.Errorf("line %d: --when %q: exit %d: %s", line, in, code, stderr)
		default:
			a := accepted{line: line, in: in, clockZone: now.Location()}
			a.approx = strings.HasPrefix(want, "~")
			want = strings.TrimPrefix(want, "~")
			a.dateOnly = strings.HasSuffix(want, " day")
			a.want = corpusRFC3339(t, strings.TrimSuffix(want, " day"), now.Location())
			added = append(added, a)
			if !strings.HasPrefix(stderr, "When: ") {
				t.Errorf("line %d: add did not say when first: %q", line, stderr)
			}
		}
	}
	type timeline struct {
		Incidents []struct {
			Summary     string `json:"summary"`
			OccurredAt  string `json:"occurred_at"`
			DateOnly    bool   `json:"date_only"`
			Approximate bool   `json:"approximate"`
		} `json:"incidents"`
	}
	var tl timeline
	for _, file := range files {
		code, out, stderr := journal("--file", file, "timeline", "--format", "json")
		if code != 0 {
			t.Fatalf("timeline: %s", stderr)
		}
		var part timeline
		if err := json.Unmarshal([]byte(out), &part); err != nil {
			t.Fatal(err)
		}
		tl.Incidents = append(tl.Incidents, part.Incidents...)
	}
	got := map[string]int{}
	for i, in := range tl.Incidents {
		got[in.Summary] = i
	}
	for _, a := range added {
		i, ok := got[fmt.Sprint(a.line)]
		if !ok {
			t.Errorf("line %d: %q is not in the timeline", a.line, a.in)
			continue
		}
		in := tl.Incidents[i]
		if in.OccurredAt != a.want || in.DateOnly != a.dateOnly || in.Approximate != a.approx {
			t.Errorf("line %d: --when %q recorded %s date_only=%v approximate=%v; want %s %v %v",
				a.line, a.in, in.OccurredAt, in.DateOnly, in.Approximate, a.want, a.dateOnly, a.approx)
		}
	}
	if len(added) < 300 {
		t.Errorf("only %d phrasings were recorded", len(added))
	}
	t.Logf("%d phrasings recorded, the rest refused as expected", len(added))
}

// corpusRFC3339 turns a corpus time (2026-11-24 14:30, 2026-11-24 or
// 2026-11-24 14:30 +05:00) into RFC 3339 as the JSON shows it.
func corpusRFC3339(t *testing.T, s string, loc *time.Location) string {
	for _, layout := range []string{"2006-01-02 15:04 -07:00", "2006-01-02 15:04:05.999 -07:00"} {
		if tm, err := time.Parse(layout, s); err == nil {
			return tm.Format(time.RFC3339Nano)
		}
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15:04:05.999", "2006-01-02"} {
		if tm, err := time.ParseInLocation(layout, s, loc); err == nil {
			return tm.Format(time.RFC3339Nano)
		}
	}
	t.Fatalf("corpus time %q", s)
	return ""
}
