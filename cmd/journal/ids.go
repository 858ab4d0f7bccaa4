package main

import (
	"slices"
	"strings"

	"github.com/journal-dev/journal/journal"
	"github.com/spf13/cobra"
)

// maxIDs bounds how many incidents one command may name, so that a slip
// such as "1-1000000" is refused rather than read.
const maxIDs = 10000

// parseIDs reads the incidents a command is given: numbers and ranges,
// as separate arguments or joined by commas ("3 7 15-25", "3,7,15-25").
// They come back sorted, each once.
func parseIDs(args []string) ([]uint64, error) {
	var ids []uint64
	for _, arg := range args {
		for part := range strings.SplitSeq(arg, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			lo, hi, isRange := strings.Cut(strings.ReplaceAll(part, "–", "-"), "-")
			first, err := parseID(strings.TrimSpace(lo))
			if err != nil {
				return nil, err
			}
			last := first
			if isRange {
				if last, err = parseID(strings.TrimSpace(hi)); err != nil {
					return nil, err
				}
				if last < first {
					return nil, usageError("%q runs backwards: write the lower number first, like %d-%d", part, last, first)
				}
			}
			if last-first >= maxIDs || len(ids)+int(last-first) >= maxIDs {
				return nil, usageError("%q names more than %s", part, countNoun(maxIDs, "incident"))
			}
			for id := first; id <= last; id++ {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return nil, usageError("give the incident numbers 'journal timeline' shows, like 12 or 15-25")
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// idText writes incident numbers as a person reads them, runs of three or
// more joined: "3, 7 and 15-25".
func idText(ids []uint64) string {
	var parts []string
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, journal.IncidentRef(ids[i])+"-"+journal.IncidentRef(ids[j]))
			i = j + 1
			continue
		}
		parts = append(parts, journal.IncidentRef(ids[i]))
		i++
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// incidentsText says "incident 3" or "incidents 3, 7 and 15-25".
func incidentsText(ids []uint64) string {
	if len(ids) == 1 {
		return "incident " + idText(ids)
	}
	return "incidents " + idText(ids)
}

// minArgs requires at least n arguments.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usageError("%s needs %s: see '%s --help'", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}
