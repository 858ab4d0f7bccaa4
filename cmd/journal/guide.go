package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// guideCommands are the commands 'journal' alone names, in the order a
// person meets them, each with a few words. Those not built into this
// binary are left out.
var guideCommands = []struct{ use, what string }{
	{"init", "create your journal and choose its passphrase (once)"},
	{"add", "record an incident, as soon after it as you can"},
	{"timeline", "every incident in the order it happened"},
	{"show ID", "one incident in full, with its history"},
	{"export", "a report to hand over: PDF, Markdown, JSON or CSV"},
	{"verify", "check that nothing was changed; print the fingerprint"},
}

// runGuide prints a short guide for someone who typed 'journal' alone:
// where the journal is (or that there is none yet), the few commands that
// matter, and where the rest is explained.
func runGuide(g *globals, root *cobra.Command) error {
	w := g.out
	fmt.Fprintln(w, "journal keeps an encrypted, append-only record of incidents: calls,")
	fmt.Fprintln(w, "messages, visits, abuse, each written down as soon after it as you can.")
	fmt.Fprintln(w)
	exists := false
	if path, err := g.path(); err == nil {
		if _, err := os.Stat(path); err == nil {
			exists = true
			fmt.Fprintf(w, "Your journal is kept at\n  %s\n", path)
		} else {
			fmt.Fprintf(w, "There is no journal yet: start with 'journal init'. It will be kept at\n  %s\n", path)
		}
		fmt.Fprintln(w)
	}
	for _, gc := range guideCommands {
		name, _, _ := strings.Cut(gc.use, " ")
		if c, _, err := root.Find([]string{name}); err != nil || c == root {
			continue
		}
		if name == "init" && exists {
			// Done once, and done.
			continue
		}
		fmt.Fprintf(w, "  journal %-9s %s\n", gc.use, gc.what)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "'journal help' lists every command; 'journal help add' explains one.")
	return nil
}
