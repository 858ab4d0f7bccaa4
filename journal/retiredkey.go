package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// A retired device key can only sign records that every computer refuses
// (the owner's retirement wins over any other manifest statement), and the
// records it signed before are checked with its public key, which the
// manifest keeps. It opens nothing: a device key signs, the journal's own
// key reads. So nothing needs it once its computer knows it was retired,
// and a copy of it on a disk that is lost, sold or stolen is better gone.

// ForgetRetiredKeys removes the device keys this computer keeps for the
// journal that the owner retired: its device key, and any key set aside
// when the computer joined again as a new device ("device.key.retired*"),
// each only once the journal's manifest, checked against the owner's
// signatures, names that very key retired. (The sync folder's word is not
// enough: whoever can write the folder could write a statement that no
// owner signed; join sets a key aside on it, and the key stays until the
// signed manifest agrees.) Each key removed is overwritten with zeros on
// the disk first (see [ForgetDeviceKey]). It returns when this computer's
// device was retired, or nil if its key was not removed, and the names of
// the set-aside keys removed; a set-aside key the manifest does not name
// retired, or that cannot be read as a key of this journal, is kept.
func (s *Store) ForgetRetiredKeys() (retired *time.Time, setAside []string, err error) {
	dir, err := ConfigDir(s.ID())
	if err != nil {
		return nil, nil, err
	}
	aside, err := filepath.Glob(filepath.Join(dir, deviceFileName+".retired*"))
	if err != nil {
		return nil, nil, err
	}
	dev, derr := LoadDevice(s.ID())
	if len(aside) == 0 && derr != nil {
		// None here, or a damaged one: that is said where it is used
		// (an add), not at every read.
		return nil, nil, nil
	}
	m, err := s.Manifest()
	if err != nil || m == nil {
		return nil, nil, err
	}
	for _, name := range aside {
		old, err := readDeviceFile(name, s.ID())
		if err != nil || !retiredIn(m, old.Public()) {
			continue
		}
		if err := wipeFile(name); err != nil {
			return nil, setAside, err
		}
		setAside = append(setAside, name)
	}
	if derr != nil {
		return nil, setAside, nil
	}
	e := m.Head().Device(dev.Public())
	if e == nil || e.RetiredAt == nil {
		return nil, setAside, nil
	}
	if err := ForgetDeviceKey(s.ID()); err != nil {
		return nil, setAside, err
	}
	return e.RetiredAt, setAside, nil
}

// retiredIn reports whether the manifest m names the device key pub
// retired.
func retiredIn(m *Manifest, pub []byte) bool {
	e := m.Head().Device(pub)
	return e != nil && e.RetiredAt != nil
}

// ForgetDeviceKey removes this computer's device key for the journal, for
// a key the caller knows was retired: the file is overwritten with zeros
// and synced before it is removed, so that its blocks no longer hold the
// key on a disk that writes in place. A file system that copies on write
// (btrfs, ZFS, APFS), its journal, and an SSD's own remapping may keep the
// old blocks for a while: no program can reach those.
//
// On a computer that only adds, the evidence address key it was given,
// and the key it was given it with, go the same way: it named the
// evidence it attached, which a retired device can no longer do, and it
// can tell which files are in the journal. (A computer that reads derives
// the address key from the journal's key at each unlock, so its copy is
// kept.)
func ForgetDeviceKey(journalID []byte) error {
	dir, err := ConfigDir(journalID)
	if err != nil {
		return err
	}
	if k, err := LoadAddressKeys(journalID); err == nil && k.GrantIdentity != "" {
		if err := wipeFile(filepath.Join(dir, addressFileName)); err != nil {
			return err
		}
	}
	return wipeFile(filepath.Join(dir, deviceFileName))
}

// wipeFile overwrites the file at path with zeros, syncs it, removes it
// and syncs its folder. A file that is not there is no error. Anything
// but a plain file (a link) is removed without being written through.
func wipeFile(path string) error {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil && !info.Mode().IsRegular() {
		err = os.Remove(path)
	}
	if err != nil || !info.Mode().IsRegular() {
		if err != nil {
			return fmt.Errorf("removing the retired device key: %w", err)
		}
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("removing the retired device key: %w", err)
	}
	_, err = f.Write(make([]byte, info.Size()))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Remove(path)
	}
	if err != nil {
		return fmt.Errorf("removing the retired device key: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
