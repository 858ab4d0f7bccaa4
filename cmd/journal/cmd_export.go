package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/export"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/privatefile"
)

type exportOptions struct {
	pdf, markdown, json, csv bool
	output                   string
	filters                  filterFlags
	redact                   bool
	forWhom                  string
	reference                string
	name                     string
	encryptTo                []string
	force                    bool
	font                     string
	allowEmpty               bool
}

func newExportCommand(g *globals) *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export --pdf|--markdown|--json|--csv -o FILE",
		Short: "Write a report to hand over: PDF, Markdown, JSON or CSV",
		Long: `Write a report of the journal for a defence adviser, a manager or the police.

The PDF has a cover, a summary per person, a chronology, every incident in
full with its history and evidence, and how to check it; every page carries
its page number and the journal's fingerprint. --markdown, --json and --csv
write the same incidents for reading or for other programs. The filters are
the timeline's.

The file is written whole or not at all, readable only by you (mode 0600),
and never over an existing file unless --force. With --encrypt-to it is an
age file that only the recipient can open: nothing unencrypted is written.

Every export is written down in the journal as a disclosure: when, for
whom, which incidents, and the SHA-256 of the file. 'journal disclosures'
lists them, and later PDF reports list the earlier ones. Reading the journal
needs the passphrase; the SHA-256 of the file is printed on standard output.`,
		Example: `  journal export --pdf -o report.pdf --for "MDU case adviser"
  journal export --pdf -o police.pdf --from 2026-10-01 --who "John Smith" --for "PC 4521 Davies"
  journal export --pdf -o report.pdf.age --encrypt-to age1... --for "Defence adviser"
  journal export --pdf -o colleague.pdf --redact --for "Practice meeting"
  journal export --json -o journal.json`,
		Args: exactArgs(0, "no arguments (choose the format with a flag and the file with -o)"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExport(g, o)
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&o.pdf, "pdf", false, "write a PDF report")
	fs.BoolVar(&o.markdown, "markdown", false, "write Markdown")
	fs.BoolVar(&o.json, "json", false, "write JSON, in the shape 'journal timeline --format json' prints")
	fs.BoolVar(&o.csv, "csv", false, "write CSV, one incident a row")
	fs.StringVarP(&o.output, "output", "o", "", "write the report to `FILE`")
	o.filters.register(fs)
	fs.BoolVar(&o.redact, "redact", false, "name people Person A, Person B...; remove witnesses' contacts; mask phone numbers and email addresses")
	fs.StringVar(&o.forWhom, "for", "", "the `PERSON` or body the report is for, shown on the cover and kept in the disclosure record")
	fs.StringVar(&o.reference, "reference", "", "a case or crime `REFERENCE`, printed at the top of every page of the PDF")
	fs.StringVar(&o.name, "name", "", "your `NAME`, shown on the cover as the one who keeps the journal")
	fs.StringArrayVar(&o.encryptTo, "encrypt-to", nil, "encrypt to an age `RECIPIENT` (age1...) or to the recipients in a file (repeatable)")
	fs.BoolVar(&o.force, "force", false, "replace FILE if it exists")
	fs.BoolVar(&o.allowEmpty, "allow-empty", false, "write the report even when no incident is selected")
	fs.StringVar(&o.font, "font", "", "set the PDF in this TrueType `FILE.ttf`, for scripts the built-in fonts lack")
	return cmd
}

// format is the one format flag given.
func (o *exportOptions) format() (string, error) {
	var chosen []string
	for _, f := range []struct {
		set  bool
		name string
	}{{o.pdf, "pdf"}, {o.markdown, "markdown"}, {o.json, "json"}, {o.csv, "csv"}} {
		if f.set {
			chosen = append(chosen, f.name)
		}
	}
	switch len(chosen) {
	case 0:
		return "", usageError("choose a format: --pdf, --markdown, --json or --csv")
	case 1:
		return chosen[0], nil
	default:
		return "", usageError("choose one format, not --%s", strings.Join(chosen, " and --"))
	}
}

func runExport(g *globals, o exportOptions) error {
	format, err := o.format()
	if err != nil {
		return err
	}
	example := "-o report." + map[string]string{"pdf": "pdf", "markdown": "md", "json": "json", "csv": "csv"}[format]
	if o.output == "" {
		return usageError("say where to write the report with -o FILE, for example %s", example)
	}
	if o.output == "-" {
		return usageError("a report is written to a file, not to standard output: give -o FILE, for example %s", example)
	}
	q, err := o.filters.query(g.now())
	if err != nil {
		return err
	}
	created, err := reportTime(g.now())
	if err != nil {
		return err
	}
	// Everything that can be wrong with the flags is found before the
	// passphrase is asked for.
	var recipients *crypto.Recipients
	if len(o.encryptTo) > 0 {
		if recipients, err = readRecipients(o.encryptTo); err != nil {
			return err
		}
		if _, err := recipients.EncryptStream(io.Discard); err != nil {
			return usageError("--encrypt-to: %v", err)
		}
	}
	var font []byte
	if o.font != "" {
		if format != "pdf" {
			return usageError("--font is for --pdf only")
		}
		if font, err = readFont(o.font); err != nil {
			return err
		}
	}
	if err := checkOutput(o.output, o.force); err != nil {
		return err
	}

	// The disclosure is recorded at the end: a copy of the file that
	// syncs, which takes no record, is refused before anything is read.
	g.recording = true
	j, sealer, err := g.read("Reading evidence files", &q)
	var ce *journal.CopyError
	if errors.As(err, &ce) {
		return withHint(err, exitUsage, copyRefusalHint(ce, "export from"))
	}
	if err != nil {
		return err
	}
	s, sel := j.Store, j.Selection
	// Evidence read from the sync folder in place of a damaged copy is
	// put in the journal once the selection is closed.
	var mends []journal.Mend
	defer func() {
		sel.Close()
		g.mendEvidence(mends, sealer)
	}()
	// The records the report's fingerprint stands for, in the devices'
	// own numbering, which every computer shares.
	_, covers, _, err := s.CoversAt(sel.State.Seq)
	if err != nil {
		j.Close()
		return err
	}
	recordsBy := ""
	if manyChains(covers) {
		recordsBy = coverText(covers, deviceNamer(s))
	}
	j.Close()
	h := &export.Handover{
		Format: format, Path: o.output, Force: o.force, Recipients: recipients,
		For: o.forWhom, Reference: o.reference, Name: o.name, Filters: o.filters.describe(),
		Redact: o.redact, Font: font, Created: created, RecordedAt: g.now(), AllowEmpty: o.allowEmpty, RecordsBy: recordsBy,
		Evidence: evidenceReader(s.Path(), sealer, &mends),
		Record:   func(rec *journal.Record) error { return appendDisclosure(g, sealer, rec) },
	}
	stop := removeOnSignal()
	done, err := h.Write(sel)
	stop()
	switch {
	case errors.Is(err, export.ErrNoIncident):
		what := "the journal has no incident"
		if f := o.filters.describe(); len(f) > 0 {
			what = "no incident matches " + strings.Join(f, " ")
		}
		return withHint(errors.New(what), exitUsage,
			"check the filters ('journal people' lists the names), or give --allow-empty to write an empty report")
	case errors.Is(err, privatefile.ErrExists):
		return alreadyExists(o.output, "choose another name, or add --force to replace it")
	case err != nil:
		return err
	}
	if done.PDF != nil {
		warnPDF(g, done.PDF, o.font)
	}
	d := done.Disclosure
	how := ""
	if recipients != nil {
		how = ", encrypted to " + countNoun(recipients.Len(), "recipient")
	}
	if o.redact {
		how += ", redacted"
	}
	fmt.Fprintf(g.err, "Wrote %s: %s of %s%s (%s). Recorded as a disclosure.\n",
		o.output, strings.ToUpper(format), countNoun(d.Incidents.Len(), "incident"), how, byteSize(int(d.Size)))
	fmt.Fprintf(g.out, "sha256: %s\n", d.SHA256)
	return nil
}

// maxShownImage is the largest evidence image, in bytes, that a report
// shows; larger ones are listed with their SHA-256 only.
const maxShownImage = 64 << 20

// evidenceReader reads an attachment's original bytes from the journal, so
// that the report can show an image. It opens the journal for each file
// only as long as the reading takes, so that a long export does not keep
// 'journal add' waiting. Bytes that do not match their recorded SHA-256
// are an integrity error, which stops the export. Good copies read from
// the sync folder in place of damaged held ones are added to mends.
func evidenceReader(path string, sealer *crypto.Sealer, mends *[]journal.Mend) func(*journal.Incident, journal.Attachment) ([]byte, error) {
	return func(_ *journal.Incident, a journal.Attachment) ([]byte, error) {
		if a.Size > maxShownImage {
			return nil, fmt.Errorf("it is too large to show (%s)", byteSize(int(a.Size)))
		}
		s, err := journal.Open(path, journal.Options{ReadOnly: true})
		if err != nil {
			return nil, err
		}
		defer s.Close()
		exchange.OfferCopies(s)
		var buf bytes.Buffer
		if err := s.ReadBlob(sealer, &a, &buf); err != nil {
			return nil, err
		}
		*mends = append(*mends, s.Mends()...)
		return buf.Bytes(), nil
	}
}

// warnPDF tells the user what the PDF could not show faithfully.
func warnPDF(g *globals, res *export.PDFResult, font string) {
	if len(res.Missing) > 0 {
		hint := "to draw them, give a TrueType font that has them with --font FILE.ttf"
		if font != "" {
			hint = "to draw them, choose a font that has them"
		}
		fmt.Fprintf(g.err, "journal: note: no font here can draw %s: the PDF writes each as its code point and name in square brackets, and lists them; %s\n",
			describeRunes(res.Missing), hint)
	}
	for _, u := range res.Unshown {
		fmt.Fprintf(g.err, "journal: warning: an image is listed but not shown: %s\n", u)
	}
}

// describeRunes names characters so that a person can find them: the
// character and its code point, at most ten of them.
func describeRunes(rs []rune) string {
	var parts []string
	for i, r := range rs {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(rs)-10))
			break
		}
		if unicode.IsPrint(r) {
			parts = append(parts, fmt.Sprintf("%q (U+%04X)", r, r))
		} else {
			parts = append(parts, fmt.Sprintf("U+%04X", r))
		}
	}
	return strings.Join(parts, ", ")
}

// reportTime is the date a report carries: SOURCE_DATE_EPOCH when set, so
// that the same journal gives the same bytes, or now.
func reportTime(now time.Time) (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return now, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, usageError("SOURCE_DATE_EPOCH=%q is not a number of seconds since 1970: unset it or fix it", v)
	}
	return time.Unix(n, 0).UTC(), nil
}

// readRecipients reads each --encrypt-to value: an age recipient, or a
// file of them, one a line (blank lines and # comments skipped, as age
// reads such a file). A line that is not a recipient is named, in words.
func readRecipients(values []string) (*crypto.Recipients, error) {
	var lines []string
	for _, v := range values {
		v = strings.TrimSpace(v)
		if strings.HasPrefix(v, "age1") {
			if _, err := crypto.ParseRecipientList(strings.NewReader(v)); err != nil {
				return nil, withHint(fmt.Errorf("--encrypt-to %s: not a valid age recipient", v), exitUsage,
					"check it was copied whole, exactly as the adviser sent it (age1...)")
			}
			lines = append(lines, v)
			continue
		}
		data, err := os.ReadFile(v)
		if err != nil {
			return nil, withHint(fmt.Errorf("--encrypt-to %s: not an age recipient (age1...) and not a file I can read", v), exitUsage,
				"give the recipient the adviser sent you, or the path of a file of recipients")
		}
		found := false
		for i, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if _, err := crypto.ParseRecipientList(strings.NewReader(line)); err != nil {
				return nil, withHint(fmt.Errorf("--encrypt-to %s: line %d is not an age recipient", v, i+1), exitUsage,
					"give a file of age recipients (age1...), one a line, such as the adviser sent you")
			}
			lines, found = append(lines, line), true
		}
		if !found {
			return nil, withHint(fmt.Errorf("--encrypt-to %s: the file holds no recipient", v), exitUsage,
				"give a file of age recipients (age1...), one a line, such as the adviser sent you")
		}
	}
	rs, err := crypto.ParseRecipientList(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		return nil, withHint(fmt.Errorf("--encrypt-to: %w", err), exitUsage, "give age recipients (age1...), one a line in a file")
	}
	return rs, nil
}

// readFont reads a --font file and checks it is a TrueType font.
func readFont(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, withHint(fmt.Errorf("--font: %w", plainFileError(err)), exitUsage, "give the path of a .ttf file")
	}
	if err := export.CheckFont(data); err != nil {
		return nil, usageError("--font %s: %v", path, err)
	}
	return data, nil
}

// checkOutput refuses, before any work, a file that exists (without
// --force) or a folder that does not.
func checkOutput(path string, force bool) error {
	info, err := os.Stat(path)
	switch {
	case err == nil && info.IsDir():
		return usageError("%s is a folder: give a file name with -o", path)
	case err == nil && !force:
		return alreadyExists(path, "choose another name, or add --force to replace it")
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("checking %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return usageError("there is no folder %s to write %s in", dir, filepath.Base(path))
	}
	return nil
}

// writeFileAtomic writes a private file whole or not at all
// ([privatefile.Write]), removed if the program is interrupted before it
// is whole; a taken name without force is the "already exists" error.
func writeFileAtomic(path string, force bool, write func(io.Writer) error, commit func(size int64, sum [32]byte) error) error {
	stop := removeOnSignal()
	defer stop()
	err := privatefile.Write(path, privatefile.Options{Force: force}, write, commit)
	if errors.Is(err, privatefile.ErrExists) {
		return alreadyExists(path, "choose another name, or add --force to replace it")
	}
	return err
}

// appendDisclosure opens the journal for writing and adds the disclosure
// record. The journal stays open until the command ends (g.kept): the
// quiet stamp and the push to the sync folder after it use it.
func appendDisclosure(g *globals, sealer *crypto.Sealer, rec *journal.Record) error {
	if g.kept == nil {
		s, err := g.openStore(journal.Options{})
		if err != nil {
			return fmt.Errorf("recording the disclosure: %w", err)
		}
		g.kept = s
	}
	if err := g.kept.Append(sealer, rec); err != nil {
		return fmt.Errorf("recording the disclosure: %w", err)
	}
	return nil
}

// byteSize says a size the way a person reads it.
func byteSize(n int) string {
	switch {
	case n < 1024:
		return countNoun(n, "byte")
	case n < 1<<20:
		return fmt.Sprintf("%.0f KB", float64(n)/1024)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
}
