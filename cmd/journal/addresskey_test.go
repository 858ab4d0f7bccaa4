package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"testing"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// The attacker who can write the sync folder swaps the recipient in a
// computer's request to join, so that the approving computer would seal
// the evidence address key to the attacker: the request no longer checks,
// and is not approved.
func TestJoinRequestRecipientCannotBeSwapped(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	mine, _ := crypto.Generate(false)
	theirs, _ := crypto.Generate(false)
	r := joinRequest{Journal: "00ff", Key: journal.DeviceName(pub), Name: "work PC", Recipient: mine.Recipient()}
	r.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, r.signed()))
	if !r.checkSignature(pub) {
		t.Fatal("the computer's own request does not check")
	}
	swapped := r
	swapped.Recipient = theirs.Recipient()
	if swapped.checkSignature(pub) {
		t.Fatal("a request whose recipient was swapped checks")
	}
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	if r.checkSignature(other) {
		t.Fatal("a request checks against another device's key")
	}
}

// What approval seals opens only with the identity made at join.
func TestGrantOpensOnlyForItsComputer(t *testing.T) {
	id, _ := crypto.Generate(false)
	other, _ := crypto.Generate(false)
	key := bytes.Repeat([]byte{7}, 32)
	sealed, err := sealGrant(key, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	got, err := openGrant(id.String(), sealed)
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("openGrant = %x, %v; want %x", got, err, key)
	}
	if _, err := openGrant(other.String(), sealed); err == nil {
		t.Fatal("another identity opened the grant")
	}
}
