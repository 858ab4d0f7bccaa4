package witness

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/journal-dev/journal/journal"
)

// A witness remembers every checkpoint they countersigned, one JSON line
// each, so that a journal cannot show them two different histories.
//
// A journal is kept on several computers, each with its own chain of
// records, and a computer may not yet have received every record of the
// others: a checkpoint it takes holds fewer of their records than one
// taken elsewhere, and as many records in all but other ones. A checkpoint
// therefore names, for each computer, its newest record covered, and the
// witness compares them computer by computer: the same place with another
// hash is a history that was changed; a lower place is a computer that
// has not caught up, which contradicts nothing, except for the computer
// that took the checkpoint, which always holds every record of its own.
// Checkpoints that name no computers (files made before they did, and
// journals made before signing, whose records 1 to N are the same on
// every computer) are compared with each other as before, by count; with
// one that names a single computer, by count too (fewer records than
// witnessed is a cut); with one that names several, only by key.

// seen is one checkpoint a witness countersigned.
type seen struct {
	Origin string          `json:"origin"`
	Count  uint64          `json:"count"`
	Hash   [32]byte        `json:"hash"`
	Key    string          `json:"key"`
	Time   time.Time       `json:"time"`
	Covers *journal.Covers `json:"covers,omitempty"`
	MadeBy string          `json:"made_by,omitempty"`
}

// ForkError is a checkpoint that contradicts one the witness signed.
type ForkError struct{ Reason string }

func (e *ForkError) Error() string { return e.Reason }

// CheckHistory checks c against the checkpoints remembered in path (a
// missing file remembers none): the journal key must be the one seen
// before, and c must not contradict any of them (see above).
func CheckHistory(path string, c *Checkpoint) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading what you witnessed before: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var s seen
		if json.Unmarshal(sc.Bytes(), &s) != nil || s.Origin != c.Origin {
			continue
		}
		day := s.Time.Format("2 Jan 2006")
		if s.Key != c.Key {
			return &ForkError{fmt.Sprintf("this journal's checkpoints were signed with another key when you witnessed one on %s", day)}
		}
		if s.Hash == c.Hash && s.Count == c.Count {
			continue
		}
		var reason string
		switch {
		case noDevices(s.Covers) && noDevices(c.Covers):
			// Files that name no computers, or a journal made before
			// signing: records 1 to N are the same everywhere.
			reason = contradictsByCount(&s, c)
		case s.Covers != nil && c.Covers != nil:
			reason = contradicts(&s, c)
		case oneDevice(s.Covers) && oneDevice(c.Covers):
			// One was made before files named computers (no covers),
			// the other names one at most: the journal had records
			// of one computer only, the same everywhere, so fewer
			// records than were witnessed is a cut. An equal count with
			// another hash is not compared: earlier witnesses kept the
			// hash of the last record, not the journal's head.
			if s.Count > c.Count {
				reason = fmt.Sprintf("%d records of this journal; this checkpoint has only %d", s.Count, c.Count)
			}
		}
		if reason != "" {
			return &ForkError{fmt.Sprintf("on %s you witnessed %s", day, reason)}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading what you witnessed before: %w", err)
	}
	return nil
}

// ComparedByKeyOnly returns how many checkpoints of c's journal
// remembered in path CheckHistory compared with c by its key alone: lines
// an earlier version kept, which name no computers, while c names several.
// Neither a count nor a hash compares across them (the computer that took
// c may not have received every record yet, and a line of the version
// before kept the hash of a record, not the journal's head). It is 0 once
// a line naming computers is remembered for the journal: c's, after it is
// signed, with which every later file is compared computer by computer.
func ComparedByKeyOnly(path string, c *Checkpoint) int {
	data, err := os.ReadFile(path)
	if err != nil || oneDevice(c.Covers) {
		return 0
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var s seen
		if json.Unmarshal(sc.Bytes(), &s) != nil || s.Origin != c.Origin || s.Key != c.Key {
			continue
		}
		if s.Covers != nil {
			return 0
		}
		n++
	}
	return n
}

// noDevices reports whether a checkpoint names no computer's records: a
// file made before checkpoints named them, or a journal made before
// signing, whose records 1 to N are the same on every computer.
func noDevices(c *journal.Covers) bool { return c == nil || len(c.Devices) == 0 }

// oneDevice reports whether a checkpoint names the records of one
// computer at most.
func oneDevice(c *journal.Covers) bool { return c == nil || len(c.Devices) <= 1 }

// contradicts compares two checkpoints computer by computer, and says how
// c contradicts s ("" if it does not).
func contradicts(s *seen, c *Checkpoint) string {
	if s.Covers.V1 == c.Covers.V1 && s.Covers.V1Hash != c.Covers.V1Hash {
		return fmt.Sprintf("other records 1 to %d of this journal: its history was changed", s.Covers.V1)
	}
	for _, d := range s.Covers.Devices {
		for _, e := range c.Covers.Devices {
			if e.Device == d.Device && e.Place == d.Place && e.Hash != d.Hash {
				return fmt.Sprintf("other contents for record %d of one of its computers: its history was changed", d.Place)
			}
		}
	}
	if c.MadeBy != "" {
		if had, has := s.Covers.Place(c.MadeBy), c.Covers.Place(c.MadeBy); has < had {
			return fmt.Sprintf("%d records of the computer that took this checkpoint; it has only %d of them: it is older than one you signed, or that computer's journal was put back", had, has)
		}
	}
	return ""
}

// contradictsByCount compares two checkpoints that name no computers, by
// their count of records.
func contradictsByCount(s *seen, c *Checkpoint) string {
	switch {
	case s.Count == c.Count && s.Hash != c.Hash:
		return fmt.Sprintf("other records 1 to %d of this journal: its history was changed", s.Count)
	case s.Count > c.Count:
		return fmt.Sprintf("%d records of this journal; this checkpoint has only %d", s.Count, c.Count)
	}
	return ""
}

// Remember adds c, witnessed at t, to the checkpoints remembered in path
// (0600, its folder 0700).
func Remember(path string, c *Checkpoint, t time.Time) error {
	line, err := json.Marshal(seen{Origin: c.Origin, Count: c.Count, Hash: c.Hash, Key: c.Key, Time: t.UTC(), Covers: c.Covers, MadeBy: c.MadeBy})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("remembering the checkpoint: %w", err)
	}
	_, err = f.Write(append(line, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
