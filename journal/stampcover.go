package journal

import (
	"cmp"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// What a stamp covers. A stamp signs a journal head (head.go), which
// stands for a set of records, not for positions: for each device, its
// records up to a place in its chain, and the version 1 records up to a
// position (they come first on every computer). Two computers hold the
// same records in other orders, so "records 1 to N" of one computer are
// not those of another; the places are the same everywhere. A stamp record
// therefore spells out the head it stamps ([Covers]), every computer marks
// as proven the incidents whose first record is in it, and that list is
// believed only when it hashes to the head the token signed.

// Covers spells out the journal head a stamp signed: the newest record
// of each device it covers, and the last version 1 record.
type Covers struct {
	// V1 is the position of the last version 1 record covered (0: none),
	// and V1Hash its chain hash in hex.
	V1      uint64          `json:"v1,omitempty"`
	V1Hash  string          `json:"v1_hash,omitempty"`
	Devices []CoveredDevice `json:"devices"`
}

// CoveredDevice is one device's newest record a stamp covers: every
// record of that device up to Place is covered.
type CoveredDevice struct {
	Device string `json:"device"` // as DeviceName gives it
	Place  uint64 `json:"place"`
	Hash   string `json:"hash"` // the record's hash in hex
}

// coversOf spells out a head vector.
func coversOf(h *headVector) *Covers {
	c := &Covers{Devices: []CoveredDevice{}}
	if h.v1Seq > 0 {
		c.V1, c.V1Hash = h.v1Seq, HeadHex(h.v1Hash)
	}
	for k, d := range h.devs {
		c.Devices = append(c.Devices, CoveredDevice{Device: DeviceName([]byte(k)), Place: d.place, Hash: HeadHex(d.hash)})
	}
	slices.SortFunc(c.Devices, func(a, b CoveredDevice) int {
		switch {
		case a.Device < b.Device:
			return -1
		case a.Device > b.Device:
			return 1
		}
		return 0
	})
	return c
}

// vector reads the head vector back; a malformed entry is an error.
func (c *Covers) vector(journalID []byte) (*headVector, error) {
	h := newHeadVector(journalID)
	if c.V1 > 0 {
		b, err := hex.DecodeString(c.V1Hash)
		if err != nil || len(b) != 32 {
			return nil, errors.New("its last version 1 record's hash cannot be read")
		}
		h.v1Seq, h.v1Hash = c.V1, [32]byte(b)
	}
	for _, d := range c.Devices {
		pub, err := ParseDeviceName(d.Device)
		b, herr := hex.DecodeString(d.Hash)
		if err != nil || herr != nil || len(b) != 32 || d.Place == 0 {
			return nil, fmt.Errorf("its entry for device %q cannot be read", d.Device)
		}
		if _, dup := h.devs[string(pub)]; dup {
			return nil, fmt.Errorf("it names device %q twice", d.Device)
		}
		h.devs[string(pub)] = deviceHead{place: d.Place, hash: [32]byte(b)}
	}
	return h, nil
}

// Head is the journal head the records c names make; a malformed entry
// is an error.
func (c *Covers) Head(journalID []byte) ([32]byte, error) {
	h, err := c.vector(journalID)
	if err != nil {
		return [32]byte{}, err
	}
	return h.sum(journalID), nil
}

// Check reports whether the records c names make the journal head head
// (hex), which is what the token signed: if they do not, the list is not
// what was stamped, and nothing may be marked proven by it.
func (c *Covers) Check(journalID []byte, head string) error {
	h, err := c.Head(journalID)
	if err != nil {
		return err
	}
	if HeadHex(h) != head {
		return errors.New("the records it says it covers do not make the journal head its token signed")
	}
	return nil
}

// Place returns up to which place of device's chain c covers (0: none of
// it). Device "" stands for the version 1 records, by position.
func (c *Covers) Place(device string) uint64 {
	if device == "" {
		return c.V1
	}
	for _, d := range c.Devices {
		if d.Device == device {
			return d.Place
		}
	}
	return 0
}

// pastOf is the causal past of a stamp record: its device's record
// before it, and the newest record of each other device it names as seen
// (every record names them: append.go). Merging waits for what a record
// names as seen, so on every computer these records come before it in
// the log. A version 1 record (device "") has none.
func pastOf(device string, place uint64, prev [32]byte, seen []SeenHead) map[string]deviceHead {
	past := map[string]deviceHead{}
	for _, s := range seen {
		past[DeviceName(s.Device)] = deviceHead{place: s.Place, hash: s.Hash}
	}
	if device != "" && place > 1 {
		past[device] = deviceHead{place: place - 1, hash: prev}
	}
	return past
}

// recordPast is the causal past (pastOf) of the stored record v.
func recordPast(v []byte) map[string]deviceHead {
	if len(v) == 0 || v[0] != envelopeV2 {
		return pastOf("", 0, [32]byte{}, nil)
	}
	e, err := decodeEnvelopeV2(v)
	if err != nil {
		return pastOf("", 0, [32]byte{}, nil) // verify names a record that cannot be read
	}
	return pastOf(DeviceName(e.Device), e.Place, e.Prev, e.Seen)
}

// heldBefore checks that every record c names was held by the computer
// that recorded the stamp, when it recorded it: in the record's causal
// past (pastOf), and, where it names the newest record of a device that
// past names, that very record. A computer records a stamp after taking
// it, so a true list always is. An authority stamps any digest it is
// sent: a list that names records beyond (a token taken for a made-up
// head, recorded once records were written to fit it) would otherwise
// prove, by an earlier time, records written after it.
func (c *Covers) heldBefore(past map[string]deviceHead, name func(device string) string) error {
	for _, d := range c.Devices {
		p, ok := past[d.Device]
		switch {
		case !ok || d.Place > p.place:
			return fmt.Errorf("it covers record %d of %s, which the computer that recorded it did not hold then", d.Place, name(d.Device))
		case d.Place == p.place && d.Hash != HeadHex(p.hash):
			return fmt.Errorf("it covers record %d of %s, and the computer that recorded it held another record there", d.Place, name(d.Device))
		}
	}
	return nil
}

// applyStamp marks the incidents a stamp covers as proven by it, unless
// a stamp as strong and as early already did (see strongerProof): an
// incident's proof is the strongest stamp covering it, then the earliest,
// whatever order the computer received the stamps in. A stamp whose list of covered records does not hash to the
// head its token signed, or names records its computer did not hold when
// it recorded it (past: the stamp record's pastOf), or whose token does
// not hold (stamptoken.go), marks nothing (verify names it). A stamp with
// no list (a version 1 journal) covers the log up to its position, which
// is the same on every computer for version 1 records. It reports whether
// the stamp marks incidents, and the root the journal carries that its
// token holds by, if it holds only by one.
func (st *State) applyStamp(s *Stamp, journalID []byte, past map[string]deviceHead) (holds bool, carried *CarriedRoot) {
	c := s.Covers
	if c == nil {
		if journalID != nil {
			return false, nil // made before stamps named their records, and not found here
		}
		c = &Covers{V1: s.Seq}
	} else if c.Check(journalID, s.Head) != nil || c.heldBefore(past, func(d string) string { return d }) != nil {
		return false, nil
	}
	if holds, carried = tokenHolds(s); !holds {
		return false, nil
	}
	for dev, list := range st.deviceIndex() {
		upTo := c.Place(dev)
		// list is in chain order, and an incident covered by a stamp is
		// covered by every stamp that covers a later one: so the proofs
		// along list never get weaker, and the walk back stops at the
		// first incident proven as strongly and as early.
		i, _ := slices.BinarySearchFunc(list, upTo, func(at int, p uint64) int {
			return cmp.Compare(st.Incidents[at].ChainPlace, p+1)
		})
		for i--; i >= 0; i-- {
			in := st.Incidents[list[i]]
			if !strongerProof(s, carried, in) {
				break
			}
			t := s.Time
			in.ProvenAt, in.ProvenBy, in.ProvenRoot = &t, s.Authority, carried
		}
	}
	return true, carried
}

// strongerProof reports whether stamp s, whose token holds only by the
// root the journal carries carried (nil: by one of this computer's), proves
// the incident in better than the stamp that proves it now: a token that
// holds by this computer's roots before one that holds only by a root the
// journal carries (whoever can write the journal can make such a root),
// then the earlier time, then the authority's name, so that every computer
// chooses the same one.
func strongerProof(s *Stamp, carried *CarriedRoot, in *Incident) bool {
	switch {
	case in.ProvenAt == nil:
		return true
	case (carried == nil) != (in.ProvenRoot == nil):
		return carried == nil
	case !s.Time.Equal(*in.ProvenAt):
		return s.Time.Before(*in.ProvenAt)
	}
	return s.Authority < in.ProvenBy
}

// deviceIndex brings byDevice up to date with Incidents.
func (st *State) deviceIndex() map[string][]int {
	if st.byDevice == nil || st.byDeviceN > len(st.Incidents) {
		st.byDevice, st.byDeviceN = map[string][]int{}, 0
	}
	for ; st.byDeviceN < len(st.Incidents); st.byDeviceN++ {
		d := st.Incidents[st.byDeviceN].ChainDevice
		st.byDevice[d] = append(st.byDevice[d], st.byDeviceN)
	}
	return st.byDevice
}

// CoverCheck is what [Store.CheckCovers] found for one stamp.
type CoverCheck struct {
	// Err says why the stamp's list of covered records does not hold:
	// it does not make the head its token signed, or it names a record
	// this journal holds another record in place of.
	Err error
	// NotArrived counts the records it covers that this computer has not
	// received yet (their incidents are not shown as proven until then).
	NotArrived uint64
	// Here is set when the records it covers are exactly records 1 to
	// the stamp's Seq of this computer's log.
	Here bool
}

// CheckCovers checks each stamp's list of covered records, for verify:
// that it makes the journal head the stamp's token signed, that the
// computer that recorded the stamp held every record it names then
// (heldBefore), and that each record it names is, in this journal, the
// record with that hash. It reads
// the log's clear headers once for all stamps. A stamp with no list (made
// before stamps named their records, and whose head was not found) gets
// a zero CoverCheck with Err nil and Here false; verify checks it as
// before. name gives a device's name for messages.
func (s *Store) CheckCovers(stamps []StampEntry, name func(device string) string) ([]CoverCheck, error) {
	out := make([]CoverCheck, len(stamps))
	type want struct {
		stamp int
		hash  string
	}
	wants := map[string]map[uint64][]want{} // device -> place -> stamps
	for i, se := range stamps {
		c := se.Covers
		if c == nil {
			continue
		}
		if err := c.Check(s.id, se.Head); err != nil {
			out[i].Err = err
			continue
		}
		for _, d := range c.Devices {
			if wants[d.Device] == nil {
				wants[d.Device] = map[uint64][]want{}
			}
			wants[d.Device][d.Place] = append(wants[d.Device][d.Place], want{i, d.Hash})
		}
	}
	if !slices.ContainsFunc(stamps, func(se StampEntry) bool { return se.Covers != nil }) {
		return out, nil // nothing to read the log for
	}
	newest := map[string]uint64{}
	// reach is, per stamp, the last position here of a record it names:
	// the records it covers are this computer's records 1 to its Seq
	// when they are that many and none lies beyond.
	reach := make([]uint64, len(stamps))
	err := s.view(func(tx *bolt.Tx) error {
		log := tx.Bucket(bucketLog)
		for i, se := range stamps {
			c := se.Covers
			if c == nil || out[i].Err != nil {
				continue
			}
			if c.V1 > 0 {
				if v := log.Get(u64(c.V1)); v == nil || v[0] == envelopeV2 || HeadHex(Hash(c.V1, v)) != c.V1Hash {
					out[i].Err = fmt.Errorf("it covers record %d, made before signing, which is another record here", c.V1)
				}
				reach[i] = c.V1
			}
			if out[i].Err == nil {
				out[i].Err = c.heldBefore(recordPast(log.Get(u64(se.At))), name)
			}
		}
		c := log.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			dev, place, ok := peekSigned(v)
			if !ok {
				continue
			}
			dn := DeviceName(dev)
			newest[dn] = max(newest[dn], place)
			pos := binary.BigEndian.Uint64(k)
			for _, w := range wants[dn][place] {
				reach[w.stamp] = max(reach[w.stamp], pos)
				if HeadHex(hashV2(v)) != w.hash && out[w.stamp].Err == nil {
					out[w.stamp].Err = fmt.Errorf("it covers record %d of %s, and this journal holds another record there (record %s here)",
						place, name(dn), strconv.FormatUint(pos, 10))
				}
			}
		}
		return nil
	})
	for i, se := range stamps {
		if se.Covers == nil {
			continue
		}
		count := se.Covers.V1
		for _, d := range se.Covers.Devices {
			count += d.Place
			if d.Place > newest[d.Device] {
				out[i].NotArrived += d.Place - newest[d.Device]
			}
		}
		out[i].Here = out[i].NotArrived == 0 && count == se.Seq && reach[i] <= se.Seq
	}
	return out, err
}
