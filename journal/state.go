package journal

import (
	"encoding/hex"
	"fmt"
	"time"
)

// State is the journal as the log says it stands after a given record:
// every incident with its history, the checkpoints and the disclosures.
type State struct {
	// Incidents holds every incident, void ones too, in the order they
	// were recorded in this journal's log.
	Incidents   []*Incident
	Checkpoints []CheckpointEntry
	Disclosures []DisclosureEntry
	// Stamps are the timestamp authorities' tokens, and Cosigned the
	// witnessed checkpoints, in the order recorded.
	Stamps   []StampEntry
	Cosigned []CosignedEntry
	// Seq is the position of the last record applied, and Fingerprint
	// the fingerprint of the chain up to it.
	Seq         uint64
	Fingerprint string

	// byID indexes Incidents by number, and counts the incidents of each
	// device (by tag); both follow Incidents, which only grows.
	byID   map[uint64]int
	counts map[uint16]uint64
	// byDevice lists the incidents of each device's chain (by device name,
	// "" for version 1 records) in chain order, for the first byDeviceN
	// incidents (stampcover.go).
	byDevice  map[string][]int
	byDeviceN int
}

// CheckpointEntry is a checkpoint with when it was taken.
type CheckpointEntry struct {
	RecordedAt time.Time `json:"recorded_at"`
	// At is the position of the checkpoint's own record.
	At uint64 `json:"record"`
	Checkpoint
}

// DisclosureEntry is a disclosure with when it was made.
type DisclosureEntry struct {
	RecordedAt time.Time `json:"recorded_at"`
	Disclosure
}

// NewState returns the state of an empty journal.
func NewState() *State { return &State{} }

// Incident returns incident id, or nil if there is none.
func (st *State) Incident(id uint64) *Incident {
	if i, ok := st.index()[id]; ok {
		return st.Incidents[i]
	}
	return nil
}

// Count returns how many incidents the device with tag recorded.
func (st *State) Count(tag uint16) uint64 {
	st.index()
	return st.counts[tag]
}

// index brings byID and counts up to date with Incidents.
func (st *State) index() map[uint64]int {
	if st.byID == nil || len(st.byID) > len(st.Incidents) {
		st.byID, st.counts = map[uint64]int{}, map[uint16]uint64{}
	}
	for i := len(st.byID); i < len(st.Incidents); i++ {
		id := st.Incidents[i].ID
		st.byID[id] = i
		tag, n := IncidentTag(id)
		st.counts[tag] = max(st.counts[tag], n)
	}
	return st.byID
}

// Apply brings the state forward by one record, the one at position seq
// whose chain hash is hash. A record that does not fit what came before
// (an amendment of an incident that does not exist, an incident number out
// of turn) is an [IntegrityError].
func (st *State) Apply(seq uint64, hash [32]byte, r *Record) error {
	bad := func(format string, args ...any) error {
		return &IntegrityError{Seq: seq, Reason: fmt.Sprintf(format, args...)}
	}
	if seq != st.Seq+1 {
		return bad("out of order: expected record %d", st.Seq+1)
	}
	var target *Incident
	if r.Type != TypeIncident && r.Incident != 0 {
		if target = st.Incident(r.Incident); target == nil {
			return bad("refers to incident %d, which does not exist", r.Incident)
		}
	}
	switch r.Type {
	case TypeIncident:
		tag, n := IncidentTag(r.Incident)
		if want := st.Count(tag) + 1; n != want {
			return bad("incident %s is out of turn: expected %s", IncidentRef(r.Incident), IncidentRef(IncidentNumber(tag, want)))
		}
		in := &Incident{ID: r.Incident, Seq: seq, ChainDevice: r.Device, ChainPlace: r.Place, RecordedAt: r.RecordedAt, Fields: *r.Fields, Imported: r.Imported, BeforeSigning: r.Device == "",
			Import: r.Import, ImportKey: r.ImportKey, Attachments: []Attachment{}, Amendments: []Amendment{}}
		if r.Device == "" {
			in.ChainPlace = seq
		}
		in.normalize()
		st.Incidents = append(st.Incidents, in)
	case TypeAmendment:
		target.amend(Amendment{RecordedAt: r.RecordedAt, Reason: r.Reason, Changed: r.Changed,
			By: r.Device, Place: r.Place, After: afterRefs(r), Fields: *r.Fields})
	case TypeVoid:
		v := &Void{RecordedAt: r.RecordedAt, Reason: r.Reason}
		switch {
		case target.Void == nil:
			target.Void = v
		case r.Device == "":
			return bad("voids incident %s a second time", IncidentRef(r.Incident))
		case v.RecordedAt.Before(target.Void.RecordedAt) ||
			v.RecordedAt.Equal(target.Void.RecordedAt) && v.Reason < target.Void.Reason:
			// Two computers voided it at the same time: the earlier
			// stands, on every computer.
			target.Void = v
		}
	case TypeAttachment:
		a := *r.Attachment
		a.By = r.Device
		target.Attachments = append(target.Attachments, a)
	case TypeCheckpoint:
		st.Checkpoints = append(st.Checkpoints, CheckpointEntry{RecordedAt: r.RecordedAt, At: seq, Checkpoint: *r.Checkpoint})
	case TypeDisclosure:
		st.Disclosures = append(st.Disclosures, DisclosureEntry{RecordedAt: r.RecordedAt, Disclosure: *r.Disclosure})
	case TypeStamp:
		if r.Stamp.Seq >= seq {
			return bad("stamp names record %d, which is not before it", r.Stamp.Seq)
		}
		entry := StampEntry{RecordedAt: r.RecordedAt, At: seq, By: r.Device, Stamp: *r.Stamp}
		var id []byte
		if r.Journal != "" {
			if id, _ = hex.DecodeString(r.Journal); id == nil {
				id = []byte{}
			}
		}
		var prev [32]byte
		hex.Decode(prev[:], []byte(r.Prev)) // checked against its envelope when opened
		if !r.coversOther {
			entry.Holds, entry.CarriedRoot = st.applyStamp(r.Stamp, id, pastOf(r.Device, r.Place, prev, r.seen))
		}
		st.Stamps = append(st.Stamps, entry)
	case TypeWitness:
		if r.Witness.Seq >= seq {
			return bad("witnessed checkpoint names record %d, which is not before it", r.Witness.Seq)
		}
		st.Cosigned = append(st.Cosigned, CosignedEntry{RecordedAt: r.RecordedAt, At: seq, Cosigned: *r.Witness})
	}
	st.Seq = seq
	st.Fingerprint = Fingerprint(hash)
	return nil
}
