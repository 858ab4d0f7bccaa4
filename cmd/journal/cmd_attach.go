package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	s, sealer, st, err := g.openForChange()
	if err != nil {
		return err
	}
	defer s.Close()
	in, err := findIncident(st, id)
	if err != nil {
		return err
	}
	// Evidence is stored in transactions of its own before its record:
	// a damaged file must be found before the first of them.
	if err := s.CheckStructure(); err != nil {
		return err
	}
	now := g.now().Truncate(time.Second)
	recs, keys, err := storeEvidence(g, s, sealer, files, in.Attachments, now)
	if err != nil {
		return err
	}
	for _, r := range recs {
		r.Incident = id
	}
	if err := s.Append(sealer, recs...); err != nil {
		s.DeleteBlobs(keys...)
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
	var files []*os.File
	for _, p := range paths {
		f, err := os.Open(p)
		if err == nil {
			var info os.FileInfo
			if info, err = f.Stat(); err == nil && !info.Mode().IsRegular() {
				err = errors.New("not a regular file")
			}
			if err != nil {
				f.Close()
			}
		}
		if err != nil {
			closeAll(files)
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, withHint(fmt.Errorf("cannot read the evidence file %s: %w", p, err), exitUsage,
				"check the path; nothing was recorded")
		}
		files = append(files, f)
	}
	return files, nil
}

func closeAll(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

// storeEvidence seals and stores each file and returns the attachment
// records that name them, without an incident number, and the keys of the
// blobs it stored anew. Names are kept unique among the incident's files. If one
// file fails, the blobs already stored are removed.
func storeEvidence(g *globals, s *journal.Store, sealer journal.StreamSealer, files []*os.File,
	have []journal.Attachment, now time.Time) ([]*journal.Record, []string, error) {
	var recs []*journal.Record
	var keys []string
	names := make([]string, 0, len(have)+len(files))
	for _, a := range have {
		names = append(names, a.Name)
	}
	for _, f := range files {
		p := g.newProgress("Sealing "+filepath.Base(f.Name()), fileSize(f), "")
		if p == nil && fileSize(f) > 64<<20 {
			fmt.Fprintf(g.err, "Sealing %s...\n", filepath.Base(f.Name()))
		}
		a, fresh, err := s.PutBlob(sealer, f.Name(), p.Reader(f), now)
		p.Done()
		if err != nil {
			s.DeleteBlobs(keys...)
			return nil, nil, fmt.Errorf("%w: nothing was recorded", err)
		}
		// Evidence the journal held already (the same file, attached
		// before) may be named by another incident: it is never removed.
		if fresh {
			keys = append(keys, a.Blob)
		}
		a.Name = uniqueName(a.Name, names)
		names = append(names, a.Name)
		// The file's own name, not its folder: a path such as
		// /home/sam/... would name the user in every report.
		a.Source = filepath.Base(f.Name())
		recs = append(recs, &journal.Record{Type: journal.TypeAttachment, RecordedAt: now, Attachment: a})
	}
	return recs, keys, nil
}

func fileSize(f *os.File) int64 {
	info, err := f.Stat()
	if err != nil {
		return 0
	}
	return info.Size()
}

// uniqueName returns name, or name with a number before its extension if
// another file of the incident already has it: photo.jpg, photo-2.jpg.
func uniqueName(name string, taken []string) string {
	has := func(n string) bool {
		return slices.ContainsFunc(taken, func(t string) bool { return strings.EqualFold(t, n) })
	}
	if !has(name) {
		return name
	}
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 2; ; i++ {
		if n := fmt.Sprintf("%s-%d%s", base, i, ext); !has(n) {
			return n
		}
	}
}
