package main

import (
	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/export"
	"github.com/journal-dev/journal/journal"
)

type showOptions struct {
	format string
}

func newShowCommand(g *globals) *cobra.Command {
	var o showOptions
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one incident in full, with its history",
		Long: `Show one incident in full: when it happened and when it was recorded,
where, who, what was said, witnesses, what you did and whom you told, the
impact, and its evidence files with their SHA-256. Below it comes its
history: every amendment with its reason and time, and the void, if it was
withdrawn; earlier versions stay readable.

ID is the number 'journal add' printed and 'journal timeline' shows. Reading
needs the passphrase.`,
		Example: `  journal show 12
  journal show 12 --format json
  journal show 12 --format json > incident-12.json`,
		Args: exactArgs(1, "an incident number"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runShow(g, o, args[0])
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
	return cmd
}

func runShow(g *globals, o showOptions, arg string) error {
	if o.format != "text" && o.format != "json" {
		return usageError("--format: unknown format %q: use text or json", o.format)
	}
	id, err := parseID(arg)
	if err != nil {
		return err
	}
	in, err := g.incident(id)
	if err != nil {
		return err
	}
	if o.format == "json" {
		return export.WriteIncidentJSON(g.out, in)
	}
	return export.WriteIncidentText(g.out, in)
}

// parseID reads an incident number.
func parseID(s string) (uint64, error) {
	id, err := journal.ParseIncidentRef(s)
	if err != nil {
		return 0, usageError("%q is not an incident number: give the number 'journal timeline' shows, like 12 or b7", s)
	}
	return id, nil
}

// incident reads incident id alone, from the cache where it can (a large
// journal is not read into memory for one incident), with its history.
func (g *globals) incident(id uint64) (*journal.Incident, error) {
	sel, err := g.selection(journal.Query{ID: id, IncludeVoid: true})
	if err != nil {
		return nil, err
	}
	defer sel.Close()
	all, err := sel.All()
	if err != nil {
		return nil, err
	}
	if len(all) != 1 {
		return nil, noIncident(id, sel.Total())
	}
	return all[0], nil
}

// findIncident returns incident id or an error that says how many there are.
func findIncident(st *journal.State, id uint64) (*journal.Incident, error) {
	in := st.Incident(id)
	if in == nil {
		return nil, noIncident(id, len(st.Incidents))
	}
	return in, nil
}

// noIncident says that there is no incident id in a journal of total.
func noIncident(id uint64, total int) error {
	return usageError("there is no incident %s (the journal has %d)", journal.IncidentRef(id), total)
}
