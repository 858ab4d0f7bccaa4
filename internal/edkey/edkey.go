// Package edkey makes Ed25519 keys and signatures, and checks signatures,
// exactly as crypto/ed25519 does (the same bytes, the same answers), but
// without its fixed cost in a process that makes only a few.
//
// crypto/ed25519 builds a table of multiples of the base point the first
// time a process makes a key or a signature (about a millisecond), and
// another the first time it checks one (about a quarter of a
// millisecond). Both pay off only after a few dozen operations. A command
// such as `journal add` makes one key and one signature and checks a
// handful: here the first few of each are computed without the tables
// (RFC 8032, sections 5.1.5 to 5.1.7, with filippo.io/edwards25519,
// whose ScalarMult takes the same time whatever the secret), and only
// the later ones are handed to crypto/ed25519.
package edkey

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"
	"strconv"
	"sync/atomic"

	"filippo.io/edwards25519"
)

// The first operations of a process are made without crypto/ed25519's
// tables. A signature costs about 35 µs more without the table, and a
// check about 10 µs more (BenchmarkSign, BenchmarkVerify): the tables
// (about 1 ms and 0.25 ms) pay off after about 25 of each.
const (
	signWithoutTable   = 16
	verifyWithoutTable = 16
)

var signed, verified atomic.Int64

// NewKeyFromSeed returns the private key of seed, as
// ed25519.NewKeyFromSeed does. It panics if seed is not
// ed25519.SeedSize bytes long.
func NewKeyFromSeed(seed []byte) ed25519.PrivateKey {
	if len(seed) != ed25519.SeedSize {
		panic("edkey: bad seed length: " + strconv.Itoa(len(seed)))
	}
	priv := make(ed25519.PrivateKey, 0, ed25519.PrivateKeySize)
	priv = append(priv, seed...)
	return append(priv, PublicKey(seed)...)
}

// PublicKey returns the public key of seed: the base point times the
// clamped first half of the seed's SHA-512 (RFC 8032, 5.1.5).
func PublicKey(seed []byte) ed25519.PublicKey {
	s, _ := expand(seed)
	return mulBase(s).Bytes()
}

// Sign signs message with priv, as ed25519.Sign does (Ed25519 signatures
// are deterministic: the bytes are the same). It panics if priv is not
// ed25519.PrivateKeySize bytes long.
func Sign(priv ed25519.PrivateKey, message []byte) []byte {
	if len(priv) != ed25519.PrivateKeySize {
		panic("edkey: bad private key length: " + strconv.Itoa(len(priv)))
	}
	if signed.Add(1) > signWithoutTable {
		return ed25519.Sign(priv, message)
	}
	// RFC 8032, 5.1.6.
	s, prefix := expand(priv[:ed25519.SeedSize])
	h := sha512.New()
	h.Write(prefix)
	h.Write(message)
	r := scalarOf(h.Sum(nil))
	R := mulBase(r).Bytes()
	h.Reset()
	h.Write(R)
	h.Write(priv[ed25519.SeedSize:])
	h.Write(message)
	k := scalarOf(h.Sum(nil))
	S := edwards25519.NewScalar().MultiplyAdd(k, s, r)
	return append(R, S.Bytes()...)
}

// Verify reports whether sig is a valid signature of message by pub, as
// ed25519.Verify does. It panics if pub is not ed25519.PublicKeySize
// bytes long.
func Verify(pub ed25519.PublicKey, message, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize {
		panic("edkey: bad public key length: " + strconv.Itoa(len(pub)))
	}
	if verified.Add(1) > verifyWithoutTable {
		return ed25519.Verify(pub, message, sig)
	}
	// RFC 8032, 5.1.7, with crypto/ed25519's checks: S below the group
	// order, A a point's encoding, and [S]B - [k]A encoded as R.
	if len(sig) != ed25519.SignatureSize || sig[63]&224 != 0 {
		return false
	}
	A, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return false
	}
	S, err := edwards25519.NewScalar().SetCanonicalBytes(sig[32:])
	if err != nil {
		return false
	}
	h := sha512.New()
	h.Write(sig[:32])
	h.Write(pub)
	h.Write(message)
	k := scalarOf(h.Sum(nil))
	minusA := new(edwards25519.Point).Negate(A)
	R := new(edwards25519.Point).VarTimeMultiScalarMult(
		[]*edwards25519.Scalar{k, S}, []*edwards25519.Point{minusA, edwards25519.NewGeneratorPoint()})
	return bytes.Equal(sig[:32], R.Bytes())
}

// expand returns the secret scalar and the prefix of seed (RFC 8032,
// 5.1.5).
func expand(seed []byte) (*edwards25519.Scalar, []byte) {
	h := sha512.Sum512(seed)
	s, err := edwards25519.NewScalar().SetBytesWithClamping(h[:32])
	if err != nil {
		panic("edkey: " + err.Error()) // cannot happen: the length is fixed
	}
	return s, h[32:]
}

// scalarOf reduces a SHA-512 digest modulo the group order.
func scalarOf(digest []byte) *edwards25519.Scalar {
	s, err := edwards25519.NewScalar().SetUniformBytes(digest)
	if err != nil {
		panic("edkey: " + err.Error()) // cannot happen: the length is fixed
	}
	return s
}

// mulBase returns the base point times s, in constant time and without
// a table of the base point's multiples.
func mulBase(s *edwards25519.Scalar) *edwards25519.Point {
	return new(edwards25519.Point).ScalarMult(s, edwards25519.NewGeneratorPoint())
}
