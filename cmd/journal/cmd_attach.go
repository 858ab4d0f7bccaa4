package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/journal"
)

func newAttachCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "attach ID FILE...",
		Short: "Add evidence files to an incident",
		Long: `Add evidence files (screenshots, voicemail recordings, letters, photos)
to an incident. Each file is sealed in the journal byte for byte, with its
SHA-256 taken as it is read, its size, its media type and its name; the
original file is left where it is. Files of any size are fine.

'journal evidence ID' lists an incident's files and writes them out again.`,
		Example: `  journal attach 12 screenshot.png voicemail.m4a
  # then list them with: journal evidence 12`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usageError("attach needs an incident number and at least one file: see 'journal attach --help'")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAttach(g, args[0], args[1:])
		},
	}
}

func runAttach(g *globals, arg string, paths []string) error {
	id, err := parseID(arg)
	if err != nil {
		return err
	}
	// Check every file before asking for anything or writing anything.
	files, err := openEvidence(paths)
	if err != nil {
		return err
	}
	defer closeAll(files)
	s, sealer, st, total, err := g.openToChange(changing(id))
	if err != nil {
		return err
	}
	defer s.Close()
	in := st.Incident(id)
	if in == nil {
		return noIncident(id, total)
	}
	recs, err := s.Attach(sealer, in, journal.EvidenceOf(files), g.now().Truncate(time.Second), g.sealingProgress)
	if err != nil {
		return err
	}
	for _, r := range recs {
		fmt.Fprintf(g.err, "Attached %s to incident %d.\n", r.Attachment.Name, id)
	}
	return nil
}

// openEvidence opens evidence files for reading, failing on the first one
// that is missing, unreadable or not a regular file, before anything is
// recorded.
func openEvidence(paths []string) ([]*os.File, error) {
	files, err := journal.OpenEvidence(paths)
	if err != nil {
		return nil, withHint(err, exitUsage, "check the path; nothing was recorded")
	}
	return files, nil
}

func closeAll(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

// sealingProgress shows the sealing of a large evidence file: a progress
// line on a terminal, a line saying so elsewhere.
func (g *globals) sealingProgress(name string, size int64, r io.Reader) (io.Reader, func()) {
	p := g.newProgress("Sealing "+filepath.Base(name), size, "")
	if p == nil && size > 64<<20 {
		fmt.Fprintf(g.err, "Sealing %s...\n", filepath.Base(name))
	}
	return p.Reader(r), p.Done
}
