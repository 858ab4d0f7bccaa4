package edkey

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"testing"
)

// withoutTable runs f as the first operations of a process: on the path
// that builds no table.
func withoutTable(f func()) {
	signed.Store(0)
	verified.Store(0)
	f()
}

// TestSameAsCryptoEd25519 holds keys, signatures and checks to
// crypto/ed25519's, before and after the switch to its tables.
func TestSameAsCryptoEd25519(t *testing.T) {
	signed.Store(0)
	verified.Store(0)
	for i := range 3 * (signWithoutTable + verifyWithoutTable) {
		seed := sha256.Sum256([]byte(fmt.Sprint("seed ", i)))
		want := ed25519.NewKeyFromSeed(seed[:])
		priv := NewKeyFromSeed(seed[:])
		if !bytes.Equal(priv, want) {
			t.Fatalf("key %d = %x, want %x", i, priv, want)
		}
		msg := []byte(fmt.Sprint("message ", i))
		sig := Sign(priv, msg)
		if wantSig := ed25519.Sign(want, msg); !bytes.Equal(sig, wantSig) {
			t.Fatalf("signature %d (the %d-th of the process) = %x, want %x", i, signed.Load(), sig, wantSig)
		}
		if !Verify(priv.Public().(ed25519.PublicKey), msg, sig) {
			t.Fatalf("signature %d refused (check %d of the process)", i, verified.Load())
		}
		msg[0] ^= 1
		if Verify(priv.Public().(ed25519.PublicKey), msg, sig) {
			t.Fatalf("signature %d accepted for another message (check %d of the process)", i, verified.Load())
		}
	}
	if signed.Load() <= signWithoutTable || verified.Load() <= verifyWithoutTable {
		t.Fatalf("only %d signatures and %d checks: the tables were never used", signed.Load(), verified.Load())
	}
}

// TestVerifyRefusesWhatCryptoEd25519Refuses: an S not below the group
// order, a public key that is no point, a short signature.
func TestVerifyRefusesWhatCryptoEd25519Refuses(t *testing.T) {
	seed := sha256.Sum256([]byte("refusals"))
	priv := ed25519.NewKeyFromSeed(seed[:])
	pub := priv.Public().(ed25519.PublicKey)
	msg := []byte("message")
	sig := ed25519.Sign(priv, msg)
	// S + L, the same scalar modulo L: a malleated signature.
	l := []byte{0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}
	malleated := bytes.Clone(sig)
	carry := 0
	for i := range 32 {
		v := int(sig[32+i]) + int(l[i]) + carry
		malleated[32+i], carry = byte(v), v>>8
	}
	noPoint := bytes.Repeat([]byte{0xff}, 32)
	noPoint[31] = 0x7f
	cases := []struct {
		name     string
		pub, sig []byte
	}{
		{"malleated S", pub, malleated},
		{"not a point", noPoint, sig},
		{"short", pub, sig[:63]},
		{"high bits of S", pub, append(bytes.Clone(sig[:63]), sig[63]|0x80)},
	}
	for _, c := range cases {
		withoutTable(func() {
			if got, want := Verify(c.pub, msg, c.sig), ed25519.Verify(c.pub, msg, c.sig); got != want || got {
				t.Errorf("%s: Verify = %v, crypto/ed25519 says %v", c.name, got, want)
			}
		})
	}
}

// FuzzSameAsCryptoEd25519 holds the table-free path to crypto/ed25519 for
// any seed, message and signature.
func FuzzSameAsCryptoEd25519(f *testing.F) {
	f.Add(make([]byte, 32), []byte("message"), []byte{})
	f.Add(bytes.Repeat([]byte{0xff}, 32), []byte{}, make([]byte, 64))
	f.Fuzz(func(t *testing.T, seed, msg, other []byte) {
		if len(seed) != ed25519.SeedSize {
			return
		}
		want := ed25519.NewKeyFromSeed(seed)
		withoutTable(func() {
			priv := NewKeyFromSeed(seed)
			if !bytes.Equal(priv, want) {
				t.Fatalf("NewKeyFromSeed(%x) = %x, want %x", seed, priv, want)
			}
			if sig, wantSig := Sign(priv, msg), ed25519.Sign(want, msg); !bytes.Equal(sig, wantSig) {
				t.Fatalf("Sign = %x, want %x", sig, wantSig)
			}
		})
		pub := want.Public().(ed25519.PublicKey)
		sig := ed25519.Sign(want, msg)
		forged := bytes.Clone(sig)
		copy(forged, other)
		for _, s := range [][]byte{sig, forged, other} {
			withoutTable(func() {
				if got, want := Verify(pub, msg, s), ed25519.Verify(pub, msg, s); got != want {
					t.Fatalf("Verify(%x) = %v, crypto/ed25519 says %v", s, got, want)
				}
			})
		}
		if len(other) == ed25519.PublicKeySize {
			withoutTable(func() {
				if got, want := Verify(other, msg, sig), ed25519.Verify(other, msg, sig); got != want {
					t.Fatalf("Verify with public key %x = %v, crypto/ed25519 says %v", other, got, want)
				}
			})
		}
	})
}

// BenchmarkSign is one signature made without the table. crypto/ed25519
// builds its table (about 1 ms, the first time in a process) and then
// signs in BenchmarkSignWithTable's time: signWithoutTable is about where
// the table pays off.
func BenchmarkSign(b *testing.B) {
	priv := NewKeyFromSeed(make([]byte, 32))
	msg := make([]byte, 200)
	for b.Loop() {
		withoutTable(func() { Sign(priv, msg) })
	}
}

func BenchmarkSignWithTable(b *testing.B) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	msg := make([]byte, 200)
	for b.Loop() {
		ed25519.Sign(priv, msg)
	}
}

// BenchmarkVerify is one check made without the table; crypto/ed25519's
// table costs about a quarter of a millisecond once.
func BenchmarkVerify(b *testing.B) {
	priv := NewKeyFromSeed(make([]byte, 32))
	pub := priv.Public().(ed25519.PublicKey)
	msg := make([]byte, 200)
	sig := Sign(priv, msg)
	for b.Loop() {
		withoutTable(func() { Verify(pub, msg, sig) })
	}
}

func BenchmarkVerifyWithTable(b *testing.B) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	pub := priv.Public().(ed25519.PublicKey)
	msg := make([]byte, 200)
	sig := ed25519.Sign(priv, msg)
	for b.Loop() {
		ed25519.Verify(pub, msg, sig)
	}
}
