package exchange_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

func init() { crypto.TestUseLowScryptWorkFactor() }

// newSynced makes a journal of one device with a sync folder, and adds n
// incidents to it in one Append, as an import does (without the key).
func newSynced(t *testing.T, n int) (*journal.Store, *syncfolder.Folder, *journal.Device) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	id, err := crypto.Generate(false)
	if err != nil {
		t.Fatal(err)
	}
	wrapped, err := crypto.Wrap(id, "pass")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "journal.db")
	dev, err := journal.CreateWithDevice(path, &journal.Meta{WrappedIdentity: wrapped, Recipients: []string{id.Recipient()}}, id.OwnerKey(), "laptop")
	if err != nil {
		t.Fatal(err)
	}
	s, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.UseDevice(dev, nil)
	dir := filepath.Join(t.TempDir(), "sync")
	f, err := syncfolder.Create(dir, s.ID())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSyncFolder(dir); err != nil {
		t.Fatal(err)
	}
	public, err := crypto.NewSealer([]string{id.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	var recs []*journal.Record
	for i := range n {
		recs = append(recs, &journal.Record{Type: journal.TypeIncident, RecordedAt: at,
			Fields: &journal.Fields{OccurredAt: at.Add(time.Duration(i) * time.Hour), Summary: "incident"}})
	}
	if err := s.Append(public, recs...); err != nil {
		t.Fatal(err)
	}
	return s, f, dev
}

func TestRunWritesRecordsOnceWithTheirFileKeys(t *testing.T) {
	s, f, dev := newSynced(t, 70)
	res, err := exchange.Run(s, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed != 70 || res.Pulled != 0 {
		t.Fatalf("first exchange: %d written, %d brought in; want 70 and 0", res.Pushed, res.Pulled)
	}
	l, err := f.List()
	if err != nil {
		t.Fatal(err)
	}
	segs := l.Segments[syncfolder.DeviceDir(dev.Public())]
	if len(segs) != 1 {
		t.Fatalf("%d segments, want 1", len(segs))
	}
	seg, err := f.ReadSegment(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(seg.Records) != 70 || len(seg.Keys) != 1 {
		t.Fatalf("the segment holds %d records and %d key lists, want 70 and 1", len(seg.Records), len(seg.Keys))
	}
	if kept, _ := s.SealedKeys(dev.Public(), 1, 70); len(kept) != 0 {
		t.Errorf("the journal still keeps %d key lists to send after they were written", len(kept))
	}
	res, err = exchange.Run(s, f, nil)
	if err != nil || res.Pushed != 0 || res.Pulled != 0 {
		t.Fatalf("second exchange: %+v %v, want nothing written or brought in", res, err)
	}
}

func TestReviewSaysARefusedFileOnceThenReminds(t *testing.T) {
	s, _, dev := newSynced(t, 1)
	path := "devices/" + syncfolder.DeviceDir(dev.Public()) + "/000000000002-" + "ab"
	r := &syncfolder.Report{Refused: []error{&syncfolder.DamagedError{Path: path, Reason: "cut short"}}}
	first, err := exchange.Review(s, r, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Refused) != 1 || first.Earlier != 0 || first.Fork {
		t.Fatalf("first time: %+v, want the file refused", first)
	}
	again, _ := exchange.Review(s, r, false)
	if len(again.Refused) != 0 || again.Earlier != 1 {
		t.Fatalf("second time: %+v, want a reminder only", again)
	}
	all, _ := exchange.Review(s, r, true)
	if len(all.Refused) != 1 {
		t.Fatalf("for verify: %+v, want the file named again", all)
	}
	fork, _ := exchange.Review(s, &syncfolder.Report{Refused: []error{&syncfolder.ForkError{Device: "x", Place: 2, Path: "devices/x/000000000002-cd"}}}, false)
	if !fork.Fork || len(fork.Refused) != 1 {
		t.Fatalf("a fork: %+v", fork)
	}
	if got := exchange.DeviceLabel(s, syncfolder.DeviceDir(dev.Public())); got != `"laptop"` {
		t.Errorf("DeviceLabel = %s, want the device's name", got)
	}
}
