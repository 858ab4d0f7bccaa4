// Package testwait bounds the waits of tests. A test that waits for a
// goroutine, a child process or a file waits for that thing itself, never
// for a guessed time; and it waits at most [Limit], then fails saying what
// it waited for, rather than hanging until go test's own timeout ends the
// whole package.
package testwait

import (
	"bufio"
	"io"
	"strings"
	"testing"
	"time"
)

// Limit is how long a test waits for anything before it fails. It is far
// longer than anything takes on a loaded machine: reaching it means the
// thing waited for will not happen.
const Limit = time.Minute

// Recv returns the next value from ch (the zero value once ch is closed),
// failing the test after Limit, saying it waited for what.
func Recv[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	timer := time.NewTimer(Limit)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatalf("waited %v for %s", Limit, what)
		panic("unreachable")
	}
}

// Until calls done every 10 ms until it reports true, failing the test
// after Limit, saying it waited for what.
func Until(t testing.TB, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(Limit)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", Limit, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Line reads one line from r, without its line break, failing the test
// after Limit, saying it waited for what. What r holds after the line
// may be read and dropped: read nothing more from r. The read goes on in
// the background after a failure; it ends when r is closed (a child
// process killed by the test's clean-up closes its output).
func Line(t testing.TB, r io.Reader, what string) string {
	t.Helper()
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSuffix(s, "\n")
	}()
	return Recv(t, line, what)
}
