// Command testplugin is an age plugin for tests, built as
// age-plugin-journaltest: its recipients and identities carry a native
// X25519 recipient or identity, so that tests exercise the plugin protocol
// (the program run, the stanzas passed) as a hardware key's plugin would,
// without the hardware.
package main

import (
	"os"

	"filippo.io/age"
	"filippo.io/age/plugin"
)

func main() {
	p, err := plugin.New("journaltest")
	if err != nil {
		os.Exit(1)
	}
	p.HandleRecipient(func(data []byte) (age.Recipient, error) {
		return age.ParseX25519Recipient(string(data))
	})
	p.HandleIdentity(func(data []byte) (age.Identity, error) {
		return age.ParseX25519Identity(string(data))
	})
	os.Exit(p.Main())
}
