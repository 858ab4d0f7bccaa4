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
// journal that the owner retired: its device key, once the journal's
// manifest says it was retired, and any key an earlier version set aside
// when the computer joined again as a new device ("device.key.retired").
// Each is overwritten with zeros on the disk before it is removed (see
// [ForgetDeviceKey]). It returns when the device was retired, or nil if
// its key was not removed, and the names of the set-aside keys removed.
func (s *Store) ForgetRetiredKeys() (retired *time.Time, setAside []string, err error) {
	dir, err := ConfigDir(s.ID())
	if err != nil {
		return nil, nil, err
	}
	if setAside, err = filepath.Glob(filepath.Join(dir, deviceFileName+".retired*")); err != nil {
		return nil, nil, err
	}
	for _, name := range setAside {
		if err := wipeFile(name); err != nil {
			return nil, nil, err
		}
	}
	dev, err := LoadDevice(s.ID())
	if err != nil {
		// None here, or a damaged one: that is said where it is used
		// (an add), not at every read.
		return nil, setAside, nil
	}
	m, err := s.Manifest()
	if err != nil || m == nil {
		return nil, setAside, err
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
