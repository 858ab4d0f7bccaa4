package journal

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// lockFile takes the lock bbolt takes on the file for writing (the byte
// range bbolt locks), waiting up to [LockTimeout] for another process to
// release it. It is released when f is closed.
func lockFile(f *os.File) error {
	deadline := time.Now().Add(LockTimeout)
	const m1 = 1<<32 - 1
	for {
		err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_FAIL_IMMEDIATELY|windows.LOCKFILE_EXCLUSIVE_LOCK,
			0, 1, 0, &windows.Overlapped{Offset: m1, OffsetHigh: m1})
		if err == nil {
			return nil
		}
		if !errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
			return fmt.Errorf("locking the journal: %w", err)
		}
		if time.Now().After(deadline) {
			return ErrInUse
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// nameless reports whether no name leads to the file f any more: never
// said on Windows, where a file that is open cannot be renamed over.
func nameless(*os.File) bool { return false }
