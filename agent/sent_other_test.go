//go:build !linux

package agent

import (
	"net"
	"testing"
	"time"
)

// waitSent gives the request a moment to be written: only Linux is asked
// how much of a socket's output its peer has not read.
func waitSent(t *testing.T, conn *net.UnixConn) {
	time.Sleep(200 * time.Millisecond)
}
