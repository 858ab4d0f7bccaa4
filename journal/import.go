package journal

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
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
	Changed []Field
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
	// The columns of 'journal timeline --format csv', so that its CSV
	// reads back.
	"occurred_at": "date", "approximate": "approximate", "told_by": "told_by", "told by": "told_by",
	"void": "void", "void_reason": "void_reason",
	"first_hand": "first_hand", "first hand": "first_hand", "first-hand": "first_hand",
	"daily_life": "daily_life", "daily life": "daily_life",
	"evidence_kept": "evidence_kept", "evidence kept": "evidence_kept",
	"private notes": "private_notes", "private_notes": "private_notes", "notes": "private_notes",
	"id": "-id", "recorded_at": "-recorded_at", "attachments": "-attachments", "amendments": "-amendments", "imported": "-imported",
}

// CSVColumns lists the column names [ParseCSV] knows, for messages.
const CSVColumns = "date, time, location, description, people, witnesses, evidence, police reference " +
	"(and summary, end, kind, words, actions, reported to, told by, impact, severity, tags, " +
	"and the columns 'journal timeline --format csv' writes)"

// ParseCSV reads incidents from a diary kept as CSV. Its first row names
// the columns, in any order and any case (see [CSVColumns]); "date" and one
// of "description" or "summary" are needed. Dates are read by [dates.Parse]
// relative to now: ISO 8601 or day first, or words. A row without a time
// is a day, its time not stated. Each cell is read as its field's written form (see
// [FieldSpecs]): witnesses and reports one a line ("Ann Lee; 0123" is one
// witness, "Police; CAD 1; PC Jones" one report), people, kinds, tags and
// actions one a line or separated by ";". The CSV that 'journal timeline
// --format csv' writes reads back, people with their descriptions. The
// first bad row is an [ImportError] naming its line. It reads the whole file
// (see [CSVReader]); 'journal import' reads one row at a time instead.
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

// csvIncident makes one incident of a row's cells, by column. Each cell
// is read as its field's written form; a cell of people, witnesses or
// reports holds one a line ("Ann Lee; 0123" is one witness), other lists
// one a line or separated by ";".
func csvIncident(v map[string]string, exported bool, now time.Time) (Imported, error) {
	var f Fields
	if v["date"] == "" {
		return Imported{}, errors.New("no date")
	}
	when := v["date"]
	if v["time"] != "" {
		when += " " + v["time"]
	}
	if a := v["approximate"]; a != "" {
		f.Approximate = strings.EqualFold(a, "true") || strings.EqualFold(a, "yes")
	}
	until := v["until"]
	if until != "" && !strings.ContainsAny(until, "-/") {
		until = v["date"] + " " + until // a time alone is on the same day
	}
	oneLine := func(s string) []string { return []string{s} }
	// A diary separates people by ";"; the CSV of 'journal timeline'
	// writes one a line, each in its written form, description included.
	people, witnesses := splitCell, diaryWitnesses
	if exported {
		people, witnesses = splitLines, splitLines
	}
	cells := []struct {
		name  Field
		value string
		split func(string) []string
	}{
		{FieldWhen, when, oneLine},
		{FieldUntil, until, oneLine},
		{FieldWhere, v["location"], oneLine},
		{FieldWho, v["people"], people},
		{FieldKind, v["kind"], splitCell},
		{FieldSummary, v["summary"], oneLine},
		{FieldDetails, v["description"], oneLine},
		{FieldWords, v["words"], oneLine},
		{FieldToldBy, v["told_by"], oneLine},
		{FieldFirstHand, v["first_hand"], oneLine},
		{FieldWitness, v["witnesses"], witnesses},
		{FieldAction, v["actions"], splitCell},
		{FieldReported, v["reported"], splitLines},
		{FieldImpact, v["impact"], oneLine},
		{FieldDailyLife, v["daily_life"], oneLine},
		{FieldEvidenceKept, v["evidence_kept"], oneLine},
		{FieldPrivateNotes, v["private_notes"], oneLine},
		{FieldSeverity, v["severity"], oneLine},
		{FieldTag, v["tags"], splitCell},
	}
	for _, c := range cells {
		s, _ := LookupField(c.name)
		if err := s.Set(&f, c.split(c.value), now); err != nil {
			if c.name == FieldUntil {
				return Imported{}, fmt.Errorf("end: %w", err)
			}
			return Imported{}, err
		}
	}
	if ref := v["police"]; ref != "" {
		f.Reported = append([]Report{{To: "Police", Reference: ref}}, f.Reported...)
	}
	if f.Summary == "" {
		f.Summary = firstLine(f.Details)
	}
	im := Imported{Fields: f, Evidence: splitCell(v["evidence"])}
	if len(im.Evidence) > 0 {
		note := "Evidence listed in the diary: " + strings.Join(im.Evidence, "; ")
		im.Fields.Details = strings.TrimSpace(im.Fields.Details + "\n\n" + note)
	}
	if strings.EqualFold(v["void"], "true") {
		im.Void = v["void_reason"]
		if im.Void == "" {
			im.Void = "void in the file imported"
		}
	}
	if err := im.Fields.Validate(); err != nil {
		if strings.TrimSpace(f.Summary) == "" {
			return Imported{}, errors.New("no description")
		}
		return Imported{}, err
	}
	return im, nil
}

// diaryWitnesses reads the witnesses of a diary's cell: one a line, or
// separated by ";", where a part that looks like a phone number or an
// email address is the contact of the witness before it: "Ann Lee; 01632
// 960123" is one witness, "Ann Lee; Raj Patel" two.
func diaryWitnesses(s string) []string {
	var out []string
	contact := false // the last witness has a contact
	for _, line := range splitLines(s) {
		contact = false
		for part := range strings.SplitSeq(line, ";") {
			part = strings.TrimSpace(part)
			switch {
			case part == "":
			case len(out) > 0 && !contact && strings.ContainsAny(part, "0123456789@"):
				out[len(out)-1] += "; " + part
				contact = true
			default:
				out = append(out, part)
				contact = false
			}
		}
	}
	return out
}

// splitLines splits a cell holding a list one item a line.
func splitLines(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, "\n") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// splitCell splits a cell holding a list of short items on ";" and new
// lines.
func splitCell(s string) []string {
	var out []string
	for item := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ';' || r == '\n' }) {
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
