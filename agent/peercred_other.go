//go:build !linux && !darwin && !freebsd

package agent

import (
	"errors"
	"fmt"
	"net"
	"runtime"
)

// errNoPeerCheck is why the agent does not run on this system: it answers
// only its own user, and here it cannot ask who is at the other end of its
// socket.
var errNoPeerCheck = fmt.Errorf("'journal unlock' is not available on %s, where the unlock agent cannot tell which user is asking it for the key: each command asks for the passphrase", runtime.GOOS)

// peerUID cannot be asked on this system: the agent answers no one.
func peerUID(*net.UnixConn) (int, error) {
	return -1, errors.New("this system cannot tell who is at the other end of a socket")
}
