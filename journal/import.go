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
}

// CSVColumns lists the column names [ParseCSV] knows, for messages.
const CSVColumns = "date, time, location, description, people, witnesses, evidence, police reference " +
	"(and summary, end, kind, words, actions, reported to, impact, severity, tags)"

// ParseCSV reads incidents from a diary kept as CSV. Its first row names
// the columns, in any order and any case (see [CSVColumns]); "date" and one
// of "description" or "summary" are needed. Dates are read by [dates.Parse]
// relative to now: ISO 8601 or day first, or words. A row without a time
// is a day, its time not stated. Lists (people, witnesses, tags...) are separated by ";". The
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
		im, err := csvIncident(v, now)
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
