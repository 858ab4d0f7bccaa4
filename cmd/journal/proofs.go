package main

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/stamp"
	"github.com/journal-dev/journal/syncfolder"
)

// checkStamps checks every stamp's token offline against the chain as it
// is now and the certificates kept with it, and lists each one. A token
// that does not hold is an integrity failure naming the stamp. A stamp
// names the records it covers (journal.Covers): that list must make the
// head the token signed, and each record it names must be the one this
// journal holds at that place.
func checkStamps(g *globals, store *journal.Store, rep *journal.VerifyReport) error {
	name := deviceNamer(store)
	checks, err := store.CheckCovers(rep.State.Stamps, name)
	if err != nil {
		return err
	}
	carried, public := false, false
	for i, s := range rep.State.Stamps {
		n := i + 1
		fail := func(reason string) error {
			return &journal.IntegrityError{Seq: s.At, Reason: fmt.Sprintf("stamp %d (by %s, %s) does not hold: %s",
				n, s.Authority, s.Time.UTC().Format("2 Jan 2006 15:04:05 MST"), reason)}
		}
		var covers string
		var head [32]byte
		if s.Covers != nil {
			ck := checks[i]
			if ck.Err != nil {
				return fail(ck.Err.Error())
			}
			want, _ := hex.DecodeString(s.Head) // CheckCovers found it to be the head
			head = [32]byte(want)
			covers = coverWords(ck, s, name)
		} else {
			// A version 1 journal's stamp: its records are in the same
			// order on every computer.
			var ok bool
			covers = fmt.Sprintf("records 1 to %d", s.Seq)
			if head, ok = rep.StampHead(s.Seq); !ok {
				return fail(fmt.Sprintf("it names record %d, which is not in the journal", s.Seq))
			}
			if journal.HeadHex(head) != s.Head {
				return fail(fmt.Sprintf("records 1 to %d were changed since it was stamped", s.Seq))
			}
		}
		// Replaying the log checked the token over the head the record
		// names (which is head) when it applied the stamp: s.Holds. Only
		// a token that did not hold is read again, to say why.
		if !s.Holds {
			if reason := tokenFailure(s.Stamp, head); reason != "" {
				return fail(reason)
			}
			return fail("it proves nothing here")
		}
		fmt.Fprintf(g.out, "stamp %d: %s, %s, %s: holds\n",
			n, s.Authority, s.Time.Local().Format("2 Jan 2006 15:04:05 MST"), covers)
		public = public || s.CarriedRoot == nil
		if r := s.CarriedRoot; r != nil {
			carried = true
			fmt.Fprintf(g.err, "Stamp %d holds with the root certificate %q, which the journal carries (--tsa-roots), not one of this computer's:"+
				" it proves its time only to someone who trusts that root as %s's own. Its SHA-256 fingerprint is %s: check it with the authority.\n",
				n, r.Name, s.Authority, r.Fingerprint())
		}
	}
	if carried && public {
		fmt.Fprintln(g.err, "An incident covered by a stamp that holds by this computer's roots is shown as proven by it (the earliest such), "+
			"even where a stamp that holds only by a root the journal carries is earlier.")
	}
	return nil
}

// tokenFailure says why a stamp's token does not hold over head ("" if
// it does).
func tokenFailure(s journal.Stamp, head [32]byte) string {
	roots, err := stamp.Roots(s.Roots)
	if err != nil {
		return "its root certificates cannot be read: " + err.Error()
	}
	tok, err := stamp.Check(s.Reply, head, roots)
	if err != nil {
		return err.Error()
	}
	if !tok.Time.Equal(s.Time) || tok.Authority != s.Authority {
		return "the record says another time or authority than the token"
	}
	return ""
}

// coverWords says which records a stamp or a checkpoint covers, in words
// that hold on this computer: 'records 1 to M' when they are exactly this
// computer's records 1 to M (each device's records follow when there are
// several), else 'the records "laptop" held then ("laptop" records 1 to
// 2)'. ck is what [journal.Store.CheckCovers] found for it.
func coverWords(ck journal.CoverCheck, s journal.StampEntry, name func(string) string) string {
	who := "its computer"
	if s.By != "" {
		who = name(s.By)
	}
	covers := "the records " + who + " held then (" + coverText(s.Covers, name) + ")"
	if ck.Here {
		covers = fmt.Sprintf("records 1 to %d", s.Seq)
		if manyChains(s.Covers) {
			covers += " (" + coverText(s.Covers, name) + ")"
		}
	}
	if ck.NotArrived > 0 {
		covers += fmt.Sprintf(", of which %d have not arrived here yet", ck.NotArrived)
	}
	return covers
}

// checkpointWords says, for each checkpoint verify found to hold, which
// records it covers on this computer (see coverWords).
func checkpointWords(store *journal.Store, rep *journal.VerifyReport) ([]string, error) {
	name := deviceNamer(store)
	var made []journal.StampEntry
	var at []int
	words := make([]string, len(rep.Checkpoints))
	for i, c := range rep.Checkpoints {
		words[i] = fmt.Sprintf("records 1 to %d", c.Seq)
		if s, ok := rep.CheckpointCovers(c); ok {
			made, at = append(made, s), append(at, i)
		}
	}
	checks, err := store.CheckCovers(made, name)
	if err != nil {
		return nil, err
	}
	for j, ck := range checks {
		if ck.Err == nil {
			words[at[j]] = coverWords(ck, made[j], name)
		}
	}
	return words, nil
}

// deviceNamer gives a device's name as the manifest has it, quoted, or
// the start of its key when the manifest does not name it.
func deviceNamer(store *journal.Store) func(device string) string {
	names := map[string]string{}
	if m, err := store.Manifest(); err == nil && m != nil {
		for _, st := range m.All() {
			for _, d := range st.Devices {
				names[d.Key] = d.Name
			}
		}
	}
	return func(device string) string {
		if n, ok := names[device]; ok {
			return fmt.Sprintf("%q", n)
		}
		return "device " + device[:min(len(device), 8)]
	}
}

// manyChains reports whether c covers records of more than one chain (a
// device's, or the records made before signing), whose numbering then
// differs from this computer's.
func manyChains(c *journal.Covers) bool {
	return len(c.Devices) > 1 || len(c.Devices) == 1 && c.V1 > 0
}

// coverText says which records a stamp covers, in words that hold on
// every computer: each device's records by their places in its chain
// ('"laptop" records 1 to 3, "work PC" record 1').
func coverText(c *journal.Covers, name func(string) string) string {
	var parts []string
	span := func(n uint64) string {
		if n == 1 {
			return "record 1"
		}
		return fmt.Sprintf("records 1 to %d", n)
	}
	if c.V1 > 0 {
		parts = append(parts, span(c.V1)+" made before signing")
	}
	var devs []string
	for _, d := range c.Devices {
		devs = append(devs, name(d.Device)+" "+span(d.Place))
	}
	slices.Sort(devs)
	return strings.Join(append(parts, devs...), ", ")
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
