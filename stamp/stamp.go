// Package stamp obtains and checks RFC 3161 timestamps: a timestamp
// authority's signed statement that a SHA-256 digest existed at a time.
//
// # What is sent
//
// [Client.Stamp] sends one request per authority: the digest (32 bytes,
// nothing else of the journal), a random nonce, and a request for the
// authority's certificate. The reply is accepted only when every check of
// [Check] passes and its nonce is the one sent.
//
// # What is checked
//
// A reply holds: a status that grants it; a token whose message imprint is
// SHA-256 of exactly the digest asked about; a CMS signature over the token
// that verifies with the signing certificate carried in the reply; a signing
// certificate whose extended key usage is timeStamping alone and marked
// critical (RFC 3161 section 2.3); and a chain from that certificate to a
// trusted root, valid at the time the token states. Trusted roots are any
// given in PEM and the system's, loaded only when the given ones do not
// make a chain. [Check] does all of this offline, as
// `openssl ts -verify` does, so a stored reply can be checked years later.
package stamp

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/digitorus/pkcs7"
	"github.com/digitorus/timestamp"
)

// Token is a reply that passed every check.
type Token struct {
	// Reply is the authority's whole reply (DER TimeStampResp), as
	// `openssl ts -reply` writes it: the file to keep and give.
	Reply []byte
	// Time is the time the authority signed (genTime).
	Time time.Time
	// Accuracy is the authority's stated accuracy of Time, 0 if none.
	Accuracy time.Duration
	// Serial is the token's serial number at the authority.
	Serial *big.Int
	// Authority names the authority: its signing certificate's common
	// name, or organisation.
	Authority string
	// Root names the root certificate the signing certificate chains to.
	Root string
	// RootGiven is set when that root is one given with the authority
	// (--tsa-roots, kept in the journal with the stamp), not the system's:
	// whoever can write the journal can give one, so the time holds only
	// for someone who trusts that root as the authority's.
	RootGiven bool
	// RootSHA256 is the SHA-256 of the root certificate (DER), its
	// fingerprint as 'openssl x509 -fingerprint -sha256' prints it.
	RootSHA256 [32]byte
	// Policy is the authority's policy under which it signed.
	Policy string
}

// RejectedError is a reply whose status says the authority declined.
type RejectedError struct{ Reason string }

func (e *RejectedError) Error() string { return "the authority declined: " + e.Reason }

// BadReplyError is a reply that fails a check: it must not be trusted.
type BadReplyError struct{ Reason string }

func (e *BadReplyError) Error() string { return "the reply does not hold: " + e.Reason }

func bad(format string, args ...any) error {
	return &BadReplyError{Reason: fmt.Sprintf(format, args...)}
}

// oidExtKeyUsage is the extended key usage extension.
var oidExtKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 37}

// Request is one RFC 3161 request for a digest, with its nonce.
type Request struct {
	Digest [32]byte
	Nonce  *big.Int
	// DER is the request as sent (application/timestamp-query).
	DER []byte
}

// NewRequest makes a request for digest with a fresh 128-bit nonce,
// asking for the authority's certificate.
func NewRequest(digest [32]byte) (*Request, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("making a nonce: %w", err)
	}
	req := &timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: digest[:], Certificates: true, Nonce: n}
	der, err := req.Marshal()
	if err != nil {
		return nil, fmt.Errorf("making the request: %w", err)
	}
	return &Request{Digest: digest, Nonce: n, DER: der}, nil
}

// Trust is the set of roots a token's chain may end at.
type Trust struct {
	// given are the roots given with the authority (--tsa-roots), tried
	// first.
	given []*x509.Certificate
	// system adds the system's roots when given do not make a chain.
	// Loading them costs 20 to 50 ms, so it is done only then.
	system bool
}

// Roots returns the trusted roots: the certificates in pemRoots (which may
// be empty), and the system's. PEM without a certificate is an error.
func Roots(pemRoots []byte) (*Trust, error) {
	t := &Trust{system: true}
	if len(bytes.TrimSpace(pemRoots)) == 0 {
		return t, nil
	}
	certs, err := ParsePEM(pemRoots)
	if err != nil {
		return nil, err
	}
	t.given = certs
	return t, nil
}

// systemRoots loads the system's roots; a test counts its calls.
var systemRoots = x509.SystemCertPool

// Only trusts exactly the roots given, never the system's.
func Only(roots ...*x509.Certificate) *Trust { return &Trust{given: roots} }

// verify finds a chain from signer to a trusted root: with the given
// roots alone first, then, only when that fails, with the system's too.
// A chain the given roots make is one the system's and the given make, so
// the answer is the same as with both at once, without loading the
// system's for an authority whose root was given.
func (t *Trust) verify(signer *x509.Certificate, opts x509.VerifyOptions) ([][]*x509.Certificate, error) {
	var err error
	if len(t.given) > 0 || !t.system {
		opts.Roots = x509.NewCertPool()
		for _, c := range t.given {
			opts.Roots.AddCert(c)
		}
		var chains [][]*x509.Certificate
		if chains, err = signer.Verify(opts); err == nil || !t.system {
			return chains, err
		}
	}
	pool, serr := systemRoots()
	if serr != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	for _, c := range t.given {
		pool.AddCert(c) // SystemCertPool returns a copy: nothing shared changes
	}
	opts.Roots = pool
	return signer.Verify(opts)
}

// ParsePEM reads every certificate in PEM text; it must hold at least one.
func ParsePEM(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("reading a certificate: %w", err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("no PEM certificate found")
	}
	return certs, nil
}

// Check checks a stored reply offline against the digest it should stamp,
// trusting roots. It returns the token's contents when every check holds,
// and otherwise a [RejectedError] or a [BadReplyError].
func Check(reply []byte, digest [32]byte, roots *Trust) (tok *Token, err error) {
	defer func() {
		// The ASN.1 and CMS parsers are not ours: never let a crafted
		// reply crash the program.
		if r := recover(); r != nil {
			tok, err = nil, bad("it cannot be read")
		}
	}()
	ts, err := timestamp.ParseResponse(reply)
	var rerr *RejectedError
	switch {
	case err == nil:
	case errors.As(err, &rerr):
		return nil, err
	default:
		if status, ok := declined(reply); ok {
			return nil, &RejectedError{Reason: status}
		}
		return nil, bad("it is not a valid timestamp reply (%v)", err)
	}
	if ts.HashAlgorithm != crypto.SHA256 || !bytes.Equal(ts.HashedMessage, digest[:]) {
		return nil, bad("it stamps another digest (%x), not the one asked about (%x)", ts.HashedMessage, digest[:])
	}
	p7, err := pkcs7.Parse(ts.RawToken)
	if err != nil {
		return nil, bad("its signature cannot be read (%v)", err)
	}
	if len(p7.Certificates) == 0 {
		return nil, bad("it carries no certificate to check its signature with")
	}
	signer := p7.GetOnlySigner()
	if signer == nil {
		return nil, bad("it does not have exactly one signer with a certificate")
	}
	if err := checkUsage(signer); err != nil {
		return nil, err
	}
	inter := x509.NewCertPool()
	for _, c := range p7.Certificates {
		if c != signer {
			inter.AddCert(c)
		}
	}
	chains, err := roots.verify(signer, x509.VerifyOptions{
		Intermediates: inter, CurrentTime: ts.Time,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
	})
	if err != nil {
		return nil, bad("the signing certificate %q is not trusted: %v", name(signer), err)
	}
	root := chains[0][len(chains[0])-1]
	return &Token{
		Reply: bytes.Clone(reply), Time: ts.Time, Accuracy: ts.Accuracy, Serial: ts.SerialNumber,
		Authority: name(signer), Root: name(root), Policy: ts.Policy.String(),
		RootGiven: slices.ContainsFunc(roots.given, root.Equal), RootSHA256: sha256.Sum256(root.Raw),
	}, nil
}

// checkUsage insists on what RFC 3161 section 2.3 asks of a timestamp
// authority's certificate: one extended key usage, timeStamping, critical.
func checkUsage(c *x509.Certificate) error {
	for _, ext := range c.Extensions {
		if !ext.Id.Equal(oidExtKeyUsage) {
			continue
		}
		switch {
		case !slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageTimeStamping):
			return bad("the signing certificate %q is not for timestamping (its extended key usage lacks timeStamping)", name(c))
		case len(c.ExtKeyUsage) != 1 || len(c.UnknownExtKeyUsage) != 0:
			return bad("the signing certificate %q may be used for more than timestamping, which RFC 3161 forbids", name(c))
		case !ext.Critical:
			return bad("the signing certificate %q has its timeStamping usage not marked critical, as RFC 3161 requires", name(c))
		}
		return nil
	}
	return bad("the signing certificate %q is not for timestamping (no timeStamping extended key usage)", name(c))
}

// declined reads the status of a reply the library refused, to tell a
// rejection apart from garbage.
func declined(reply []byte) (string, bool) {
	var resp struct {
		Status struct {
			Status       int
			StatusString []string       `asn1:"optional,utf8"`
			FailInfo     asn1.BitString `asn1:"optional"`
		}
		Token asn1.RawValue `asn1:"optional"`
	}
	if rest, err := asn1.Unmarshal(reply, &resp); err != nil || len(rest) > 0 {
		return "", false
	}
	if resp.Status.Status < 2 {
		return "", false
	}
	reason := timestamp.Status(resp.Status.Status).String()
	if len(resp.Status.StatusString) > 0 {
		reason += " (" + resp.Status.StatusString[0] + ")"
	}
	return reason, true
}

// name is how a certificate is named to a person.
func name(c *x509.Certificate) string {
	switch {
	case c.Subject.CommonName != "":
		return c.Subject.CommonName
	case len(c.Subject.Organization) > 0:
		return c.Subject.Organization[0]
	}
	return c.Subject.String()
}

// CheckNonce checks that a checked reply answers req: the nonce in it is
// the one sent.
func CheckNonce(reply []byte, req *Request) error {
	ts, err := timestamp.ParseResponse(reply)
	if err != nil {
		return bad("it is not a valid timestamp reply (%v)", err)
	}
	if ts.Nonce == nil || ts.Nonce.Cmp(req.Nonce) != 0 {
		return bad("its nonce is not the one sent, so it does not answer this request (a replayed or mixed-up reply)")
	}
	return nil
}
