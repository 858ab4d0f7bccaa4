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
	return s
}

// notProven is what an incident no stamp covers says instead.
const notProven = "not yet: no timestamp covers it"
