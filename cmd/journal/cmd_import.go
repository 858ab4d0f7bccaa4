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
	"github.com/journal-dev/journal/internal/progress"
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
the time they were recorded is the time of the import. Each import has a
number; 'journal void --import N --reason TEXT' withdraws every incident of
import N at once.

A file is read twice: first every row is checked, and a bad row stops the
import before anything is recorded, naming its line; then the rows are
recorded, a few thousand at a time, in bounded memory however long the
file. A row already imported (by an earlier import of this or any file:
the same date, text and people) is skipped and counted, so an import that
was interrupted is finished by running it again. Standard input is read
once: a bad row there stops the import where it is, and running it again
records only the rest.

Importing needs the passphrase, to know which rows are already in the
journal. The new incidents' numbers are printed on standard output.`,
		Example: `  journal import diary.csv
  journal import timeline.json
  journal timeline --format json | journal import --file other.db -`,
		Args: exactArgs(1, "a file to import (- for standard input)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(g, o, args[0])
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "", "the file's `FORMAT`: json or csv (default: from the file's name or content)")
	return cmd
}

// readyAfterImport is the largest import after which import reads the
// journal once, to write its cache: above it, holding the whole journal
// in memory would break import's bound on memory, and the first reading
// command does it instead (still without public-key work per record).
const readyAfterImport = 100_000

func runImport(g *globals, o importOptions, name string) error {
	if o.format != "" && o.format != "json" && o.format != "csv" {
		return usageError("--format: unknown format %q: use json or csv", o.format)
	}
	var in io.Reader = g.in
	var file *os.File
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
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return withHint(fmt.Errorf("%s is a folder", name), exitUsage, "give the CSV or JSON file to import")
		}
		in, file = f, f
	}
	now := g.now()
	br := bufio.NewReaderSize(in, 64<<10)
	format := o.format
	if format == "" {
		format = guessFormat(name, br)
	}
	badInput := func(err error, imported string) error {
		return withHint(fmt.Errorf("%s: %w", name, err), exitUsage, imported+"; correct it and import the file again")
	}
	if file != nil {
		// Check every row before recording any.
		check := g.newProgress("Checking "+name, progress.Size(file), "")
		err := readEvery(format, check.Reader(br), now)
		check.Done()
		if err != nil {
			return badInput(err, "nothing was imported")
		}
		if _, err := file.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("reading %s again: %w", name, err)
		}
		br.Reset(file)
	}
	s, sealer, idx, err := g.openForImport()
	if err != nil {
		return err
	}
	defer s.Close()
	p := g.newProgress("Importing "+name, progress.Size(file), "")
	r, err := importReader(format, bufio.NewReaderSize(p.Reader(br), 64<<10), now)
	if err != nil {
		p.Done()
		return badInput(err, "nothing was imported")
	}
	sum, err := s.Import(sealer, idx, r, now.Truncate(time.Second))
	p.Done()
	for id := sum.First; id != 0 && id <= sum.Last; id++ {
		fmt.Fprintln(g.out, id)
	}
	if err != nil {
		var ie *journal.ImportError
		if !errors.As(err, &ie) {
			return err
		}
		done := "nothing was imported"
		if sum.Imported > 0 {
			done = fmt.Sprintf("the %s before it were imported as import %d", plural(sum.Imported, "incident"), sum.Import)
		}
		return badInput(err, done)
	}
	if sum.Imported > 0 && sum.Imported <= readyAfterImport {
		// Read the journal once now, with the file keys the import kept,
		// so that the cache written when the store closes makes the next
		// reading command as fast as ever. Into a journal with a cache,
		// that is one incident at a time, the cache written anew as it is
		// read (no incident is selected).
		op := g.progressOpener(s, sealer, "Preparing the journal for reading", "")
		sel, err := s.Select(op, journal.Query{None: true})
		op.Done()
		if err != nil {
			return err
		}
		sel.Close()
	}
	if sum.Imported > 0 {
		fmt.Fprintf(g.err, "Imported %s from %s, marked as imported: numbers %d to %d, import %d.\n",
			plural(sum.Imported, "incident"), name, sum.First, sum.Last, sum.Import)
	}
	if sum.Skipped > 0 {
		fmt.Fprintf(g.err, "Skipped %s already in the journal from an earlier import.\n", plural(sum.Skipped, "incident"))
	}
	if sum.Imported == 0 {
		fmt.Fprintf(g.err, "Nothing new to import from %s.\n", name)
		return nil
	}
	fmt.Fprintf(g.err, "To withdraw them all: journal void --import %d --reason TEXT\n", sum.Import)
	if format == "json" {
		for id := sum.First; id <= sum.Last; id++ {
			if ev := sum.Evidence[id]; len(ev) > 0 {
				fmt.Fprintf(g.err, "Incident %d had evidence files (%s): the JSON does not hold their bytes; add them with 'journal attach %d FILE'.\n",
					id, strings.Join(ev, ", "), id)
			}
		}
	}
	return nil
}

// openForImport unlocks the journal, opens it for writing and reads what
// an import needs of it: which items were imported already. Unlike
// openForChange it does not load the whole journal, whose state can be
// far larger than the import.
func (g *globals) openForImport() (*journal.Store, *crypto.Sealer, *journal.ImportIndex, error) {
	u := &unlocker{g: g}
	j, err := g.open(journal.ForAppend, u)
	if err != nil {
		return nil, nil, nil, err
	}
	// An import writes in several transactions: a damaged file must be
	// found before the first of them.
	if err := j.CheckStructure(); err != nil {
		j.Close()
		return nil, nil, nil, err
	}
	op := g.progressOpener(j.Store, u.sealer, "Reading the journal", "")
	idx, err := j.ReadImportIndex(op)
	op.Done()
	if err != nil {
		j.Close()
		return nil, nil, nil, err
	}
	return j.Store, u.sealer, idx, nil
}

// importReader starts reading an import in the given format.
func importReader(format string, r io.Reader, now time.Time) (journal.ImportReader, error) {
	if format == "json" {
		return journal.NewJSONReader(r)
	}
	return journal.NewCSVReader(r, now)
}

// readEvery reads every incident of an import, keeping none, and returns
// the first error.
func readEvery(format string, r io.Reader, now time.Time) error {
	ir, err := importReader(format, r, now)
	if err != nil {
		return err
	}
	for {
		if _, err := ir.Next(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
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
