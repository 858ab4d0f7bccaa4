package journal_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

var importNow = time.Date(2026, 11, 25, 7, 30, 0, 0, time.UTC)

func TestParseCSV(t *testing.T) {
	in := "\ufeffPOLICE REFERENCE,  Date ,time,description,people,location,until,kind,severity,tags\n" +
		"CAD 1,24/11/2026,14:30,Waited by my car. He left at three.,John Smith (patient); Mary Smith (relative),Car park,15:00,in person;following,High,car-park\n" +
		",,,,,,,,,\n" +
		",2026-11-20,,\"Called,\nthen texted\",,,,,,\n"
	got, err := journal.ParseCSV(strings.NewReader(in), importNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("ParseCSV gave %d incidents, want 2 (the empty row skipped)", len(got))
	}
	f := got[0].Fields
	if f.OccurredAt != time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC) || f.Until == nil || f.Until.Hour() != 15 {
		t.Errorf("times = %v until %v", f.OccurredAt, f.Until)
	}
	if f.Summary != "Waited by my car." || f.Place != "Car park" || len(f.People) != 2 || f.People[1].Relation != "relative" {
		t.Errorf("fields = %+v", f)
	}
	if strings.Join(f.Kinds, ",") != "in-person,following" || f.Severity != "high" || f.Reported[0].Reference != "CAD 1" {
		t.Errorf("kinds, severity, reported = %v %q %v", f.Kinds, f.Severity, f.Reported)
	}
	if g := got[1].Fields; !g.DateOnly || g.Approximate || g.Summary != "Called," || g.Details != "Called,\nthen texted" {
		t.Errorf("second = %+v", g)
	}
}

func TestParseCSVErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "the file is empty"},
		{"date,description\n", "no incidents"},
		{"date\n2026-01-01\n", `line 1: the first row must name the columns`},
		{"date,description,date\n", `line 1: column "date" is there twice`},
		{"date,description,colour\n", `line 1: unknown column "colour"`},
		{strings.Repeat("\x00", 4096), "line 1: this is not a text file"},
		{"date,description," + strings.Repeat("x", 500) + "\n", `line 1: unknown column "` + strings.Repeat("x", 40) + `..."`},
		{"date,description\n2026-01-01,a\n2026-01-02,b,c\n", "line 3: 3 cells, but the header names 2 columns"},
		{"date,description\n2026-01-01,a\nsoon,b\n", `line 3: cannot read the time "soon"`},
		{"date,description\n,a\n", "line 2: no date"},
		{"date,description,people\n2026-01-01,a,Bob (enemy)\n", `line 2: unknown relation "enemy"`},
		{"date,description,kind\n2026-01-01,a,shouting\n", `line 2: unknown kind "shouting"`},
		{"date,description,severity\n2026-01-01,a,extreme\n", `line 2: unknown severity`},
		{"date,description\n2026-01-01,\"a\n", "line 2: "},
		{"date,description\n2026-01-01,\xff\xfe\n", "line 2: not UTF-8"},
	}
	for _, tt := range tests {
		_, err := journal.ParseCSV(strings.NewReader(tt.in), importNow)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseCSV(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestParseJSONShapes(t *testing.T) {
	one := `{"id": 4, "occurred_at": "2026-11-24T14:30:00Z", "summary": "Waited", "people": [{"name": "John", "relation": "patient"}]}`
	for _, in := range []string{one, "[" + one + "]", `{"incidents": [` + one + `], "summary": {}}`} {
		got, err := journal.ParseJSON(strings.NewReader(in))
		if err != nil || len(got) != 1 || got[0].Fields.Summary != "Waited" || got[0].Fields.People[0].Name != "John" {
			t.Errorf("ParseJSON(%.30q) = %+v, %v", in, got, err)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"", "empty"},
		{"hello", "not JSON"},
		{`{"incidents": 3}`, `"incidents" is not a list`},
		{`[{"summary": "x"}]`, "incident 1: no time given"},
		{`[{"occurred_at": "2026-01-01T00:00:00Z", "summary": "x", "amendments": [{"reason": ""}]}]`, "amendment 1 has no reason"},
	} {
		_, err := journal.ParseJSON(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseJSON(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

// FuzzParseCSV checks that no input panics, and that every incident read
// is valid.
func FuzzParseCSV(f *testing.F) {
	f.Add("date,time,description\n2026-01-01,10:00,x\n")
	f.Add("Date,Location,Description,People,Witnesses,Evidence,Police Reference\n24/11/2026,Home,\"a\nb\",John (patient); Ann,Raj,photo,CAD 1\n")
	f.Add("date,description,until,kind\nyesterday 3pm,x,16:00,phone call\n")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := journal.ParseCSV(strings.NewReader(in), importNow)
		if err != nil {
			return
		}
		for _, im := range got {
			if err := im.Fields.Validate(); err != nil {
				t.Fatalf("ParseCSV(%q) gave an invalid incident: %v", in, err)
			}
		}
	})
}

// FuzzParseJSON checks that no input panics, that every incident read is
// valid, and that what is read survives being written and read again.
func FuzzParseJSON(f *testing.F) {
	f.Add(`{"incidents": [{"id": 1, "occurred_at": "2026-11-24T14:30:00Z", "summary": "x", "void": {"reason": "dup"}}]}`)
	f.Add(`[{"occurred_at": "2026-11-24T14:30:00Z", "summary": "y", "amendments": [{"reason": "r", "previous": {"occurred_at": "2026-11-24T14:00:00Z", "summary": "z"}}]}]`)
	f.Fuzz(func(t *testing.T, in string) {
		got, err := journal.ParseJSON(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, im := range got {
			if err := im.Fields.Validate(); err != nil {
				t.Fatalf("ParseJSON(%q) gave an invalid incident: %v", in, err)
			}
			data, err := json.Marshal(im.Fields)
			if err != nil {
				t.Fatal(err)
			}
			again, err := journal.ParseJSON(bytes.NewReader(data))
			if err != nil || len(again) != 1 {
				t.Fatalf("ParseJSON of %s again: %v", data, err)
			}
		}
	})
}

// diaryCSV makes a CSV diary of n rows.
func diaryCSV(n int) string {
	var b strings.Builder
	b.WriteString("date,time,location,description,people,witnesses,police reference\n")
	start := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range n {
		t := start.Add(time.Duration(i) * 3 * time.Hour)
		fmt.Fprintf(&b, "%s,%s,Surgery,\"Incident number %d. He called again and would not stop.\",John Smith (patient),Ann Lee,\n",
			t.Format("02/01/2006"), t.Format("15:04"), i)
	}
	return b.String()
}

// BenchmarkImport10k parses a diary of 10,000 incidents and appends them
// in one transaction, sealed to a post-quantum recipient as 'journal
// import' does. One op is the whole import.
func BenchmarkImport10k(b *testing.B) {
	diary := diaryCSV(10000)
	for range b.N {
		b.StopTimer()
		s, _ := openJournal(b)
		id, err := crypto.Generate(false)
		if err != nil {
			b.Fatal(err)
		}
		sealer, _ := crypto.NewSealer([]string{id.Recipient()})
		b.StartTimer()
		items, err := journal.ParseCSV(strings.NewReader(diary), importNow)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Append(sealer, journal.ImportRecords(items, importNow)...); err != nil {
			b.Fatal(err)
		}
	}
}
