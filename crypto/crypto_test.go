package crypto

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func init() { TestUseLowScryptWorkFactor() }

func TestWrapUnwrap(t *testing.T) {
	for _, classic := range []bool{false, true} {
		id, err := Generate(classic)
		if err != nil {
			t.Fatal(err)
		}
		if id.Classic() != classic {
			t.Errorf("Generate(%v).Classic() = %v", classic, id.Classic())
		}
		wantPrefix := "age1pq1"
		if classic {
			wantPrefix = "age1"
		}
		if !strings.HasPrefix(id.Recipient(), wantPrefix) {
			t.Errorf("recipient %q, want prefix %q", id.Recipient()[:10], wantPrefix)
		}
		wrapped, err := Wrap(id, "correct horse")
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(wrapped, []byte(id.String())) {
			t.Fatal("wrapped identity holds the secret key in the clear")
		}
		got, err := Unwrap(wrapped, "correct horse")
		if err != nil {
			t.Fatalf("Unwrap with the right passphrase: %v", err)
		}
		if got.String() != id.String() {
			t.Error("Unwrap gave a different identity")
		}
		if _, err := Unwrap(wrapped, "wrong horse"); !errors.Is(err, ErrIncorrectPassphrase) {
			t.Errorf("Unwrap with a wrong passphrase = %v, want ErrIncorrectPassphrase", err)
		}
		wrapped[len(wrapped)-3] ^= 1
		if _, err := Unwrap(wrapped, "correct horse"); !errors.Is(err, ErrDamaged) {
			t.Errorf("Unwrap of a changed file = %v, want ErrDamaged", err)
		}
	}
	if _, err := Wrap(&Identity{}, ""); err == nil {
		t.Error("Wrap accepted an empty passphrase")
	}
}

func TestSealOpen(t *testing.T) {
	id, _ := Generate(false)
	other, _ := Generate(false)
	writer, err := NewSealer([]string{id.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	if writer.CanOpen() {
		t.Error("a sealer with only recipients says it can open")
	}
	ct, err := writer.Seal([]byte("he was waiting by my car"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ct, []byte("waiting")) {
		t.Fatal("ciphertext holds the plaintext")
	}
	if _, err := writer.Open(ct); err == nil {
		t.Error("a sealer without an identity opened a record")
	}
	reader, _ := NewSealer([]string{id.Recipient()}, id)
	pt, err := reader.Open(ct)
	if err != nil || string(pt) != "he was waiting by my car" {
		t.Errorf("Open = %q, %v", pt, err)
	}
	stranger, _ := NewSealer(nil, other)
	if _, err := stranger.Open(ct); !errors.Is(err, ErrWrongIdentity) {
		t.Errorf("Open with another identity = %v, want ErrWrongIdentity", err)
	}
	for _, i := range []int{len(ct) - 1, len(ct) / 2, 40} {
		bad := bytes.Clone(ct)
		bad[i] ^= 1
		if _, err := reader.Open(bad); err == nil {
			t.Errorf("Open of a ciphertext changed at byte %d succeeded", i)
		}
	}
}

func TestParseIdentityFile(t *testing.T) {
	id, _ := Generate(true)
	file := "# created: today\n# public key: " + id.Recipient() + "\n\n" + id.String() + "\n"
	ids, err := ParseIdentityFile(strings.NewReader(file))
	if err != nil || len(ids) != 1 || ids[0].Recipient() != id.Recipient() {
		t.Fatalf("ParseIdentityFile = %v, %v", ids, err)
	}
	for _, bad := range []string{"", "# only a comment\n", "hello\n", "AGE-SECRET-KEY-1XYZ\n"} {
		if _, err := ParseIdentityFile(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseIdentityFile(%q) succeeded", bad)
		}
	}
}

func TestParseRecipient(t *testing.T) {
	pq, _ := Generate(false)
	cl, _ := Generate(true)
	tests := []struct {
		in      string
		classic bool
		ok      bool
	}{
		{pq.Recipient(), false, true},
		{cl.Recipient(), true, true},
		{"age1notarecipient", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		classic, err := ParseRecipient(tt.in)
		if (err == nil) != tt.ok || (tt.ok && classic != tt.classic) {
			t.Errorf("ParseRecipient(%.20q) = %v, %v; want classic %v, ok %v", tt.in, classic, err, tt.classic, tt.ok)
		}
	}
}
