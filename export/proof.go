package export

import (
	"time"

	"github.com/journal-dev/journal/journal"
)

// provenWords says by when a timestamp authority proves that an incident
// existed, and which authority: the third of an incident's times, beside
// when it happened and when this computer's clock says it was written.
// It is empty when no stamp covers the incident.
func provenWords(in *journal.Incident) string {
	if in.ProvenAt == nil {
		return ""
	}
	// Shown in the zone the incident was written in, so the two compare
	// at a glance.
	t := in.ProvenAt.In(in.RecordedAt.Location())
	s := t.Format(dateTime) + zone(t) + ", timestamp by " + in.ProvenBy
	if d := t.Sub(in.RecordedAt); d >= time.Minute {
		s += " (" + Duration(d) + " after it was written)"
	}
	if r := in.ProvenRoot; r != nil {
		s += ", " + carriedWords(r)
	}
	return s
}

// carriedWords says that a timestamp holds only by a root certificate the
// journal carries, which its author could have made: a reader must check
// it is the authority's before relying on the time.
func carriedWords(r *journal.CarriedRoot) string {
	return "whose root certificate (\"" + r.Name + "\") this journal carries: check its SHA-256 fingerprint " +
		r.Fingerprint() + " with the authority"
}

// notProven is what an incident no stamp covers says instead.
const notProven = "not yet: no timestamp covers it"
