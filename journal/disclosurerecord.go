package journal

import (
	"errors"
	"fmt"
	"strconv"
)

// How a disclosure record names the incidents it disclosed.
//
// Version 1 (records written before ranges, and never changed since: a
// record is signed and kept forever) lists every number:
//
//	"incidents": [1, 2, 3, 5]
//
// Version 2 (written from then on) gives the ranges, first and last:
//
//	"incident_ranges": [[1, 3], [5, 5]], "version": 2
//
// so that an export of a journal of 100,000 incidents records a few bytes,
// not 800 KB that every later read decrypts and reads again. Both are read
// into the same [IncidentSet]; a version this program does not know is
// refused. The JSON of `journal disclosures` is not the record's: it keeps
// the list of numbers.

// disclosureVersion is the version of the disclosure records this program
// writes.
const disclosureVersion = 2

// recordFields is Record without its methods, for the wrappers below.
type recordFields Record

// recordJSON is a record as its plaintext holds it: its disclosure, if
// any, in the form of its version.
type recordJSON struct {
	*recordFields
	Disclosure *disclosureJSON `json:"disclosure,omitempty"`
}

// disclosureJSON is a disclosure as a record holds it. Incidents (version
// 1) and Ranges (version 2) hide the Disclosure's own Incidents.
type disclosureJSON struct {
	*Disclosure
	Incidents *IncidentSet    `json:"incidents,omitempty"`
	Ranges    *incidentRanges `json:"incident_ranges,omitempty"`
	Version   int             `json:"version,omitempty"`
}

// recordForWriting is r as a record of this version writes it.
func recordForWriting(r *Record) *recordJSON {
	out := &recordJSON{recordFields: (*recordFields)(r)}
	if r.Disclosure != nil {
		ranges := incidentRanges(r.Disclosure.Incidents)
		out.Disclosure = &disclosureJSON{Disclosure: r.Disclosure, Ranges: &ranges, Version: disclosureVersion}
	}
	return out
}

// recordForReading is a recordJSON to decode r into.
func recordForReading(r *Record) *recordJSON {
	return &recordJSON{recordFields: (*recordFields)(r)}
}

// finish moves what was decoded into the record's own Disclosure, and
// checks that the disclosure is of a version this program reads, in that
// version's form.
func (rj *recordJSON) finish() error {
	d := rj.Disclosure
	if d == nil {
		return nil
	}
	if d.Disclosure == nil {
		d.Disclosure = &Disclosure{}
	}
	switch d.Version {
	case 0:
		if d.Ranges != nil {
			return errors.New("record: disclosure names its incidents by range without saying its version")
		}
		if d.Incidents != nil {
			d.Disclosure.Incidents = *d.Incidents
		}
	case disclosureVersion:
		if d.Incidents != nil {
			return errors.New("record: disclosure of version 2 lists its incidents one by one")
		}
		if d.Ranges != nil {
			d.Disclosure.Incidents = IncidentSet(*d.Ranges)
		}
	default:
		return fmt.Errorf("record: disclosure of version %d, which this program does not know: update journal", d.Version)
	}
	rj.recordFields.Disclosure = d.Disclosure
	return nil
}

// incidentRanges is an IncidentSet written as its ranges, [[first, last],
// ...], or null when absent.
type incidentRanges IncidentSet

// MarshalJSON writes the ranges.
func (s incidentRanges) MarshalJSON() ([]byte, error) {
	set := IncidentSet(s)
	if set.Absent() {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 2+4*len(set.enc))
	b = append(b, '[')
	set.eachRange(func(r IncidentRange) bool {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendUint(b, r.First, 10)
		b = append(b, ',')
		b = strconv.AppendUint(b, r.Last, 10)
		b = append(b, ']')
		return true
	})
	return append(b, ']'), nil
}

// UnmarshalJSON reads ranges as MarshalJSON writes them: ascending, apart,
// each first <= last. Anything else is refused.
func (s *incidentRanges) UnmarshalJSON(data []byte) error {
	set, err := parseIncidentRanges(data)
	if err != nil {
		return err
	}
	*s = incidentRanges(set)
	return nil
}

var errIncidentRanges = errors.New("incident_ranges: not a list of ranges of incident numbers in order")

// parseIncidentRanges reads null or a JSON list of [first, last] pairs,
// without reflection.
func parseIncidentRanges(data []byte) (IncidentSet, error) {
	p := jsonList{data: data}
	p.space()
	if p.literal("null") {
		if p.space(); p.i != len(p.data) {
			return IncidentSet{}, errIncidentRanges
		}
		return IncidentSet{}, nil
	}
	rs := []IncidentRange{}
	ok := p.list(func() bool {
		var pair [2]uint64
		k := 0
		if !p.list(func() bool {
			n, ok := p.uint()
			if ok && k < 2 {
				pair[k] = n
			}
			k++
			return ok && k <= 2
		}) || k != 2 || pair[0] > pair[1] {
			return false
		}
		rs = append(rs, IncidentRange{pair[0], pair[1]})
		return true
	})
	if p.space(); !ok || p.i != len(p.data) {
		return IncidentSet{}, errIncidentRanges
	}
	set, ok := setOfRanges(rs)
	if !ok {
		return IncidentSet{}, errIncidentRanges
	}
	return set, nil
}

// jsonList reads JSON lists of unsigned integers and lists of them, a
// byte at a time.
type jsonList struct {
	data []byte
	i    int
}

func (p *jsonList) space() {
	for p.i < len(p.data) && (p.data[p.i] == ' ' || p.data[p.i] == '\t' || p.data[p.i] == '\r' || p.data[p.i] == '\n') {
		p.i++
	}
}

func (p *jsonList) literal(s string) bool {
	if len(p.data)-p.i >= len(s) && string(p.data[p.i:p.i+len(s)]) == s {
		p.i += len(s)
		return true
	}
	return false
}

// list reads "[", items separated by commas, "]", calling item at each.
func (p *jsonList) list(item func() bool) bool {
	p.space()
	if !p.literal("[") {
		return false
	}
	p.space()
	if p.literal("]") {
		return true
	}
	for {
		if !item() {
			return false
		}
		p.space()
		if p.literal("]") {
			return true
		}
		if !p.literal(",") {
			return false
		}
		p.space()
	}
}

// uint reads an unsigned integer as JSON writes it (no leading zero).
func (p *jsonList) uint() (uint64, bool) {
	p.space()
	start := p.i
	for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
		p.i++
	}
	digits := p.data[start:p.i]
	if len(digits) == 0 || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(string(digits), 10, 64)
	return n, err == nil
}
