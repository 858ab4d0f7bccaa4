package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/internal/progress"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/privatefile"
)

type evidenceOptions struct {
	output string
	force  bool
}

func newEvidenceCommand(g *globals) *cobra.Command {
	var o evidenceOptions
	cmd := &cobra.Command{
		Use:   "evidence ID [NAME -o FILE]",
		Short: "List an incident's evidence files, or write one out",
		Long: `List an incident's evidence files: name, size, media type and the SHA-256
taken when it was added. With a NAME and -o FILE, write that file out byte
for byte; its SHA-256 is checked against the one recorded before the file is
kept.`,
		Example: `  journal evidence 12
  journal evidence 12 voicemail.m4a -o ~/voicemail.m4a
  # the copy is byte for byte the original: sha256sum ~/voicemail.m4a`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return usageError("evidence needs an incident number, and optionally a file's name: see 'journal evidence --help'")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEvidence(g, o, args)
		},
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "write the file to `FILE` (- for standard output)")
	cmd.Flags().BoolVar(&o.force, "force", false, "overwrite FILE if it exists")
	return cmd
}

func runEvidence(g *globals, o evidenceOptions, args []string) error {
	id, err := parseID(args[0])
	if err != nil {
		return err
	}
	if len(args) == 2 && o.output == "" {
		return usageError("give -o FILE to say where to write %s (or -o - for standard output)", args[1])
	}
	if len(args) == 1 && o.output != "" {
		return usageError("-o needs the name of the file to write: journal evidence %d NAME -o FILE", id)
	}
	if len(args) == 2 && o.output != "-" && !o.force {
		if _, err := os.Lstat(o.output); err == nil {
			return alreadyExists(o.output, "choose another name, or add --force to overwrite it")
		}
	}
	j, sealer, err := g.read("", nil)
	if err != nil {
		return err
	}
	defer func() {
		mends := j.Mends()
		j.Close()
		g.mendEvidence(mends, sealer)
	}()
	s, st := j.Store, j.State
	in, err := findIncident(st, id)
	if err != nil {
		return err
	}
	if len(args) == 1 {
		if len(in.Attachments) == 0 {
			fmt.Fprintf(g.err, "Incident %[1]s has no evidence files. Add some with 'journal attach %[1]s FILE'.\n", journal.IncidentRef(id))
			return nil
		}
		tw := tabwriter.NewWriter(g.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tSIZE\tTYPE\tADDED\tSHA-256")
		for _, a := range in.Attachments {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", a.Name, a.Size, a.MediaType, a.AddedAt.Format("2006-01-02 15:04"), a.SHA256)
		}
		return tw.Flush()
	}
	var a *journal.Attachment
	for i := range in.Attachments {
		if strings.EqualFold(in.Attachments[i].Name, args[1]) {
			a = &in.Attachments[i]
			break
		}
	}
	if a == nil {
		names := make([]string, len(in.Attachments))
		for i, x := range in.Attachments {
			names[i] = x.Name
		}
		if len(names) == 0 {
			return usageError("incident %d has no evidence files", id)
		}
		return usageError("incident %d has no evidence file %q: it has %s", id, args[1], strings.Join(names, ", "))
	}
	p := g.newProgress("Writing "+a.Name, a.Size, "")
	defer p.Done()
	if o.output == "-" {
		return s.ReadBlob(sealer, a, p.Writer(g.out))
	}
	if err := writeEvidence(s, sealer, a, o.output, o.force, p); err != nil {
		return err
	}
	fmt.Fprintf(g.err, "Wrote %s: %d bytes, the same SHA-256 as when it was added (%s).\n", o.output, a.Size, a.SHA256)
	return nil
}

// writeEvidence writes an attachment to path as a private file (see
// package privatefile), named only once its SHA-256 has matched: nothing
// is left behind on any exit, and without force an existing file is never
// replaced, not even one created meanwhile.
func writeEvidence(s *journal.Store, sealer journal.StreamOpener, a *journal.Attachment, path string, force bool, p *progress.Line) error {
	f, err := privatefile.Create(path, privatefile.Options{Force: force})
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return withHint(fmt.Errorf("cannot write %s: %w", path, err), exitFailure, "check the folder exists and you can write to it")
	}
	defer f.Abort()
	stop := removeOnSignal()
	defer stop()
	w := bufio.NewWriterSize(f, 256<<10)
	if err := s.ReadBlob(sealer, a, p.Writer(w)); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	err = f.Commit(nil)
	if errors.Is(err, privatefile.ErrExists) {
		return alreadyExists(path, "choose another name, or add --force to overwrite it")
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// mendEvidence replaces the journal's copies of evidence that a read found
// not matching their record, and read from the sync folder instead, with
// those good copies, each checked again as it is stored; and says so. A
// reading command opens the journal only to read, so this opens it for
// writing for a moment once the read is done. When it cannot (another
// command is using the journal), it says that the next command that reads
// the evidence does it.
func (g *globals) mendEvidence(mends []journal.Mend, opener journal.StreamOpener) {
	if len(mends) == 0 {
		return
	}
	s, err := g.openStore(journal.Options{})
	if err != nil {
		for _, m := range mends {
			fmt.Fprintf(g.err, "journal: note: the copy of the evidence file %q on this computer does not match its record: the good copy in the sync folder was used, and the next command that reads it puts it in the journal\n", m.Attachment.Name)
		}
		return
	}
	defer s.Close()
	for _, m := range mends {
		mended, err := s.MendBlob(opener, m)
		switch {
		case err != nil:
			fmt.Fprintf(g.err, "journal: note: the copy of the evidence file %q on this computer does not match its record, and the good copy in the sync folder could not be put in its place (%s): the next command that reads it tries again\n",
				m.Attachment.Name, oneLine(err.Error()))
		case mended:
			fmt.Fprintf(g.err, "The copy of the evidence file %q on this computer did not match its record: it was replaced by the good copy from the sync folder.\n", m.Attachment.Name)
		}
	}
}
