package main

// jrnl (https://jrnl.sh) is the journal people compare us with. For the
// benchmark, the same incidents are written as an encrypted jrnl 4
// journal: the whole text, each entry "[date] title" then its body, as
// one Fernet token whose key is derived from the password with
// PBKDF2-SHA256 (100,000 rounds, jrnl's fixed salt), which is what jrnl's
// Jrnlv2Encryption reads.

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"os"
	"strings"
	"time"
)

// jrnlSalt is jrnl's own, fixed salt.
var jrnlSalt = []byte("\xf2\xd5q\x0e\xc1\x8d.\xde\xdc\x8e6t\x89\x04\xce\xf8")

func printJrnl(n int, seed uint64, password string) error {
	if password == "" {
		return fmt.Errorf("-jrnl needs -password")
	}
	var text strings.Builder
	for i, f := range incidents(n, seed) {
		if i > 0 {
			text.WriteString("\n")
		}
		// jrnl's default time format, "%F %r".
		fmt.Fprintf(&text, "[%s] %s.\n", f.OccurredAt.Local().Format("2006-01-02 03:04:05 PM"), f.Summary)
		var who []string
		for _, p := range f.People {
			who = append(who, "@"+strings.ReplaceAll(p.Name, " ", ""))
		}
		fmt.Fprintf(&text, "At %s. %s %s", f.Place, strings.Join(who, " "), f.Details)
		if f.Words != "" {
			fmt.Fprintf(&text, " Words used: %q", f.Words)
		}
		fmt.Fprintf(&text, " %s\n", f.Impact)
	}
	token, err := fernet(password, []byte(text.String()))
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(token)
	return err
}

// fernet encrypts plaintext as a Fernet token (version 0x80, time, IV,
// AES-128-CBC with PKCS#7 padding, HMAC-SHA256), base64url.
func fernet(password string, plaintext []byte) ([]byte, error) {
	key, err := pbkdf2.Key(sha256.New, password, jrnlSalt, 100_000, 32)
	if err != nil {
		return nil, err
	}
	signing, encryption := key[:16], key[16:]
	block, err := aes.NewCipher(encryption)
	if err != nil {
		return nil, err
	}
	pad := aes.BlockSize - len(plaintext)%aes.BlockSize
	padded := append(plaintext, strings.Repeat(string(rune(pad)), pad)...)
	token := []byte{0x80}
	token = binary.BigEndian.AppendUint64(token, uint64(time.Now().Unix()))
	iv := make([]byte, aes.BlockSize)
	rand.Read(iv)
	token = append(token, iv...)
	ct := make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, padded)
	token = append(token, ct...)
	mac := hmac.New(sha256.New, signing)
	mac.Write(token)
	token = mac.Sum(token)
	return []byte(base64.URLEncoding.EncodeToString(token)), nil
}
