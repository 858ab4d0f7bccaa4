package journal

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
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

func (e *ImportError) Error() string { return e.Where + ": " + e.Reason }

// maxImport bounds what one import reads, so that a wrong file given by
// mistake fails quickly instead of filling the memory.
const maxImport = 256 << 20

// ParseJSON reads incidents from the JSON that 'journal timeline --format
// json' writes (an object with "incidents"), from a list of incidents, or
// from one incident as 'journal show --format json' writes it. Each
// incident keeps its fields, its amendments and its void mark; ids and
// recorded_at are the importing journal's to give.
func ParseJSON(r io.Reader) ([]Imported, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImport+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxImport {
		return nil, fmt.Errorf("the file is larger than %d MiB", maxImport>>20)
	}
	if !utf8.Valid(data) {
		// JSON decoding would put U+FFFD in place of the bytes.
		return nil, errors.New("not UTF-8 text: it would not be imported as written; save it as UTF-8")
	}
	data = bytes.TrimSpace(data)
	var list []json.RawMessage
	switch {
	case len(data) == 0:
		return nil, errors.New("the file is empty")
	case data[0] == '[':
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, fmt.Errorf("not JSON: %w", err)
		}
	case data[0] == '{':
		var top map[string]json.RawMessage
		if err := json.Unmarshal(data, &top); err != nil {
			return nil, fmt.Errorf("not JSON: %w", err)
		}
		if inc, ok := top["incidents"]; ok {
			if err := json.Unmarshal(inc, &list); err != nil {
				return nil, fmt.Errorf(`"incidents" is not a list: %w`, err)
			}
		} else {
			list = []json.RawMessage{data}
		}
	default:
		return nil, errors.New(`not JSON: it should start with "{" or "["`)
	}
	out := make([]Imported, 0, len(list))
	for i, raw := range list {
		where := fmt.Sprintf("incident %d of %d", i+1, len(list))
		var in Incident
		if err := json.Unmarshal(raw, &in); err != nil {
			return nil, &ImportError{Where: where, Reason: err.Error()}
		}
		if in.ID != 0 {
			where = fmt.Sprintf("incident %d (id %d)", i+1, in.ID)
		}
		im := Imported{Fields: in.Fields}
		versions := make([]Fields, 0, len(in.Amendments)+1)
		for _, a := range in.Amendments {
			versions = append(versions, a.Previous)
		}
		versions = append(versions, in.Fields)
		im.Fields = versions[0]
		for j, a := range in.Amendments {
			if strings.TrimSpace(a.Reason) == "" {
				return nil, &ImportError{Where: where, Reason: fmt.Sprintf("amendment %d has no reason", j+1)}
			}
			im.Amendments = append(im.Amendments, ImportedAmendment{Fields: versions[j+1], Reason: a.Reason, Changed: a.Changed})
		}
		if in.Void != nil {
			im.Void = in.Void.Reason
			if strings.TrimSpace(im.Void) == "" {
				im.Void = "void in the journal it was imported from"
			}
		}
		for _, a := range in.Attachments {
			im.Evidence = append(im.Evidence, a.Name)
		}
		for j := range versions {
			if err := versions[j].Validate(); err != nil {
				return nil, &ImportError{Where: where, Reason: err.Error()}
			}
		}
		out = append(out, im)
	}
	return out, nil
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
// first bad row is an [ImportError] naming its line.
func ParseCSV(r io.Reader, now time.Time) ([]Imported, error) {
	cr := csv.NewReader(io.LimitReader(r, maxImport))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty: its first row should name the columns (" + CSVColumns + ")")
	}
	if err != nil {
		return nil, csvError(err)
	}
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.ToLower(strings.Join(strings.Fields(strings.TrimPrefix(h, "\ufeff")), " "))
		col, ok := csvColumns[name]
		if !ok {
			return nil, &ImportError{Where: "line 1", Reason: fmt.Sprintf("unknown column %q: the columns can be %s", h, CSVColumns)}
		}
		if seen[col] {
			return nil, &ImportError{Where: "line 1", Reason: fmt.Sprintf("column %q is there twice", h)}
		}
		seen[col], cols[i] = true, col
	}
	exported := slices.Contains(header, "occurred_at")
	if !seen["date"] || !(seen["description"] || seen["summary"]) {
		return nil, &ImportError{Where: "line 1", Reason: `the first row must name the columns, with at least "date" and "description"`}
	}
	var out []Imported
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		v := map[string]string{}
		empty := true
		for i, cell := range row {
			if i >= len(cols) {
				if strings.TrimSpace(cell) != "" {
					return nil, &ImportError{Where: fmt.Sprintf("line %d", line), Reason: fmt.Sprintf("%d cells, but the header names %d columns", len(row), len(cols))}
				}
				continue
			}
			if !utf8.ValidString(cell) {
				return nil, &ImportError{Where: fmt.Sprintf("line %d", line), Reason: "not UTF-8 text: save the file as UTF-8"}
			}
			v[cols[i]] = strings.TrimSpace(cell)
			empty = empty && v[cols[i]] == ""
		}
		if empty {
			continue
		}
		im, err := csvIncident(v, exported, now)
		if err != nil {
			return nil, &ImportError{Where: fmt.Sprintf("line %d", line), Reason: err.Error()}
		}
		out = append(out, im)
	}
	if len(out) == 0 {
		return nil, errors.New("no incidents: the file has a header row and nothing else")
	}
	return out, nil
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
