package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/journal"
)

type disclosuresOptions struct {
	format string
}

func newDisclosuresCommand(g *globals) *cobra.Command {
	var o disclosuresOptions
	cmd := &cobra.Command{
		Use:   "disclosures",
		Short: "List every report exported from the journal: when, for whom, and its SHA-256",
		Long: `List every report exported from the journal, earliest first: when it was
made, its format, who it was for, how many incidents it held, whether it was
redacted or encrypted, and the SHA-256 of the file written, so that a file
someone holds can be matched to its record.`,
		Example: `  journal disclosures
  journal disclosures --format json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDisclosures(g, o)
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
	return cmd
}

func runDisclosures(g *globals, o disclosuresOptions) error {
	if o.format != "text" && o.format != "json" {
		return usageError("--format: unknown format %q: use text or json", o.format)
	}
	st, err := g.load()
	if err != nil {
		return err
	}
	if o.format == "json" {
		out := struct {
			Disclosures []journal.DisclosureEntry `json:"disclosures"`
		}{Disclosures: st.Disclosures}
		if out.Disclosures == nil {
			out.Disclosures = []journal.DisclosureEntry{}
		}
		enc := json.NewEncoder(g.out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(st.Disclosures) == 0 {
		fmt.Fprintln(g.err, "No reports have been exported from this journal.")
		return nil
	}
	for i, d := range st.Disclosures {
		if i > 0 {
			fmt.Fprintln(g.out)
		}
		marks := []string{strings.ToUpper(d.Format), countNoun(d.Incidents.Len(), "incident")}
		if d.Redacted {
			marks = append(marks, "redacted")
		}
		if d.Encrypted {
			marks = append(marks, "encrypted")
		}
		fmt.Fprintf(g.out, "%s  for %s: %s\n", d.RecordedAt.Format("Mon 2 Jan 2006 15:04"),
			cmp.Or(d.For, "(no one stated)"), strings.Join(marks, ", "))
		if len(d.Filters) > 0 {
			fmt.Fprintf(g.out, "  filters:     %s\n", strings.Join(d.Filters, " "))
		}
		fmt.Fprintf(g.out, "  sha256:      %s\n", d.SHA256)
		fmt.Fprintf(g.out, "  fingerprint: %s\n", d.Fingerprint)
	}
	return nil
}
