package journal_test

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// TestClockNeverGoesBack: a device whose clock was set back is told so and
// writes nothing; a record a little older than the last (two adds at once)
// takes the last time; and verify names a record whose time goes back
// within its device's chain.
func TestClockNeverGoesBack(t *testing.T) {
	path, sealer := newJournal(t)
	s := open(t, path, false)
	dev, err := journal.LoadDevice(s.ID())
	if err != nil {
		t.Fatal(err)
	}
	pin, err := s.UpdatePin(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.UseDevice(dev, pin)
	if err := s.Append(sealer, incident("first", t0)); err != nil {
		t.Fatal(err)
	}
	var ce *journal.ClockError
	if err := s.Append(sealer, incident("set back", t0.Add(-time.Hour))); !errors.As(err, &ce) {
		t.Fatalf("Append an hour before the last record = %v, want a ClockError", err)
	}
	if seq, _, _ := s.Head(); seq != 1 {
		t.Fatalf("the journal has %d records after a refused add, want 1", seq)
	}
	late := incident("two at once", t0.Add(-time.Minute))
	if err := s.Append(sealer, late); err != nil {
		t.Fatal(err)
	}
	if !late.RecordedAt.Equal(t0) {
		t.Errorf("a record a minute older than the last was recorded at %v, want %v", late.RecordedAt, t0)
	}
	// Without the pin (a device that forgot what it wrote), the store
	// cannot know; verify can.
	s.UseDevice(dev, nil)
	if err := s.Append(sealer, incident("back in time", t0.Add(-24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	_, err = s.Verify(sealer)
	var ie *journal.IntegrityError
	if !errors.As(err, &ie) || ie.Seq != 3 || !strings.Contains(ie.Reason, "clock was set back") {
		t.Errorf("Verify = %v, want record 3: the device's clock was set back", err)
	}
	if pin.Journal != hex.EncodeToString(s.ID()) {
		t.Errorf("pin of journal %s, want %x", pin.Journal, s.ID())
	}
}
