package main

import (
	"encoding/hex"
	"fmt"

	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/stamp"
	"github.com/journal-dev/journal/syncfolder"
)

// checkStamps checks every stamp's token offline against the chain as it
// is now and the certificates kept with it, and lists each one. A token
// that does not hold is an integrity failure naming the stamp.
func checkStamps(g *globals, store *journal.Store, rep *journal.VerifyReport) error {
	for i, s := range rep.State.Stamps {
		n := i + 1
		fail := func(reason string) error {
			return &journal.IntegrityError{Seq: s.At, Reason: fmt.Sprintf("stamp %d (by %s, %s) does not hold: %s",
				n, s.Authority, s.Time.UTC().Format("2 Jan 2006 15:04:05 MST"), reason)}
		}
		covers := fmt.Sprintf("records 1 to %d", s.Seq)
		head, ok := rep.StampHead(s.Seq)
		if !ok || journal.HeadHex(head) != s.Head {
			// Made on another computer, which held the same records in
			// another order: the head it stamped is the head just after
			// one of its records (journal.Store.FindStampedHead).
			found := false
			if want, err := hex.DecodeString(s.Head); err == nil && len(want) == len(head) {
				if _, found, err = store.FindStampedHead([32]byte(want)); err != nil {
					return err
				}
				head = [32]byte(want)
			}
			switch {
			case !found && !ok:
				return fail(fmt.Sprintf("it names record %d, which is not in the journal", s.Seq))
			case !found:
				return fail(fmt.Sprintf("records 1 to %d were changed since it was stamped", s.Seq))
			}
			covers = "the records its computer held then"
		}
		roots, err := stamp.Roots(s.Roots)
		if err != nil {
			return fail("its root certificates cannot be read: " + err.Error())
		}
		tok, err := stamp.Check(s.Reply, head, roots)
		if err != nil {
			return fail(err.Error())
		}
		if !tok.Time.Equal(s.Time) || tok.Authority != s.Authority {
			return fail("the record says another time or authority than the token")
		}
		fmt.Fprintf(g.out, "stamp %d: %s, %s, %s: holds\n",
			n, tok.Authority, tok.Time.Local().Format("2 Jan 2006 15:04:05 MST"), covers)
	}
	return nil
}

// putProofFiles writes each stamp's token and each witnessed checkpoint
// into the sync folder's stamps/, when the journal has a sync folder, so
// that anyone with the folder holds them as files. The records themselves
// travel with the device's segment; a folder that cannot be written is a
// warning only.
func putProofFiles(g *globals, recs []*journal.Record) {
	if !g.hasSyncFolder() {
		return
	}
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return
	}
	defer s.Close()
	f, err := exchange.Folder(s)
	for _, r := range recs {
		if err != nil || f == nil {
			break
		}
		switch {
		case r.Stamp != nil:
			err = f.Put(syncfolder.DirStamps+"/"+r.Stamp.SyncName(), r.Stamp.Reply, "stamp")
		case r.Witness != nil:
			err = f.Put(syncfolder.DirStamps+"/"+r.Witness.SyncName(), r.Witness.Note, "stamp")
		}
	}
	if err != nil {
		fmt.Fprintf(g.err, "journal: warning: the token files are not in the sync folder yet (%s); they are in the journal\n", oneLine(err.Error()))
	}
}
