package crypto

import (
	"fmt"
	"os"
	"strings"

	"filippo.io/age"
	"filippo.io/age/plugin"
)

// pluginUI talks to the person through the terminal when an age plugin
// (a hardware key: age-plugin-yubikey, age-plugin-se, ...) asks something:
// a PIN, a touch.
var pluginUI = plugin.NewTerminalUI(
	func(format string, v ...any) { fmt.Fprintf(os.Stderr, "journal: "+format+"\n", v...) },
	func(format string, v ...any) { fmt.Fprintf(os.Stderr, "journal: warning: "+format+"\n", v...) })

// parseRecipient reads one age recipient: native (age1..., age1pq1...,
// SSH keys) or, through filippo.io/age/plugin, one of a plugin
// (age1yubikey1..., age1se1..., any age1NAME1...), whose program
// age-plugin-NAME must then be installed.
func parseRecipient(s string) (age.Recipient, error) {
	s = strings.TrimSpace(s)
	if rs, err := age.ParseRecipients(strings.NewReader(s)); err == nil && len(rs) == 1 {
		return rs[0], nil
	}
	if _, _, err := plugin.ParseRecipient(s); err == nil {
		return plugin.NewRecipient(s, pluginUI)
	}
	return nil, ErrBadRecipient
}

// IsPluginRecipient reports whether s is the recipient of an age plugin.
func IsPluginRecipient(s string) bool {
	if _, err := age.ParseRecipients(strings.NewReader(s)); err == nil {
		return false
	}
	_, _, err := plugin.ParseRecipient(strings.TrimSpace(s))
	return err == nil
}

// parsePluginIdentity reads an identity of an age plugin
// (AGE-PLUGIN-NAME-1...), which runs age-plugin-NAME to unwrap.
func parsePluginIdentity(s string) (*Identity, error) {
	id, err := plugin.NewIdentity(s, pluginUI)
	if err != nil {
		return nil, err
	}
	return &Identity{id: id, secret: s}, nil
}
