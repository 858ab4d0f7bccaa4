package agent

import (
	"net"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/journal-dev/journal/internal/testwait"
)

// waitSent waits until a request written on conn is waiting, unread, in
// the agent's socket (the agent is stopped: nothing reads it).
func waitSent(t *testing.T, conn *net.UnixConn) {
	t.Helper()
	raw, err := conn.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, "the request to reach the stopped agent's socket", func() bool {
		queued := 0
		raw.Control(func(fd uintptr) { queued, _ = unix.IoctlGetInt(int(fd), unix.SIOCOUTQ) })
		return queued > 0
	})
}
