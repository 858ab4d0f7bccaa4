package journal

import (
	"errors"
	"time"
	"unsafe"
)

// The decoder of the cache's encoding (cachecodec.go says what it is).

var errCacheCodec = errors.New("it does not decode")

// decoder reads the cache's encoding. Strings are cut from one string
// holding the whole encoding, so reading them allocates nothing. The first
// error stops everything: every read after it returns zero values.
type decoder struct {
	s     string
	i     int
	err   error
	zones map[int]*time.Location
	// devices is the state's table of device names (encoder.deviceTable).
	devices []string
}

// dev reads a device name written by encoder.dev.
func (d *decoder) dev() string {
	n := d.uint()
	if n == 0 {
		return ""
	}
	if n > uint64(len(d.devices)) {
		d.fail()
		return ""
	}
	return d.devices[n-1]
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

// incidentSet reads what encoder.incidentSet wrote, cut from the
// encoding without a copy, and fails on an encoding NewIncidentSet would
// not make (ranges out of order, overlapping or touching, varints longer
// than they need be).
func (d *decoder) incidentSet() IncidentSet {
	n := d.list()
	if n < 0 {
		return IncidentSet{}
	}
	set, ok := setOfEncoding(d.s[d.i : d.i+n])
	d.i += n
	if !ok {
		d.fail()
	}
	return set
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
	in.ChainDevice = d.dev()
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
				Source: d.str(), AddedAt: d.time(), Blob: d.str(), By: d.dev()}
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
			a.By = d.dev()
			a.Place = d.uint()
			if n := d.list(); n >= 0 {
				a.After = make([]VersionRef, n)
				for j := range a.After {
					a.After[j] = VersionRef{Device: d.dev(), Place: d.uint()}
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
	d.devices = d.strs()
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
			c.Incidents = d.incidentSet()
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
