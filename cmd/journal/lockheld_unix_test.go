//go:build unix

package main

import (
	"os"
	"syscall"
)

// lockHeld says whether something in this process still holds the
// journal's lock: a store a command did not close.
func lockHeld(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return err.Error()
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return ""
}
