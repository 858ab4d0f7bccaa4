package main

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/internal/synctest"
	"github.com/journal-dev/journal/syncfolder"
)

// Script commands for sessions on several devices, each with its own
// home, config and data folders, exchanging through real sync engines.
// They are registered in scriptParams.

// cmdAs makes the commands that follow run as another computer:
//
//	as NAME
//
// HOME, XDG_CONFIG_HOME, XDG_DATA_HOME and JOURNAL_FILE move to
// $WORK/NAME, which is made if missing.
func cmdAs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: as NAME")
	}
	home := filepath.Join(ts.Getenv("WORK"), args[0])
	ts.Check(os.MkdirAll(home, 0o700))
	ts.Setenv("HOME", home)
	ts.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	ts.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
	ts.Setenv("XDG_RUNTIME_DIR", filepath.Join(home, ".run"))
	ts.Setenv("JOURNAL_FILE", filepath.Join(home, "journal.db"))
}

// scriptTB lets the engine helpers run inside a script.
type scriptTB struct {
	ts *testscript.TestScript
	n  int
}

func (s *scriptTB) Helper()                      {}
func (s *scriptTB) Fatalf(f string, args ...any) { s.ts.Fatalf(f, args...) }
func (s *scriptTB) Skipf(f string, args ...any)  { s.ts.Fatalf("skipped: "+f, args...) }
func (s *scriptTB) Cleanup(fn func())            { s.ts.Defer(fn) }
func (s *scriptTB) TempDir() string {
	s.n++
	dir := filepath.Join(s.ts.Getenv("WORK"), ".engines", strconv.Itoa(s.n))
	s.ts.Check(os.MkdirAll(dir, 0o700))
	return dir
}

// syncthingPairs are the running pairs, by script (the scripts run in
// parallel: a plain map written by two at once ends the test binary).
var syncthingPairs sync.Map // *testscript.TestScript -> [2]*synctest.Syncthing

// cmdSyncthing runs two real Syncthing instances for a script:
//
//	syncthing start DIR-A DIR-B   share DIR-A and DIR-B as one folder
//	syncthing wait                wait until both hold the same files
//
// The instances listen on 127.0.0.1 only and are stopped when the script
// ends. Use [tool:syncthing] to skip a script where it is not installed.
func cmdSyncthing(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: syncthing start DIR-A DIR-B | syncthing wait")
	}
	tb := &scriptTB{ts: ts}
	switch {
	case args[0] == "start" && len(args) == 3:
		a, b := synctest.SyncthingPair(tb, ts.MkAbs(args[1]), ts.MkAbs(args[2]))
		syncthingPairs.Store(ts, [2]*synctest.Syncthing{a, b})
		ts.Defer(func() { syncthingPairs.Delete(ts) })
	case args[0] == "wait" && len(args) == 1:
		v, ok := syncthingPairs.Load(ts)
		if !ok {
			ts.Fatalf("syncthing wait: no pair started")
		}
		p := v.([2]*synctest.Syncthing)
		took := synctest.WaitInSync(tb, p[0], p[1], 90*time.Second)
		ts.Logf("syncthing: in sync after %v", took)
	default:
		ts.Fatalf("usage: syncthing start DIR-A DIR-B | syncthing wait")
	}
}

// gitRemotes are the remotes, by script.
var gitRemotes sync.Map // *testscript.TestScript -> *synctest.Git

// cmdGitSync keeps sync folders in git:
//
//	gitsync clone DIR      make DIR a clone of the script's bare remote
//	gitsync exchange DIR   commit new files in DIR, pull, push
func cmdGitSync(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: gitsync clone|exchange DIR")
	}
	tb := &scriptTB{ts: ts}
	var g *synctest.Git
	if v, ok := gitRemotes.Load(ts); ok {
		g = v.(*synctest.Git)
	} else {
		g = synctest.NewGitRemote(tb)
		gitRemotes.Store(ts, g)
		ts.Defer(func() { gitRemotes.Delete(ts) })
	}
	switch args[0] {
	case "clone":
		g.Clone(tb, ts.MkAbs(args[1]))
	case "exchange":
		g.Exchange(tb, ts.MkAbs(args[1]))
	default:
		ts.Fatalf("usage: gitsync clone|exchange DIR")
	}
}

// cmdCopyPart copies a random part of the files of one folder missing
// from another, in random order, as a person with a USB stick would:
//
//	copypart SRC DST FRACTION
func cmdCopyPart(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: copypart SRC DST FRACTION")
	}
	frac, err := strconv.ParseFloat(args[2], 64)
	if err != nil || frac <= 0 || frac > 1 {
		ts.Fatalf("copypart: FRACTION must be in (0, 1]")
	}
	seed := uint64(time.Now().UnixNano())
	n, err := synctest.CopyPart(ts.MkAbs(args[0]), ts.MkAbs(args[1]), frac, rand.New(rand.NewPCG(seed, 16)))
	ts.Check(err)
	ts.Logf("copypart: %d files (seed %s)", n, fmt.Sprint(seed))
}

// cmdSyncFile does to files of a sync folder what a careless sync program,
// a failing disk or an intruder would:
//
//	syncfile truncate|change|hide|unhide|conflict|placeholder|foreign GLOB
//
// truncate cuts each file to half, change flips its last byte, hide moves
// it aside (not arrived yet) and unhide puts it back, conflict and
// placeholder leave a sync program's conflict copy or a cloud placeholder
// beside it, foreign writes beside it a whole segment of another journal
// under another name.
func cmdSyncFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: syncfile truncate|change|hide|unhide|conflict|placeholder|foreign GLOB")
	}
	pattern := ts.MkAbs(args[1])
	if args[0] == "unhide" {
		pattern += ".away"
	}
	paths, err := filepath.Glob(pattern)
	ts.Check(err)
	if len(paths) == 0 {
		ts.Fatalf("syncfile: no file matches %s", args[1])
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		ts.Check(err)
		switch args[0] {
		case "truncate":
			ts.Check(os.WriteFile(p, data[:len(data)/2], 0o600))
		case "change":
			data[len(data)-1] ^= 1
			ts.Check(os.WriteFile(p, data, 0o600))
		case "hide":
			ts.Check(os.Rename(p, p+".away"))
		case "unhide":
			ts.Check(os.Rename(p, strings.TrimSuffix(p, ".away")))
		case "conflict":
			ts.Check(os.WriteFile(p+".sync-conflict-20261201-120000-ABCDEFG", data[:len(data)/3], 0o600))
			ts.Check(os.WriteFile(p+" (Sam's conflicted copy 2026-12-01)", data[:len(data)/3], 0o600))
		case "placeholder":
			dir, base := filepath.Split(p)
			ts.Check(os.WriteFile(filepath.Join(dir, "."+base+".icloud"), []byte("bplist00"), 0o600))
			ts.Check(os.WriteFile(filepath.Join(dir, ".syncthing."+base+".tmp"), data[:len(data)/2], 0o600))
		case "foreign":
			seg, err := syncfolder.DecodeSegment(data)
			ts.Check(err)
			seg.JournalID = []byte("another journal!")
			b, err := seg.Encode()
			ts.Check(err)
			name := fmt.Sprintf("%012d-%s", seg.First+1000, syncfolder.HashName(b))
			ts.Check(os.WriteFile(filepath.Join(filepath.Dir(p), name), b, 0o600))
		default:
			ts.Fatalf("syncfile: unknown action %q", args[0])
		}
	}
}

// cmdNoHash is the attacker who holds a sync folder and a file they think
// is in the journal, and looks for it by every hash anyone can compute of
// it, in every name and every byte of the folder:
//
//	nohash DIR FILE
//
// It fails if any name or file under DIR holds the file's SHA-256,
// SHA-512, SHA-1 or MD5, in hex, base64, base32 or as raw bytes.
func cmdNoHash(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: nohash DIR FILE")
	}
	data, err := os.ReadFile(ts.MkAbs(args[1]))
	ts.Check(err)
	s256, s512, s1, m5 := sha256.Sum256(data), sha512.Sum512(data), sha1.Sum(data), md5.Sum(data)
	var forms []string
	for _, sum := range [][]byte{s256[:], s512[:], s1[:], m5[:]} {
		forms = append(forms, string(sum), hex.EncodeToString(sum), strings.ToUpper(hex.EncodeToString(sum)),
			base64.StdEncoding.EncodeToString(sum), base64.RawURLEncoding.EncodeToString(sum),
			base32.StdEncoding.EncodeToString(sum), strings.ToLower(base32.StdEncoding.EncodeToString(sum)))
	}
	blobs := 0
	err = filepath.Walk(ts.MkAbs(args[0]), func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		content := ""
		if !info.IsDir() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			content = string(b)
			if filepath.Base(filepath.Dir(path)) == syncfolder.DirBlobs {
				blobs++
			}
		}
		for _, f := range forms {
			if strings.Contains(info.Name(), f) || strings.Contains(content, f) {
				return fmt.Errorf("%s gives away a hash of %s", path, args[1])
			}
		}
		return nil
	})
	ts.Check(err)
	if blobs == 0 {
		ts.Fatalf("no evidence in %s: nothing was looked for", args[0])
	}
}

// cmdKeep keeps the letters that begin the last command's output (an
// incident number such as "kq1" that `journal add` printed), so that the
// session can name that computer's incidents as a person would read them:
//
//	keep NAME
//
// sets NAME to the letters ("kq").
func cmdKeep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: keep NAME")
	}
	out := strings.TrimSpace(ts.ReadFile("stdout"))
	letters := strings.TrimRight(out, "0123456789")
	if letters == "" || letters == out || strings.ContainsAny(letters, " \n") {
		ts.Fatalf("keep: %q is not an incident number with letters", out)
	}
	ts.Setenv(args[0], letters)
}

// cmdUnwrapKey is someone who holds the sync folder and a passphrase, and
// tries it on every wrapped key the folder keeps:
//
//	unwrapkey DIR PASSPHRASE
//
// It succeeds if the passphrase opens any of them.
func cmdUnwrapKey(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: unwrapkey DIR PASSPHRASE")
	}
	entries, err := os.ReadDir(filepath.Join(ts.MkAbs(args[0]), syncfolder.DirKeys))
	ts.Check(err)
	opened := ""
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(ts.MkAbs(args[0]), syncfolder.DirKeys, e.Name()))
		ts.Check(err)
		if _, err := crypto.Unwrap(data, args[1]); err == nil {
			opened = e.Name()
		}
	}
	switch {
	case opened == "" && !neg:
		ts.Fatalf("the passphrase opens none of the %d keys in the folder", len(entries))
	case opened != "" && neg:
		ts.Fatalf("the passphrase opens %s", opened)
	}
}
