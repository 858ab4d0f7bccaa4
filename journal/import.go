package journal

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/journal-dev/journal/dates"
)

// Imported is one incident read by [ParseJSON] or [ParseCSV], ready to be
// recorded by [ImportRecords].
type Imported struct {
	// Fields are the incident's first version.
	Fields Fields
	// Amendments are its later versions, oldest first, as the exported
	// journal recorded them.
	Amendments []ImportedAmendment
	// Void is the reason it was withdrawn, if it was.
	Void string
	// Evidence lists evidence files that the source names but does not
	// hold; they are not imported.
	Evidence []string
	// Where names the row or item it was read from, like "line 7".
	Where string
}

// ImportedAmendment is one correction of an imported incident.
type ImportedAmendment struct {
	Fields  Fields
	Reason  string
	Changed []string
}

// ImportError says which part of the input could not be read: a line of a
// CSV file, an incident of a JSON file.
type ImportError struct {
	// Where names the part, like "line 7" or "incident 3".
	Where  string
	Reason string
}

func (e *ImportError) Error() string {
	if e.Where == "" {
		return e.Reason
	}
	return e.Where + ": " + e.Reason
}

// ParseJSON reads all the incidents of a JSON export (see [JSONReader]):
// the JSON that 'journal timeline --format json' writes (an object with
// "incidents"), a list of incidents, or one incident as 'journal show
// --format json' writes it. Each incident keeps its fields, its amendments
// and its void mark; ids and recorded_at are the importing journal's to
// give. 'journal import' reads one incident at a time instead.
func ParseJSON(r io.Reader) ([]Imported, error) {
	jr, err := NewJSONReader(r)
	if err != nil {
		return nil, err
	}
	return readAll(jr)
}

// readAll reads every incident of an import.
func readAll(r ImportReader) ([]Imported, error) {
	var out []Imported
	for {
		im, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, im)
	}
}

// csvColumns are the columns a CSV diary may have, by the names its header
// row may give them (any case).
var csvColumns = map[string]string{
	"date": "date", "day": "date",
	"time": "time",
	"end":  "until", "until": "until", "end time": "until",
	"location": "location", "place": "location", "where": "location",
	"description": "description", "details": "description", "account": "description", "what happened": "description",
	"summary": "summary",
	"people":  "people", "person": "people", "who": "people",
	"witnesses": "witnesses", "witness": "witnesses",
	"evidence":         "evidence",
	"police reference": "police", "police ref": "police", "crime reference": "police", "police": "police",
	"kind": "kind", "kinds": "kind", "type": "kind",
	"words": "words", "words used": "words",
	"impact":   "impact",
	"severity": "severity",
	"tags":     "tags", "tag": "tags",
	"action": "actions", "actions": "actions", "what i did": "actions",
	"reported to": "reported", "reported": "reported",
}

// CSVColumns lists the column names [ParseCSV] knows, for messages.
const CSVColumns = "date, time, location, description, people, witnesses, evidence, police reference " +
	"(and summary, end, kind, words, actions, reported to, impact, severity, tags)"

// ParseCSV reads all the incidents of a diary kept as CSV (see
// [CSVReader]). Its first row names the columns, in any order and any case
// (see [CSVColumns]); "date" and one of "description" or "summary" are
// needed. Dates are read by [ParseTime] relative to now: ISO 8601 or day
// first. A row without a time is approximate. Lists (people, witnesses,
// tags...) are separated by ";". The first bad row is an [ImportError]
// naming its line. 'journal import' reads one row at a time instead.
func ParseCSV(r io.Reader, now time.Time) ([]Imported, error) {
	cr, err := NewCSVReader(r, now)
	if err != nil {
		return nil, err
	}
	return readAll(cr)
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ImportError{Where: fmt.Sprintf("line %d", pe.Line), Reason: pe.Err.Error()}
	}
	return err
}

// csvIncident makes one incident of a row's cells, by column.
func csvIncident(v map[string]string, now time.Time) (Imported, error) {
	var f Fields
	if v["date"] == "" {
		return Imported{}, errors.New("no date")
	}
	when := v["date"]
	if v["time"] != "" {
		when += " " + v["time"]
	}
	t, err := dates.Parse(when, now)
	if err != nil {
		return Imported{}, err
	}
	f.SetWhen(t)
	if v["until"] != "" {
		u := v["until"]
		if !strings.ContainsAny(u, "-/") {
			u = v["date"] + " " + u // a time alone is on the same day
		}
		end, err := dates.Parse(u, now)
		if err != nil {
			return Imported{}, fmt.Errorf("end: %w", err)
		}
		f.SetUntil(&end)
	}
	f.Place = v["location"]
	f.Details = v["description"]
	f.Summary = v["summary"]
	if f.Summary == "" {
		f.Summary = firstLine(f.Details)
	}
	for _, s := range splitCell(v["people"]) {
		p, err := ParsePerson(s)
		if err != nil {
			return Imported{}, err
		}
		f.People = append(f.People, p)
	}
	for _, s := range splitCell(v["witnesses"]) {
		f.Witnesses = append(f.Witnesses, Witness{Name: s})
	}
	for _, k := range splitCell(v["kind"]) {
		k = strings.ReplaceAll(strings.ToLower(k), " ", "-")
		if !slices.Contains(Kinds, k) {
			return Imported{}, fmt.Errorf("unknown kind %q: use one of %s", k, strings.Join(Kinds, ", "))
		}
		f.Kinds = append(f.Kinds, k)
	}
	if ref := v["police"]; ref != "" {
		f.Reported = append(f.Reported, Report{To: "Police", Reference: ref})
	}
	for _, s := range splitCell(v["reported"]) {
		r, err := ParseReport(s)
		if err != nil {
			return Imported{}, err
		}
		f.Reported = append(f.Reported, r)
	}
	f.Words = v["words"]
	f.Impact = v["impact"]
	f.Severity = strings.ToLower(v["severity"])
	f.Tags = splitCell(v["tags"])
	f.Actions = splitCell(v["actions"])
	im := Imported{Fields: f, Evidence: splitCell(v["evidence"])}
	if len(im.Evidence) > 0 {
		note := "Evidence listed in the diary: " + strings.Join(im.Evidence, "; ")
		im.Fields.Details = strings.TrimSpace(im.Fields.Details + "\n\n" + note)
	}
	if err := im.Fields.Validate(); err != nil {
		if strings.TrimSpace(f.Summary) == "" {
			return Imported{}, errors.New("no description")
		}
		return Imported{}, err
	}
	return im, nil
}

// splitCell splits a cell holding a list on ";".
func splitCell(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ";") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// firstLine returns the first line of a text, cut at a sentence's end or
// at about 100 characters, for a summary.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i+1]
	}
	if utf8.RuneCountInString(s) > 100 {
		r := []rune(s)[:100]
		s = strings.TrimSpace(string(r)) + "…"
	}
	return s
}

// ImportRecords returns the records that bring the incidents into a
// journal, in the order given, for one [Store.Append]: each incident is
// marked imported, and its amendments and void follow it. recordedAt is
// the time of the import.
func ImportRecords(items []Imported, recordedAt time.Time) []*Record {
	recs := make([]*Record, 0, len(items))
	for i := range items {
		im := &items[i]
		f := im.Fields
		recs = append(recs, &Record{Type: TypeIncident, RecordedAt: recordedAt, Fields: &f, Imported: true})
		for j := range im.Amendments {
			a := &im.Amendments[j]
			recs = append(recs, &Record{Type: TypeAmendment, RecordedAt: recordedAt, Fields: &a.Fields,
				Reason: a.Reason, Changed: a.Changed})
		}
		if im.Void != "" {
			recs = append(recs, &Record{Type: TypeVoid, RecordedAt: recordedAt, Reason: im.Void})
		}
	}
	return recs
}
