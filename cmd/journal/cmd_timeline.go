package main

import (
	"io"

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
		Long: `Show every incident in the order it happened, with a summary above it: how
many and over what span; each person with their incidents, the first and the
last, and a note where two or more involve the same person (what a "course of
conduct" needs); the kinds of contact; a chart of incidents per month, so that
a rise shows; and every report made, with its reference.

Approximate times are marked "about"; amended incidents are marked; void
incidents are left out unless --include-void. The filters combine: an
incident must meet all of them.

--format markdown writes a document to paste or print, json the shape the
scripting contract fixes (incidents, summary, fingerprint), and csv one row
per incident for a spreadsheet.`,
		Example: `  journal timeline
  journal timeline --who "John Smith" --from 2026-09-01
  journal timeline --kind phone-call --search voicemail
  journal timeline --format markdown > timeline.md
  journal timeline --format json > timeline.json
  journal timeline --format csv > timeline.csv
  journal timeline --include-void`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTimeline(g, o)
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output `FORMAT`: text, markdown, json or csv")
	o.filters.register(cmd.Flags())
	return cmd
}

func runTimeline(g *globals, o timelineOptions) error {
	write, ok := timelineFormats[o.format]
	if !ok {
		return usageError("--format: unknown format %q: use text, markdown, json or csv", o.format)
	}
	q, err := o.filters.query(g.now())
	if err != nil {
		return err
	}
	sel, err := g.selection(q)
	if err != nil {
		return err
	}
	defer sel.Close()
	t, err := export.FromSelection(sel)
	if err != nil {
		return err
	}
	tty := g.outputScreen()
	if o.format == "text" {
		opts := textOptions(tty)
		write = func(w io.Writer, t *export.Timeline) error { return export.WriteTextWith(w, t, opts) }
	}
	return tty.Show(g.out, func(w io.Writer) error { return write(w, t) })
}

// timelineFormats are the renderers of --format.
var timelineFormats = map[string]func(io.Writer, *export.Timeline) error{
	"text":     export.WriteText,
	"markdown": export.WriteMarkdown,
	"json":     export.WriteJSON,
	"csv":      export.WriteCSV,
}
