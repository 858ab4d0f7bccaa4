// Package agent keeps a journal's key unlocked for a while in a small
// background process, so that reading commands need not ask for the
// passphrase each time (`journal unlock`, `journal lock`).
//
// The agent holds the journal's identity in its own memory and nowhere
// else: not on disk, and, where the system allows it to lock its memory,
// not in swap. It never gives the identity out. A reading command sends it
// the header stanzas of what it wants to open, and the agent answers with
// that file's key (as a hardware key or an age plugin would); it also gives
// the cache secret, a key derived from the identity that marks the
// journal's cache (journal/cache.go). The passphrase is never kept: the
// command that unlocks reads it, unwraps the identity, and hands the
// identity to the agent through a pipe.
//
// The agent listens on a Unix socket in the user's runtime folder
// ($XDG_RUNTIME_DIR/journal, made 0700; the socket is 0600), one socket
// per journal key. On every connection it checks the peer's user id with
// the kernel (SO_PEERCRED on Linux, LOCAL_PEERCRED elsewhere) and closes
// the connection of any other user without a word. It ends, and the key
// with it, when its time is up, when it has not been used for its idle
// time, or when asked (`journal lock`). A socket left by an agent that
// crashed is found dead and removed.
package agent

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Requests and answers are frames: a 4-byte big-endian length, then the
// bytes. A request starts with one of these operation bytes.
const (
	opHello  = 'H' // answer: status, then the hello fields
	opUnwrap = 'U' // stanzas; answer: status, then the file key
	opLock   = 'L' // answer: status; the agent then ends
)

// Answer statuses.
const (
	statusOK      = 'K'
	statusNotMine = 'N' // no stanza is for the agent's key
	statusError   = 'E' // followed by a message
)

// maxFrame bounds every frame read, so that a peer cannot make either
// side allocate without limit. A post-quantum stanza is about 1.5 KB.
const maxFrame = 1 << 20

// ErrNoAgent is returned when no agent runs for the journal.
var ErrNoAgent = errors.New("the journal is not unlocked")

// Dir returns the folder of the agents' sockets, making it (0700) if
// needed: $XDG_RUNTIME_DIR/journal, or, without a runtime folder, a
// folder of this user's in the system's temporary folder. A folder that
// is not this user's, or that others can enter, is refused. On a system
// where the agent cannot run (see [Listen]) it says so.
func Dir() (string, error) {
	if errNoPeerCheck != nil {
		return "", errNoPeerCheck
	}
	base := os.Getenv("XDG_RUNTIME_DIR")
	name := "journal"
	if base == "" {
		base = os.TempDir()
		name = fmt.Sprintf("journal-%d", os.Getuid())
	}
	dir := filepath.Join(base, name)
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("cannot make the folder for the unlock agent: %w", err)
	}
	if err := checkPrivate(dir); err != nil {
		return "", err
	}
	return dir, nil
}

// checkPrivate refuses a folder that is a link, is not owned by this user,
// or can be entered by others: another user could then replace the socket.
func checkPrivate(dir string) error {
	info, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("cannot check the folder of the unlock agent: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a folder: remove it and try again", dir)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("%s can be opened by other users: make it private with 'chmod 700 %s'", dir, dir)
	}
	if uid, ok := fileOwner(info); ok && uid != os.Getuid() {
		return fmt.Errorf("%s belongs to another user: remove it and try again", dir)
	}
	return nil
}

// SocketPath returns the socket of the agent for the journal whose key has
// the given public recipient.
func SocketPath(recipient string) (string, error) {
	dir, err := Dir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte("journal agent\x00" + recipient))
	return filepath.Join(dir, "agent-"+hex.EncodeToString(sum[:8])+".sock"), nil
}

func writeFrame(w io.Writer, b []byte) error {
	if len(b) > maxFrame {
		return errors.New("agent message too long")
	}
	buf := make([]byte, 4, 4+len(b))
	binary.BigEndian.PutUint32(buf, uint32(len(b)))
	_, err := w.Write(append(buf, b...))
	return err
}

func readFrame(r io.Reader) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	size := binary.BigEndian.Uint32(n[:])
	if size > maxFrame {
		return nil, errors.New("agent message too long")
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	return b, nil
}
