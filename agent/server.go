package agent

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/journal-dev/journal/crypto"
)

// ErrRunning is returned by [Listen] when an agent already answers on the
// socket.
var ErrRunning = errors.New("an unlock agent is already running for this journal")

// Listen makes the agent's socket at path, readable and writable by this
// user only. A socket left behind by an agent that no longer runs (it
// crashed, or the computer was switched off) is removed first; one where
// an agent still answers is left alone, and the error is ErrRunning. On a
// system where the agent cannot check which user is asking, it refuses to
// start.
func Listen(path string) (*net.UnixListener, error) {
	if errNoPeerCheck != nil {
		return nil, errNoPeerCheck
	}
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return nil, ErrRunning
	}
	if info, err := os.Lstat(path); err == nil {
		if info.Mode().Type() != os.ModeSocket {
			return nil, fmt.Errorf("%s is in the way of the unlock agent's socket: remove it", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("cannot remove the dead agent's socket: %w", err)
		}
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("cannot start the unlock agent: %w", err)
	}
	// The folder is private already; the socket is made private too.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("cannot start the unlock agent: %w", err)
	}
	ln.SetUnlinkOnClose(true)
	return ln, nil
}

// Limits say how long the agent keeps the key.
type Limits struct {
	// Until is when it ends, used or not.
	Until time.Time
	// Idle ends it sooner, once it has not been asked anything for that
	// long; zero for no idle limit.
	Idle time.Duration

	// clock, when set, is the time the limits are read against (tests).
	clock func() time.Time
}

func (l Limits) now() time.Time {
	if l.clock != nil {
		return l.clock()
	}
	return time.Now()
}

// Serve answers on ln for the holder of id until the limits end it or a
// client asks it to lock, then closes ln (removing the socket) and
// returns. Only connections from this process's own user are answered.
func Serve(ln *net.UnixListener, id *crypto.Identity, limits Limits) error {
	s := &server{id: id, limits: limits, lastUse: limits.now(), done: make(chan struct{})}
	go s.watch(ln)
	for {
		c, err := ln.AcceptUnix()
		if err != nil {
			select {
			case <-s.done:
				return nil
			default:
			}
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				continue
			}
			s.stop()
			return err
		}
		go s.handle(c)
	}
}

type server struct {
	id     *crypto.Identity
	limits Limits

	mu      sync.Mutex
	lastUse time.Time

	done chan struct{}
	once sync.Once
}

func (s *server) stop() { s.once.Do(func() { close(s.done) }) }

// watch closes the listener when the time is up, the agent has been idle
// too long, or it was asked to lock; or when its socket is gone, as when
// the runtime folder is emptied at the end of the user's login session.
func (s *server) watch(ln *net.UnixListener) {
	path := ln.Addr().String()
	socket, _ := os.Lstat(path)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-s.done:
			ln.Close()
			return
		case <-tick.C:
			now := s.limits.now()
			s.mu.Lock()
			idle := now.Sub(s.lastUse)
			s.mu.Unlock()
			if !now.Before(s.limits.Until) || s.limits.Idle > 0 && idle >= s.limits.Idle {
				s.stop()
			}
			if info, err := os.Lstat(path); err != nil || socket != nil && !os.SameFile(info, socket) {
				s.stop()
			}
		}
	}
}

func (s *server) used() {
	s.mu.Lock()
	s.lastUse = s.limits.now()
	s.mu.Unlock()
}

// handle answers one connection's requests, one at a time, after checking
// that its peer is this user.
func (s *server) handle(c *net.UnixConn) {
	defer c.Close()
	if uid, err := peerUID(c); err != nil || uid != os.Getuid() {
		return // another user, or one the system cannot name: no answer
	}
	for {
		c.SetReadDeadline(time.Now().Add(time.Minute))
		req, err := readFrame(c)
		if err != nil || len(req) == 0 {
			return
		}
		select {
		case <-s.done:
			return
		default:
		}
		s.used()
		answer, lock := s.answer(req[0], req[1:])
		c.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := writeFrame(c, answer); err != nil {
			return
		}
		if lock {
			s.stop()
			return
		}
	}
}

func (s *server) answer(op byte, body []byte) (answer []byte, lock bool) {
	switch op {
	case opHello:
		b := []byte{statusOK}
		b = appendString(b, s.id.Recipient())
		b = appendString(b, string(s.id.CacheSecret()))
		b = binary.BigEndian.AppendUint64(b, uint64(s.limits.Until.Unix()))
		b = binary.BigEndian.AppendUint64(b, uint64(s.limits.Idle/time.Second))
		return b, false
	case opUnwrap:
		stanzas, err := decodeStanzas(body)
		if err != nil {
			return append([]byte{statusError}, err.Error()...), false
		}
		key, err := s.id.Unwrap(stanzas)
		switch {
		case errors.Is(err, crypto.ErrNotMine):
			return []byte{statusNotMine}, false
		case err != nil:
			return append([]byte{statusError}, err.Error()...), false
		}
		return append([]byte{statusOK}, key...), false
	case opLock:
		return []byte{statusOK}, true
	}
	return append([]byte{statusError}, "unknown request"...), false
}

// isConnRefused reports whether dialling failed because nothing listens.
func isConnRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOENT)
}
