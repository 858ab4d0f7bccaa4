package main

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/rogpeppe/go-internal/testscript"
	bolt "go.etcd.io/bbolt"
)

// TestAgeCommand shows that every record is a standard age file: the
// scripts in testdata/age take records out of the journal file and decrypt
// them with the age command, built from the version of age in go.mod.
func TestAgeCommand(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the go command is needed to build age")
		}
		t.Skip("the go command is needed to build age, and is not on PATH")
	}
	bin := t.TempDir()
	for _, tool := range []string{"age", "age-keygen"} {
		out, err := exec.Command(goTool, "build", "-o", filepath.Join(bin, tool), "filippo.io/age/cmd/"+tool).CombinedOutput()
		if err != nil {
			t.Fatalf("building %s: %v\n%s", tool, err, out)
		}
	}
	p := scriptParams("testdata/age")
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		env.Setenv("PATH", bin+string(os.PathListSeparator)+env.Getenv("PATH"))
		return setup(env)
	}
	p.Cmds["record"] = cmdRecord
	p.Cmds["unlockfile"] = cmdUnlockFile
	testscript.Run(t, p)
}

// cmdRecord writes the age ciphertext of one stored record to a file, as
// someone reading the journal file with any bbolt tool could:
//
//	record FILE SEQ OUT
func cmdRecord(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: record FILE SEQ OUT")
	}
	seq, err := strconv.ParseUint(args[1], 10, 64)
	ts.Check(err)
	db, err := bolt.Open(ts.MkAbs(args[0]), 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	ts.Check(err)
	defer db.Close()
	ts.Check(db.View(func(tx *bolt.Tx) error {
		k := binary.BigEndian.AppendUint64(nil, seq)
		v := tx.Bucket([]byte("log")).Get(k)
		if len(v) < 33 {
			ts.Fatalf("no record %d", seq)
		}
		// Version 1: a version byte, the previous record's hash, then the
		// age file. Version 2: a version byte, the journal (16), the device
		// (32), the place (8), the previous hash (32), the manifest
		// statement (8 + 32), the count of heads seen (2) and each (72),
		// the age file, and the signature (64).
		if v[0] == 1 {
			return os.WriteFile(ts.MkAbs(args[2]), v[33:], 0o600)
		}
		start := 131 + 72*int(binary.BigEndian.Uint16(v[129:131]))
		return os.WriteFile(ts.MkAbs(args[2]), v[start:len(v)-64], 0o600)
	}))
}

// cmdUnlockFile writes the journal's key as it is wrapped to the recipient
// of an age identity file, as someone could with any bbolt tool:
//
//	unlockfile FILE IDENTITY OUT
func cmdUnlockFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: unlockfile FILE IDENTITY OUT")
	}
	ids, err := age.ParseIdentities(strings.NewReader(ts.ReadFile(args[1])))
	ts.Check(err)
	var recipient string
	switch id := ids[0].(type) {
	case *age.HybridIdentity:
		recipient = id.Recipient().String()
	case *age.X25519Identity:
		recipient = id.Recipient().String()
	}
	db, err := bolt.Open(ts.MkAbs(args[0]), 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	ts.Check(err)
	defer db.Close()
	ts.Check(db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket([]byte("unlock")).Get([]byte(recipient))
		if v == nil {
			ts.Fatalf("the journal's key is not wrapped to %.20s...", recipient)
		}
		return os.WriteFile(ts.MkAbs(args[2]), v, 0o600)
	}))
}
