package syncfolder

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// seqDigits is the width of the number at the start of a segment's or a
// manifest statement's name, so that names sort in order.
const seqDigits = 12

// FileName returns the name of a numbered file holding data: the number n
// in seqDigits digits, a dash, the hex SHA-256 of data.
func FileName(n uint64, data []byte) string {
	return fmt.Sprintf("%0*d-%s", seqDigits, n, HashName(data))
}

// splitName parses a numbered file name strictly: exactly seqDigits
// digits, a dash, 64 lower-case hex digits. Anything else (a conflict copy,
// a temporary or partial file, a placeholder) is not one of ours.
func splitName(name string) (uint64, string, bool) {
	if len(name) != seqDigits+1+64 || name[seqDigits] != '-' {
		return 0, "", false
	}
	for _, c := range []byte(name[:seqDigits]) {
		if c < '0' || c > '9' {
			return 0, "", false
		}
	}
	h := name[seqDigits+1:]
	for _, c := range []byte(h) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return 0, "", false
		}
	}
	n, err := strconv.ParseUint(name[:seqDigits], 10, 64)
	return n, h, err == nil
}

// Ignored says why a name in the folder is not one of ours, in a few words,
// or "" for a name that may be ours. Sync engines leave these beside the
// files they carry; none is ever read.
func Ignored(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.Contains(lower, ".sync-conflict-"), strings.Contains(lower, "conflicted copy"),
		strings.Contains(lower, "conflict copy"), strings.Contains(lower, "(conflict"):
		return "a sync engine's conflict copy"
	case strings.HasSuffix(lower, ".icloud"), strings.HasSuffix(lower, ".cloud"), strings.HasSuffix(lower, ".cloudf"):
		return "a cloud placeholder"
	case strings.HasPrefix(lower, ".syncthing."), strings.HasPrefix(lower, "~syncthing~"),
		strings.HasPrefix(lower, tempPrefix), strings.HasPrefix(lower, "~$"), strings.HasPrefix(lower, ".~"),
		strings.HasSuffix(lower, ".tmp"), strings.HasSuffix(lower, ".temp"), strings.HasSuffix(lower, ".part"),
		strings.HasSuffix(lower, ".partial"), strings.HasSuffix(lower, ".crdownload"), strings.HasSuffix(lower, "~"),
		strings.HasPrefix(lower, ".") && len(lower) > 1:
		return "a temporary or partial file"
	}
	return ""
}

// Entry is a numbered file as listed: the folder it is in, its device
// folder's name for a segment, its number (for a segment, the place of its
// first record in the device's chain) and the hash its name gives.
type Entry struct {
	Dir    string
	Device string
	Seq    uint64
	Hash   string
}

// Path is the file's path relative to the folder, with slashes.
func (e Entry) Path() string {
	return fmt.Sprintf("%s/%0*d-%s", e.Dir, seqDigits, e.Seq, e.Hash)
}

// Listing is what the folder holds that is ours, and what was passed over.
type Listing struct {
	// Segments by device folder, each in the order of their numbers.
	Segments map[string][]Entry
	// Manifest statements in the order of their numbers.
	Manifest []Entry
	// Skipped names files that are not ours (conflict copies, temporary
	// files, placeholders, unknown names), with the reason.
	Skipped []string
}

// List reads the folder's manifest and device folders. A missing folder is
// an error; missing subfolders are empty.
func (f *Folder) List() (*Listing, error) {
	if _, err := os.Stat(f.root); err != nil {
		return nil, fmt.Errorf("sync folder %s: %w", f.root, err)
	}
	l := &Listing{Segments: map[string][]Entry{}}
	var err error
	if l.Manifest, err = f.listNumbered(DirManifest, "", &l.Skipped); err != nil {
		return nil, err
	}
	devs, err := os.ReadDir(filepath.Join(f.root, DirDevices))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading the sync folder: %w", err)
	}
	for _, d := range devs {
		if !d.IsDir() || !validDeviceDir(d.Name()) {
			if Ignored(d.Name()) == "" {
				l.Skipped = append(l.Skipped, DirDevices+"/"+d.Name()+": not a device folder")
			}
			continue
		}
		segs, err := f.listNumbered(DirDevices+"/"+d.Name(), d.Name(), &l.Skipped)
		if err != nil {
			return nil, err
		}
		if len(segs) > 0 {
			l.Segments[d.Name()] = segs
		}
	}
	return l, nil
}

// listNumbered lists the numbered files of one folder in order.
func (f *Folder) listNumbered(rel, device string, skipped *[]string) ([]Entry, error) {
	entries, err := os.ReadDir(filepath.Join(f.root, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the sync folder: %w", err)
	}
	var out []Entry
	for _, e := range entries {
		n, h, ok := splitName(e.Name())
		if !ok || !e.Type().IsRegular() {
			why := Ignored(e.Name())
			if why == "" {
				why = "not a name this program writes"
			}
			if !strings.HasPrefix(e.Name(), tempPrefix) {
				*skipped = append(*skipped, rel+"/"+e.Name()+": "+why)
			}
			continue
		}
		out = append(out, Entry{Dir: rel, Device: device, Seq: n, Hash: h})
	}
	slices.SortFunc(out, func(a, b Entry) int {
		if c := cmp.Compare(a.Seq, b.Seq); c != 0 {
			return c
		}
		return strings.Compare(a.Hash, b.Hash)
	})
	return out, nil
}

// validDeviceDir accepts the names [DeviceDir] makes: lower-case letters
// and digits, 1 to 64 of them.
func validDeviceDir(name string) bool {
	if len(name) == 0 || len(name) > 64 {
		return false
	}
	for _, c := range []byte(name) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// PutNumbered writes data as the numbered file n of the folder dir (such
// as [DirManifest] or [DirKeys]), named by its hash, and returns its entry.
func (f *Folder) PutNumbered(dir string, n uint64, data []byte, owner string) (Entry, error) {
	e := Entry{Dir: dir, Seq: n, Hash: HashName(data)}
	return e, f.Put(e.Path(), data, owner)
}

// Numbered lists the numbered files of the folder dir in order, passing
// over names that are not ours.
func (f *Folder) Numbered(dir string) ([]Entry, error) {
	var skipped []string
	return f.listNumbered(dir, "", &skipped)
}

// Requests lists the files of the requests folder, as paths relative to
// the folder, passing over names that are not ours.
func (f *Folder) Requests() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(f.root, DirRequests))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the sync folder: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && validDeviceDir(e.Name()) {
			out = append(out, DirRequests+"/"+e.Name())
		}
	}
	return out, nil
}
