//go:build darwin || freebsd

package agent

import (
	"net"

	"golang.org/x/sys/unix"
)

// errNoPeerCheck is nil: this system tells the agent who is at the other
// end of its socket.
var errNoPeerCheck error

// peerUID asks the kernel which user is at the other end of c
// (getpeereid).
func peerUID(c *net.UnixConn) (int, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *unix.Xucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if credErr != nil {
		return -1, credErr
	}
	return int(cred.Uid), nil
}
