package main

import (
	"slices"

	"github.com/spf13/cobra"
)

// helpGroups sort the commands of 'journal --help' by what a person wants
// to do, the way gh does. Commands not named here (help, completion, man,
// version) are listed after them as additional commands.
var helpGroups = []struct {
	id, title string
	commands  []string
}{
	{"record", "Recording incidents:", []string{"add", "amend", "void", "attach", "import"}},
	{"read", "Reading and handing over:", []string{"timeline", "show", "people", "evidence", "export", "disclosures"}},
	{"keep", "Setting up and keeping it safe:", []string{"init", "unlock", "lock", "verify", "checkpoint", "stamp", "witness", "backup", "compact", "repair", "passphrase", "rekey", "key", "upgrade"}},
	{"devices", "Several computers:", []string{"sync", "join", "devices", "device"}},
}

// groupCommands puts each command of root into its help group. A group
// with no command in this binary is left out.
func groupCommands(root *cobra.Command) {
	for _, grp := range helpGroups {
		var cmds []*cobra.Command
		for _, c := range root.Commands() {
			if slices.Contains(grp.commands, c.Name()) && c.GroupID == "" {
				cmds = append(cmds, c)
			}
		}
		if len(cmds) == 0 {
			continue
		}
		if !root.ContainsGroup(grp.id) {
			root.AddGroup(&cobra.Group{ID: grp.id, Title: grp.title})
		}
		for _, c := range cmds {
			c.GroupID = grp.id
		}
	}
	// Set before cobra adds its own, so that -v and --version say what
	// they print.
	root.Flags().BoolP("version", "v", false, "print the version and the commit journal was built from")
}
