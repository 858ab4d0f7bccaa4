package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/internal/manpage"
)

type manOptions struct {
	dir string
}

func newManCommand(g *globals) *cobra.Command {
	var o manOptions
	cmd := &cobra.Command{
		Use:   "man [COMMAND...]",
		Short: "Print the manual page of journal or of one command, or write them all to a folder",
		Long: `Print the manual page of journal, or of one of its commands, in the
troff format that man reads; or, with --dir, write a page for every command
into a folder, named journal.1, journal-add.1 and so on.

The pages are the same text as --help. They carry the date of the commit
journal was built from (or of SOURCE_DATE_EPOCH, when set), never today's
date, so building them twice gives the same files.`,
		Example: `  journal man | man -l -
  journal man add | man -l -
  journal man --dir ~/.local/share/man/man1     # then: man journal-add`,
		Args: cobra.ArbitraryArgs,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			parent, _, err := cmd.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, c := range parent.Commands() {
				if c.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(c.Name(), c.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMan(g, cmd.Root(), o, args)
		},
	}
	cmd.Flags().StringVar(&o.dir, "dir", "", "write a page for every command into `DIR` instead of printing one")
	return cmd
}

func runMan(g *globals, root *cobra.Command, o manOptions, args []string) error {
	date, err := manDate()
	if err != nil {
		return err
	}
	header := manpage.Header{Section: "1", Date: date, Source: "journal " + readBuildInfo().version, Manual: "journal manual"}
	if o.dir == "" {
		cmd, rest, err := root.Find(args)
		if err != nil || len(rest) > 0 {
			return withHint(fmt.Errorf("there is no command %q", strings.Join(args, " ")), exitUsage, "see 'journal help' for the list")
		}
		_, err = g.out.Write(manpage.Page(cmd, header))
		return err
	}
	if len(args) > 0 {
		return usageError("give either a command or --dir, not both")
	}
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return fmt.Errorf("cannot make the folder for the manual pages: %w", err)
	}
	n := 0
	var walk func(c *cobra.Command) error
	walk = func(c *cobra.Command) error {
		if c != root && (!c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand()) {
			return nil // hidden, deprecated, or cobra's help
		}
		name := manpage.FileName(c, header)
		if err := os.WriteFile(filepath.Join(o.dir, name), manpage.Page(c, header), 0o644); err != nil {
			return fmt.Errorf("cannot write the manual page: %w", err)
		}
		n++
		for _, sub := range c.Commands() {
			if err := walk(sub); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root); err != nil {
		return err
	}
	fmt.Fprintf(g.err, "Wrote %d manual pages to %s.\n", n, o.dir)
	return nil
}

// manDate is the date printed on the manual pages: SOURCE_DATE_EPOCH when
// set, as reproducible builds ask; otherwise the time of the commit the
// binary was built from; otherwise none (the zero time), so that a page
// is the same every time.
func manDate() (time.Time, error) {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, withHint(errors.New("SOURCE_DATE_EPOCH is not a number of seconds"), exitUsage, "unset it, or set it to a Unix time such as 1764000000")
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	return readBuildInfo().time.UTC(), nil
}
