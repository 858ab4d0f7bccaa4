package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/journal-dev/journal/journal"
)

// fileFlags are the flags whose value is a path: the shell completes file
// names for them. Every other flag that takes a value completes the values
// registered below, or nothing, never file names.
var fileFlags = []string{
	"file", "passphrase-file", "identity", "details-file", "attach",
	"output", "dir", "import",
}

// fileArgCommands are the commands whose arguments are files (after the
// incident number, for attach). The arguments of every other command are
// completed by the command itself, or not at all.
var fileArgCommands = []string{"attach", "import", "backup"}

// knownFormats are the words a --format flag's help may name.
var knownFormats = []string{"text", "markdown", "json", "csv", "pdf"}

// formatsIn returns the formats named in a --format flag's help, in the
// order they appear, so that each command completes the formats it takes.
func formatsIn(usage string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(usage, func(r rune) bool { return r < 'a' || r > 'z' }) {
		if slices.Contains(knownFormats, w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// setupCompletion adds the completion command, with our own words.
func setupCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.Short = "Print the script that makes Tab complete journal's commands in bash, zsh or fish"
		c.Long = `Print the script that makes Tab complete journal's commands and flags in
your shell, and the values from a fixed list: kinds of contact, severities,
and each command's output formats. Save it where your shell looks, once;
each shell's own help below says where, and how to load it for one session.`
		c.Example = `  journal completion bash > ~/.local/share/bash-completion/completions/journal
  journal completion zsh > ~/.zfunc/_journal
  journal completion fish > ~/.config/fish/completions/journal.fish
  source <(journal completion bash)      # this shell only`
		// Without this, a shell it does not know prints the help and exits 0.
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("%q is not a shell journal completes: use bash, zsh, fish or powershell", args[0])
			}
			return cmd.Help()
		}
	}
}

// isCompletionRequest reports whether args are the shell asking what to
// complete (cobra's hidden __complete commands).
func isCompletionRequest(args []string) bool {
	return len(args) > 0 && strings.HasPrefix(args[0], "__complete")
}

// registerCompletions registers, once the command tree is built, what the
// shell completes for each flag value and argument, by flag name:
// --kind the kinds of contact, --severity the severities, --format the
// formats each command takes, --who and free text nothing. A completion a
// command registered itself is kept. It is done only when the shell asks:
// walking every flag of every command would slow every other command's
// start.
func registerCompletions(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if _, ok := c.GetFlagCompletionFunc(f.Name); ok {
				return
			}
			if f.NoOptDefVal != "" || slices.Contains(fileFlags, f.Name) {
				return // a switch, or a path
			}
			_ = c.RegisterFlagCompletionFunc(f.Name, flagCompletion(f))
		})
		if c.ValidArgsFunction == nil && len(c.ValidArgs) == 0 && c.Runnable() {
			switch {
			case c.Name() == "attach":
				c.ValidArgsFunction = completeAttachArgs
			case !slices.Contains(fileArgCommands, c.Name()):
				c.ValidArgsFunction = cobra.NoFileCompletions
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// completeAttachArgs completes nothing for the incident number, then file
// names.
func completeAttachArgs(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveDefault
}

// flagCompletion returns what the shell offers for a flag's value.
func flagCompletion(f *pflag.Flag) cobra.CompletionFunc {
	switch f.Name {
	case "kind":
		return completeFrom(journal.Kinds)
	case "severity":
		return completeFrom(journal.Severities)
	case "format":
		return completeFrom(formatsIn(f.Usage))
	}
	return cobra.NoFileCompletions
}

// completeFrom offers the choices that begin with what was typed.
func completeFrom(choices []string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, c := range choices {
			if strings.HasPrefix(c, strings.ToLower(toComplete)) {
				out = append(out, c)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
