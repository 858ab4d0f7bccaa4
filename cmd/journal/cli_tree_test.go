package main

import (
	"bytes"
	"strings"
	"testing"
)

// The table of commands names each command as the command itself does.
func TestSubcommandsAreNamedAsTheirCommands(t *testing.T) {
	g := &globals{streams: &streams{in: strings.NewReader("")}}
	for _, c := range subcommands {
		if got := c.make(g).Name(); got != c.name {
			t.Errorf("subcommands lists %q for the command named %q", c.name, got)
		}
	}
}

// A command run with only itself built under the root says exactly what
// it says in the whole tree: its help (usage, flags, global flags), a
// wrong flag, and the version.
func TestPrunedTreeSaysWhatTheWholeTreeSays(t *testing.T) {
	var cases [][]string
	for _, c := range subcommands {
		cases = append(cases, []string{c.name, "--help"}, []string{c.name, "--no-such-flag"})
	}
	cases = append(cases, []string{"--version"}, []string{"-v"}, []string{"key", "export", "--help"})
	for _, args := range cases {
		run := func(whole bool) string {
			var out bytes.Buffer
			g := &globals{streams: &streams{in: strings.NewReader(""), out: &out, err: &out}, now: clock}
			root := newRootFor(g, args)
			if whole {
				root = newRootCommand(g)
			}
			root.SetArgs(args)
			root.SetOut(&out)
			root.SetErr(&out)
			err := root.Execute()
			if err != nil {
				out.WriteString("error: " + err.Error())
			}
			return out.String()
		}
		if pruned, whole := run(false), run(true); pruned != whole {
			t.Errorf("journal %s: with only its command built it says\n%s\nwith the whole tree\n%s", strings.Join(args, " "), pruned, whole)
		}
	}
}
