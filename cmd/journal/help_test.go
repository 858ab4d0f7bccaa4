package main

import (
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestEveryCommandHasHelp checks that every command a person can run has a
// short description and examples, that at least one example runs the
// command, and that every example of journal is a command line journal
// accepts: the command exists and its flags parse.
func TestEveryCommandHasHelp(t *testing.T) {
	root := newRootCommand(&globals{streams: &streams{in: strings.NewReader(""), out: io.Discard, err: io.Discard}})
	root.InitDefaultHelpFlag()
	root.InitDefaultVersionFlag()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() && sub.Name() != "completion" {
				walk(sub)
			}
		}
		path := c.CommandPath()
		if c.Short == "" {
			t.Errorf("%s has no short description", path)
		}
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s --help has no examples", path)
			return
		}
		runsItself := false
		for _, line := range exampleLines(c.Example) {
			args, ok := shellWords(line)
			if !ok || len(args) == 0 {
				t.Errorf("%s: example %q cannot be read as a command line", path, line)
				continue
			}
			if args[0] != "journal" {
				continue // another program, such as sha256sum to compare
			}
			cmd, rest, err := root.Find(args[1:])
			if err != nil {
				t.Errorf("%s: example %q: %v", path, line, err)
				continue
			}
			runsItself = runsItself || cmd == c
			if err := cmd.ParseFlags(rest); err != nil {
				t.Errorf("%s: example %q: %v", path, line, err)
			}
			cmd.Flags().VisitAll(func(f *pflag.Flag) { f.Changed = false })
		}
		if !runsItself && !c.HasSubCommands() {
			t.Errorf("%s: no example runs %s itself", path, path)
		}
	}
	walk(root)
}

// TestFlagsNameTheirValue checks that --help names what a flag takes in
// words (FILE, TEXT, FORMAT), never by its Go type ("--note string"),
// which means nothing to a person reading the help.
func TestFlagsNameTheirValue(t *testing.T) {
	root := newRootCommand(&globals{streams: &streams{in: strings.NewReader(""), out: io.Discard, err: io.Discard}})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden {
			return // the agent's own re-exec, never typed by a person
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			name, _ := pflag.UnquoteUsage(f)
			switch name {
			case "string", "strings", "stringArray", "int", "uint", "int64", "uint64", "float64", "duration":
				t.Errorf("%s --%s shows its value as %q in --help: name it in the usage, like `FILE` or `TEXT`", c.CommandPath(), f.Name, name)
			}
		})
	}
	walk(root)
}

// exampleLines joins an Example's continued lines and drops comments.
func exampleLines(example string) []string {
	var out []string
	cur := ""
	for line := range strings.SplitSeq(example, "\n") {
		line = strings.TrimSpace(line)
		if cont, ok := strings.CutSuffix(line, "\\"); ok {
			cur += cont + " "
			continue
		}
		cur += line
		if strings.HasPrefix(cur, "#") {
			cur = "" // a comment explains; it is not run
			continue
		}
		if strings.TrimSpace(cur) != "" {
			out = append(out, strings.TrimSpace(cur))
		}
		cur = ""
	}
	return out
}

// shellWords splits a command line as sh would, for the simple lines of
// examples: quotes, leading VAR=value assignments, and everything from a
// comment, pipe or redirection on dropped.
func shellWords(line string) ([]string, bool) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case (r == '#' && !inWord) || r == '|' || r == '>' || r == '<' || r == ';' || r == '&':
			goto done
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, false
	}
done:
	if inWord {
		words = append(words, cur.String())
	}
	for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
		words = words[1:]
	}
	return words, true
}
