package stamp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Timeout is how long [Client.Stamp] waits for an authority by default,
// from connecting to the end of its reply.
const Timeout = 30 * time.Second

// maxReply bounds a reply: real ones are a few kilobytes.
const maxReply = 1 << 20

// ErrNoAnswer is in an [UnreachableError] when the authority did not
// answer within the time allowed.
var ErrNoAnswer = errors.New("no answer")

// UnreachableError says an authority could not be reached or did not
// answer in time: the network is down, the name does not resolve, the
// server refuses or hangs.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("%s could not be reached: %v", host(e.URL), e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// Client asks timestamp authorities over HTTP.
type Client struct {
	// Timeout bounds one authority's whole exchange; 0 means [Timeout].
	Timeout time.Duration
	// HTTP is the client used; nil means a plain one.
	HTTP *http.Client
}

// Stamp asks the authority at url to stamp digest and checks its reply
// against roots. It returns the token only when every check holds.
func (c *Client) Stamp(ctx context.Context, authority string, digest [32]byte, roots *Trust) (*Token, error) {
	req, err := NewRequest(digest)
	if err != nil {
		return nil, err
	}
	reply, err := c.post(ctx, authority, req.DER)
	if err != nil {
		return nil, err
	}
	tok, err := Check(reply, digest, roots)
	if err != nil {
		return nil, err
	}
	if err := CheckNonce(reply, req); err != nil {
		return nil, err
	}
	return tok, nil
}

func (c *Client) post(ctx context.Context, authority string, body []byte) ([]byte, error) {
	timeout := c.Timeout
	if timeout == 0 {
		timeout = Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, authority, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%q is not an authority's address: %w", authority, err)
	}
	hreq.Header.Set("Content-Type", "application/timestamp-query")
	hreq.Header.Set("Accept", "application/timestamp-reply")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(hreq)
	if err != nil {
		return nil, &UnreachableError{URL: authority, Err: reason(ctx, err, timeout)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &UnreachableError{URL: authority, Err: fmt.Errorf("it answered %s", resp.Status)}
	}
	reply, err := io.ReadAll(io.LimitReader(resp.Body, maxReply+1))
	if err != nil {
		return nil, &UnreachableError{URL: authority, Err: reason(ctx, err, timeout)}
	}
	if len(reply) > maxReply {
		return nil, bad("it is larger than %d bytes", maxReply)
	}
	return reply, nil
}

// reason turns a transport error into words a person can act on.
func reason(ctx context.Context, err error, timeout time.Duration) error {
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("%w within %s", ErrNoAnswer, timeout)
	case errors.As(err, &dns):
		return errors.New("its name does not resolve (offline?)")
	case errors.As(err, &op) && op.Op == "dial":
		return errors.New("the connection was refused or the network is down")
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

// host is the part of an authority's address a person recognises.
func host(authority string) string {
	if u, err := url.Parse(authority); err == nil && u.Host != "" {
		return u.Host
	}
	return authority
}
