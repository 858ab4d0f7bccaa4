package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/rogpeppe/go-internal/testscript"
	bolt "go.etcd.io/bbolt"

	"github.com/journal-dev/journal/journal"
)

// TestAttacks runs the sessions in testdata/attack: each one lets an
// attacker who holds the journal file, but no passphrase, no key and no
// enrolled device, change it with bbolt and age, then checks what the
// owner's journal says.
func TestAttacks(t *testing.T) {
	p := scriptParams("testdata/attack")
	p.Cmds["attack"] = cmdAttack
	testscript.Run(t, p)
}

// cmdAttack changes a journal file the way an attacker with only the file
// could:
//
//	attack keygen OUT                 make the attacker's own age key
//	attack recipient add|swap FILE KEY   add the attacker's recipient, or put it in place of the journal's
//	attack cut FILE POS               remove the record at POS and re-chain the rest
//	attack move FILE FROM TO          move a record, and re-chain
//	attack forge FILE [OTHER]         append a well-formed incident sealed to the journal,
//	                                  signed with the device key of the journal OTHER if given
//	attack read FILE KEY              succeed if KEY decrypts any age file kept in FILE
//	attack queue FILE                 put a digest of the attacker's in place of every head waiting to be stamped
func cmdAttack(ts *testscript.TestScript, neg bool, args []string) {
	if neg && args[0] != "read" || len(args) < 2 {
		ts.Fatalf("usage: attack keygen|recipient|cut|move|forge|read ...")
	}
	if args[0] == "keygen" {
		k, err := age.GenerateHybridIdentity()
		ts.Check(err)
		ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(k.String()+"\n"), 0o600))
		return
	}
	a := &attacker{ts: ts}
	switch {
	case args[0] == "recipient" && len(args) == 4:
		a.open(args[2])
		a.recipient(args[1], args[3])
	case args[0] == "cut" && len(args) == 3:
		a.open(args[1])
		a.cut(a.atoi(args[2]))
	case args[0] == "move" && len(args) == 4:
		a.open(args[1])
		a.move(a.atoi(args[2]), a.atoi(args[3]))
	case args[0] == "read" && len(args) == 3:
		a.open(args[1])
		n := a.read(args[2])
		ts.Check(a.db.Close())
		if (n == 0) != neg {
			ts.Fatalf("%s decrypts %d age files in %s", args[2], n, args[1])
		}
		return
	case args[0] == "queue" && len(args) == 2:
		a.open(args[1])
		a.queue()
	case args[0] == "forge" && (len(args) == 2 || len(args) == 3):
		a.open(args[1])
		a.forge(strings.Join(args[2:], ""))
	default:
		ts.Fatalf("attack: bad arguments %q", args)
	}
	ts.Check(a.db.Close())
}

// attacker holds a journal file open with bbolt and nothing else.
type attacker struct {
	ts *testscript.TestScript
	db *bolt.DB
}

func (a *attacker) open(file string) {
	db, err := bolt.Open(a.ts.MkAbs(file), 0o600, &bolt.Options{Timeout: time.Second})
	a.ts.Check(err)
	a.db = db
}

func (a *attacker) atoi(s string) uint64 {
	n, err := strconv.ParseUint(s, 10, 64)
	a.ts.Check(err)
	return n
}

// recipient adds the attacker's public key to the journal's recipients, or
// swaps it for the journal's own.
func (a *attacker) recipient(how, keyFile string) {
	ids, err := age.ParseIdentities(strings.NewReader(a.ts.ReadFile(keyFile)))
	a.ts.Check(err)
	mine := ids[0].(*age.HybridIdentity).Recipient().String()
	a.ts.Check(a.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte("manifest")) != nil {
			return a.manifestRecipient(tx, how, mine)
		}
		meta := tx.Bucket([]byte("meta"))
		rs := strings.Split(string(meta.Get([]byte("recipients"))), "\n")
		if how == "swap" {
			rs = []string{mine}
		} else {
			rs = append(rs, mine)
		}
		return meta.Put([]byte("recipients"), []byte(strings.Join(rs, "\n")))
	}))
}

// manifestRecipient changes the recipient in a signed manifest: "add"
// appends a statement that seals to the attacker too, signed with a key
// of the attacker's own; "swap" puts a whole new manifest in place, whose
// owner is the attacker, sealing to the attacker only.
func (a *attacker) manifestRecipient(tx *bolt.Tx, how, mine string) error {
	b := tx.Bucket([]byte("manifest"))
	k, v := b.Cursor().Last()
	head, _, err := journal.DecodeStatement(v)
	if err != nil {
		return err
	}
	_, owner, _ := ed25519.GenerateKey(rand.Reader)
	st := *head
	st.Owner = journal.DeviceName(owner.Public().(ed25519.PublicKey))
	if how == "swap" {
		st.N, st.Prev, st.Recipient, st.Change = 1, "", mine, "created"
		if err := tx.DeleteBucket([]byte("manifest")); err != nil {
			return err
		}
		if b, err = tx.CreateBucket([]byte("manifest")); err != nil {
			return err
		}
	} else {
		h := sha256.Sum256(append([]byte("journal manifest hash v2\x00"), v...))
		st.N, st.Prev, st.Change = binary.BigEndian.Uint64(k)+1, hex.EncodeToString(h[:]), "added a reader"
		st.Recipient = head.Recipient + "\n" + mine
	}
	stored, err := journal.SignStatement(owner, &st)
	if err != nil {
		return err
	}
	return b.Put(binary.BigEndian.AppendUint64(nil, st.N), stored)
}

// records reads the whole log, in order.
func (a *attacker) records(tx *bolt.Tx) [][]byte {
	var out [][]byte
	c := tx.Bucket([]byte("log")).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		out = append(out, bytes.Clone(v))
	}
	return out
}

// rewrite replaces the log with recs, re-chained from the start.
func (a *attacker) rewrite(tx *bolt.Tx, recs [][]byte) error {
	if err := tx.DeleteBucket([]byte("log")); err != nil {
		return err
	}
	log, err := tx.CreateBucket([]byte("log"))
	if err != nil {
		return err
	}
	id := tx.Bucket([]byte("meta")).Get([]byte("id"))
	prev := attackGenesis(id)
	// A signed record keeps its signature (the attacker has no device
	// key), but its place and previous hash are re-chained.
	devPrev := map[string][32]byte{}
	devPlace := map[string]uint64{}
	for i, stored := range recs {
		seq := uint64(i + 1)
		if stored[0] == 2 {
			e, err := journal.DecodeEnvelope(stored)
			if err != nil {
				return err
			}
			dev := journal.DeviceName(e.Device)
			p, ok := devPrev[dev]
			if !ok {
				p = journal.DeviceGenesis(id, e.Device)
			}
			devPlace[dev]++
			e.Place, e.Prev = devPlace[dev], p
			stored = e.Encode()
			devPrev[dev] = journal.Hash(seq, stored)
		} else {
			copy(stored[1:33], prev[:])
			prev = journal.Hash(seq, stored)
		}
		if err := log.Put(binary.BigEndian.AppendUint64(nil, seq), stored); err != nil {
			return err
		}
	}
	return nil
}

func attackGenesis(id []byte) [32]byte {
	return sha256.Sum256(append([]byte("journal genesis v1\x00"), id...))
}

func (a *attacker) cut(pos uint64) {
	a.ts.Check(a.db.Update(func(tx *bolt.Tx) error {
		recs := a.records(tx)
		if pos == 0 || pos > uint64(len(recs)) {
			return fmt.Errorf("no record %d", pos)
		}
		return a.rewrite(tx, append(recs[:pos-1], recs[pos:]...))
	}))
}

func (a *attacker) move(from, to uint64) {
	a.ts.Check(a.db.Update(func(tx *bolt.Tx) error {
		recs := a.records(tx)
		r := recs[from-1]
		recs = append(recs[:from-1], recs[from:]...)
		recs = append(recs[:to-1], append([][]byte{r}, recs[to-1:]...)...)
		return a.rewrite(tx, recs)
	}))
}

// forge appends an incident, sealed to the journal's first recipient,
// back-dated to a day before the journal's first record.
func (a *attacker) forge(other string) {
	a.ts.Check(a.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		id := meta.Get([]byte("id"))
		recipient := strings.Split(string(meta.Get([]byte("recipients"))), "\n")[0]
		var man []byte
		var manN uint64
		if b := tx.Bucket([]byte("manifest")); b != nil {
			k, v := b.Cursor().Last()
			head, _, err := journal.DecodeStatement(v)
			if err != nil {
				return err
			}
			recipient, man, manN = head.Recipient, v, binary.BigEndian.Uint64(k)
		}
		r, err := age.ParseRecipients(strings.NewReader(recipient))
		if err != nil {
			return err
		}
		n := binary.BigEndian.Uint64(meta.Get([]byte("incidents"))) + 1
		// The device key: the attacker's own, or one stolen from another
		// journal on this computer.
		_, key, _ := ed25519.GenerateKey(rand.Reader)
		if other != "" {
			key = a.otherDeviceKey(other)
		}
		pub := key.Public().(ed25519.PublicKey)
		prev := journal.DeviceGenesis(id, pub)
		inner := fmt.Sprintf(`,"journal":%q,"device":%q,"place":1,"prev":%q`, hex.EncodeToString(id), journal.DeviceName(pub), hex.EncodeToString(prev[:]))
		if man == nil {
			inner = ""
		}
		plain := fmt.Sprintf(`{"type":"incident","recorded_at":"2026-01-02T09:00:00Z","incident":%d,"fields":{"occurred_at":"2026-01-02T08:00:00Z","summary":"Forged: she threatened him first"}%s}`, n, inner)
		var ct bytes.Buffer
		w, err := age.Encrypt(&ct, r...)
		if err != nil {
			return err
		}
		w.Write([]byte(plain))
		w.Close()
		if err := meta.Put([]byte("incidents"), binary.BigEndian.AppendUint64(nil, n)); err != nil {
			return err
		}
		recs := a.records(tx)
		if man == nil {
			recs = append(recs, append(make([]byte, 33), ct.Bytes()...))
			recs[len(recs)-1][0] = 1
			return a.rewrite(tx, recs)
		}
		e := &journal.Envelope{Journal: id, Place: 1, Prev: prev, Ciphertext: ct.Bytes(),
			Manifest: journal.ChainRef{N: manN, Hash: sha256.Sum256(append([]byte("journal manifest hash v2\x00"), man...))}}
		e.Sign(key)
		return tx.Bucket([]byte("log")).Put(binary.BigEndian.AppendUint64(nil, uint64(len(recs)+1)), e.Encode())
	}))
}

// otherDeviceKey reads this computer's device key of the journal in file
// other, from where the journal keeps it.
func (a *attacker) otherDeviceKey(other string) ed25519.PrivateKey {
	db, err := bolt.Open(a.ts.MkAbs(other), 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	a.ts.Check(err)
	var id []byte
	db.View(func(tx *bolt.Tx) error {
		id = bytes.Clone(tx.Bucket([]byte("meta")).Get([]byte("id")))
		return nil
	})
	db.Close()
	data := a.ts.ReadFile(filepath.Join(a.ts.Getenv("HOME"), ".config", "journal", hex.EncodeToString(id), "device.key"))
	var f struct{ Seed []byte }
	a.ts.Check(json.Unmarshal([]byte(data), &f))
	return ed25519.NewKeyFromSeed(f.Seed)
}

// read counts the age files anywhere in the journal file (records, cache,
// evidence, keys) that the age key in keyFile decrypts.
func (a *attacker) read(keyFile string) int {
	ids, err := age.ParseIdentities(strings.NewReader(a.ts.ReadFile(keyFile)))
	a.ts.Check(err)
	n := 0
	var walk func(b *bolt.Bucket) error
	walk = func(b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return walk(b.Bucket(k))
			}
			i := bytes.Index(v, []byte("age-encryption.org/v1"))
			if i < 0 {
				return nil
			}
			if r, err := age.Decrypt(bytes.NewReader(v[i:]), ids...); err == nil {
				if _, err := io.ReadAll(r); err == nil {
					n++
				}
			}
			return nil
		})
	}
	a.ts.Check(a.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walk(b) })
	}))
	return n
}

// queue puts a digest of the attacker's choosing in place of every head
// waiting in the stamp queue, which is kept in clear so that stamping
// needs no key: if the next stamp sent it, the journal would hold a token
// for the attacker's digest.
func (a *attacker) queue() {
	mine := sha256.Sum256([]byte("the attacker's document"))
	a.ts.Check(a.db.Update(func(tx *bolt.Tx) error {
		q := tx.Bucket([]byte("stampqueue"))
		if q == nil {
			return fmt.Errorf("no stamp queue")
		}
		var keys [][]byte
		if err := q.ForEach(func(k, _ []byte) error { keys = append(keys, bytes.Clone(k)); return nil }); err != nil {
			return err
		}
		for _, k := range keys {
			if err := q.Put(k, mine[:]); err != nil {
				return err
			}
		}
		return nil
	}))
}
