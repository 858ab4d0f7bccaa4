package journal_test

import (
	"testing"

	"github.com/journal-dev/journal/journal"
)

// TestARecordedReadReadsThePinOnce: a command that reads the journal,
// brings this computer's pin forward, and then adds a record (as a
// recorded export does) reads pin.json from the disk once, and the pin
// it leaves holds the record added.
func TestARecordedReadReadsThePinOnce(t *testing.T) {
	path, sealer := newJournal(t)
	read := func() {
		r, err := journal.OpenPinned(path, journal.Options{ReadOnly: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		r.AdvancePin()
		r.Close()
	}
	read() // the first read saves the pin
	reads := journal.PinReadsForTest()
	read()
	w, err := journal.OpenPinned(path, journal.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(sealer, incident("recorded", t0)); err != nil {
		t.Fatal(err)
	}
	seq, _, err := w.Head()
	id := w.ID()
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	if n := reads(); n != 1 {
		t.Errorf("pin.json was read %d times, want once", n)
	}
	pin, err := journal.LoadPin(id)
	if err != nil || pin == nil || pin.Records != seq {
		t.Fatalf("the pin after the record: %+v, %v; want %d records", pin, err, seq)
	}
}
