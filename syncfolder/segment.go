package syncfolder

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// segmentMagic begins every segment file; keysMagic begins one that also
// carries sealed lists of its records' file keys (see [Segment.Keys]).
const (
	segmentMagic = "journal segment 1\n"
	keysMagic    = "journal segment 2\n"
)

// Limits that keep a hostile segment from making a reader allocate without
// bound. A segment is what one device wrote at one time: one `add`, or
// everything a device had at `sync init`.
const (
	maxSegmentRecords = 1 << 20
	maxRecordSize     = 16 << 20
	maxJournalID      = 64
	maxKeyLists       = 64
)

// Segment is one file of a device's folder: consecutive records of that
// device's chain, from place First on. The records are opaque here: each
// is the signed, sealed form the journal package makes and checks.
type Segment struct {
	JournalID []byte
	Device    ed25519.PublicKey
	First     uint64
	Records   [][]byte
	// Keys are lists of the records' file keys, sealed by the device
	// that wrote them to the journal's own key, so that a reader opens
	// the records with one public-key operation per list rather than one
	// per record. They are opaque here and only hints to the journal,
	// which tries each key and falls back to its identity when one does
	// not open its record; a segment may have none.
	Keys [][]byte
}

// Last is the place of the segment's last record.
func (s *Segment) Last() uint64 { return s.First + uint64(len(s.Records)) - 1 }

// Encode returns the segment's file content: the magic line, the journal's
// identifier, the device's public key, the first place, the number of
// records, then each record with its length; then, only when there are
// key lists (and the magic line says so), their number and each with its
// length.
func (s *Segment) Encode() ([]byte, error) {
	if len(s.JournalID) == 0 || len(s.JournalID) > maxJournalID {
		return nil, errors.New("segment: bad journal identifier")
	}
	if len(s.Device) != ed25519.PublicKeySize {
		return nil, errors.New("segment: bad device key")
	}
	if len(s.Records) == 0 || len(s.Records) > maxSegmentRecords || s.First == 0 {
		return nil, errors.New("segment: bad number of records")
	}
	n := len(segmentMagic) + 1 + len(s.JournalID) + len(s.Device) + 8 + 4
	for _, r := range s.Records {
		if len(r) == 0 || len(r) > maxRecordSize {
			return nil, errors.New("segment: bad record size")
		}
		n += 4 + len(r)
	}
	if len(s.Keys) > maxKeyLists {
		return nil, errors.New("segment: too many key lists")
	}
	for _, k := range s.Keys {
		if len(k) == 0 || len(k) > maxRecordSize {
			return nil, errors.New("segment: bad key list size")
		}
		n += 4 + len(k)
	}
	b := make([]byte, 0, n+4)
	magic := segmentMagic
	if len(s.Keys) > 0 {
		magic = keysMagic
	}
	b = append(b, magic...)
	b = append(b, byte(len(s.JournalID)))
	b = append(b, s.JournalID...)
	b = append(b, s.Device...)
	b = binary.BigEndian.AppendUint64(b, s.First)
	b = binary.BigEndian.AppendUint32(b, uint32(len(s.Records)))
	for _, r := range s.Records {
		b = binary.BigEndian.AppendUint32(b, uint32(len(r)))
		b = append(b, r...)
	}
	if len(s.Keys) > 0 {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s.Keys)))
		for _, k := range s.Keys {
			b = binary.BigEndian.AppendUint32(b, uint32(len(k)))
			b = append(b, k...)
		}
	}
	return b, nil
}

// DecodeSegment reads a segment strictly: every length in bounds, no byte
// missing, none left over. The records are copies.
func DecodeSegment(b []byte) (*Segment, error) {
	rest, ok := bytes.CutPrefix(b, []byte(segmentMagic))
	withKeys := false
	if !ok {
		if rest, ok = bytes.CutPrefix(b, []byte(keysMagic)); !ok {
			return nil, errors.New("not a segment")
		}
		withKeys = true
	}
	take := func(n int) ([]byte, bool) {
		if n < 0 || len(rest) < n {
			return nil, false
		}
		v := rest[:n]
		rest = rest[n:]
		return v, true
	}
	short := errors.New("segment is cut short")
	l, ok := take(1)
	if !ok || l[0] == 0 || int(l[0]) > maxJournalID {
		return nil, errors.New("segment: bad journal identifier")
	}
	s := &Segment{}
	id, ok := take(int(l[0]))
	if !ok {
		return nil, short
	}
	s.JournalID = bytes.Clone(id)
	dev, ok := take(ed25519.PublicKeySize)
	if !ok {
		return nil, short
	}
	s.Device = ed25519.PublicKey(bytes.Clone(dev))
	hdr, ok := take(12)
	if !ok {
		return nil, short
	}
	s.First = binary.BigEndian.Uint64(hdr)
	count := binary.BigEndian.Uint32(hdr[8:])
	if s.First == 0 || count == 0 || count > maxSegmentRecords || s.First+uint64(count) < s.First {
		return nil, errors.New("segment: bad number of records")
	}
	// Each record needs at least five bytes: do not trust count for the
	// allocation before that is known to hold.
	if uint64(len(rest)) < uint64(count)*5 {
		return nil, short
	}
	s.Records = make([][]byte, 0, count)
	for range count {
		lb, ok := take(4)
		if !ok {
			return nil, short
		}
		n := binary.BigEndian.Uint32(lb)
		if n == 0 || n > maxRecordSize {
			return nil, errors.New("segment: bad record size")
		}
		r, ok := take(int(n))
		if !ok {
			return nil, short
		}
		s.Records = append(s.Records, bytes.Clone(r))
	}
	if withKeys {
		lb, ok := take(4)
		if !ok {
			return nil, short
		}
		n := binary.BigEndian.Uint32(lb)
		if n == 0 || n > maxKeyLists {
			return nil, errors.New("segment: bad number of key lists")
		}
		for range n {
			lb, ok := take(4)
			if !ok {
				return nil, short
			}
			size := binary.BigEndian.Uint32(lb)
			if size == 0 || size > maxRecordSize {
				return nil, errors.New("segment: bad key list size")
			}
			k, ok := take(int(size))
			if !ok {
				return nil, short
			}
			s.Keys = append(s.Keys, bytes.Clone(k))
		}
	}
	if len(rest) != 0 {
		return nil, errors.New("segment has data after its last record")
	}
	return s, nil
}

var deviceEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// DeviceDir is the name of a device's folder: 16 letters and digits from
// the SHA-256 of its public key, so that it is the same on every computer,
// safe on every file system, and says nothing about the device.
func DeviceDir(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(append([]byte("journal device folder\x00"), pub...))
	return strings.ToLower(deviceEncoding.EncodeToString(sum[:10]))
}

// PutSegment writes a segment into its device's folder, named by its first
// place and its hash, and returns the entry. Writing the same segment
// again does nothing.
func (f *Folder) PutSegment(s *Segment) (Entry, error) {
	if !bytes.Equal(s.JournalID, f.JournalID) {
		return Entry{}, ErrOtherJournal
	}
	b, err := s.Encode()
	if err != nil {
		return Entry{}, err
	}
	dev := DeviceDir(s.Device)
	e := Entry{Dir: DirDevices + "/" + dev, Device: dev, Seq: s.First, Hash: HashName(b)}
	return e, f.Put(e.Path(), b, dev)
}

// ForeignError reports a segment that is whole but not of this journal or
// not in the folder of the device that wrote it. It is ignored, with a
// warning naming it; it is not damage.
type ForeignError struct {
	Path   string
	Reason string
}

func (e *ForeignError) Error() string {
	return fmt.Sprintf("sync folder file %s was ignored: %s", e.Path, e.Reason)
}

// ReadSegment reads and decodes the segment e. A file whose content does
// not match its name, or does not decode, is a [*DamagedError]; a segment
// of another journal, or in another device's folder, or whose first place
// is not its name's, is a [*ForeignError].
func (f *Folder) ReadSegment(e Entry) (*Segment, error) {
	b, err := f.Read(e.Path())
	if err != nil {
		return nil, err
	}
	s, err := DecodeSegment(b)
	if err != nil {
		return nil, &DamagedError{Path: e.Path(), Reason: err.Error()}
	}
	switch {
	case !bytes.Equal(s.JournalID, f.JournalID):
		return nil, &ForeignError{Path: e.Path(), Reason: "it belongs to another journal"}
	case DeviceDir(s.Device) != e.Device:
		return nil, &ForeignError{Path: e.Path(), Reason: "it was written by another device than its folder's"}
	case s.First != e.Seq:
		return nil, &ForeignError{Path: e.Path(), Reason: "its name does not match its records' places"}
	}
	return s, nil
}
