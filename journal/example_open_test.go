package journal_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// passphrase unlocks a journal with its passphrase, as a client that asks
// for one would.
type passphrase string

func (p passphrase) Unlock(m *journal.Meta) (journal.Keys, error) {
	id, err := crypto.Unwrap(m.WrappedIdentity, string(p))
	if err != nil {
		return nil, err
	}
	return crypto.NewSealer(m.Recipients, id)
}

// A client opens the journal for a change, records an incident with its
// evidence, and corrects it; every use case is whole or not at all.
func ExampleOpenJournal() {
	dir, _ := os.MkdirTemp("", "journal-example")
	defer os.RemoveAll(dir)
	// This computer's device key and pin live in its configuration folder.
	defer os.Setenv("XDG_CONFIG_HOME", os.Getenv("XDG_CONFIG_HOME"))
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))

	id, _ := crypto.Generate(false)
	wrapped, _ := crypto.Wrap(id, "correct horse battery")
	path := filepath.Join(dir, "journal.db")
	meta := &journal.Meta{WrappedIdentity: wrapped, Recipients: []string{id.Recipient()}}
	if _, err := journal.CreateWithDevice(path, meta, id.OwnerKey(), "laptop"); err != nil {
		fmt.Println(err)
		return
	}

	j, err := journal.OpenJournal(path, journal.ForChange, passphrase("correct horse battery"), journal.OpenOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer j.Close()
	now := time.Now().Truncate(time.Second)
	rec := &journal.Record{Type: journal.TypeIncident, RecordedAt: now,
		Fields: &journal.Fields{OccurredAt: now, Summary: "Shouted at me at reception"}}
	ev := []journal.Evidence{{Name: "/home/sam/voicemail.txt", R: strings.NewReader("You'll regret this")}}
	files, err := j.AddIncident(j.Keys, rec, ev, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("incident", rec.Incident, "with", files[0].Attachment.Name)

	st, _ := j.Load(j.Keys)
	fix := journal.Correction{Fields: &journal.Fields{Place: "Riverside Surgery"},
		Changed: []journal.Field{journal.FieldWhere}, Reason: "forgot the place"}
	if _, err := j.Amend(j.Keys, st, []uint64{rec.Incident}, fix, now); err != nil {
		fmt.Println(err)
		return
	}
	st, _ = j.Load(j.Keys)
	in := st.Incident(rec.Incident)
	fmt.Println(in.Fields.Summary, "at", in.Fields.Place+";", len(in.Amendments), "amendment")
	// Output:
	// incident 1 with voicemail.txt
	// Shouted at me at reception at Riverside Surgery; 1 amendment
}
