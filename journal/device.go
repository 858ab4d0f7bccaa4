package journal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/journal-dev/journal/internal/edkey"
)

// A device is one computer's right to add records to a journal: an Ed25519
// key kept in a 0600 file in the user's configuration folder, never in the
// journal file nor in any folder that is synced. Beside it the computer
// keeps its pin: what it has seen of the journal (the owner's key, the
// newest manifest statement, the newest record of each device's chain), so
// that a journal changed or rolled back behind its back is noticed.

// ErrNotEnrolled is returned when this computer has no device key for a
// journal.
var ErrNotEnrolled = errors.New("this computer is not a device of this journal")

// ConfigDir is the folder where this computer keeps its device key and
// pin for the journal with the given identifier:
// $XDG_CONFIG_HOME/journal/<id> on Linux (~/.config/journal/<id>).
func ConfigDir(journalID []byte) (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the configuration folder: %w", err)
	}
	return filepath.Join(base, "journal", hex.EncodeToString(journalID)), nil
}

// Device is this computer's key for one journal.
type Device struct {
	Key  ed25519.PrivateKey
	Name string
}

// Public is the device's public key.
func (d *Device) Public() ed25519.PublicKey { return d.Key.Public().(ed25519.PublicKey) }

type deviceFile struct {
	Journal string `json:"journal"`
	Name    string `json:"name"`
	Seed    string `json:"seed"`
}

const deviceFileName = "device.key"

// NewDevice makes a device key for the journal and writes it, 0600, never
// over an existing one.
func NewDevice(journalID []byte, name string) (*Device, error) {
	dir, err := ConfigDir(journalID)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("making the device key's folder: %w", err)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	data, _ := json.Marshal(deviceFile{Journal: hex.EncodeToString(journalID), Name: name,
		Seed: base64.StdEncoding.EncodeToString(key.Seed())})
	path := filepath.Join(dir, deviceFileName)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("writing the device key: %w", err)
	}
	_, err = f.Write(append(data, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("writing the device key: %w", err)
	}
	return &Device{Key: key, Name: name}, nil
}

// LoadDevice reads this computer's device key for the journal, or returns
// [ErrNotEnrolled].
func LoadDevice(journalID []byte) (*Device, error) {
	dir, err := ConfigDir(journalID)
	if err != nil {
		return nil, err
	}
	return readDeviceFile(filepath.Join(dir, deviceFileName), journalID)
}

// readDeviceFile reads the device key of the journal journalID kept at
// path, or returns [ErrNotEnrolled] if there is none.
func readDeviceFile(path string, journalID []byte) (*Device, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotEnrolled
	}
	if err != nil {
		return nil, fmt.Errorf("reading the device key: %w", err)
	}
	var df deviceFile
	seed, derr := []byte(nil), json.Unmarshal(data, &df)
	if derr == nil {
		seed, derr = base64.StdEncoding.DecodeString(df.Seed)
	}
	if derr != nil || len(seed) != ed25519.SeedSize || df.Journal != hex.EncodeToString(journalID) {
		return nil, fmt.Errorf("the device key %s is damaged", path)
	}
	return &Device{Key: edkey.NewKeyFromSeed(seed), Name: df.Name}, nil
}

// SetAsideDeviceKey renames this computer's device key for the journal to
// "device.key.retired" (or "device.key.retired-N" when that name is
// taken), so that [NewDevice] can make a new one, and returns the new
// path. join does this when the sync folder names the key retired: the
// key is wiped only once the journal file's own checked manifest says so
// too (see [Store.ForgetRetiredKeys]), so that whoever can write the
// folder cannot destroy it.
func SetAsideDeviceKey(journalID []byte) (string, error) {
	return setAsideDeviceKey(journalID, ".retired")
}

// SetAsideUnconfirmedKey sets the device key aside as SetAsideDeviceKey
// does, but as "device.key.unconfirmed[-N]", which nothing removes: for a
// join on a computer that knew no owner of the journal to check the sync
// folder's manifest against, so that the manifest the new journal file
// holds, which came from the folder, is not taken as the owner's word
// that the key was retired.
func SetAsideUnconfirmedKey(journalID []byte) (string, error) {
	return setAsideDeviceKey(journalID, ".unconfirmed")
}

// setAsideDeviceKey renames the device key to its name with suffix, or
// suffix-N when that name is taken.
func setAsideDeviceKey(journalID []byte, suffix string) (string, error) {
	dir, err := ConfigDir(journalID)
	if err != nil {
		return "", err
	}
	from := filepath.Join(dir, deviceFileName)
	to := from + suffix
	for i := 2; ; i++ {
		if _, err := os.Lstat(to); errors.Is(err, fs.ErrNotExist) {
			break
		}
		to = fmt.Sprintf("%s%s-%d", from, suffix, i)
	}
	if err := os.Rename(from, to); err != nil {
		return "", fmt.Errorf("setting the retired device key aside: %w", err)
	}
	return to, nil
}

// Pin is what this computer has seen of a journal. Every command compares
// the journal with it before doing anything.
type Pin struct {
	Journal string `json:"journal"`
	// Path is the journal file the pin was last brought forward at: only
	// there is holding fewer records than the pin a rollback.
	Path string `json:"path"`
	// Owner is the owner's public key the computer trusts.
	Owner string `json:"owner"`
	// Manifest is the newest manifest statement seen.
	Manifest HeadJSON `json:"manifest"`
	// Heads holds, for each device, its newest record seen.
	Heads map[string]HeadJSON `json:"heads"`
	// V1 is the last record of a version 1 log seen, if any.
	V1 *HeadJSON `json:"v1,omitempty"`
	// Records is the highest number of records seen in the log.
	Records uint64 `json:"records"`
	// LastRecordedAt is the newest recorded-at time this computer gave a
	// record: its clock must not go back before it.
	LastRecordedAt time.Time `json:"last_recorded_at,omitzero"`
}

const pinFileName = "pin.json"

// LoadPin reads this computer's pin for the journal; a journal never seen
// here gives nil and no error.
func LoadPin(journalID []byte) (*Pin, error) {
	dir, err := ConfigDir(journalID)
	if err != nil {
		return nil, err
	}
	data, err := readPinFile(filepath.Join(dir, pinFileName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading what this computer knows of the journal: %w", err)
	}
	var p Pin
	if err := json.Unmarshal(data, &p); err != nil || p.Journal != hex.EncodeToString(journalID) {
		return nil, fmt.Errorf("%s is damaged: remove it, and the journal will be trusted as it is now", filepath.Join(dir, pinFileName))
	}
	if p.Heads == nil {
		p.Heads = map[string]HeadJSON{}
	}
	return &p, nil
}

// Save writes the pin atomically, 0600. A pin file that already holds
// exactly this pin, 0600, is left as it is: every reading command saves
// the pin, and rewriting it would cost each of them a sync of the disk.
func (p *Pin) Save() error {
	id, err := hex.DecodeString(p.Journal)
	if err != nil {
		return err
	}
	dir, err := ConfigDir(id)
	if err != nil {
		return err
	}
	data, _ := json.MarshalIndent(p, "", "  ")
	data = append(data, '\n')
	path := filepath.Join(dir, pinFileName)
	if pinUnchanged(path, data) {
		return nil
	}
	if err := writeConfigFile(dir, pinFileName, data); err != nil {
		rememberPin(path, nil, nil)
		return fmt.Errorf("saving what this computer knows of the journal: %w", err)
	}
	savedPin(path, data)
	return nil
}

// unchanged reports whether the private file at path holds exactly data.
func unchanged(path string, data []byte) bool {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 || fi.Size() != int64(len(data)) {
		return false
	}
	old, err := os.ReadFile(path)
	return err == nil && bytes.Equal(old, data)
}

// writeConfigFile writes data to dir/name, 0600 in a 0700 folder, through
// a temporary file renamed into place.
func writeConfigFile(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+name+"-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// Entry is the device as the manifest lists it, enrolled at t.
func (d *Device) Entry(t time.Time) DeviceEntry {
	return DeviceEntry{Key: DeviceName(d.Public()), Name: d.Name, EnrolledAt: t.UTC().Truncate(time.Second)}
}

// ForgetDevice removes this computer's device key and pin for a journal,
// for a journal that could not be made after all.
func ForgetDevice(journalID []byte) error {
	dir, err := ConfigDir(journalID)
	if err != nil {
		return err
	}
	return os.RemoveAll(dir)
}

// CreateWithDevice makes a journal at path (see [Create]) whose manifest,
// signed by owner, enrols this computer as its first device under name,
// and returns the device. Nothing is left behind if it fails.
func CreateWithDevice(path string, m *Meta, owner ed25519.PrivateKey, name string) (*Device, error) {
	if len(m.ID) == 0 {
		m.ID = NewID()
	}
	dev, err := NewDevice(m.ID, name)
	if err != nil {
		return nil, err
	}
	m.OwnerKey = owner
	m.Devices = []DeviceEntry{dev.Entry(time.Now())}
	if err := Create(path, m); err != nil {
		ForgetDevice(m.ID)
		return nil, err
	}
	return dev, nil
}
