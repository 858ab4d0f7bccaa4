package main

import (
	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/export"
)

type timelineOptions struct {
	format  string
	filters filterFlags
}

func newTimelineCommand(g *globals) *cobra.Command {
	var o timelineOptions
	cmd := &cobra.Command{
		Use:   "timeline",
		Short: "Show every incident in the order it happened, with a summary",
		Long: `Show every incident in the order it happened, with a summary of how many,
since when, and who. Void incidents are left out unless --include-void.`,
		Example: `  journal timeline
  journal timeline --format json > timeline.json
  journal timeline --include-void`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTimeline(g, o)
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output format: text or json")
	o.filters.register(cmd.Flags())
	return cmd
}

func runTimeline(g *globals, o timelineOptions) error {
	if o.format != "text" && o.format != "json" {
		return usageError("--format: unknown format %q: use text or json", o.format)
	}
	q, err := o.filters.query(g.now())
	if err != nil {
		return err
	}
	st, err := g.load()
	if err != nil {
		return err
	}
	t := export.NewTimeline(st.Select(q), st.Fingerprint)
	if o.format == "json" {
		return export.WriteJSON(g.out, t)
	}
	return export.WriteText(g.out, t)
}
