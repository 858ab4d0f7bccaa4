package journal

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"reflect"
	"sync"
	"time"
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

// stateRules names, for stateSchema, what a State derives beyond its
// records that changed without its types changing: a cache made under
// other rules is rebuilt. Change it with such a rule.
const stateRules = "an incident's proof: the strongest stamp, then the earliest\n"

// stateSchema is a hash of the shape of State and the types in it: the
// names, kinds and order of their fields, and stateRules. It is computed
// when a cache is first read or written, not when the program starts.
var stateSchema = sync.OnceValue(func() [8]byte {
	h := sha256.New()
	h.Write([]byte(stateRules))
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
type encoder struct {
	b []byte
	// devices numbers, from 1, the device names of the state being
	// written: they are written once, in a table before the incidents,
	// and each incident, amendment and file names its device by number.
	devices map[string]uint64
	// w, when set, is given the encoding as it is made, a little at a
	// time (flush); err is the first error it gave.
	w   io.Writer
	err error
}

// dev writes a device name as its number in the table, 0 for none.
func (e *encoder) dev(name string) {
	if name == "" {
		e.uint(0)
		return
	}
	n, ok := e.devices[name]
	if !ok && e.err == nil {
		e.err = fmt.Errorf("encoding the cache: device %q is not in its table", name)
	}
	e.uint(n)
}

// deviceTable writes the table of the device names st holds, and numbers
// them for dev.
func (e *encoder) deviceTable(st *State) {
	var names []string
	e.devices = map[string]uint64{}
	add := func(name string) {
		if _, ok := e.devices[name]; !ok && name != "" {
			names = append(names, name)
			e.devices[name] = uint64(len(names))
		}
	}
	for _, in := range st.Incidents {
		incidentDevices(in, add)
	}
	e.strs(names)
}

// incidentDevices calls add with each device name an incident holds, in
// the order the table takes them.
func incidentDevices(in *Incident, add func(string)) {
	add(in.ChainDevice)
	for _, a := range in.Attachments {
		add(a.By)
	}
	for _, a := range in.Amendments {
		add(a.By)
		for _, v := range a.After {
			add(v.Device)
		}
	}
}

// flushAt is how much of the encoding an encoder with a writer keeps
// before giving it on.
const flushAt = 64 << 10

// flush gives what is encoded to the writer, if there is one.
func (e *encoder) flush() {
	if e.w == nil || len(e.b) == 0 {
		return
	}
	if _, err := e.w.Write(e.b); err != nil && e.err == nil {
		e.err = err
	}
	e.b = e.b[:0]
}

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

// incidentSet writes a set as its encoding (IncidentSet.enc), telling
// absent from empty as a list does.
func (e *encoder) incidentSet(s IncidentSet) {
	if e.list(len(s.enc), !s.present) {
		e.b = append(e.b, s.enc...)
	}
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
	e.dev(in.ChainDevice)
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
			e.dev(a.By)
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
			e.dev(a.By)
			e.uint(a.Place)
			if e.list(len(a.After), a.After == nil) {
				for _, v := range a.After {
					e.dev(v.Device)
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
	e.deviceTable(st)
	if e.list(len(st.Incidents), st.Incidents == nil) {
		for _, in := range st.Incidents {
			e.incident(in)
			if len(e.b) >= flushAt {
				e.flush()
			}
		}
	}
	e.stateAfterIncidents(st)
}

// stateAfterIncidents encodes what follows the incidents: checkpoints,
// disclosures, proofs of time.
func (e *encoder) stateAfterIncidents(st *State) {
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
			e.incidentSet(d.Incidents)
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
	return e.b, e.err
}

// writeState writes the cache's encoding of a state to w, a little at a
// time, never holding it whole.
func writeState(w io.Writer, st *State) error {
	e := &encoder{b: make([]byte, 0, 2*flushAt), w: w}
	e.state(st)
	e.flush()
	return e.err
}
