package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/journal-dev/journal/privatefile"
)

// removeOnSignal removes the private files being written (reports,
// evidence written out) if the program is interrupted (Ctrl+C, a terminal
// closed, kill) before they are whole, and then exits as the signal would
// have: 128 + its number. Call the function it returns when the files are
// committed or removed. Only while it is in force does journal catch these
// signals; forms and prompts handle Ctrl+C as they always did.
func removeOnSignal() (stop func()) {
	ch := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		select {
		case sig := <-ch:
			privatefile.RemoveAll()
			code := 130
			if s, ok := sig.(syscall.Signal); ok {
				code = 128 + int(s)
			}
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
