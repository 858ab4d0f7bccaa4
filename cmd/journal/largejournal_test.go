package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// TestLargeJournalReadOneAtATime: a journal whose cache is large enough
// to be read one incident at a time (journal.Store.Select) gives the
// timeline and the exports what the whole journal gives: every incident,
// in the order they happened, each as 'journal show' (which reads the
// whole journal) shows it, an amendment and a void made since the cache
// was written included. The PDF report of a few days reads them the same
// way.
func TestLargeJournalReadOneAtATime(t *testing.T) {
	dir := isolatedJournal(t, "large journal")

	// 1,400 incidents of 4 KB each: a cache over 4 MiB. They are
	// recorded in another order than they happened, in two time zones.
	const n = 1400
	var in struct {
		Incidents []journal.Incident `json:"incidents"`
	}
	base := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	zone := time.FixedZone("", 2*3600)
	for i := range n {
		at := base.Add(time.Duration((i*739)%n) * 7 * time.Hour)
		if i%2 == 1 {
			at = at.In(zone)
		}
		in.Incidents = append(in.Incidents, journal.Incident{Fields: journal.Fields{
			OccurredAt: at, Summary: fmt.Sprintf("Called the surgery (%d)", i+1), Kinds: []string{"phone-call"},
			People:  []journal.Person{{Name: []string{"John Smith", "Mary Smith"}[i%2], Relation: "patient"}},
			Details: strings.Repeat(fmt.Sprintf("He asked for me by name, call %d. ", i+1), 110),
		}})
	}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "diary.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	journalRun(t, "import", file)
	journalRun(t, "amend", "5", "--summary", "Called twice", "--reason", "I missed the second call")
	journalRun(t, "void", "7", "--reason", "the wrong number")

	var tl struct{ Incidents []journal.Incident }
	decode(t, journalRun(t, "timeline", "--format", "json"), &tl)
	out := filepath.Join(dir, "report.json")
	journalRun(t, "export", "--json", "-o", out)
	var ex struct{ Incidents []journal.Incident }
	exported, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	decode(t, string(exported), &ex)
	checkLargePDF(t, dir)

	for name, got := range map[string][]journal.Incident{"timeline": tl.Incidents, "export": ex.Incidents} {
		if len(got) != n-1 {
			t.Fatalf("%s: %d incidents, want %d (one void)", name, len(got), n-1)
		}
		if !slices.IsSortedFunc(got, func(a, b journal.Incident) int { return a.OccurredAt.Compare(b.OccurredAt) }) {
			t.Errorf("%s: the incidents are not in the order they happened", name)
		}
		for _, g := range got {
			switch {
			case g.ID == 7:
				t.Errorf("%s: the void incident 7 is there", name)
			case g.ID == 5 && g.Summary != "Called twice":
				t.Errorf("%s: incident 5 says %q, not its amendment", name, g.Summary)
			case g.ID%97 == 5:
				var shown journal.Incident
				decode(t, journalRun(t, "show", fmt.Sprint(g.ID), "--format", "json"), &shown)
				if a, b := mustJSON(t, g.Fields), mustJSON(t, shown.Fields); a != b {
					t.Errorf("%s: incident %d is\n%s\n'show' gives\n%s", name, g.ID, a, b)
				}
			}
		}
	}
}

// checkLargePDF exports the weeks from incident 5 to 7 as a PDF, read from
// the large journal one incident at a time: its amendment is there, the
// void incident 7 is not.
func checkLargePDF(t *testing.T, dir string) {
	t.Helper()
	if ok, err := condition("tool:pdftotext"); err != nil {
		t.Error(err)
		return
	} else if !ok {
		return
	}
	pdf := filepath.Join(dir, "report.pdf")
	// Incident 5 happened on 15 April 2025 at 21:00, incident 7 on 8 May
	// at 15:00, in UTC.
	journalRun(t, "export", "--pdf", "--from", "2025-04-15", "--to", "2025-05-08", "-o", pdf)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Incident 5 Called twice", "History: 1 amendment", "He asked for me by name, call 5."} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF of the weeks around incident 5 has no %q:\n%.3000s", want, text)
		}
	}
	if strings.Contains(text, "Called the surgery (7)") {
		t.Error("the PDF has the void incident 7")
	}
	if !strings.Contains(text, "Called the surgery (689)") { // 8 May, 01:00
		t.Error("the PDF lacks incident 689, of the same day as the void incident 7")
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
