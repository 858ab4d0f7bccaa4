package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// A journal with a sync folder exchanges records through it: reading
// commands pull first, `add` and the other writing commands push after
// they commit, and `journal sync` does both now. See syncfolder for the
// files and journal/merge.go for how records are checked and merged.

// storeChains lets an exchange read and fill the journal's device chains.
type storeChains struct{ s *journal.Store }

// Devices are every device the manifest ever enrolled: records a retired
// device made before it was retired still stand.
func (c storeChains) Devices() ([]ed25519.PublicKey, error) {
	m, err := c.s.Manifest()
	if err != nil || m == nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []ed25519.PublicKey
	for _, st := range m.Statements {
		for _, d := range st.Devices {
			if pub, err := journal.ParseDeviceName(d.Key); err == nil && !seen[d.Key] {
				seen[d.Key] = true
				out = append(out, pub)
			}
		}
	}
	return out, nil
}

func (c storeChains) Head(pub ed25519.PublicKey) (uint64, error) { return c.s.DeviceHead(pub) }

func (c storeChains) Records(pub ed25519.PublicKey, from, to uint64) ([][]byte, error) {
	return c.s.DeviceRecords(pub, from, to)
}

func (c storeChains) Merge(pub ed25519.PublicKey, first uint64, recs [][]byte) (int, error) {
	n, err := c.s.MergeRecords(pub, first, recs)
	if errors.Is(err, journal.ErrWaiting) {
		return n, fmt.Errorf("%w", syncfolder.ErrWaiting)
	}
	return n, err
}

// The file keys of imported records travel with their segments
// (journal/carriedkeys.go): storeChains is a syncfolder.KeyLists.

func (c storeChains) SealedKeys(pub ed25519.PublicKey, from, to uint64) ([][]byte, error) {
	return c.s.SealedKeys(pub, from, to)
}

func (c storeChains) KeysWritten(pub ed25519.PublicKey, to uint64) error {
	return c.s.KeysWritten(pub, to)
}

func (c storeChains) AddSealedKeys(pub ed25519.PublicKey, first, last uint64, lists [][]byte) error {
	return c.s.AddSealedKeys(pub, first, last, lists)
}

func (c storeChains) SeenSegment(pub ed25519.PublicKey) (string, error) { return c.s.SeenSegment(pub) }

func (c storeChains) SetSeenSegment(pub ed25519.PublicKey, path string) error {
	return c.s.SetSeenSegment(pub, path)
}

// exchangeResult is what an exchange did, for the user.
type exchangeResult struct {
	pulled, pushed, statements int
	report                     *syncfolder.Report
}

// exchange brings the journal and its sync folder level: the manifest both
// ways, then the other devices' records in, then this device's out. A
// segment that is damaged or a fork is left out and reported by
// problems; the rest merges.
func (g *globals) exchange(s *journal.Store, f *syncfolder.Folder, progress func(int)) (*exchangeResult, error) {
	res := &exchangeResult{}
	n, err := exchangeManifest(s, f)
	if err != nil {
		return nil, err
	}
	res.statements = n
	if err := exchangeKeys(s, f); err != nil {
		return nil, err
	}
	old, err := exchangeV1(s, f)
	if err != nil {
		return nil, err
	}
	// Evidence first: a record that names a blob arrives after it, when
	// the sync program keeps the order files were written in.
	refused, err := exchangeBlobs(s, f)
	if err != nil {
		return nil, err
	}
	res.report, err = syncfolder.Pull(f, storeChains{s}, progress)
	if err != nil {
		return nil, err
	}
	res.report.Refused = append(res.report.Refused, refused...)
	res.pulled = res.report.Merged + old
	if dev, err := journal.LoadDevice(s.ID()); err == nil {
		res.pushed, err = syncfolder.Push(f, storeChains{s}, dev.Public())
		var fe *syncfolder.ForkError
		if errors.As(err, &fe) {
			res.report.Refused = append(res.report.Refused, err)
		} else if err != nil {
			return res, fmt.Errorf("writing this computer's records to the sync folder: %w", err)
		}
	}
	if res.pulled > 0 {
		s.AdvancePin()
	}
	return res, nil
}

// exchangeManifest adds the folder's newer statements to the journal and
// writes the journal's into the folder. It returns how many it added.
func exchangeManifest(s *journal.Store, f *syncfolder.Folder) (int, error) {
	entries, err := f.Numbered(syncfolder.DirManifest)
	if err != nil {
		return 0, err
	}
	var stored [][]byte
	for i, e := range entries {
		if e.Seq != uint64(i+1) {
			if e.Seq == uint64(i) {
				return 0, withHint(&journal.ManifestForkError{N: e.Seq}, exitIntegrity,
					"two computers changed the journal's devices at the same time; see 'journal devices'")
			}
			break // a statement has not arrived yet: take those before it
		}
		b, err := f.Read(e.Path())
		if err != nil {
			return 0, err
		}
		stored = append(stored, b)
	}
	added, err := s.ImportStatements(stored)
	var mf *journal.ManifestForkError
	if errors.As(err, &mf) {
		return 0, withHint(err, exitIntegrity, "two computers changed the journal's devices at the same time; see 'journal devices'")
	}
	if err != nil {
		return 0, err
	}
	mine, err := s.Statements()
	if err != nil {
		return 0, err
	}
	for i, b := range mine[min(len(stored), len(mine)):] {
		if _, err := f.PutNumbered(syncfolder.DirManifest, uint64(len(stored)+i+1), b, "manifest"); err != nil {
			return 0, fmt.Errorf("writing the manifest to the sync folder: %w", err)
		}
	}
	return added, nil
}

// problems says what an exchange left out: foreign segments as warnings
// (the command still succeeds), segments that wait as one line, and
// damaged or forked ones as an integrity error naming the files (exit 4),
// which the caller returns once its own work is done.
func (g *globals) problems(s *journal.Store, r *syncfolder.Report, always bool) error {
	if r == nil {
		return nil
	}
	for _, err := range r.Foreign {
		fmt.Fprintf(g.err, "journal: warning: %s\n", oneLine(err.Error()))
	}
	if len(r.Waiting) > 0 {
		var names []string
		for dir := range r.Waiting {
			names = append(names, deviceByDir(s, dir))
		}
		fmt.Fprintf(g.err, "Waiting for earlier records of %s to arrive in the sync folder; what came after them is not shown yet.\n",
			strings.Join(names, ", "))
	}
	if len(r.Refused) == 0 {
		return nil
	}
	// Each refused file is an error (exit 4) for the first command that
	// meets it; after that, a reminder. verify always says it.
	if !always {
		paths := make([]string, len(r.Refused))
		for i, err := range r.Refused {
			paths[i] = refusedPath(err)
		}
		known, err := s.Refused(paths)
		if err != nil {
			return err
		}
		var fresh []error
		for i, err := range r.Refused {
			if !known[paths[i]] {
				fresh = append(fresh, err)
			}
		}
		if len(fresh) < len(r.Refused) {
			fmt.Fprintf(g.err, "journal: warning: %s of the sync folder refused earlier %s still left out; 'journal verify' names them\n",
				countNoun(len(r.Refused)-len(fresh), "file"), map[bool]string{true: "is", false: "are"}[len(r.Refused)-len(fresh) == 1])
		}
		if len(fresh) == 0 {
			return nil
		}
		if !s.ReadOnly() {
			for i, err := range r.Refused {
				if !known[paths[i]] {
					s.AddRefused(paths[i], err.Error())
				}
			}
		}
		r.Refused = fresh
	}
	msgs := make([]string, len(r.Refused))
	fork := false
	for i, err := range r.Refused {
		msgs[i] = err.Error()
		var fe *syncfolder.ForkError
		fork = fork || errors.As(err, &fe) || strings.HasPrefix(msgs[i], "fork")
	}
	hint := "nothing of it was merged; the rest was. If a sync program damaged it, copy it again from the computer that wrote it"
	if fork {
		hint = "two different records claim the same place of one device's chain (a restored backup, or a device key copied to another computer): nothing of the other record was merged; run 'journal verify'"
	}
	return withHint(errors.New(strings.Join(msgs, "; ")), exitIntegrity, hint)
}

// deviceByDir names the device whose sync folder is dir.
func deviceByDir(s *journal.Store, dir string) string {
	if m, err := s.Manifest(); err == nil && m != nil {
		for _, st := range m.Statements {
			for _, d := range st.Devices {
				if pub, err := journal.ParseDeviceName(d.Key); err == nil && syncfolder.DeviceDir(pub) == dir {
					return fmt.Sprintf("%q", d.Name)
				}
			}
		}
	}
	return "device " + dir
}

// openSyncFolder opens the journal's sync folder, if it has one.
func openSyncFolder(s *journal.Store) (*syncfolder.Folder, error) {
	dir, err := s.SyncFolder()
	if err != nil || dir == "" {
		return nil, err
	}
	f, err := syncfolder.Open(dir)
	if err != nil {
		return nil, err
	}
	if string(f.JournalID) != string(s.ID()) {
		return nil, fmt.Errorf("%s: %w", dir, syncfolder.ErrOtherJournal)
	}
	return f, nil
}

// autoSync pulls (and pushes) before a command reads, when the journal
// has a sync folder. It never stops the command: a folder that cannot be
// reached is a warning, and a journal in use is left for next time.
// Damaged or forked segments are kept in g.syncErr, which the command
// returns (exit 4) after doing its work with the rest.
func (g *globals) autoSync() {
	if g.synced {
		return
	}
	g.synced = true
	if !g.hasSyncFolder() {
		return
	}
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return
	}
	defer s.Close()
	if s.Version() < journal.FormatVersion {
		return
	}
	f, err := openSyncFolder(s)
	if err != nil {
		fmt.Fprintf(g.err, "journal: warning: the sync folder cannot be read (%s): showing what this computer has\n", oneLine(err.Error()))
		return
	}
	if f == nil {
		return
	}
	res, err := g.exchange(s, f, nil)
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) && ee.code == exitIntegrity {
			g.syncErr = err
			return
		}
		fmt.Fprintf(g.err, "journal: warning: %s\n", oneLine(err.Error()))
		return
	}
	g.syncErr = g.problems(s, res.report, false)
}

// pushPending writes to the sync folder what a command committed, after
// it has done its work. A folder that is missing, read-only or full is a
// warning: the records are in the journal, and the next command that
// syncs writes them.
func (g *globals) pushPending() {
	if !g.wrote || !g.hasSyncFolder() {
		return
	}
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return
	}
	defer s.Close()
	f, err := openSyncFolder(s)
	if err == nil && f != nil {
		var dev *journal.Device
		if dev, err = journal.LoadDevice(s.ID()); err == nil {
			if err = pushBlobs(s, f); err == nil {
				_, err = syncfolder.Push(f, storeChains{s}, dev.Public())
			}
		}
	}
	if err != nil {
		fmt.Fprintf(g.err, "journal: warning: not written to the sync folder yet (%s); it is kept in this computer's journal and written at the next 'journal sync'\n",
			oneLine(err.Error()))
	}
}

// pullManifest brings in the sync folder's newer manifest statements
// before an add: a computer that joined to add only learns that it was
// approved, and any computer that it was retired.
func (g *globals) pullManifest() {
	if !g.hasSyncFolder() {
		return
	}
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return
	}
	defer s.Close()
	if s.Version() < journal.FormatVersion {
		return
	}
	if f, err := openSyncFolder(s); err == nil && f != nil {
		if n, err := exchangeManifest(s, f); err == nil && n > 0 {
			s.AdvancePin()
		}
	}
}

// verifyFolder checks, for `journal verify`, every segment of the sync
// folder against the journal: a fork (two different records at one place
// of a device's chain) or a damaged segment is an integrity error naming
// the device, the place and the file.
func (g *globals) verifyFolder(s *journal.Store) error {
	f, err := openSyncFolder(s)
	if err != nil || f == nil {
		return err
	}
	problems, err := syncfolder.Check(f, storeChains{s})
	if err != nil {
		return err
	}
	// And what earlier pulls refused, while it is still in the folder.
	earlier, err := s.AllRefused()
	if err != nil {
		return err
	}
	heads := map[string]uint64{} // by device folder
	if devs, err := (storeChains{s}).Devices(); err == nil {
		for _, d := range devs {
			heads[syncfolder.DeviceDir(d)], _ = s.DeviceHead(d)
		}
	}
	for path, why := range earlier {
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
			problems = append(problems, errors.New(why))
		}
	}
	for i, p := range problems {
		var fe *syncfolder.ForkError
		if errors.As(p, &fe) {
			problems[i] = fmt.Errorf("fork in the chain of the device %s at its record %d: %s holds a different record there than this journal",
				deviceByDir(s, fe.Device), fe.Place, fe.Path)
		}
	}
	return g.problems(s, &syncfolder.Report{Refused: problems}, true)
}

// refusedPath is the sync folder file a refusal names.
func refusedPath(err error) string {
	var de *syncfolder.DamagedError
	var fe *syncfolder.ForkError
	switch {
	case errors.As(err, &de):
		return de.Path
	case errors.As(err, &fe):
		return fe.Path
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

// exchangeKeys writes the journal's wrapped identity to the folder when
// the folder's newest one is not it (after 'journal passphrase' or
// 'journal rekey'), so that a computer that joins later unlocks with the
// passphrase of now. A computer that adds only has none to write.
func exchangeKeys(s *journal.Store, f *syncfolder.Folder) error {
	m, err := s.Meta()
	if err != nil || len(m.WrappedIdentity) == 0 {
		return err
	}
	keys, err := f.Numbered(syncfolder.DirKeys)
	if err != nil {
		return err
	}
	if len(keys) > 0 && keys[len(keys)-1].Hash == syncfolder.HashName(m.WrappedIdentity) {
		return nil
	}
	n := uint64(1)
	if len(keys) > 0 {
		n = keys[len(keys)-1].Seq + 1
	}
	_, err = f.PutNumbered(syncfolder.DirKeys, n, m.WrappedIdentity, "keys")
	return err
}

// pushBlobs writes to the folder the evidence the journal holds and the
// folder does not.
func pushBlobs(s *journal.Store, f *syncfolder.Folder) error {
	keys, err := s.BlobKeys()
	if err != nil || len(keys) == 0 {
		return err
	}
	have, err := f.Blobs()
	if err != nil {
		return err
	}
	for _, k := range keys {
		if _, ok := have[k]; ok {
			continue
		}
		if err := f.PutBlob(k, func(w io.Writer) error { return s.CopySealedBlob(k, w) }, "blob"); err != nil {
			return err
		}
	}
	return nil
}

// exchangeBlobs writes this journal's evidence to the folder and brings
// in the folder's. A blob file that does not match its name is refused,
// and returned as such; nothing of it is kept.
func exchangeBlobs(s *journal.Store, f *syncfolder.Folder) (refused []error, err error) {
	if err := pushBlobs(s, f); err != nil {
		return nil, fmt.Errorf("writing evidence to the sync folder: %w", err)
	}
	have, err := f.Blobs()
	if err != nil {
		return nil, err
	}
	for k, b := range have {
		if ok, err := s.HasBlob(k); err != nil || ok {
			continue
		}
		r, err := f.OpenBlob(b)
		if err != nil {
			return nil, err
		}
		err = s.PutSealedBlob(k, r)
		r.Close()
		var de *syncfolder.DamagedError
		if errors.As(err, &de) {
			refused = append(refused, err)
		} else if err != nil {
			return nil, err
		}
	}
	return refused, nil
}

// hasSyncFolder says, from a read-only look, whether the journal has a
// sync folder: a journal without one is never opened for writing by the
// sync machinery.
func (g *globals) hasSyncFolder() bool {
	path, err := g.path()
	if err != nil {
		return false
	}
	// A journal in use is not waited for here: the command's own open
	// waits for it, and says so.
	s, err := journal.Open(path, journal.Options{ReadOnly: true, LockWait: 10 * time.Millisecond})
	if err != nil {
		return false
	}
	defer s.Close()
	dir, err := s.SyncFolder()
	return err == nil && dir != ""
}

// exchangeV1 writes the records this journal holds from before signing
// (an upgraded journal) to the folder once, and brings them into a journal
// that has none yet, first of all (a computer that joins).
func exchangeV1(s *journal.Store, f *syncfolder.Folder) (int, error) {
	mine, err := s.V1Records()
	if err != nil {
		return 0, err
	}
	l, err := f.List()
	if err != nil {
		return 0, err
	}
	segs := l.Segments[syncfolder.DeviceDir(syncfolder.V1Device)]
	if len(mine) > 0 {
		if len(segs) == 0 {
			_, err = f.PutSegment(&syncfolder.Segment{JournalID: f.JournalID, Device: syncfolder.V1Device, First: 1, Records: mine})
		}
		return 0, err
	}
	if seq, _, err := s.Head(); err != nil || seq > 0 || len(segs) == 0 {
		return 0, err
	}
	for _, e := range segs {
		seg, err := f.ReadSegment(e)
		if err != nil {
			continue
		}
		if err := s.MergeV1Records(seg.Records); err == nil {
			return len(seg.Records), nil
		}
	}
	return 0, nil
}
