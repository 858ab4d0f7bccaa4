package exchange

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// pushBlobs writes to the folder the evidence the journal holds and the
// folder does not.
func pushBlobs(s *journal.Store, f *syncfolder.Folder) error {
	keys, err := s.BlobKeys()
	if err != nil || len(keys) == 0 {
		return err
	}
	have, err := f.Blobs()
	if err != nil {
		return err
	}
	for _, k := range keys {
		if _, ok := have[k]; ok {
			continue
		}
		if err := f.PutBlob(k, func(w io.Writer) error { return s.CopySealedBlob(k, w) }, "blob"); err != nil {
			return err
		}
	}
	return nil
}

// Early returns the orphans (evidence no record names) that the sync
// folder holds: they came from another computer ahead of the records that
// name them, which a later sync brings. The others were left by an attach
// that stopped before its record was written.
func Early(s *journal.Store, orphans []journal.Orphan) (early, left []journal.Orphan) {
	var have map[string]syncfolder.BlobFile
	if f, err := Folder(s); err == nil && f != nil {
		have, _ = f.Blobs()
	}
	for _, o := range orphans {
		if _, ok := have[o.Key]; ok {
			early = append(early, o)
		} else {
			left = append(left, o)
		}
	}
	return early, left
}

// exchangeBlobs writes this journal's evidence to the folder and brings
// in the folder's. A blob file that does not match its name is refused,
// and returned as such; nothing of it is kept, and the next file under
// the same key is tried. Which of several files holds the evidence a
// record names only a reader with the key can tell: the journal keeps the
// first that arrives whole, and a read tries the others (see [OfferCopies]).
func exchangeBlobs(s *journal.Store, f *syncfolder.Folder) (refused []error, err error) {
	if err := pushBlobs(s, f); err != nil {
		return nil, fmt.Errorf("writing evidence to the sync folder: %w", err)
	}
	have, err := f.BlobCopies()
	if err != nil {
		return nil, err
	}
	for k, files := range have {
		ok, err := s.HasBlob(k)
		if err != nil {
			return nil, fmt.Errorf("looking for evidence in the journal: %w", err)
		}
		if ok {
			continue
		}
		for _, b := range files {
			err := importBlob(s, f, b)
			var de *syncfolder.DamagedError
			if errors.As(err, &de) {
				refused = append(refused, err)
				continue
			}
			if err != nil {
				return nil, err
			}
			break
		}
	}
	return refused, nil
}

// importBlob brings the blob file b into the journal under its key.
func importBlob(s *journal.Store, f *syncfolder.Folder, b syncfolder.BlobFile) error {
	r, err := f.OpenBlob(b)
	if err != nil {
		return err
	}
	defer r.Close()
	return s.PutSealedBlob(b.Key, r)
}

// putKey writes the journal's wrapped identity to the folder when the
// folder does not hold it (after 'journal passphrase' or 'journal rekey'),
// so that a computer that joins later unlocks with the passphrase of now:
// it takes the newest. One the folder holds already, even under an older
// number, is not written again: another computer that still has the
// wrap of before would otherwise write it back as the newest, and the two
// would take turns for ever. A computer that adds only has none to write.
func putKey(s *journal.Store, f *syncfolder.Folder) error {
	m, err := s.Meta()
	if err != nil || len(m.WrappedIdentity) == 0 {
		return err
	}
	if err := putOldKeys(f, m.OldKeys); err != nil {
		return err
	}
	keys, err := f.Numbered(syncfolder.DirKeys)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.Hash == syncfolder.HashName(m.WrappedIdentity) {
			return nil
		}
	}
	n := uint64(1)
	if len(keys) > 0 {
		n = keys[len(keys)-1].Seq + 1
	}
	_, err = f.PutNumbered(syncfolder.DirKeys, n, m.WrappedIdentity, "keys")
	return err
}

// putOldKeys writes the journal's earlier keys, each sealed to the
// current key as the journal file keeps them, to the folder when it does
// not hold them, so that a computer that joins after a change of key
// reads the records from before it (the wrapped key alone opens only the
// current key). They are named by their content: the same one is never
// written twice.
func putOldKeys(f *syncfolder.Folder, old [][]byte) error {
	for i, sealed := range old {
		if _, err := f.PutNumbered(syncfolder.DirOldKeys, uint64(i+1), sealed, "keys"); err != nil {
			return err
		}
	}
	return nil
}

// exchangeV1 writes the records this journal holds from before signing
// (an upgraded journal) to the folder once, and brings them into a journal
// that has none yet, first of all (a computer that joins).
func exchangeV1(s *journal.Store, f *syncfolder.Folder) (int, error) {
	mine, err := s.V1Records()
	if err != nil {
		return 0, err
	}
	l, err := f.List()
	if err != nil {
		return 0, err
	}
	segs := l.Segments[syncfolder.DeviceDir(syncfolder.V1Device)]
	if len(mine) > 0 {
		if len(segs) == 0 {
			_, err = f.PutSegment(&syncfolder.Segment{JournalID: f.JournalID, Device: syncfolder.V1Device, First: 1, Records: mine})
		}
		return 0, err
	}
	if seq, _, err := s.Head(); err != nil || seq > 0 || len(segs) == 0 {
		return 0, err
	}
	for _, e := range segs {
		seg, err := f.ReadSegment(e)
		if err != nil {
			continue
		}
		if err := s.MergeV1Records(seg.Records); err == nil {
			return len(seg.Records), nil
		}
	}
	return 0, nil
}

// OfferCopies lets the journal's reads of evidence try every file its sync
// folder holds under a blob's key (see [journal.Store.UseBlobCopies]). The
// folder is looked at once, at the first read that needs it; a journal
// without a folder, or a folder that cannot be read, offers nothing.
func OfferCopies(s *journal.Store) {
	var (
		once sync.Once
		f    *syncfolder.Folder
		all  map[string][]syncfolder.BlobFile
	)
	s.UseBlobCopies(func(key string) []func() (io.ReadCloser, error) {
		once.Do(func() {
			var err error
			if f, err = Folder(s); err == nil && f != nil {
				all, _ = f.BlobCopies()
			}
		})
		var out []func() (io.ReadCloser, error)
		for _, b := range all[key] {
			out = append(out, func() (io.ReadCloser, error) { return f.OpenBlob(b) })
		}
		return out
	})
}
