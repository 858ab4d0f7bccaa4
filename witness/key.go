package witness

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"golang.org/x/mod/sumdb/note"
)

func base32NoPad(b []byte) string {
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// Key is a witness's own signing key, kept in a 0600 file.
type Key struct {
	Name string
	priv ed25519.PrivateKey
}

// KeyName turns the name a person gives into a key name: spaces become
// underscores (a signed note's key names have none).
func KeyName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), "_")
	if name == "" || strings.ContainsAny(name, "+") || strings.ContainsFunc(name, unicode.IsControl) {
		return "", errors.New("give a name without '+', like \"Jane Roe, MDU\"")
	}
	return name, nil
}

// DisplayName is a key's name as the person wrote it: KeyName's
// underscores read as spaces again.
func DisplayName(keyName string) string { return strings.ReplaceAll(keyName, "_", " ") }

// KeyFingerprint is the readable form of a witness's public key given in
// its vkey form, as the journal records it: the same as
// [Key.Fingerprint] and [Cosignature.Fingerprint] give.
func KeyFingerprint(vkey string) string { return keyFingerprint(vkey) }

// Verifier is the key's public form (C2SP vkey, cosignature type 0x04).
func (k *Key) Verifier() string {
	pub := k.priv.Public().(ed25519.PublicKey)
	return fmt.Sprintf("%s+%08x+%s", k.Name, keyID(k.Name, pub), base64.StdEncoding.EncodeToString(append([]byte{0x04}, pub...)))
}

// Fingerprint is the readable form of the public key.
func (k *Key) Fingerprint() string { return keyFingerprint(k.Verifier()) }

// LoadKey reads the witness key in file path. With create set, a missing
// key is made for name (the file 0600, its folder 0700). A key that exists
// keeps its name: a different name is an error.
func LoadKey(path, name string, create bool) (k *Key, created bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		if name == "" {
			return nil, false, errors.New("no witness key yet: give your name with --name, as the journal's owner will see it")
		}
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, false, err
		}
		k = &Key{Name: name, priv: priv}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, false, fmt.Errorf("making the witness key's folder: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, false, fmt.Errorf("writing the witness key: %w", err)
		}
		_, err = fmt.Fprintf(f, "journal witness key\n%s\n%s\n", name, base64.StdEncoding.EncodeToString(priv.Seed()))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return nil, false, fmt.Errorf("writing the witness key: %w", err)
		}
		return k, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading the witness key: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 3 || lines[0] != "journal witness key" {
		return nil, false, fmt.Errorf("%s is not a witness key", path)
	}
	seed, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, false, fmt.Errorf("%s is not a witness key", path)
	}
	k = &Key{Name: lines[1], priv: ed25519.NewKeyFromSeed(seed)}
	if name != "" && name != k.Name {
		return nil, false, fmt.Errorf("your witness key is named %q, not %q: the name stays with the key", strings.ReplaceAll(k.Name, "_", " "), strings.ReplaceAll(name, "_", " "))
	}
	return k, false, nil
}

// cosigner signs a note as a witness at a time.
type cosigner struct {
	k *Key
	t uint64
}

func (c *cosigner) Name() string { return c.k.Name }
func (c *cosigner) KeyHash() uint32 {
	return keyID(c.k.Name, c.k.priv.Public().(ed25519.PublicKey))
}
func (c *cosigner) Sign(msg []byte) ([]byte, error) {
	sig := binary.BigEndian.AppendUint64(nil, c.t)
	return append(sig, ed25519.Sign(c.k.priv, cosignedMessage(string(msg), c.t))...), nil
}

// Cosign checks a checkpoint file and returns it witnessed by k at t.
func Cosign(file []byte, k *Key, t time.Time) (*Checkpoint, []byte, error) {
	if _, _, ok := cutTrailer(file); ok {
		return nil, nil, errors.New("it is already witnessed: give the checkpoint file the journal wrote")
	}
	c, n, err := open(file)
	if err != nil {
		return nil, nil, err
	}
	out, err := note.Sign(n, &cosigner{k: k, t: uint64(t.Unix())})
	if err != nil {
		return nil, nil, err
	}
	return c, append(out, []byte(trailer[1:]+k.Verifier()+"\n")...), nil
}
