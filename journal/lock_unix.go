//go:build unix

package journal

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// lockFile takes the lock bbolt takes on the file for writing, waiting up
// to [LockTimeout] for another process to release it. It is released when
// f is closed.
func lockFile(f *os.File) error {
	deadline := time.Now().Add(LockTimeout)
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, unix.EWOULDBLOCK) {
			return fmt.Errorf("locking the journal: %w", err)
		}
		if time.Now().After(deadline) {
			return ErrInUse
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// nameless reports whether no name leads to the file f any more (its
// last one was removed or renamed over).
func nameless(f *os.File) bool {
	var st unix.Stat_t
	return unix.Fstat(int(f.Fd()), &st) == nil && st.Nlink == 0
}
