package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// journalRun runs the command line in this process and returns its
// standard output, failing the test on any exit status but 0.
func journalRun(t *testing.T, args ...string) string {
	t.Helper()
	var out, errs bytes.Buffer
	s := &streams{in: strings.NewReader(""), out: &out, err: &errs,
		openTTY: func() (*os.File, error) { return nil, os.ErrNotExist }}
	if code := run(args, s); code != 0 {
		t.Fatalf("journal %s: exit %d: %s", strings.Join(args, " "), code, errs.String())
	}
	return out.String()
}

// isolatedJournal makes a journal in a temporary folder, with the
// passphrase given, for tests that run the command line in this process:
// HOME and the XDG folders are the test's own, and JOURNAL_FILE names the
// journal. It returns the folder.
func isolatedJournal(t *testing.T, passphrase string) string {
	t.Helper()
	dir := t.TempDir()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"} {
		t.Setenv(v, filepath.Join(dir, strings.ToLower(v)))
	}
	t.Setenv("JOURNAL_IDENTITY", "")
	t.Setenv("NO_COLOR", "1")
	t.Setenv("JOURNAL_PASSPHRASE", passphrase)
	t.Setenv("JOURNAL_FILE", filepath.Join(dir, "journal.db"))
	journalRun(t, "init")
	return dir
}

// TestRoundTrip records an incident with every field by flags and checks
// that each field comes back unchanged, offsets and seconds included, from
// show, the timeline's JSON, the CSV and the JSON export read back by
// import, and in the text of show, the Markdown and the PDF.
func TestRoundTrip(t *testing.T) {
	dir := isolatedJournal(t, "round trip")

	want, err := journal.ExampleFields(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"add"}
	for _, s := range journal.FieldSpecs() {
		if s.Name == journal.FieldApprox {
			args = append(args, "--approx")
			continue
		}
		for _, v := range s.Example {
			args = append(args, "--"+string(s.Name), v)
		}
	}
	if id := strings.TrimSpace(journalRun(t, args...)); id != "1" {
		t.Fatalf("add printed %q, want 1", id)
	}
	// A private field never leaves the journal: an export, read back,
	// has none.
	same := func(from string, got *journal.Fields) {
		t.Helper()
		exported := strings.HasPrefix(from, "export")
		for _, s := range journal.FieldSpecs() {
			w := s.Values(&want)
			if s.Private && exported {
				w = nil
			}
			if g := s.Values(got); !slices.Equal(g, w) {
				t.Errorf("%s: %s = %q, want %q", from, s.Name, g, w)
			}
		}
	}
	var shown journal.Incident
	decode(t, journalRun(t, "show", "1", "--format", "json"), &shown)
	same("show --format json", &shown.Fields)
	var tl struct{ Incidents []journal.Incident }
	decode(t, journalRun(t, "timeline", "--format", "json"), &tl)
	same("timeline --format json", &tl.Incidents[0].Fields)

	for _, format := range []string{"csv", "json"} {
		file := filepath.Join(dir, "export."+format)
		journalRun(t, "export", "--"+format, "-o", file)
		t.Setenv("JOURNAL_FILE", filepath.Join(dir, format+".db"))
		journalRun(t, "init")
		journalRun(t, "import", file)
		var back journal.Incident
		decode(t, journalRun(t, "show", "1", "--format", "json"), &back)
		same("export --"+format+", then import", &back.Fields)
		t.Setenv("JOURNAL_FILE", filepath.Join(dir, "journal.db"))
	}

	texts := map[string]string{"show": journalRun(t, "show", "1")}
	md := filepath.Join(dir, "report.md")
	journalRun(t, "export", "--markdown", "-o", md)
	texts["export --markdown"] = strings.ReplaceAll(readFile(t, md), `\`, "")
	if ok, err := condition("tool:pdftotext"); err != nil {
		t.Error(err)
	} else if ok {
		pdf := filepath.Join(dir, "report.pdf")
		journalRun(t, "export", "--pdf", "-o", pdf)
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		texts["export --pdf"] = string(out)
	}
	for from, text := range texts {
		text = strings.Join(strings.Fields(text), " ")
		for _, s := range journal.FieldSpecs() {
			for _, v := range shownAs(s, &want) {
				has := strings.Contains(text, strings.Join(strings.Fields(v), " "))
				if private := s.Private && from != "show"; private && has {
					t.Errorf("%s shows the private field %s", from, s.Name)
				} else if !private && !has {
					t.Errorf("%s does not show %s: %q is missing", from, s.Name, v)
				}
			}
		}
	}
}

// shownAs is what a text for people must hold of a field: times to the
// second with their offset, the approximate mark as "about", other
// fields' items a line at a time.
func shownAs(s journal.FieldSpec, f *journal.Fields) []string {
	switch s.Name {
	case journal.FieldWhen:
		return []string{f.OccurredAt.Format("Mon 2 Jan 2006 15:04:05"), "UTC+05:00"}
	case journal.FieldUntil:
		return []string{f.Until.Format("15:04:05")}
	case journal.FieldApprox:
		return []string{"about"}
	case journal.FieldKind:
		// In words, as the form offers them ("in person").
		var labels []string
		for _, k := range f.Kinds {
			labels = append(labels, journal.KindLabel(k))
		}
		return labels
	}
	var out []string
	for _, v := range s.Values(f) {
		out = append(out, strings.Split(v, "\n")...)
	}
	return out
}

func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("reading JSON: %v\n%s", err, s)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
