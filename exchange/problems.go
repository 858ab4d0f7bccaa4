package exchange

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// Problems is what an exchange left out, sorted for the person at the
// keyboard.
type Problems struct {
	// Foreign are files ignored: another journal's, or of a device the
	// journal does not list. A warning each; the command succeeds.
	Foreign []error
	// Waiting names the devices (quoted) whose newer records wait for
	// earlier ones to arrive.
	Waiting []string
	// Refused are damaged files and forks, nothing of which was merged:
	// an integrity error. Fork is set when one of them is a fork.
	Refused []error
	Fork    bool
	// Earlier counts files refused by an earlier command and still left
	// out, which Refused does not repeat: a reminder.
	Earlier int
}

// Review sorts a report. Each refused file is an error for the first
// command that meets it, which the journal remembers; later ones count it
// in Earlier. With all set (verify), every refused file is in Refused.
func Review(s *journal.Store, r *syncfolder.Report, all bool) (*Problems, error) {
	p := &Problems{}
	if r == nil {
		return p, nil
	}
	p.Foreign = r.Foreign
	for dir := range r.Waiting {
		p.Waiting = append(p.Waiting, DeviceLabel(s, dir))
	}
	slices.Sort(p.Waiting)
	refused := r.Refused
	if !all && len(refused) > 0 {
		paths := make([]string, len(refused))
		for i, err := range refused {
			paths[i] = refusedPath(err)
		}
		known, err := s.Refused(paths)
		if err != nil {
			return nil, err
		}
		var fresh []error
		for i, err := range refused {
			if known[paths[i]] {
				p.Earlier++
				continue
			}
			fresh = append(fresh, err)
			if !s.ReadOnly() {
				if err := s.AddRefused(paths[i], journal.Refusal{Why: err.Error(), Fork: isFork(err)}); err != nil {
					return nil, fmt.Errorf("remembering a refused file of the sync folder: %w", err)
				}
			}
		}
		refused = fresh
	}
	for _, err := range refused {
		p.Fork = p.Fork || isFork(err)
	}
	p.Refused = refused
	return p, nil
}

// DeviceLabel names the device whose sync folder is dir: its name,
// quoted, or "device" and the folder when the manifest does not list it.
func DeviceLabel(s *journal.Store, dir string) string {
	if m, err := s.Manifest(); err == nil && m != nil {
		for _, st := range m.All() {
			for _, d := range st.Devices {
				if pub, err := journal.ParseDeviceName(d.Key); err == nil && syncfolder.DeviceDir(pub) == dir {
					return fmt.Sprintf("%q", d.Name)
				}
			}
		}
	}
	return "device " + dir
}

// Check compares, for `journal verify`, every segment of the folder with
// the journal, and returns what does not hold: a fork (two different
// records at one place of a device's chain, named by the device's name,
// the place and the file), a damaged segment, and what earlier pulls
// refused while it is still in the folder.
func Check(s *journal.Store, f *syncfolder.Folder) ([]error, error) {
	problems, err := syncfolder.Check(f, chains{s})
	if err != nil {
		return nil, err
	}
	earlier, err := s.AllRefused()
	if err != nil {
		return nil, err
	}
	heads := map[string]uint64{} // by device folder
	if devs, err := (chains{s}).Devices(); err == nil {
		for _, d := range devs {
			heads[syncfolder.DeviceDir(d)], _ = s.DeviceHead(d)
		}
	}
	// In the order of the files' names, so that two runs say the same.
	for _, path := range slices.Sorted(maps.Keys(earlier)) {
		r := earlier[path]
		// A refused file whose places this journal now holds was
		// written again whole; syncfolder.Check compared what is there.
		var dir string
		var n uint64
		if _, err := fmt.Sscanf(strings.ReplaceAll(path, "/", " "), "devices %s %d-", &dir, &n); err == nil && n <= heads[dir] {
			continue
		}
		dup := false
		for _, p := range problems {
			dup = dup || refusedPath(p) == path
		}
		if _, err := os.Stat(filepath.Join(f.Root(), filepath.FromSlash(path))); err == nil && !dup {
			problems = append(problems, &EarlierError{Path: path, Refusal: r})
		}
	}
	for i, p := range problems {
		var fe *syncfolder.ForkError
		if errors.As(p, &fe) {
			problems[i] = &NamedForkError{ForkError: fe, Device: DeviceLabel(s, fe.Device)}
		}
	}
	return problems, nil
}

// EarlierError is a file of the sync folder that an earlier command
// refused and the folder still holds.
type EarlierError struct {
	Path string
	journal.Refusal
}

func (e *EarlierError) Error() string { return e.Why }

// NamedForkError is a fork, its device named as the manifest names it.
type NamedForkError struct {
	*syncfolder.ForkError
	// Device is the device's name, quoted, or its folder.
	Device string
}

func (e *NamedForkError) Error() string {
	return fmt.Sprintf("fork in the chain of the device %s at its record %d: %s holds a different record there than this journal",
		e.Device, e.Place, e.Path)
}

func (e *NamedForkError) Unwrap() error { return e.ForkError }

// isFork says whether a refusal is a fork, by its kind.
func isFork(err error) bool {
	var fe *syncfolder.ForkError
	var ee *EarlierError
	return errors.As(err, &fe) || errors.As(err, &ee) && ee.Fork
}

// refusedPath is the sync folder file a refusal names.
func refusedPath(err error) string {
	var de *syncfolder.DamagedError
	var fe *syncfolder.ForkError
	var ee *EarlierError
	switch {
	case errors.As(err, &de):
		return de.Path
	case errors.As(err, &fe):
		return fe.Path
	case errors.As(err, &ee):
		return ee.Path
	}
	if m := refusedFile().FindString(err.Error()); m != "" {
		return m
	}
	return err.Error()
}

// refusedFile finds the sync folder's file named in an error; compiled
// when first needed, not at every start.
var refusedFile = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`devices/[a-z2-7]{1,64}/[0-9]{12}-[0-9a-f]{64}`)
})

// Newer says whether the sync folder holds records that this journal file
// has not brought in yet: a manifest statement after its own newest (a
// computer that joined since comes with one), or a segment of a device it
// knows that starts after its newest record of that device.
// It reads the folder's listing only, and changes nothing (verify, which
// does not pull, says so).
func Newer(s *journal.Store, f *syncfolder.Folder) bool {
	l, err := f.List()
	if err != nil {
		return false
	}
	m, err := s.Manifest()
	if err != nil || m == nil {
		return false
	}
	if n := len(l.Manifest); n > 0 && l.Manifest[n-1].Seq > m.Head().N {
		return true
	}
	devs, err := (chains{s}).Devices()
	if err != nil {
		return false
	}
	heads := map[string]uint64{}
	for _, d := range devs {
		h, err := s.DeviceHead(d)
		if err != nil {
			return false
		}
		heads[syncfolder.DeviceDir(d)] = h
	}
	for dir, segs := range l.Segments {
		if h, known := heads[dir]; known && segs[len(segs)-1].Seq > h {
			return true
		}
	}
	return false
}
