package syncfolder

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Evidence travels as files of the blobs folder, one a blob: its sealed
// bytes as the journal keeps them, named by the blob's key and the SHA-256
// of the file, "<key>-<sha256>". The key is the evidence's address, a keyed
// hash of its content (journal.BlobAddress), so a computer that attaches a
// file the folder holds already writes nothing; in journals made before
// addresses, or on a computer not given the address key yet, it is random.
// Two computers that attach the same file before either sees the other's
// write two files under one key: both hold the same evidence.

// BlobFile is a blob's file as listed.
type BlobFile struct {
	Key  string
	Hash string
}

// Path is the file's path relative to the folder.
func (b BlobFile) Path() string { return DirBlobs + "/" + b.Key + "-" + b.Hash }

// splitBlobName parses "<key>-<sha256>" strictly: a key of 2 to 64
// lower-case hex digits, a dash, 64 lower-case hex digits.
func splitBlobName(name string) (BlobFile, bool) {
	key, h, ok := strings.Cut(name, "-")
	if !ok || len(key) < 2 || len(key) > 64 || len(key)%2 != 0 || len(h) != 64 || !lowerHex(key) || !lowerHex(h) {
		return BlobFile{}, false
	}
	return BlobFile{Key: key, Hash: h}, true
}

func lowerHex(s string) bool {
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Blobs lists the blob files of the folder by key, passing over names
// that are not ours. Of several files under one key it gives the first in
// name order, so that every computer takes the same one; [Folder.BlobCopies]
// gives them all.
func (f *Folder) Blobs() (map[string]BlobFile, error) {
	all, err := f.BlobCopies()
	if err != nil {
		return nil, err
	}
	out := make(map[string]BlobFile, len(all))
	for k, files := range all {
		out[k] = files[0]
	}
	return out, nil
}

// BlobCopies lists every blob file of the folder by key, the files of a
// key in name order, passing over names that are not ours. A key has
// several when two computers attached the same file before either saw
// the other's, and when someone who can write the folder put another file
// beside it: only a reader with the journal's key can tell which holds
// the evidence a record names.
func (f *Folder) BlobCopies() (map[string][]BlobFile, error) {
	entries, err := os.ReadDir(filepath.Join(f.root, DirBlobs))
	if errors.Is(err, fs.ErrNotExist) {
		return map[string][]BlobFile{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the sync folder: %w", err)
	}
	out := map[string][]BlobFile{}
	for _, e := range entries { // in name order
		if b, ok := splitBlobName(e.Name()); ok && e.Type().IsRegular() {
			out[b.Key] = append(out[b.Key], b)
		}
	}
	return out, nil
}

// PutBlob writes the blob key, whose bytes write gives, streaming them to
// a temporary file while hashing, then linking it to its name. A blob
// already in the folder under that key is left as it is.
func (f *Folder) PutBlob(key string, write func(io.Writer) error, owner string) error {
	if have, err := f.Blobs(); err != nil {
		return err
	} else if _, ok := have[key]; ok {
		return nil
	}
	dir := filepath.Join(f.root, DirBlobs)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("writing evidence to the sync folder: %w", err)
	}
	tmp, err := os.CreateTemp(dir, tempPrefix+owner+"-*")
	if err != nil {
		return fmt.Errorf("writing evidence to the sync folder: %w", err)
	}
	defer os.Remove(tmp.Name())
	sum := sha256.New()
	err = write(io.MultiWriter(tmp, sum))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o600)
	}
	if err != nil {
		return fmt.Errorf("writing evidence to the sync folder: %w", err)
	}
	b := BlobFile{Key: key, Hash: hex.EncodeToString(sum.Sum(nil))}
	if err := placeOnce(tmp.Name(), filepath.Join(f.root, filepath.FromSlash(b.Path()))); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("writing evidence to the sync folder: %w", err)
	}
	syncDir(dir)
	return nil
}

// OpenBlob opens a blob's file for reading. The reader fails at the end
// with a [*DamagedError] naming the file if its bytes do not match its
// name.
func (f *Folder) OpenBlob(b BlobFile) (io.ReadCloser, error) {
	fh, err := os.Open(filepath.Join(f.root, filepath.FromSlash(b.Path())))
	if err != nil {
		return nil, fmt.Errorf("reading the sync folder: %w", err)
	}
	return &checkedReader{f: fh, sum: sha256.New(), b: b}, nil
}

type checkedReader struct {
	f   *os.File
	sum hash.Hash
	b   BlobFile
}

func (r *checkedReader) Read(p []byte) (int, error) {
	n, err := r.f.Read(p)
	r.sum.Write(p[:n])
	if err == io.EOF && hex.EncodeToString(r.sum.Sum(nil)) != r.b.Hash {
		return n, &DamagedError{Path: r.b.Path(), Reason: "its content does not match its name"}
	}
	return n, err
}

func (r *checkedReader) Close() error { return r.f.Close() }
