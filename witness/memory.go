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
)

// A witness remembers every checkpoint they countersigned, one JSON line
// each, so that a journal cannot show them two different histories: the
// same journal with other records at a count they saw, or fewer records
// than they saw before.

// seen is one checkpoint a witness countersigned.
type seen struct {
	Origin string    `json:"origin"`
	Count  uint64    `json:"count"`
	Hash   [32]byte  `json:"hash"`
	Key    string    `json:"key"`
	Time   time.Time `json:"time"`
}

// ForkError is a checkpoint that contradicts one the witness signed.
type ForkError struct{ Reason string }

func (e *ForkError) Error() string { return e.Reason }

// CheckHistory checks c against the checkpoints remembered in path (a
// missing file remembers none): the journal key must be the one seen
// before, the same count must have the same hash, and the count must not
// go down.
func CheckHistory(path string, c *Checkpoint) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading what you witnessed before: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var s seen
		if json.Unmarshal(sc.Bytes(), &s) != nil || s.Origin != c.Origin {
			continue
		}
		day := s.Time.Format("2 Jan 2006")
		switch {
		case s.Key != c.Key:
			return &ForkError{fmt.Sprintf("this journal's checkpoints were signed with another key when you witnessed one on %s", day)}
		case s.Count == c.Count && s.Hash != c.Hash:
			return &ForkError{fmt.Sprintf("on %s you witnessed other records 1 to %d of this journal: its history was changed", day, s.Count)}
		case s.Count > c.Count:
			return &ForkError{fmt.Sprintf("on %s you witnessed %d records of this journal; this checkpoint has only %d", day, s.Count, c.Count)}
		}
	}
	return nil
}

// Remember adds c, witnessed at t, to the checkpoints remembered in path
// (0600, its folder 0700).
func Remember(path string, c *Checkpoint, t time.Time) error {
	line, err := json.Marshal(seen{Origin: c.Origin, Count: c.Count, Hash: c.Hash, Key: c.Key, Time: t.UTC()})
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
