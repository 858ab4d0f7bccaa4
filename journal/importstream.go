package journal

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ImportReader gives the incidents of an import one at a time, so that a
// file of any length is read in bounded memory. Next returns [io.EOF]
// after the last one.
type ImportReader interface {
	Next() (Imported, error)
}

// CSVReader reads a diary kept as CSV one row at a time (see [ParseCSV]).
type CSVReader struct {
	cr   *csv.Reader
	cols []string
	now  time.Time
	rows int
	// exported is set for the CSV 'journal timeline --format csv' wrote.
	exported bool
}

// NewCSVReader reads the header row of a CSV diary, which names the
// columns (see [CSVColumns]).
func NewCSVReader(r io.Reader, now time.Time) (*CSVReader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
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
			if strings.ContainsRune(h, 0) || !utf8.ValidString(h) {
				return nil, &ImportError{Where: "line 1", Reason: "this is not a text file: give a CSV diary, or the JSON of 'journal timeline --format json'"}
			}
			return nil, &ImportError{Where: "line 1", Reason: fmt.Sprintf("unknown column %q: the columns can be %s", shortColumn(h), CSVColumns)}
		}
		if seen[col] {
			return nil, &ImportError{Where: "line 1", Reason: fmt.Sprintf("column %q is there twice", shortColumn(h))}
		}
		seen[col], cols[i] = true, col
	}
	if !seen["date"] || !(seen["description"] || seen["summary"]) {
		return nil, &ImportError{Where: "line 1", Reason: `the first row must name the columns, with at least "date" and "description"`}
	}
	return &CSVReader{cr: cr, cols: cols, now: now, exported: slices.Contains(header, "occurred_at")}, nil
}

// shortColumn cuts a column name found in a header row to a length that
// fits in one line of a message.
func shortColumn(h string) string {
	const most = 40
	if r := []rune(h); len(r) > most {
		return string(r[:most]) + "..."
	}
	return h
}

// Next returns the incident of the next row that is not empty. The first
// bad row is an [ImportError] naming its line; after the last row, Next
// returns io.EOF, or an error if there was no row at all.
func (c *CSVReader) Next() (Imported, error) {
	for {
		row, err := c.cr.Read()
		if err == io.EOF {
			if c.rows == 0 {
				return Imported{}, errors.New("no incidents: the file has a header row and nothing else")
			}
			return Imported{}, io.EOF
		}
		if err != nil {
			return Imported{}, csvError(err)
		}
		line, _ := c.cr.FieldPos(0)
		where := fmt.Sprintf("line %d", line)
		v := make(map[string]string, len(c.cols))
		empty := true
		for i, cell := range row {
			if i >= len(c.cols) {
				if strings.TrimSpace(cell) != "" {
					return Imported{}, &ImportError{Where: where, Reason: fmt.Sprintf("%d cells, but the header names %d columns", len(row), len(c.cols))}
				}
				continue
			}
			if !utf8.ValidString(cell) {
				return Imported{}, &ImportError{Where: where, Reason: "not UTF-8 text: save the file as UTF-8"}
			}
			v[c.cols[i]] = strings.TrimSpace(cell)
			empty = empty && v[c.cols[i]] == ""
		}
		if empty {
			continue
		}
		im, err := csvIncident(v, c.exported, c.now)
		if err != nil {
			return Imported{}, &ImportError{Where: where, Reason: err.Error()}
		}
		c.rows++
		im.Where = where
		return im, nil
	}
}

// JSONReader reads the incidents of a JSON export one at a time (see
// [ParseJSON]): the list under "incidents" of 'journal timeline --format
// json', a list of incidents, or one incident.
type JSONReader struct {
	dec   *json.Decoder
	n     int
	list  bool // inside the list of incidents
	done  bool
	whole []json.RawMessage // one incident given whole
}

// NewJSONReader starts reading a JSON export.
func NewJSONReader(r io.Reader) (*JSONReader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	j := &JSONReader{dec: json.NewDecoder(br)}
	tok, err := j.dec.Token()
	if err == io.EOF {
		return nil, errors.New("the file is empty")
	}
	if err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	switch tok {
	case json.Delim('['):
		j.list = true
		return j, nil
	case json.Delim('{'):
	default:
		return nil, errors.New(`not JSON: it should start with "{" or "["`)
	}
	// An object: the timeline's, with "incidents", or one incident.
	fields := map[string]json.RawMessage{}
	for j.dec.More() {
		tok, err := j.dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not JSON: %w", err)
		}
		key, _ := tok.(string)
		if key == "incidents" {
			if tok, err := j.dec.Token(); err != nil || tok != json.Delim('[') {
				return nil, errors.New(`"incidents" is not a list`)
			}
			j.list = true
			return j, nil
		}
		var v json.RawMessage
		if err := j.dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("not JSON: %w", err)
		}
		fields[key] = v
	}
	whole, err := json.Marshal(fields)
	if err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	j.whole = []json.RawMessage{whole}
	return j, nil
}

// Next returns the next incident, with its amendments and void mark.
func (j *JSONReader) Next() (Imported, error) {
	var raw json.RawMessage
	switch {
	case j.done:
		return Imported{}, io.EOF
	case !j.list:
		if len(j.whole) == 0 {
			j.done = true
			return Imported{}, io.EOF
		}
		raw, j.whole = j.whole[0], nil
	case !j.dec.More():
		// The end of the list; what follows it is not read.
		j.done = true
		if j.n == 0 {
			return Imported{}, errors.New("no incidents in the file")
		}
		return Imported{}, io.EOF
	default:
		if err := j.dec.Decode(&raw); err != nil {
			return Imported{}, &ImportError{Where: fmt.Sprintf("incident %d", j.n+1), Reason: "not JSON: " + err.Error()}
		}
	}
	j.n++
	where := fmt.Sprintf("incident %d", j.n)
	if !utf8.Valid(raw) {
		// Decoding would put U+FFFD in place of the bytes.
		return Imported{}, &ImportError{Where: where, Reason: "not UTF-8 text: it would not be imported as written; save it as UTF-8"}
	}
	im, err := jsonIncident(raw, where)
	if err != nil {
		return Imported{}, err
	}
	im.Where = where
	return im, nil
}

// jsonIncident makes one imported incident of a JSON incident.
func jsonIncident(raw json.RawMessage, where string) (Imported, error) {
	var in Incident
	if err := json.Unmarshal(raw, &in); err != nil {
		return Imported{}, &ImportError{Where: where, Reason: err.Error()}
	}
	if in.ID != 0 {
		where = fmt.Sprintf("%s (id %d)", where, in.ID)
	}
	versions := make([]Fields, 0, len(in.Amendments)+1)
	for _, a := range in.Amendments {
		versions = append(versions, a.Previous)
	}
	versions = append(versions, in.Fields)
	im := Imported{Fields: versions[0]}
	for j, a := range in.Amendments {
		if strings.TrimSpace(a.Reason) == "" {
			return Imported{}, &ImportError{Where: where, Reason: fmt.Sprintf("amendment %d has no reason", j+1)}
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
			return Imported{}, &ImportError{Where: where, Reason: err.Error()}
		}
	}
	return im, nil
}

// ImportDigest is what identifies an imported item whatever file it came
// from: the SHA-256 of its fields, amendments and void mark as they are
// recorded, 128 bits of it in hex. Importing an item whose digest an
// earlier import recorded skips it.
func ImportDigest(im *Imported) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	enc.Encode(im.Fields)
	for _, a := range im.Amendments {
		enc.Encode(a)
	}
	enc.Encode(im.Void)
	sum := h.Sum(nil)
	return hex.EncodeToString(sum[:16])
}

// ImportSummary says what [Store.Import] did.
type ImportSummary struct {
	// Import is the number given to this import ('journal void --import').
	Import uint64
	// Incidents are the numbers of the incidents recorded, in order.
	First, Last uint64
	Imported    int
	// Skipped counts items found already imported, by their digest.
	Skipped int
	// Evidence lists, by incident number, evidence files the source names
	// but does not hold.
	Evidence map[uint64][]string
}

// importBatch bounds what one transaction of an import holds, so that
// memory stays bounded however long the file: bbolt keeps a transaction's
// pages in memory until it commits.
const (
	importBatchItems = 2000
	importBatchBytes = 8 << 20
)

// Import records the incidents r gives as one import, numbered after the
// imports already in st (the state of the whole log, read while the store
// is open for writing). Items an earlier import recorded (by
// [ImportDigest], counted: a file with two identical rows has both
// recorded once) are skipped and counted. It commits a batch of items at a
// time: if it stops (a bad item, a full disk, a killed process), what was
// committed stays, and importing the same file again records only the
// rest. Each incident is marked imported and carries the import's number
// and its digest; its amendments and void follow it in the same
// transaction. recordedAt is the time of the import. A reading error is
// an [ImportError]; any other error is the journal's.
func (s *Store) Import(sealer Sealer, idx *ImportIndex, r ImportReader, recordedAt time.Time) (*ImportSummary, error) {
	sum := &ImportSummary{Import: idx.Last + 1, Evidence: map[uint64][]string{}}
	have := idx.have
	var batch []*Record
	var evidence [][]string
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := s.Append(sealer, batch...); err != nil {
			return err
		}
		i := 0
		for _, rec := range batch {
			if rec.Type != TypeIncident {
				continue
			}
			if sum.First == 0 {
				sum.First = rec.Incident
			}
			sum.Last = rec.Incident
			sum.Imported++
			if len(evidence[i]) > 0 {
				sum.Evidence[rec.Incident] = evidence[i]
			}
			i++
		}
		batch, evidence, size = batch[:0], evidence[:0], 0
		return nil
	}
	for {
		im, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if ferr := flush(); ferr != nil {
				return sum, ferr
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				// Whatever stops the reading is the input's fault.
				err = &ImportError{Reason: err.Error()}
			}
			return sum, err
		}
		key := ImportDigest(&im)
		if k := digestKey(key); have[k] > 0 {
			have[k]--
			sum.Skipped++
			continue
		}
		recs := ImportRecords([]Imported{im}, recordedAt)
		recs[0].Import, recs[0].ImportKey = sum.Import, key
		batch = append(batch, recs...)
		evidence = append(evidence, im.Evidence)
		size += approxSize(&im)
		if len(batch) >= importBatchItems || size >= importBatchBytes {
			if err := flush(); err != nil {
				return sum, err
			}
		}
	}
	return sum, flush()
}

// approxSize is about how many bytes an item's text takes.
func approxSize(im *Imported) int {
	n := len(im.Fields.Details) + len(im.Fields.Summary) + len(im.Fields.Words) + 256
	for _, a := range im.Amendments {
		n += len(a.Fields.Details) + len(a.Fields.Summary) + 256
	}
	return n
}

// LastImport is the number of the latest import recorded, or 0.
func (st *State) LastImport() uint64 {
	var n uint64
	for _, in := range st.Incidents {
		n = max(n, in.Import)
	}
	return n
}

// ImportedWith lists the incidents that came in with import n, in order.
func (st *State) ImportedWith(n uint64) []*Incident {
	var out []*Incident
	for _, in := range st.Incidents {
		if in.Import == n {
			out = append(out, in)
		}
	}
	return out
}
