package main

import (
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	bolt "go.etcd.io/bbolt"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/internal/hometest"
	"github.com/journal-dev/journal/internal/testwait"
	"github.com/journal-dev/journal/journal"
)

func TestMain(m *testing.M) {
	// Every journal a test makes is wrapped with a cheap scrypt, so that
	// each unlock costs milliseconds, not a second.
	crypto.TestUseLowScryptWorkFactor()
	testscript.Main(isolated{m}, map[string]func(){
		"journal": func() {
			setTestClock()
			useTestStampTimeout()
			useTestLockTimeout()
			watchTTYWait()
			watchRunTime()
			os.Exit(run(os.Args[1:], newStreams()))
		},
		"holdlock":          holdLock,
		"ttyrun":            ttyRun,
		"addloop":           addLoop,
		"forgestamp":        forgeStamp,
		"forgecovers":       forgeCovers,
		"forgecoversahead":  forgeCoversAhead,
		"oldstamp":          oldStamp,
		"forgeownauthority": forgeOwnAuthority,
	})
}

// isolated runs the tests in a home of their own (no test reads or writes
// the user's configuration, journal or unlock agent). It is not used when
// the binary runs as one of a script's commands: those get the script's
// environment.
type isolated struct{ m *testing.M }

func (i isolated) Run() int {
	remove := hometest.Isolate()
	defer remove()
	return i.m.Run()
}

// setTestClock fixes the clock of the journal command run by a script to
// JOURNAL_TEST_NOW (RFC 3339), when set: only this test binary reads it.
func setTestClock() {
	s := os.Getenv("JOURNAL_TEST_NOW")
	if s == "" {
		return
	}
	t, err := time.ParseInLocation(time.RFC3339, s, time.Local)
	if err != nil {
		fmt.Fprintf(os.Stderr, "JOURNAL_TEST_NOW: %v\n", err)
		os.Exit(1)
	}
	clock = func() time.Time { return t.In(time.Local) }
}

// TestScripts runs the end-to-end sessions in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams("testdata/script"))
}

// scriptParams gives every script a fresh home, UTC and a journal file in
// its work folder, and the commands below.
func scriptParams(dir string) testscript.Params {
	return testscript.Params{
		Dir: dir,
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_DATA_HOME", filepath.Join(env.WorkDir, ".local", "share"))
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			env.Setenv("JOURNAL_FILE", filepath.Join(env.WorkDir, "journal.db"))
			// The unlock agent's socket goes in the script's own runtime
			// folder.
			env.Setenv("XDG_RUNTIME_DIR", filepath.Join(env.WorkDir, "run"))
			if err := os.Mkdir(filepath.Join(env.WorkDir, "run"), 0o700); err != nil {
				return err
			}
			// A journal a script types into with ttyrun ends, saying why,
			// if it still waits at the terminal after this.
			env.Setenv("JOURNAL_TEST_TTY_WAIT", "45s")
			// Quiet stamping after add waits a minute, not 3 s, for the
			// script's own timestamp authority: on a loaded machine its
			// answer can take longer. (stamp_bad.txt sets a short wait to
			// check that an authority that does not answer is given up.)
			env.Setenv("JOURNAL_TEST_QUIET_STAMP_TIMEOUT", "1m")
			env.Setenv("TZ", "UTC")
			// Journals made by earlier releases (testdata/v1/README.md).
			fixtures, err := filepath.Abs("testdata/v1")
			if err != nil {
				return err
			}
			env.Setenv("FIXTURES", fixtures)
			env.Setenv("NO_COLOR", "")
			return setupTTYOut(env)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"json":      cmdJSON,
			"csv":       cmdCSV,
			"cache":     cmdCache,
			"flipbyte":  cmdFlipByte,
			"waitfile":  cmdWaitFile,
			"filemode":  cmdFileMode,
			"truncate":  cmdTruncate,
			"nocontain": cmdNoContain,
			"ttysaw":    cmdTTYSaw,
			"setformat": cmdSetFormat,
			"flipblob":  cmdFlipBlob,
			// Added for repair: see repair_test.go.
			"damageheader": cmdDamageHeader,
			"orphanblob":   cmdOrphanBlob,
			// Added for export: see cmd_export_test.go.
			"agedecrypt": cmdAgeDecrypt,
			"mkimage":    cmdMkImage,
			"mkfont":     cmdMkFont,
			// Added for proof of time: see stamp_test.go.
			"tsa": cmdTSA,
			// Several devices and sync engines: see devices_test.go.
			"as":        cmdAs,
			"syncthing": cmdSyncthing,
			"gitsync":   cmdGitSync,
			"copypart":  cmdCopyPart,
			"syncfile":  cmdSyncFile,
			"nohash":    cmdNoHash,
			"keep":      cmdKeep,
			"unwrapkey": cmdUnwrapKey,
			// Attackers of the sync folder: see attack_folder_test.go.
			"plantblob":    cmdPlantBlob,
			"forgeretire":  cmdForgeRetire,
			"plantoldkeys": cmdPlantOldKeys,
		},
		Condition: condition,
	}
}

// cmdJSON checks one value in a JSON file:
//
//	json FILE PATH WANT
//
// PATH is keys and list indexes joined by dots (incidents.0.place); WANT is
// compared with the value's JSON text, strings unquoted, or matched as a
// regular expression when it starts with "re:". "len" as the last part of the
// path stands for the length of a list or object.
func cmdJSON(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: json FILE PATH WANT")
	}
	data := ts.ReadFile(args[0])
	var v any
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		ts.Fatalf("%s is not JSON: %v", args[0], err)
	}
	for part := range strings.SplitSeq(args[1], ".") {
		switch x := v.(type) {
		case map[string]any:
			if part == "len" {
				v = float64(len(x))
				continue
			}
			val, ok := x[part]
			if !ok {
				ts.Fatalf("%s: no key %q", args[1], part)
			}
			v = val
		case []any:
			if part == "len" {
				v = float64(len(x))
				continue
			}
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				ts.Fatalf("%s: no index %q in a list of %d", args[1], part, len(x))
			}
			v = x[i]
		default:
			ts.Fatalf("%s: cannot take %q of %v", args[1], part, v)
		}
	}
	got := ""
	if s, ok := v.(string); ok {
		got = s
	} else {
		b, _ := json.Marshal(v)
		got = string(b)
	}
	match := got == args[2]
	if re, ok := strings.CutPrefix(args[2], "re:"); ok {
		match = regexp.MustCompile(re).MatchString(got)
	}
	if match == neg {
		ts.Fatalf("%s = %s, want %s%s", args[1], got, map[bool]string{true: "not "}[neg], args[2])
	}
}

// cmdCSV checks one cell of a CSV file with a header row, read by a CSV
// parser:
//
//	csv FILE ROW COLUMN WANT
//
// ROW counts data rows from 1; COLUMN is a name from the header. WANT is
// compared with the cell, or matched as a regular expression when it starts
// with "re:"; a \n in WANT stands for a line break. "csv FILE len N" checks
// the number of data rows.
func cmdCSV(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 3 && args[1] == "len" {
		args = []string{args[0], "len", "", args[2]}
	}
	if len(args) != 4 {
		ts.Fatalf("usage: csv FILE ROW COLUMN WANT")
	}
	rows, err := csv.NewReader(strings.NewReader(ts.ReadFile(args[0]))).ReadAll()
	if err != nil {
		ts.Fatalf("%s is not CSV: %v", args[0], err)
	}
	if len(rows) == 0 {
		ts.Fatalf("%s has no header row", args[0])
	}
	got := ""
	if args[1] == "len" {
		got = strconv.Itoa(len(rows) - 1)
	} else {
		row, err := strconv.Atoi(args[1])
		if err != nil || row < 1 || row >= len(rows) {
			ts.Fatalf("no row %s in %s: it has %d", args[1], args[0], len(rows)-1)
		}
		col := slices.Index(rows[0], args[2])
		if col < 0 {
			ts.Fatalf("no column %q in %s: it has %v", args[2], args[0], rows[0])
		}
		got = rows[row][col]
	}
	want := strings.ReplaceAll(args[3], `\n`, "\n")
	match := got == want
	if re, ok := strings.CutPrefix(want, "re:"); ok {
		match = regexp.MustCompile(re).MatchString(got)
	}
	if match == neg {
		ts.Fatalf("%s row %s %s = %q, want %s%q", args[0], args[1], args[2], got, map[bool]string{true: "not "}[neg], want)
	}
}

// cmdCache looks at or tampers with the journal's cache, a sealed file
// beside the journal file (FILE.cache):
//
//	cache FILE exists        fails unless there is a cache
//	cache FILE save OUT      copies the sealed cache to OUT
//	cache FILE load IN       replaces the cache with the bytes of IN
//	cache FILE delete        removes the cache
//	cache FILE flip OFFSET   changes one byte of it
//	cache FILE tobucket      moves it into the journal file's cache bucket,
//	                         where versions before the cache file kept it
//	cache FILE inbucket      fails unless the bucket holds a cache
func cmdCache(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: cache FILE exists|save OUT|load IN|delete|flip OFFSET|tobucket|inbucket")
	}
	name := ts.MkAbs(args[0]) + ".cache"
	v, err := os.ReadFile(name)
	if err != nil && !os.IsNotExist(err) {
		ts.Fatalf("%v", err)
	}
	switch args[1] {
	case "exists":
		if (err == nil) == neg {
			ts.Fatalf("cache exists: %v", err == nil)
		}
	case "save":
		ts.Check(err)
		ts.Check(os.WriteFile(ts.MkAbs(args[2]), v, 0o600))
	case "load":
		ts.Check(os.WriteFile(name, []byte(ts.ReadFile(args[2])), 0o600))
	case "delete":
		ts.Check(os.Remove(name))
	case "flip":
		ts.Check(err)
		off, _ := strconv.Atoi(args[2])
		if off >= len(v) {
			ts.Fatalf("cache has %d bytes, no offset %d", len(v), off)
		}
		v[off] ^= 0x01
		ts.Check(os.WriteFile(name, v, 0o600))
	case "tobucket", "inbucket":
		db, err2 := bolt.Open(ts.MkAbs(args[0]), 0o600, &bolt.Options{Timeout: time.Second})
		ts.Check(err2)
		defer db.Close()
		ts.Check(db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("cache"))
			if b == nil {
				return fmt.Errorf("no cache bucket")
			}
			if args[1] == "inbucket" {
				if (b.Get([]byte("state")) != nil) == neg {
					ts.Fatalf("cache in the bucket: %v", !neg)
				}
				return nil
			}
			ts.Check(err)
			if err := b.Put([]byte("state"), v); err != nil {
				return err
			}
			return os.Remove(name)
		}))
	default:
		ts.Fatalf("unknown cache command %q", args[1])
	}
}

// cmdFlipByte changes one byte of a stored record, as someone tampering
// with the file would:
//
//	flipbyte FILE SEQ OFFSET
//
// OFFSET counts from the end of the record when negative.
func cmdFlipByte(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: flipbyte FILE SEQ OFFSET")
	}
	seq, _ := strconv.ParseUint(args[1], 10, 64)
	off, _ := strconv.Atoi(args[2])
	db, err := bolt.Open(ts.MkAbs(args[0]), 0o600, &bolt.Options{Timeout: time.Second})
	ts.Check(err)
	defer db.Close()
	ts.Check(db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("log"))
		k := make([]byte, 8)
		binary.BigEndian.PutUint64(k, seq)
		v := append([]byte(nil), b.Get(k)...)
		if v == nil {
			return fmt.Errorf("no record %d", seq)
		}
		if off < 0 {
			off += len(v)
		}
		v[off] ^= 0x01
		return b.Put(k, v)
	}))
}

// cmdFlipBlob changes one byte of the first chunk of every stored evidence
// file, as someone tampering with the file would:
//
//	flipblob FILE OFFSET
func cmdFlipBlob(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: flipblob FILE OFFSET")
	}
	off, _ := strconv.Atoi(args[1])
	db, err := bolt.Open(ts.MkAbs(args[0]), 0o600, &bolt.Options{Timeout: time.Second})
	ts.Check(err)
	defer db.Close()
	ts.Check(db.Update(func(tx *bolt.Tx) error {
		blobs := tx.Bucket([]byte("blobs"))
		n := 0
		err := blobs.ForEachBucket(func(k []byte) error {
			// A blob is a bucket of chunks, each a bucket holding its
			// bytes under the key 0.
			ck, _ := blobs.Bucket(k).Cursor().First()
			if ck == nil {
				return nil
			}
			chunk := blobs.Bucket(k).Bucket(ck)
			v := append([]byte(nil), chunk.Get([]byte{0})...)
			v[off] ^= 0x01
			n++
			return chunk.Put([]byte{0}, v)
		})
		if err == nil && n == 0 {
			err = fmt.Errorf("no evidence files in %s", args[0])
		}
		return err
	}))
}

// cmdWaitFile waits, at most testwait.Limit, for a file to appear, or for
// a folder to be empty:
//
//	waitfile FILE        FILE may be a pattern: journal.db.draft-*
//	waitfile -empty DIR
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	empty := len(args) == 2 && args[0] == "-empty"
	if neg || len(args) != 1 && !empty {
		ts.Fatalf("usage: waitfile FILE | waitfile -empty DIR")
	}
	name := args[len(args)-1]
	done := func() bool {
		if empty {
			entries, err := os.ReadDir(ts.MkAbs(name))
			return err == nil && len(entries) == 0
		}
		found, _ := filepath.Glob(ts.MkAbs(name))
		return len(found) > 0
	}
	deadline := time.Now().Add(testwait.Limit)
	for !done() {
		if time.Now().After(deadline) {
			if empty {
				ts.Fatalf("%s was not empty within %v", name, testwait.Limit)
			}
			ts.Fatalf("%s did not appear within %v", name, testwait.Limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// useTestLockTimeout sets how long the journal command run by a test waits
// for another process's lock to JOURNAL_TEST_LOCK_TIMEOUT (a Go duration),
// when set: a test that starts two commands together, to check that the
// second waits for the first, sets it far above the time the first can
// take on a loaded machine.
func useTestLockTimeout() {
	if d, err := time.ParseDuration(os.Getenv("JOURNAL_TEST_LOCK_TIMEOUT")); err == nil {
		journal.LockTimeout = d
	}
}

// cmdFileMode checks a file's permission bits: filemode FILE 0600.
func cmdFileMode(ts *testscript.TestScript, neg bool, args []string) {
	info, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	want, _ := strconv.ParseUint(args[1], 8, 32)
	if got := info.Mode().Perm(); (uint64(got) == want) == neg {
		ts.Fatalf("%s has mode %#o, want %#o", args[0], got, want)
	}
}

// cmdTruncate cuts a file to a length: truncate FILE SIZE.
func cmdTruncate(ts *testscript.TestScript, neg bool, args []string) {
	n, err := strconv.ParseInt(args[1], 10, 64)
	ts.Check(err)
	ts.Check(os.Truncate(ts.MkAbs(args[0]), n))
}

// cmdNoContain checks that no file under a folder holds a string:
//
//	nocontain DIR STRING
func cmdNoContain(ts *testscript.TestScript, neg bool, args []string) {
	err := filepath.Walk(ts.MkAbs(args[0]), func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(data), args[1]) {
			return fmt.Errorf("%s holds %q", path, args[1])
		}
		return nil
	})
	ts.Check(err)
}

// holdLock opens a journal for writing and keeps it open, as another
// journal command in the middle of its work would, until it is killed:
//
//	holdlock [-shared] FILE READY
//
// It creates READY once it holds the lock. With -shared it holds the lock
// a reading command holds.
func holdLock() {
	args, shared := os.Args[1:], false
	if len(args) > 0 && args[0] == "-shared" {
		args, shared = args[1:], true
	}
	db, err := bolt.Open(args[0], 0o600, &bolt.Options{Timeout: 5 * time.Second, ReadOnly: shared})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer db.Close()
	os.WriteFile(args[1], nil, 0o600)
	// Until it is killed: the script or test that started it kills it
	// once done. (Ten minutes, lest one that failed first leave it
	// behind for ever.) It used to end after a minute, which a slow
	// script could reach with the lock still needed.
	time.Sleep(10 * time.Minute)
}

// cmdSetFormat writes the format mark of a journal file, as a newer or
// older release would have:
//
//	setformat FILE MARK
func cmdSetFormat(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: setformat FILE MARK")
	}
	db, err := bolt.Open(ts.MkAbs(args[0]), 0o600, &bolt.Options{Timeout: time.Second})
	ts.Check(err)
	defer db.Close()
	ts.Check(db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("format"), []byte(args[1]))
	}))
}
