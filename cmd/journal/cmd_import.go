package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

type importOptions struct {
	format string
}

func newImportCommand(g *globals) *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Bring in incidents from a JSON export or a CSV diary",
		Long: `Bring in incidents kept elsewhere: the JSON that 'journal timeline --format
json' writes (with each incident's amendments and void mark), or a diary
kept as CSV whose first row names its columns, in any order and any case:

  ` + journal.CSVColumns + `

In a CSV diary, dates are ISO (2026-11-24) or day first (24/11/2026); a row
without a time is marked approximate; lists (people, witnesses) are
separated by ";".

Imported incidents are marked as imported and keep the dates they claim;
the time they were recorded is the time of the import. Either every
incident is imported or none is: a bad row stops the import and names its
line. Importing does not need the passphrase. The new incidents' numbers are
printed on standard output.`,
		Example: `  journal import diary.csv
  journal import timeline.json
  journal timeline --format json | journal import --file other.db -`,
		Args: exactArgs(1, "a file to import (- for standard input)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(g, o, args[0])
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "", "json or csv (default: from the file's name or content)")
	return cmd
}

func runImport(g *globals, o importOptions, name string) error {
	if o.format != "" && o.format != "json" && o.format != "csv" {
		return usageError("--format: unknown format %q: use json or csv", o.format)
	}
	var r io.Reader = g.in
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return withHint(fmt.Errorf("cannot read %s: %w", name, err), exitUsage, "check the path")
		}
		defer f.Close()
		r = f
	}
	read := g.newProgress("Reading "+name, sizeOf(r), "")
	br := bufio.NewReader(read.Reader(r))
	format := o.format
	if format == "" {
		format = guessFormat(name, br)
	}
	now := g.now()
	var items []journal.Imported
	var err error
	if format == "json" {
		items, err = journal.ParseJSON(br)
	} else {
		items, err = journal.ParseCSV(br, now)
	}
	read.Done()
	if err != nil {
		return withHint(fmt.Errorf("%s: %w", name, err), exitUsage, "nothing was imported; correct it and import the file again")
	}
	m, err := g.readMeta()
	if err != nil {
		return err
	}
	sealer, err := crypto.NewSealer(m.Recipients)
	if err != nil {
		return err
	}
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	recs := journal.ImportRecords(items, now.Truncate(time.Second))
	seal := g.newProgress("Recording", int64(len(recs)), "records")
	err = s.Append(progressSealer{sealer, seal}, recs...)
	seal.Done()
	if err != nil {
		return err
	}
	var ids []uint64
	for _, r := range recs {
		if r.Type == journal.TypeIncident {
			ids = append(ids, r.Incident)
			fmt.Fprintln(g.out, r.Incident)
		}
	}
	fmt.Fprintf(g.err, "Imported %s from %s, marked as imported: numbers %d to %d.\n",
		plural(len(ids), "incident"), name, ids[0], ids[len(ids)-1])
	for i, im := range items {
		if len(im.Evidence) > 0 && format == "json" {
			fmt.Fprintf(g.err, "Incident %d had evidence files (%s): the JSON does not hold their bytes; add them with 'journal attach %d FILE'.\n",
				ids[i], strings.Join(im.Evidence, ", "), ids[i])
		}
	}
	return nil
}

// guessFormat reads the format from the file's name, then from its first
// byte: JSON starts with { or [.
func guessFormat(name string, br *bufio.Reader) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".json"):
		return "json"
	case strings.HasSuffix(lower, ".csv"):
		return "csv"
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			return "csv"
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.ReadByte()
			continue
		case '{', '[':
			return "json"
		}
		return "csv"
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
