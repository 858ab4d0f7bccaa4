package edkey

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"
	"math/rand/v2"
	"testing"

	"filippo.io/edwards25519"
)

// TestManyKeysAndMessages holds the table-free path to crypto/ed25519 for
// a thousand keys, each with a message of another length (none to a few
// hundred bytes): the key, the signature, and the check of the signature,
// of another message, of a changed R and of a changed S.
func TestManyKeysAndMessages(t *testing.T) {
	src := rand.NewChaCha8([32]byte{'e', 'd', 'k', 'e', 'y'})
	rng := rand.New(src)
	for i := range 1000 {
		seed := make([]byte, ed25519.SeedSize)
		msg := make([]byte, i%300)
		src.Read(seed)
		src.Read(msg)
		want := ed25519.NewKeyFromSeed(seed)
		pub := want.Public().(ed25519.PublicKey)
		wantSig := ed25519.Sign(want, msg)
		withoutTable(func() {
			if priv := NewKeyFromSeed(seed); !bytes.Equal(priv, want) {
				t.Fatalf("key %d: NewKeyFromSeed(%x) = %x, want %x", i, seed, priv, want)
			}
			if sig := Sign(want, msg); !bytes.Equal(sig, wantSig) {
				t.Fatalf("key %d: Sign(%x) = %x, want %x", i, msg, sig, wantSig)
			}
		})
		other := append(bytes.Clone(msg), byte(i))
		badR, badS := bytes.Clone(wantSig), bytes.Clone(wantSig)
		badR[rng.IntN(32)] ^= 1 << rng.IntN(8)
		badS[32+rng.IntN(31)] ^= 1 << rng.IntN(8)
		for _, c := range []struct {
			name     string
			msg, sig []byte
		}{{"its signature", msg, wantSig}, {"another message", other, wantSig}, {"a changed R", msg, badR}, {"a changed S", msg, badS}} {
			sameVerify(t, c.name, pub, c.msg, c.sig)
		}
	}
}

// TestVerifyEdgeCasesSameAsCryptoEd25519 holds the table-free check to
// crypto/ed25519's where Ed25519 implementations are known to differ:
// public keys and R of small order, keys with a small-order part (whose
// signatures are accepted only for some messages without the cofactor),
// and encodings that are not canonical.
func TestVerifyEdgeCasesSameAsCryptoEd25519(t *testing.T) {
	rng := rand.NewChaCha8([32]byte{'e', 'd', 'g', 'e'})
	torsion := smallOrderPoints(t, rng)
	var accepted, refused int
	check := func(name string, pub, msg, sig []byte) {
		t.Helper()
		if sameVerify(t, name, pub, msg, sig) {
			accepted++
		} else {
			refused++
		}
	}
	// p + y for small y: encodings of points that are not canonical.
	nonCanonical := func(y byte, sign bool) []byte {
		b := bytes.Repeat([]byte{0xff}, 32)
		b[0], b[31] = 0xed+y, 0x7f
		if sign {
			b[31] |= 0x80
		}
		return b
	}
	var keys [][]byte
	for _, T := range torsion {
		keys = append(keys, T.Bytes())
		signFlipped := T.Bytes()
		signFlipped[31] ^= 0x80
		keys = append(keys, signFlipped)
	}
	for y := range byte(19) {
		keys = append(keys, nonCanonical(y, false), nonCanonical(y, true))
	}
	for i, key := range keys {
		msg := []byte{byte(i)}
		for _, T := range torsion {
			// S = 0 and R small order, and R = [S]B for a random S: the
			// signatures a small-order key may be accepted for.
			check("small-order key, S = 0", key, msg, append(T.Bytes(), make([]byte, 32)...))
			s := randomScalar(rng)
			R := new(edwards25519.Point).Add(new(edwards25519.Point).ScalarBaseMult(s), T)
			check("small-order key, R = [S]B + T", key, msg, append(R.Bytes(), s.Bytes()...))
			check("small-order key, R = [S]B", key, msg, append(new(edwards25519.Point).ScalarBaseMult(s).Bytes(), s.Bytes()...))
		}
	}
	// Keys A = [a]B + T: a signature made as usual is accepted without
	// the cofactor only when [k]T is the identity.
	for i := range 200 {
		a, r := randomScalar(rng), randomScalar(rng)
		T := torsion[i%len(torsion)]
		A := new(edwards25519.Point).Add(new(edwards25519.Point).ScalarBaseMult(a), T)
		R := new(edwards25519.Point).ScalarBaseMult(r)
		if i%3 == 0 {
			R.Add(R, torsion[(i/3)%len(torsion)])
		}
		msg := []byte{byte(i), byte(i >> 8)}
		h := sha512.New()
		h.Write(R.Bytes())
		h.Write(A.Bytes())
		h.Write(msg)
		k, _ := edwards25519.NewScalar().SetUniformBytes(h.Sum(nil))
		S := edwards25519.NewScalar().MultiplyAdd(k, a, r)
		check("key with a small-order part", A.Bytes(), msg, append(R.Bytes(), S.Bytes()...))
	}
	if accepted == 0 || refused == 0 {
		t.Fatalf("%d accepted and %d refused: the cases do not reach both answers", accepted, refused)
	}
}

// sameVerify fails t unless Verify, on its table-free path, answers as
// ed25519.Verify does; it returns the answer.
func sameVerify(t *testing.T, name string, pub, msg, sig []byte) bool {
	t.Helper()
	want := ed25519.Verify(pub, msg, sig)
	withoutTable(func() {
		if got := Verify(pub, msg, sig); got != want {
			t.Fatalf("%s: Verify(%x, %x, %x) = %v, crypto/ed25519 says %v", name, pub, msg, sig, got, want)
		}
	})
	return want
}

// smallOrderPoints returns the eight points of order dividing 8.
func smallOrderPoints(t *testing.T, rng *rand.ChaCha8) []*edwards25519.Point {
	t.Helper()
	eight, _ := edwards25519.NewScalar().SetCanonicalBytes(append([]byte{8}, make([]byte, 31)...))
	inv8 := edwards25519.NewScalar().Invert(eight)
	id := edwards25519.NewIdentityPoint()
	for range 1000 {
		b := make([]byte, 32)
		rng.Read(b)
		P, err := new(edwards25519.Point).SetBytes(b)
		if err != nil {
			continue
		}
		// P less its part in the prime-order group.
		prime := new(edwards25519.Point).ScalarMult(inv8, new(edwards25519.Point).MultByCofactor(P))
		T := new(edwards25519.Point).Subtract(P, prime)
		four := new(edwards25519.Point).Add(T, T)
		four.Add(four, four)
		if four.Equal(id) == 1 {
			continue // not of order 8
		}
		out := []*edwards25519.Point{edwards25519.NewIdentityPoint()}
		for range 7 {
			out = append(out, new(edwards25519.Point).Add(out[len(out)-1], T))
		}
		if new(edwards25519.Point).Add(out[7], T).Equal(id) != 1 {
			t.Fatal("a point of order 8 times 8 is not the identity")
		}
		return out
	}
	t.Fatal("no point of order 8 found")
	return nil
}

func randomScalar(rng *rand.ChaCha8) *edwards25519.Scalar {
	b := make([]byte, 64)
	rng.Read(b)
	s, _ := edwards25519.NewScalar().SetUniformBytes(b)
	return s
}
