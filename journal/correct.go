package journal

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/journal-dev/journal/dates"
)

// Errors of a correction ([Store.Amend], [Store.Void]), each wrapped in an
// [*IncidentError] naming the incident.
var (
	ErrNoIncident = errors.New("there is no such incident")
	ErrIsVoid     = errors.New("the incident is void")
)

// IncidentError says which incident a correction was refused for, and
// why: [ErrNoIncident], [ErrIsVoid], or what [Fields.Validate] found.
// Nothing was written.
type IncidentError struct {
	ID  uint64
	Err error
}

func (e *IncidentError) Error() string {
	return fmt.Sprintf("incident %s: %v", IncidentRef(e.ID), e.Err)
}

func (e *IncidentError) Unwrap() error { return e.Err }

// AlreadyVoidError is returned by [Store.Void] when some of the incidents
// are void already. Nothing was written.
type AlreadyVoidError struct {
	IDs []uint64
}

func (e *AlreadyVoidError) Error() string {
	ids := make([]string, len(e.IDs))
	for i, id := range e.IDs {
		ids[i] = IncidentRef(id)
	}
	return "already void: " + strings.Join(ids, ", ")
}

// Correction is what [Store.Amend] does to each incident, as a police
// notebook is corrected: the fields named in Changed take their values
// from Fields, and the reason is recorded with the time.
type Correction struct {
	Fields  *Fields
	Changed []Field
	Reason  string
	// UntilText is the end as it was typed, when Changed names
	// [FieldUntil]. An end given as a time alone ("16:00") without a new
	// start is read again on the day each incident began, as it is when
	// adding.
	UntilText string
}

// Amend corrects each incident of st the same way, all of them in one
// transaction or none. It refuses an incident that does not exist or is
// void, and a result that [Fields.Validate] refuses, with an
// [*IncidentError]. It returns the amendment records appended.
func (s *Store) Amend(sealer Sealer, st *State, ids []uint64, c Correction, now time.Time) ([]*Record, error) {
	recs, err := st.amendments(ids, c, now)
	if err != nil {
		return nil, err
	}
	if err := s.Append(sealer, recs...); err != nil {
		return nil, err
	}
	return recs, nil
}

// amendments returns the records that make correction c to each
// incident, as [Store.Amend] appends them.
func (st *State) amendments(ids []uint64, c Correction, now time.Time) ([]*Record, error) {
	var recs []*Record
	for _, id := range once(ids) {
		in := st.Incident(id)
		if in == nil {
			return nil, &IncidentError{ID: id, Err: ErrNoIncident}
		}
		if in.Void != nil {
			return nil, &IncidentError{ID: id, Err: ErrIsVoid}
		}
		f := in.Fields.Clone()
		f.Take(c.Fields, c.Changed)
		if slices.Contains(c.Changed, FieldUntil) && !slices.Contains(c.Changed, FieldWhen) {
			text := strings.TrimSpace(c.UntilText)
			if r, err := dates.ParseWith(text, now, dates.Options{Start: f.Start()}); text != "" && err == nil {
				f.SetUntil(&r)
			}
		}
		if err := f.Validate(); err != nil {
			return nil, &IncidentError{ID: id, Err: err}
		}
		recs = append(recs, &Record{Type: TypeAmendment, RecordedAt: now.Truncate(time.Second), Incident: id,
			Fields: &f, Changed: c.Changed, Reason: c.Reason})
	}
	return recs, nil
}

// Void withdraws incidents, all of them in one transaction or none. Nothing
// is erased: each stays in the journal, marked void with the reason and the
// time. An incident that does not exist is an [*IncidentError]; incidents
// void already are named together in an [*AlreadyVoidError]. It returns
// the void records appended.
func (s *Store) Void(sealer Sealer, st *State, ids []uint64, reason string, now time.Time) ([]*Record, error) {
	var recs []*Record
	var already []uint64
	for _, id := range once(ids) {
		in := st.Incident(id)
		if in == nil {
			return nil, &IncidentError{ID: id, Err: ErrNoIncident}
		}
		if in.Void != nil {
			already = append(already, id)
			continue
		}
		recs = append(recs, &Record{Type: TypeVoid, RecordedAt: now.Truncate(time.Second), Incident: id, Reason: reason})
	}
	if len(already) > 0 {
		return nil, &AlreadyVoidError{IDs: already}
	}
	if err := s.Append(sealer, recs...); err != nil {
		return nil, err
	}
	return recs, nil
}

// once returns ids with each number kept only where it first comes: an
// incident named twice is corrected once.
func once(ids []uint64) []uint64 {
	seen := make(map[uint64]bool, len(ids))
	out := make([]uint64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// VoidedImport is what [Store.VoidImport] withdrew.
type VoidedImport struct {
	// Voided is how many incidents were made void now.
	Voided int
	// First and Last are the numbers of the import's first and last
	// incidents.
	First, Last uint64
}

// Errors of [Store.VoidImport].
var (
	ErrNoImport   = errors.New("there is no such import")
	ErrImportVoid = errors.New("every incident of the import is void already")
)

// voidBatch is how many voids one transaction of [Store.VoidImport]
// records (a variable for tests).
var voidBatch = 2000

// VoidImport withdraws every incident of import n that is not void
// already, each void recorded as undoing that import. The voids are
// recorded a batch at a time, so that memory stays bounded however large
// the import; if it stops, the result says how many were withdrawn, and
// running it again withdraws the rest.
func (s *Store) VoidImport(sealer Sealer, st *State, n uint64, reason string, now time.Time) (*VoidedImport, error) {
	all := st.ImportedWith(n)
	if len(all) == 0 {
		return nil, ErrNoImport
	}
	res := &VoidedImport{First: all[0].ID, Last: all[len(all)-1].ID}
	now = now.Truncate(time.Second)
	var batch []*Record
	for i, in := range all {
		if in.Void == nil {
			batch = append(batch, &Record{Type: TypeVoid, RecordedAt: now, Incident: in.ID, Import: n, Reason: reason})
		}
		if len(batch) == voidBatch || i == len(all)-1 && len(batch) > 0 {
			if err := s.Append(sealer, batch...); err != nil {
				return res, err
			}
			res.Voided += len(batch)
			batch = batch[:0]
		}
	}
	if res.Voided == 0 {
		return res, ErrImportVoid
	}
	return res, nil
}
