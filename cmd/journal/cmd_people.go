package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/export"
	"github.com/journal-dev/journal/journal"
)

type peopleOptions struct {
	format      string
	includeVoid bool
}

func newPeopleCommand(g *globals) *cobra.Command {
	var o peopleOptions
	cmd := &cobra.Command{
		Use:   "people",
		Short: "List the people in the journal, with how many incidents and when",
		Long: `List everyone named in an incident: their relation to you, how many
incidents involve them, and the dates of the first and the last. Names are
matched without regard to case, so "john smith" and "John Smith" are one
person. Void incidents are not counted unless --include-void.`,
		Example: `  journal people
  journal people --format json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPeople(g, o)
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
	cmd.Flags().BoolVar(&o.includeVoid, "include-void", false, "count void incidents too")
	return cmd
}

func runPeople(g *globals, o peopleOptions) error {
	if o.format != "text" && o.format != "json" {
		return usageError("--format: unknown format %q: use text or json", o.format)
	}
	// The incidents are counted one at a time, as the selection reads
	// them, not held all at once (140 MB at 100,000).
	sel, err := g.selection(journal.Query{IncludeVoid: o.includeVoid})
	if err != nil {
		return err
	}
	defer sel.Close()
	var z journal.Summarizer
	if err := sel.Each(func(in *journal.Incident) error { z.Add(in); return nil }); err != nil {
		return err
	}
	people := z.Summary().People
	if o.format == "json" {
		enc := json.NewEncoder(g.out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			People []journal.PersonCount `json:"people"`
		}{people})
	}
	if len(people) == 0 {
		fmt.Fprintln(g.err, "No one is named in the journal yet.")
		return nil
	}
	tw := tabwriter.NewWriter(g.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tRELATION\tINCIDENTS\tFIRST\tLAST")
	for _, p := range people {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", export.Printable(p.Name), export.Printable(p.Relation), p.Count, p.First.Format("2006-01-02"), p.Last.Format("2006-01-02"))
	}
	return tw.Flush()
}
