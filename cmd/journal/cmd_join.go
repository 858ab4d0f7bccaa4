package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/internal/edkey"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

type joinOptions struct {
	name    string
	addOnly bool
}

func newJoinCommand(g *globals) *cobra.Command {
	var o joinOptions
	cmd := &cobra.Command{
		Use:   "join DIR",
		Short: "Make this computer one of the journal's devices, from its sync folder",
		Long: `Make this computer a device of the journal whose sync folder is DIR,
and build this computer's journal from the folder.

On the computer that has the journal, run 'journal sync init DIR' first, and
let your sync program bring the folder here. join asks for the journal's
passphrase, makes this computer's own signing key (kept in your
configuration folder, never in the sync folder), and records in the journal
that this computer may add to it.

With --add-only, no passphrase is asked and this computer never holds the
key that reads the journal: it can add incidents, never read them (a work
PC, for instance). join prints a short code; on a computer that reads the
journal, run 'journal device approve CODE' to let it in. Until then it can
record nothing.

Before it writes anything, join checks the folder's record of who owns the
journal and which computers may add to it: with the passphrase, against the
journal's own key, so that a folder someone else replaced is refused and
nothing is written. With --add-only there is nothing to check it against:
join only checks that it hangs together.`,
		Example: `  journal join ~/Sync/journal
  journal join ~/Sync/journal --name "work PC"
  journal join ~/Sync/journal --add-only --name "work PC"
      # then, on a computer that reads the journal: journal device approve CODE`,
		Args: exactArgs(1, "the sync folder DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runJoin(g, args[0], o)
		},
	}
	cmd.Flags().StringVar(&o.name, "name", "", "the `NAME` this computer is known by among the journal's devices (default: its host name)")
	cmd.Flags().BoolVar(&o.addOnly, "add-only", false, "join to add only, without the passphrase: prints a code for 'journal device approve'")
	return cmd
}

// folderJournal is what a sync folder says about its journal.
type folderJournal struct {
	f       *syncfolder.Folder
	wrapped []byte
	// statements are the manifest's first statements, one after the
	// other, up to the first made at the same time as another; all are
	// every statement of the folder, imported once the journal is made.
	statements, all [][]byte
	// head is the newest of statements, and genesis the first: both
	// checked, each statement signed by the owner the one before names.
	head, genesis *journal.Statement
	// manifest is statements, checked: what ownerSigned asks whether the
	// journal's key signed.
	manifest *journal.Manifest
}

// readFolderJournal reads the wrapped identity and the manifest of the
// journal in a sync folder.
func readFolderJournal(dir string) (*folderJournal, error) {
	f, err := syncfolder.Open(dir)
	if err != nil {
		return nil, withHint(err, exitUsage, "give the folder that 'journal sync init' made on your other computer, once your sync program has brought it here")
	}
	fj := &folderJournal{f: f}
	keys, err := f.Numbered(syncfolder.DirKeys)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, withHint(errors.New("the sync folder holds no journal key yet"), exitFailure, "wait for your sync program to bring the whole folder, then try again")
	}
	if fj.wrapped, err = f.Read(keys[len(keys)-1].Path()); err != nil {
		return nil, withHint(err, exitIntegrity, "copy the folder again from the computer that has the journal")
	}
	entries, err := f.Numbered(syncfolder.DirManifest)
	if err != nil {
		return nil, err
	}
	if fj.all, err = exchange.Statements(f, entries); err != nil {
		return nil, withHint(err, exitIntegrity, "copy the folder again from the computer that has the journal")
	}
	for i, e := range entries {
		if e.Seq != uint64(i+1) || (i+1 < len(entries) && entries[i+1].Seq == e.Seq) {
			break
		}
		fj.statements = append(fj.statements, fj.all[i])
	}
	if len(fj.statements) == 0 {
		return nil, withHint(errors.New("the sync folder holds no manifest yet"), exitFailure, "wait for your sync program to bring the whole folder, then try again")
	}
	m, err := journal.CheckStatements(f.JournalID, fj.statements)
	if err != nil {
		return nil, withHint(err, exitIntegrity, "nothing was written, and this computer's keys are as they were; the folder may have been tampered with")
	}
	fj.head, fj.genesis, fj.manifest = m.Head(), m.Genesis(), m
	return fj, nil
}

func runJoin(g *globals, dir string, o joinOptions) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	g.synced = true
	path, err := g.path()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		return withHint(fmt.Errorf("a journal already exists at %s", path), exitUsage,
			"this computer has a journal already: sync it with 'journal sync', or give another path with --file")
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	fj, err := readFolderJournal(dir)
	if err != nil {
		return err
	}
	if err := oneFilePerDevice(fj.f.JournalID); err != nil {
		return err
	}
	if err := sameOwner(fj); err != nil {
		return err
	}
	name := o.name
	if name == "" {
		name = hostName()
	}
	if o.addOnly {
		return joinAddOnly(g, path, fj, name)
	}
	id, _, err := g.unwrapWithPassphrase("Passphrase of the journal: ", fj.wrapped, "it is the passphrase of the journal on your other computer; nothing was written")
	if err != nil {
		return err
	}
	owner := id.OwnerKey()
	if err := ownerSigned(fj, id); err != nil {
		return err
	}
	dev, err := joiningDevice(g, fj, name, true)
	if err != nil {
		return err
	}
	olds := folderOldKeys(fj.f, id)
	if err := journal.Create(path, &journal.Meta{ID: fj.f.JournalID, WrappedIdentity: fj.wrapped, OldKeys: olds, Statements: fj.statements}); err != nil {
		return err
	}
	s, err := journal.Open(path, journal.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	// Every statement, so that this computer's letter is not one that a
	// computer enrolled at the same time elsewhere holds.
	if _, err := s.ImportStatements(fj.all); err != nil {
		return err
	}
	g.forgetSetAside(s, dev)
	if err := enrolJoined(s, owner, dev.Device, g); err != nil {
		return err
	}
	journal.SaveAddressKey(fj.f.JournalID, id.AddressKey())
	if err := s.SetSyncFolder(dir); err != nil {
		return err
	}
	pin, err := s.UpdatePin(nil)
	if err != nil {
		return err
	}
	s.UseDevice(dev.Device, pin)
	prog := g.newProgress("Bringing in records", 0, "records")
	done := 0
	res, err := exchange.Run(s, fj.f, func(n int) { prog.Add(int64(n - done)); done = n })
	prog.Done()
	if err != nil {
		return err
	}
	fmt.Fprintf(g.err, "This computer is now the device %q of the journal: %s brought in.\n", dev.Name, countNoun(res.Pulled, "record"))
	return g.problems(s, res.Report, false)
}

// folderOldKeys returns the journal's earlier keys that the sync folder
// holds sealed to id, the key the passphrase opened, each once: with them,
// a computer that joins after a change of key ('journal rekey') reads the
// records from before it. A file that id does not open (sealed to a key
// of before, or damaged) is passed over: whoever can write the folder can
// put one there, and a key planted so opens nothing of the journal's.
func folderOldKeys(f *syncfolder.Folder, id *crypto.Identity) [][]byte {
	entries, err := f.Numbered(syncfolder.DirOldKeys)
	if err != nil {
		return nil
	}
	var out [][]byte
	seen := map[string]bool{id.Recipient(): true}
	for _, e := range entries {
		sealed, err := f.Read(e.Path())
		if err != nil {
			continue
		}
		old, err := crypto.UnwrapWith(sealed, []*crypto.Identity{id})
		if err != nil || seen[old.Recipient()] {
			continue
		}
		seen[old.Recipient()] = true
		out = append(out, sealed)
	}
	return out
}

// oneFilePerDevice refuses to join when this computer is a device of the
// journal already and its journal file is still where it was last used:
// a second file would record as the same device, and the two would fork.
// With that file gone, join builds it again from the folder, as the same
// device.
func oneFilePerDevice(journalID []byte) error {
	dev, err := journal.LoadDevice(journalID)
	if err != nil {
		return nil // not a device yet; a damaged key is said further on
	}
	pin, err := journal.LoadPin(journalID)
	if err != nil || pin == nil || pin.Path == "" {
		return nil
	}
	if _, err := os.Stat(pin.Path); err != nil {
		return nil
	}
	return withHint(fmt.Errorf("this computer is already the device %q of this journal, with its journal file at %s: a second file would record as the same device, and the two would fork", dev.Name, pin.Path),
		exitUsage, "use that file (--file "+shellWord(pin.Path)+", or without JOURNAL_FILE if it is the usual place); if it is damaged, move it aside and run join again to build it from the sync folder; nothing was written")
}

// sameOwner refuses a sync folder whose manifest begins with another owner
// than the one this computer knows of the journal (from its pin, when it
// was a device of it before): the folder's statements hang together, but
// someone else made them.
func sameOwner(fj *folderJournal) error {
	pin, err := journal.LoadPin(fj.f.JournalID)
	if err != nil || pin == nil || pin.Owner == "" || pin.Owner == fj.genesis.Owner {
		return nil
	}
	return withHint(&journal.ManifestError{Reason: "the sync folder's manifest begins with another owner key than the one this computer knows: the manifest was replaced"},
		exitIntegrity, "nothing was written, and this computer's keys are as they were; the folder may have been tampered with")
}

// ownerSigned refuses a sync folder whose manifest the journal's key,
// just unlocked, does not vouch for: its newest statement must name the
// key's owner key and recipient, and the owner key must have signed one of
// its statements (the first, or one after it became the owner), whose
// hash chain covers every statement before it. A manifest replaced whole
// by someone who can write the folder either names another owner or
// hands the journal to this one only at its end, signed by a key of its
// own: the shape a change of key made by an earlier version also has
// ('journal rekey' now signs the change with the new key too).
func ownerSigned(fj *folderJournal, id *crypto.Identity) error {
	owner := journal.DeviceName(id.OwnerPublicKey())
	const tampered = "nothing was written, and this computer's keys are as they were; the folder may have been tampered with"
	if owner != fj.head.Owner || id.Recipient() != fj.head.Recipient {
		return withHint(&journal.ManifestError{Reason: "the sync folder's manifest is not signed by this journal's owner"}, exitIntegrity, tampered)
	}
	if fj.manifest.SignedBy(owner) {
		return nil
	}
	when := fj.head.At.Local().Format("2 January 2006")
	return withHint(&journal.ManifestError{Reason: "the sync folder's manifest was handed to this journal's key on " + when +
		" by another key, and nothing this key signed confirms it: it cannot be told from a manifest someone replaced"}, exitIntegrity,
		tampered+"; if the journal was given a new key on "+when+", run 'journal rekey' once more on a computer that has the journal "+
			"(this version signs the change with the new key too), let the folder sync, and join again")
}

// joinedDevice is this computer's device key for the journal it joins,
// and the key the sync folder's manifest names retired, set aside.
type joinedDevice struct {
	*journal.Device
	// setAside is where join moved this computer's former device key,
	// which the folder names retired on retiredAt; empty if none.
	setAside  string
	retiredAt time.Time
	// unconfirmed is set when nothing anchored the folder's manifest:
	// no passphrase (a computer that joins to add only) and no owner of
	// the journal known here (no pin). The journal file made from the
	// folder cannot confirm the retirement either, so the key is kept
	// (device.key.unconfirmed).
	unconfirmed bool
}

// joiningDevice is this computer's device key for the journal in the
// folder: the one it has (a computer that rebuilds its journal), or a new
// one named name. A key that the folder's manifest names retired is set
// aside, and the computer joins again as a new device; the key is wiped
// once the journal file made from the folder confirms it (see
// forgetSetAside), unless nothing anchored the folder's manifest: not
// the journal's key (anchored: see ownerSigned), nor this computer's pin,
// whose owner its first statement was checked against. Then it is set
// aside as unconfirmed, and kept.
func joiningDevice(g *globals, fj *folderJournal, name string, anchored bool) (*joinedDevice, error) {
	jd := &joinedDevice{}
	dev, err := journal.LoadDevice(fj.f.JournalID)
	if err == nil {
		e := fj.head.Device(dev.Public())
		if e == nil || e.RetiredAt == nil {
			jd.Device = dev
			return jd, nil
		}
		setAside := journal.SetAsideDeviceKey
		if pin, perr := journal.LoadPin(fj.f.JournalID); !anchored && (perr != nil || pin == nil || pin.Owner == "") {
			setAside, jd.unconfirmed = journal.SetAsideUnconfirmedKey, true
		}
		if jd.setAside, err = setAside(fj.f.JournalID); err != nil {
			return nil, err
		}
		jd.retiredAt = *e.RetiredAt
		err = journal.ErrNotEnrolled
	}
	if errors.Is(err, journal.ErrNotEnrolled) {
		jd.Device, err = journal.NewDevice(fj.f.JournalID, name)
		return jd, err
	}
	return nil, err
}

// forgetSetAside wipes the key join set aside once the journal file's
// checked manifest names it retired too, and says what became of it.
func (g *globals) forgetSetAside(s *journal.Store, jd *joinedDevice) {
	if jd.setAside == "" {
		return
	}
	when := jd.retiredAt.Local().Format("2 January 2006")
	if jd.unconfirmed {
		fmt.Fprintf(g.err, "This computer's device key, which the sync folder says was retired on %s, was set aside as %s and kept: "+
			"this computer knew no owner of the journal to check the folder's word against. It joins as a new device; "+
			"remove that file once the journal's owner confirms the retirement.\n", when, jd.setAside)
		return
	}
	_, removed, err := s.ForgetRetiredKeys()
	if slices.Contains(removed, jd.setAside) {
		fmt.Fprintf(g.err, "This computer's device key, retired from the journal on %s, was overwritten and removed: it joins as a new device.\n", when)
		return
	}
	fmt.Fprintf(g.err, "This computer's device key, which the sync folder says was retired on %s, was set aside as %s and kept: it joins as a new device.\n", when, jd.setAside)
	if err != nil {
		fmt.Fprintf(g.err, "journal: warning: %s\n", oneLine(err.Error()))
	}
}

// enrolJoined records in the manifest, signed by the owner, that dev may
// add to the journal, unless it is enrolled already (a computer that
// rebuilds its journal from the folder), and keeps its tag.
func enrolJoined(s *journal.Store, owner ed25519.PrivateKey, dev *journal.Device, g *globals) error {
	m, err := s.Manifest()
	if err != nil {
		return err
	}
	head := m.Head()
	if e := head.Device(dev.Public()); e != nil {
		if e.RetiredAt != nil {
			return withHint(errors.New("this computer was retired from the journal"), exitFailure, "it cannot add to it again")
		}
		return s.SetOwnTag(e.Tag)
	}
	entry := dev.Entry(g.now())
	entry.Tag = head.TagFor(dev.Public())
	st := &journal.Statement{Recipient: head.Recipient, Owner: head.Owner, At: g.now().UTC().Truncate(1e9),
		Devices: append(append([]journal.DeviceEntry{}, head.Devices...), entry), Change: "enrolled " + dev.Name}
	if err := s.AppendStatement(owner, m.HeadRef(), st); err != nil {
		return err
	}
	return s.SetOwnTag(entry.Tag)
}

// joinAddOnly makes this computer a device that can add but not read: its
// journal holds the owner-signed manifest and the recipient, never the
// identity. It asks to be enrolled through the sync folder and prints the
// code that an enrolled device approves.
func joinAddOnly(g *globals, path string, fj *folderJournal, name string) error {
	dev, err := joiningDevice(g, fj, name, false)
	if err != nil {
		return err
	}
	// The key the journal's evidence address key will be sealed to when
	// an enrolled computer approves this one (see addresskey.go).
	grant, err := crypto.Generate(false)
	if err != nil {
		return err
	}
	if err := journal.SaveAddressKeys(fj.f.JournalID, &journal.AddressKeys{GrantIdentity: grant.String()}); err != nil {
		return err
	}
	r := joinRequest{Journal: hex.EncodeToString(fj.f.JournalID), Key: journal.DeviceName(dev.Public()), Name: dev.Name, Recipient: grant.Recipient()}
	r.Signature = base64.StdEncoding.EncodeToString(edkey.Sign(dev.Key, r.signed()))
	req, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := fj.f.Put(syncfolder.DirRequests+"/"+syncfolder.DeviceDir(dev.Public()), req, "request"); err != nil {
		return fmt.Errorf("asking to join through the sync folder: %w", err)
	}
	if err := journal.Create(path, &journal.Meta{ID: fj.f.JournalID, AddOnly: true, Statements: fj.statements}); err != nil {
		return err
	}
	s, err := journal.Open(path, journal.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	g.forgetSetAside(s, dev)
	if err := s.SetSyncFolder(fj.f.Root()); err != nil {
		return err
	}
	if _, err := s.UpdatePin(nil); err != nil {
		return err
	}
	fmt.Fprintln(g.out, approvalCode(dev.Public()))
	fmt.Fprintf(g.err, "This computer asked to add to the journal as %q. On a computer that reads the journal, run:\n  journal device approve %s\n"+
		"Until then it records nothing. It will never be able to read the journal.\n", dev.Name, approvalCode(dev.Public()))
	return nil
}

// joinRequest is a computer's request to be enrolled to add only, as the
// sync folder keeps it.
type joinRequest struct {
	Journal string `json:"journal"`
	Key     string `json:"key"`
	Name    string `json:"name"`
	// Recipient is the age recipient the journal's evidence address key
	// is sealed to on approval; Signature, by the device key, covers it
	// and the rest, so that nobody can put their own recipient there.
	Recipient string `json:"recipient,omitempty"`
	Signature string `json:"signature,omitempty"`
}

// signed is what the request's signature covers.
func (r *joinRequest) signed() []byte {
	return []byte("journal join request v1\x00" + r.Journal + "\x00" + r.Key + "\x00" + r.Name + "\x00" + r.Recipient)
}

// checkSignature checks that the device key pub signed the request. A
// request without a recipient (made by an earlier version) has nothing to
// protect and passes.
func (r *joinRequest) checkSignature(pub ed25519.PublicKey) bool {
	if r.Recipient == "" {
		return true
	}
	sig, err := base64.StdEncoding.DecodeString(r.Signature)
	return err == nil && edkey.Verify(pub, r.signed(), sig)
}

// approvalCode is the short code a person carries from the computer that
// asks to the one that approves: 50 bits of its key's hash, so that nobody
// can make another key with the same code.
func approvalCode(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(append([]byte("journal approval code\x00"), pub...))
	s := strings.ToLower(base32.StdEncoding.EncodeToString(sum[:])[:10])
	return s[:5] + "-" + s[5:]
}
