package journal

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// EvidenceSealer seals records and evidence streams: what adding an
// incident with its files needs.
type EvidenceSealer interface {
	Sealer
	StreamSealer
}

// Evidence is one evidence file to seal with an incident.
type Evidence struct {
	// Name is the file's path or name. Only its last element is kept: a
	// folder such as /home/sam/... would name the user in every report.
	Name string
	// Size is the file's size in bytes, or 0 when it is not known; it is
	// only given to an [EvidenceProgress].
	Size int64
	// R gives the file's bytes.
	R io.Reader
}

// EvidenceProgress, when given, is told of each evidence file as sealing
// it begins. It returns the reader to read instead of r (one that counts
// what passes through it) and a function called when the file is done.
type EvidenceProgress func(name string, size int64, r io.Reader) (io.Reader, func())

// EvidenceError says which evidence file cannot be read, and why.
type EvidenceError struct {
	Path string
	Err  error
}

func (e *EvidenceError) Error() string {
	return fmt.Sprintf("cannot read the evidence file %s: %v", e.Path, e.Err)
}

func (e *EvidenceError) Unwrap() error { return e.Err }

// OpenEvidence opens evidence files for reading, failing with an
// [*EvidenceError] on the first one that is missing, unreadable or not a
// regular file, so that a bad path is found before anything is asked or
// recorded. The caller closes the files.
func OpenEvidence(paths []string) ([]*os.File, error) {
	var files []*os.File
	for _, p := range paths {
		f, err := os.Open(p)
		if err == nil {
			var info os.FileInfo
			if info, err = f.Stat(); err == nil && !info.Mode().IsRegular() {
				err = errors.New("not a regular file")
			}
			if err != nil {
				f.Close()
			}
		}
		if err != nil {
			for _, f := range files {
				f.Close()
			}
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, &EvidenceError{Path: p, Err: err}
		}
		files = append(files, f)
	}
	return files, nil
}

// EvidenceOf gives open files as evidence, with their names and sizes.
func EvidenceOf(files []*os.File) []Evidence {
	ev := make([]Evidence, len(files))
	for i, f := range files {
		ev[i] = Evidence{Name: f.Name(), R: f}
		if info, err := f.Stat(); err == nil {
			ev[i].Size = info.Size()
		}
	}
	return ev
}

// AddIncident records an incident and its evidence files: the incident
// with all its files, or nothing at all. Each file is sealed and stored
// first, in transactions of its own; if one cannot be read to its end, or
// the incident cannot be appended, the files already stored are removed.
// It returns the attachment records appended after rec.
func (s *Store) AddIncident(sealer EvidenceSealer, rec *Record, ev []Evidence, progress EvidenceProgress) ([]*Record, error) {
	if len(ev) > 0 {
		// Evidence is stored before the record: find damage first.
		if err := s.CheckStructure(); err != nil {
			return nil, err
		}
	}
	recs, keys, err := s.storeEvidence(sealer, ev, nil, rec.RecordedAt, progress)
	if err != nil {
		return nil, err
	}
	if err := s.Append(sealer, append([]*Record{rec}, recs...)...); err != nil {
		s.DeleteBlobs(keys...)
		return nil, err
	}
	return recs, nil
}

// Attach adds evidence files to an incident already recorded: all of them,
// or none, as [Store.AddIncident] does. A file whose name another file of
// the incident has is given a number: photo.jpg, photo-2.jpg. It returns
// the attachment records appended.
func (s *Store) Attach(sealer EvidenceSealer, in *Incident, ev []Evidence, now time.Time, progress EvidenceProgress) ([]*Record, error) {
	// Evidence is stored in transactions of its own before its record:
	// a damaged file must be found before the first of them.
	if err := s.CheckStructure(); err != nil {
		return nil, err
	}
	recs, keys, err := s.storeEvidence(sealer, ev, in.Attachments, now, progress)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		r.Incident = in.ID
	}
	if err := s.Append(sealer, recs...); err != nil {
		s.DeleteBlobs(keys...)
		return nil, err
	}
	return recs, nil
}

// storeEvidence seals and stores each file and returns the attachment
// records that name them, without an incident number, and the keys of the
// blobs it stored anew. Names are kept unique among the incident's files. If one
// file fails, the blobs already stored are removed.
func (s *Store) storeEvidence(sealer StreamSealer, ev []Evidence, have []Attachment, now time.Time,
	progress EvidenceProgress) ([]*Record, []string, error) {
	var recs []*Record
	var keys []string
	names := make([]string, 0, len(have)+len(ev))
	for _, a := range have {
		names = append(names, a.Name)
	}
	for _, e := range ev {
		r, done := e.R, func() {}
		if progress != nil {
			r, done = progress(e.Name, e.Size, e.R)
		}
		a, fresh, err := s.PutBlob(sealer, e.Name, r, now)
		done()
		if err != nil {
			s.DeleteBlobs(keys...)
			return nil, nil, fmt.Errorf("%w: nothing was recorded", err)
		}
		// Evidence the journal held already (the same file, attached
		// before) may be named by another incident: it is never removed.
		if fresh {
			keys = append(keys, a.Blob)
		}
		a.Name = uniqueName(a.Name, names)
		names = append(names, a.Name)
		a.Source = filepath.Base(e.Name)
		recs = append(recs, &Record{Type: TypeAttachment, RecordedAt: now, Attachment: a})
	}
	return recs, keys, nil
}

// uniqueName returns name, or name with a number before its extension if
// another file of the incident already has it: photo.jpg, photo-2.jpg.
func uniqueName(name string, taken []string) string {
	has := func(n string) bool {
		return slices.ContainsFunc(taken, func(t string) bool { return strings.EqualFold(t, n) })
	}
	if !has(name) {
		return name
	}
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 2; ; i++ {
		if n := fmt.Sprintf("%s-%d%s", base, i, ext); !has(n) {
			return n
		}
	}
}
