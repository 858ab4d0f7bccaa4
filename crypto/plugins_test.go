package crypto

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/plugin"
)

// TestPluginRecipient wraps a journal key to the recipient of an age
// plugin and unwraps it with the plugin's identity, through the plugin
// protocol and a real plugin program (a test one, as a hardware key's
// would be).
func TestPluginRecipient(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the go command is needed to build the test plugin")
		}
		t.Skip("the go command is needed to build the test plugin, and is not on PATH")
	}
	bin := t.TempDir()
	out, err := exec.Command(goTool, "build", "-o", filepath.Join(bin, "age-plugin-journaltest"), "./internal/testplugin").CombinedOutput()
	if err != nil {
		t.Fatalf("building the test plugin: %v\n%s", err, out)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	k, _ := age.GenerateX25519Identity()
	recipient := plugin.EncodeRecipient("journaltest", []byte(k.Recipient().String()))
	identity := plugin.EncodeIdentity("journaltest", []byte(k.String()))
	if !IsPluginRecipient(recipient) {
		t.Fatalf("%s is not taken for a plugin's recipient", recipient)
	}
	if classic, err := ParseRecipient(recipient); err != nil || !classic {
		t.Errorf("ParseRecipient(plugin) = %v, %v; want classic", classic, err)
	}
	id, _ := Generate(false)
	wrapped, err := WrapTo(id, recipient)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := ParseIdentityFile(strings.NewReader("# a hardware key\n" + identity + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnwrapWith(wrapped, ids)
	if err != nil {
		t.Fatalf("unwrapping with the plugin's identity: %v", err)
	}
	if got.String() != id.String() {
		t.Fatal("the plugin unwrapped another key")
	}
	other, _ := age.GenerateX25519Identity()
	ids, _ = ParseIdentityFile(strings.NewReader(plugin.EncodeIdentity("journaltest", []byte(other.String()))))
	if _, err := UnwrapWith(wrapped, ids); err == nil {
		t.Fatal("another plugin identity unwrapped the key")
	}
}
