package journal

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"
	"unsafe"
)

// The cache's encoding of a [State]: a compact binary form, written and
// read field by field. It is several times faster to read than gob or JSON
// (the cost that matters for a timeline of 100,000 incidents), and exact:
// an absent list stays absent and an empty one empty, so the state read
// from the cache shows the same, in JSON too, as the state replayed from
// the log.
//
// Every field of every type in a State must be written here. stateSchema,
// a hash of those types' shape, is part of the cache's header, so a cache
// written before a type changed is ignored and rebuilt; and
// TestCacheCodecCoversEveryField fails if a field is left out.
//
// Integers are varints; a string is its length and its bytes; a list is
// its length plus one, or 0 when absent; an optional value is a byte, 0
// when absent, then the value; a time is seconds and nanoseconds since 1970
// and its zone offset (UTC marked apart), which is what RFC 3339 keeps.

// stateSchema is a hash of the shape of State and the types in it: the
// names, kinds and order of their fields. It is computed when a cache is
// first read or written, not when the program starts.
var stateSchema = sync.OnceValue(func() [8]byte {
	h := sha256.New()
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		fmt.Fprintf(h, "%s:%s;", t.String(), t.Kind())
		if seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(t.Elem())
		case reflect.Struct:
			if t == reflect.TypeFor[time.Time]() {
				return
			}
			for i := range t.NumField() {
				f := t.Field(i)
				fmt.Fprintf(h, "%s{", f.Name)
				walk(f.Type)
				fmt.Fprint(h, "}")
			}
		}
	}
	walk(reflect.TypeFor[State]())
	var s [8]byte
	copy(s[:], h.Sum(nil))
	return s
})

// encoder appends the cache's encoding to a buffer.
type encoder struct{ b []byte }

func (e *encoder) uint(n uint64) { e.b = binary.AppendUvarint(e.b, n) }
func (e *encoder) int(n int64)   { e.b = binary.AppendVarint(e.b, n) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}
func (e *encoder) str(s string) { e.uint(uint64(len(s))); e.b = append(e.b, s...) }

// list writes the length of a list, telling absent (nil) from empty.
func (e *encoder) list(n int, isNil bool) bool {
	if isNil {
		e.uint(0)
		return false
	}
	e.uint(uint64(n) + 1)
	return true
}

func (e *encoder) strs(ss []string) {
	if e.list(len(ss), ss == nil) {
		for _, s := range ss {
			e.str(s)
		}
	}
}

// names writes field names as strs writes strings.
func (e *encoder) names(ns []Field) {
	if e.list(len(ns), ns == nil) {
		for _, n := range ns {
			e.str(string(n))
		}
	}
}

func (e *encoder) time(t time.Time) {
	e.int(t.Unix())
	e.uint(uint64(t.Nanosecond()))
	if t.Location() == time.UTC {
		e.b = append(e.b, 0)
		return
	}
	_, off := t.Zone()
	e.b = append(e.b, 1)
	e.int(int64(off))
}

func (e *encoder) fields(f *Fields) {
	e.time(f.OccurredAt)
	e.bool(f.Until != nil)
	if f.Until != nil {
		e.time(*f.Until)
	}
	e.bool(f.DateOnly)
	e.bool(f.UntilDateOnly)
	e.bool(f.Approximate)
	e.str(f.Place)
	if e.list(len(f.People), f.People == nil) {
		for _, p := range f.People {
			e.str(p.Name)
			e.str(p.Relation)
			e.str(p.Description)
		}
	}
	e.strs(f.Kinds)
	e.str(f.Summary)
	e.str(f.Details)
	e.str(f.Words)
	if e.list(len(f.Witnesses), f.Witnesses == nil) {
		for _, w := range f.Witnesses {
			e.str(w.Name)
			e.str(w.Contact)
			e.bool(w.Chaperone)
		}
	}
	e.bool(f.FirstHand)
	e.str(f.ToldBy)
	e.strs(f.Actions)
	if e.list(len(f.Reported), f.Reported == nil) {
		for _, r := range f.Reported {
			e.str(r.To)
			e.str(r.Reference)
			e.str(r.Officer)
		}
	}
	e.str(f.Impact)
	e.str(f.DailyLife)
	e.str(f.EvidenceKept)
	e.str(f.Severity)
	e.strs(f.Tags)
	e.str(f.PrivateNotes)
}

func (e *encoder) incident(in *Incident) {
	e.uint(in.ID)
	e.uint(in.Seq)
	e.str(in.ChainDevice)
	e.uint(in.ChainPlace)
	e.time(in.RecordedAt)
	e.bool(in.ProvenAt != nil)
	if in.ProvenAt != nil {
		e.time(*in.ProvenAt)
	}
	e.str(in.ProvenBy)
	e.carriedRoot(in.ProvenRoot)
	e.fields(&in.Fields)
	e.bool(in.Imported)
	e.bool(in.BeforeSigning)
	e.uint(in.Import)
	e.str(in.ImportKey)
	if e.list(len(in.Attachments), in.Attachments == nil) {
		for _, a := range in.Attachments {
			e.str(a.Name)
			e.int(a.Size)
			e.str(a.SHA256)
			e.str(a.MediaType)
			e.str(a.Source)
			e.time(a.AddedAt)
			e.str(a.Blob)
			e.str(a.By)
		}
	}
	if e.list(len(in.Amendments), in.Amendments == nil) {
		for i := range in.Amendments {
			a := &in.Amendments[i]
			e.time(a.RecordedAt)
			e.str(a.Reason)
			e.names(a.Changed)
			e.fields(&a.Previous)
			e.bool(a.Concurrent)
			e.str(a.By)
			e.uint(a.Place)
			if e.list(len(a.After), a.After == nil) {
				for _, v := range a.After {
					e.str(v.Device)
					e.uint(v.Place)
				}
			}
			e.fields(&a.Fields)
		}
	}
	e.bool(in.Void != nil)
	if in.Void != nil {
		e.time(in.Void.RecordedAt)
		e.str(in.Void.Reason)
	}
}

func (e *encoder) state(st *State) {
	e.uint(st.Seq)
	e.str(st.Fingerprint)
	if e.list(len(st.Incidents), st.Incidents == nil) {
		for _, in := range st.Incidents {
			e.incident(in)
		}
	}
	if e.list(len(st.Checkpoints), st.Checkpoints == nil) {
		for _, c := range st.Checkpoints {
			e.time(c.RecordedAt)
			e.uint(c.At)
			e.uint(c.Seq)
			e.str(c.Fingerprint)
			e.str(c.Note)
		}
	}
	if e.list(len(st.Disclosures), st.Disclosures == nil) {
		for _, d := range st.Disclosures {
			e.time(d.RecordedAt)
			e.str(d.Format)
			e.str(d.For)
			e.strs(d.Filters)
			e.str(d.SHA256)
			e.int(d.Size)
			e.bool(d.Redacted)
			e.bool(d.Encrypted)
			if e.list(len(d.Incidents), d.Incidents == nil) {
				for _, n := range d.Incidents {
					e.uint(n)
				}
			}
			e.str(d.Fingerprint)
			if e.list(len(d.Exhibits), d.Exhibits == nil) {
				for _, x := range d.Exhibits {
					e.uint(x.Incident)
					e.str(x.SHA256)
					e.str(x.Mark)
				}
			}
		}
	}
	e.proofs(st)
}

// encodeState is the cache's encoding of a state.
func encodeState(st *State) ([]byte, error) {
	e := &encoder{b: make([]byte, 0, 64<<10)}
	e.state(st)
	return e.b, nil
}

var errCacheCodec = errors.New("it does not decode")

// decoder reads the cache's encoding. Strings are cut from one string
// holding the whole encoding, so reading them allocates nothing. The first
// error stops everything: every read after it returns zero values.
type decoder struct {
	s     string
	i     int
	err   error
	zones map[int]*time.Location
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCacheCodec
	}
	d.i = len(d.s)
}

func (d *decoder) uint() uint64 {
	var n uint64
	for shift := 0; d.i < len(d.s) && shift < 64; shift += 7 {
		c := d.s[d.i]
		d.i++
		n |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return n
		}
	}
	d.fail()
	return 0
}

func (d *decoder) int() int64 {
	u := d.uint()
	return int64(u>>1) ^ -int64(u&1)
}

func (d *decoder) byte() byte {
	if d.i >= len(d.s) {
		d.fail()
		return 0
	}
	c := d.s[d.i]
	d.i++
	return c
}

func (d *decoder) bool() bool {
	switch d.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail()
	return false
}

func (d *decoder) str() string {
	n := d.uint()
	if n > uint64(len(d.s)-d.i) {
		d.fail()
		return ""
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	return s
}

// list reads the length of a list: -1 when absent. A length longer than
// what is left to read is damage.
func (d *decoder) list() int {
	n := d.uint()
	if n == 0 {
		return -1
	}
	if n-1 > uint64(len(d.s)-d.i) {
		d.fail()
		return -1
	}
	return int(n - 1)
}

func (d *decoder) strs() []string {
	n := d.list()
	if n < 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.str()
	}
	return ss
}

// names reads what encoder.names writes.
func (d *decoder) names() []Field {
	n := d.list()
	if n < 0 {
		return nil
	}
	ns := make([]Field, n)
	for i := range ns {
		ns[i] = Field(d.str())
	}
	return ns
}

// time reads a time in the location that parsing its RFC 3339 form would
// give: UTC, Local where the offset is Local's, or a fixed zone.
func (d *decoder) time() time.Time {
	sec, nsec := d.int(), d.uint()
	if nsec >= 1e9 {
		d.fail()
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	if d.byte() == 0 {
		return t.UTC()
	}
	off := int(d.int())
	if _, local := t.Zone(); local == off {
		return t
	}
	loc, ok := d.zones[off]
	if !ok {
		loc = time.FixedZone("", off)
		d.zones[off] = loc
	}
	return t.In(loc)
}

func (d *decoder) fields(f *Fields) {
	f.OccurredAt = d.time()
	if d.bool() {
		t := d.time()
		f.Until = &t
	}
	f.DateOnly = d.bool()
	f.UntilDateOnly = d.bool()
	f.Approximate = d.bool()
	f.Place = d.str()
	if n := d.list(); n >= 0 {
		f.People = make([]Person, n)
		for i := range f.People {
			f.People[i] = Person{Name: d.str(), Relation: d.str(), Description: d.str()}
		}
	}
	f.Kinds = d.strs()
	f.Summary = d.str()
	f.Details = d.str()
	f.Words = d.str()
	if n := d.list(); n >= 0 {
		f.Witnesses = make([]Witness, n)
		for i := range f.Witnesses {
			f.Witnesses[i] = Witness{Name: d.str(), Contact: d.str(), Chaperone: d.bool()}
		}
	}
	f.FirstHand = d.bool()
	f.ToldBy = d.str()
	f.Actions = d.strs()
	if n := d.list(); n >= 0 {
		f.Reported = make([]Report, n)
		for i := range f.Reported {
			f.Reported[i] = Report{To: d.str(), Reference: d.str(), Officer: d.str()}
		}
	}
	f.Impact = d.str()
	f.DailyLife = d.str()
	f.EvidenceKept = d.str()
	f.Severity = d.str()
	f.Tags = d.strs()
	f.PrivateNotes = d.str()
}

func (d *decoder) incident(in *Incident) {
	in.ID = d.uint()
	in.Seq = d.uint()
	in.ChainDevice = d.str()
	in.ChainPlace = d.uint()
	in.RecordedAt = d.time()
	if d.bool() {
		t := d.time()
		in.ProvenAt = &t
	}
	in.ProvenBy = d.str()
	in.ProvenRoot = d.carriedRoot()
	d.fields(&in.Fields)
	in.Imported = d.bool()
	in.BeforeSigning = d.bool()
	in.Import = d.uint()
	in.ImportKey = d.str()
	if n := d.list(); n >= 0 {
		in.Attachments = make([]Attachment, n)
		for i := range in.Attachments {
			in.Attachments[i] = Attachment{Name: d.str(), Size: d.int(), SHA256: d.str(), MediaType: d.str(),
				Source: d.str(), AddedAt: d.time(), Blob: d.str(), By: d.str()}
		}
	}
	if n := d.list(); n >= 0 {
		in.Amendments = make([]Amendment, n)
		for i := range in.Amendments {
			a := &in.Amendments[i]
			a.RecordedAt = d.time()
			a.Reason = d.str()
			a.Changed = d.names()
			d.fields(&a.Previous)
			a.Concurrent = d.bool()
			a.By = d.str()
			a.Place = d.uint()
			if n := d.list(); n >= 0 {
				a.After = make([]VersionRef, n)
				for j := range a.After {
					a.After[j] = VersionRef{Device: d.str(), Place: d.uint()}
				}
			}
			d.fields(&a.Fields)
		}
	}
	if d.bool() {
		in.Void = &Void{RecordedAt: d.time(), Reason: d.str()}
	}
}

func (d *decoder) state(st *State) {
	st.Seq = d.uint()
	st.Fingerprint = d.str()
	if n := d.list(); n >= 0 {
		// One allocation for all the incidents rather than one each.
		all := make([]Incident, n)
		st.Incidents = make([]*Incident, n)
		for i := range all {
			d.incident(&all[i])
			st.Incidents[i] = &all[i]
		}
	}
	d.stateAfterIncidents(st)
}

// stateAfterIncidents reads what follows the incidents in a state's
// encoding: checkpoints, disclosures, proofs of time.
func (d *decoder) stateAfterIncidents(st *State) {
	if n := d.list(); n >= 0 {
		st.Checkpoints = make([]CheckpointEntry, n)
		for i := range st.Checkpoints {
			c := &st.Checkpoints[i]
			c.RecordedAt = d.time()
			c.At = d.uint()
			c.Seq = d.uint()
			c.Fingerprint = d.str()
			c.Note = d.str()
		}
	}
	if n := d.list(); n >= 0 {
		st.Disclosures = make([]DisclosureEntry, n)
		for i := range st.Disclosures {
			c := &st.Disclosures[i]
			c.RecordedAt = d.time()
			c.Format = d.str()
			c.For = d.str()
			c.Filters = d.strs()
			c.SHA256 = d.str()
			c.Size = d.int()
			c.Redacted = d.bool()
			c.Encrypted = d.bool()
			if n := d.list(); n >= 0 {
				c.Incidents = make([]uint64, n)
				for j := range c.Incidents {
					c.Incidents[j] = d.uint()
				}
			}
			c.Fingerprint = d.str()
			if n := d.list(); n >= 0 {
				c.Exhibits = make([]Exhibit, n)
				for j := range c.Exhibits {
					c.Exhibits[j] = Exhibit{Incident: d.uint(), SHA256: d.str(), Mark: d.str()}
				}
			}
		}
	}
	d.proofs(st)
}

// decodeState reads a state encoded by encodeState, and checks that its
// incidents are numbered in turn. It takes body over: the state's strings
// are cut from it without a copy, so body must not change afterwards.
func decodeState(body []byte) (*State, error) {
	if len(body) == 0 {
		return nil, &damagedCacheError{"it is empty"}
	}
	// The cache is tens of megabytes for a large journal; copying it
	// into a string first cost as much again in memory and time.
	d := &decoder{s: stringOf(body), zones: map[int]*time.Location{}}
	st := NewState()
	d.state(st)
	if d.err == nil && d.i != len(d.s) {
		d.err = errors.New("it has trailing data")
	}
	if d.err != nil {
		return nil, &damagedCacheError{d.err.Error()}
	}
	// Each device's incidents come in its own order, 1, 2, 3 ...
	seen := map[uint16]uint64{}
	for _, in := range st.Incidents {
		tag, n := IncidentTag(in.ID)
		if n != seen[tag]+1 {
			return nil, &damagedCacheError{"its incidents are out of order"}
		}
		seen[tag] = n
	}
	return st, nil
}

// stringOf is b as a string without a copy: b must not change while
// the string is in use. Empty b gives "".
func stringOf(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
