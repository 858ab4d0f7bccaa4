package main

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

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
		// The envelope: a version byte, the previous record's hash, then
		// the age file.
		return os.WriteFile(ts.MkAbs(args[2]), v[33:], 0o600)
	}))
}
