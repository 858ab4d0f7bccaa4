package agent

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"time"

	"github.com/journal-dev/journal/crypto"
)

// requestTimeout bounds each request: an agent that stopped answering is
// given up on rather than waited for.
const requestTimeout = 10 * time.Second

// Client talks to a running agent. It keeps a few connections open, so
// that records can be opened on several processors at once.
type Client struct {
	path string
	pool chan *net.UnixConn
	// Recipient is the public recipient of the key the agent holds.
	Recipient string
	// Until is when the agent ends, used or not; Idle ends it sooner.
	Until time.Time
	Idle  time.Duration

	cacheSecret []byte
}

// Dial connects to the agent for the journal key with the given
// recipient. Without one (no socket, or a dead agent's), the error is
// ErrNoAgent.
func Dial(recipient string) (*Client, error) {
	if errNoPeerCheck != nil {
		return nil, ErrNoAgent // none can run here
	}
	path, err := SocketPath(recipient)
	if err != nil {
		return nil, err
	}
	c := &Client{path: path, pool: make(chan *net.UnixConn, runtime.GOMAXPROCS(0))}
	answer, err := c.request([]byte{opHello})
	if err != nil {
		if isConnRefused(err) {
			return nil, ErrNoAgent
		}
		return nil, err
	}
	d := decoder{b: answer}
	c.Recipient, c.cacheSecret = d.str(), []byte(d.str())
	c.Until = time.Unix(int64(d.u64()), 0)
	c.Idle = time.Duration(d.u64()) * time.Second
	if d.bad || c.Recipient != recipient {
		c.Close()
		return nil, ErrNoAgent
	}
	return c, nil
}

// Identity returns an identity that opens what is sealed to the agent's
// key by asking the agent, and never holds the key itself.
func (c *Client) Identity() (*crypto.Identity, error) {
	return crypto.NewRemoteIdentity(c.Recipient, c.cacheSecret, c.Unwrap)
}

// Unwrap asks the agent for the file key that one of stanzas wraps. An
// agent that fails to answer gives an error wrapping crypto.ErrRemote.
func (c *Client) Unwrap(stanzas []*crypto.Stanza) ([]byte, error) {
	answer, err := c.request(appendStanzas([]byte{opUnwrap}, stanzas))
	if err != nil {
		return nil, err
	}
	return answer, nil
}

// Lock asks the agent to forget the key and end, at once.
func (c *Client) Lock() error {
	_, err := c.request([]byte{opLock})
	return err
}

// Close closes the client's connections.
func (c *Client) Close() {
	for {
		select {
		case conn := <-c.pool:
			conn.Close()
		default:
			return
		}
	}
}

// request sends one request and returns the body of its answer.
func (c *Client) request(req []byte) ([]byte, error) {
	conn, err := c.conn()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", crypto.ErrRemote, err)
	}
	conn.SetDeadline(time.Now().Add(requestTimeout))
	answer, err := func() ([]byte, error) {
		if err := writeFrame(conn, req); err != nil {
			return nil, err
		}
		return readFrame(conn)
	}()
	if err != nil || len(answer) == 0 {
		conn.Close()
		if err == nil {
			err = errors.New("empty answer")
		}
		return nil, fmt.Errorf("%w: %v", crypto.ErrRemote, err)
	}
	c.put(conn)
	switch answer[0] {
	case statusOK:
		return answer[1:], nil
	case statusNotMine:
		return nil, crypto.ErrNotMine
	default:
		return nil, fmt.Errorf("%w: %s", crypto.ErrRemote, answer[1:])
	}
}

// conn returns an idle connection, or a new one checked to be to an agent
// of this same user.
func (c *Client) conn() (*net.UnixConn, error) {
	select {
	case conn := <-c.pool:
		return conn, nil
	default:
	}
	conn, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: c.path, Net: "unix"})
	if err != nil {
		return nil, err
	}
	if uid, err := peerUID(conn); err != nil || uid != os.Getuid() {
		conn.Close()
		return nil, fmt.Errorf("%w: the agent's socket is not this user's", crypto.ErrRemote)
	}
	return conn, nil
}

func (c *Client) put(conn *net.UnixConn) {
	select {
	case c.pool <- conn:
	default:
		conn.Close()
	}
}
