package journal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"

	"github.com/journal-dev/journal/internal/edkey"
	bolt "go.etcd.io/bbolt"
)

// Concurrent statements of the manifest.
//
// Two computers that change the devices at the same time (one approves a
// computer that only adds while another joins) each sign a statement after
// the same one. Both stand: the journal keeps the first it learnt of on its
// main line (bucket manifest, by number) and the others beside it (bucket
// manifest_others, by hash), each checked as the main line is: signed by
// the owner of the statement it follows, numbered one after it.
//
// The manifest in force ([Manifest.Head]) is then the union of its leaves,
// the statements that no other follows or merges: every device any of them
// lists, retired if any of them retires it (a retirement wins over an
// approval). The next statement a computer signs follows its main line's
// newest and names the other leaves in Merges, which joins them again.
// Leaves that name different recipients or owners (a new key made on one
// computer while another changed the devices) contradict each other: that
// is a [ManifestForkError], and nothing of it is merged.

var bucketManifestOthers = []byte("manifest_others")

// readOthers reads and checks the statements beside the main line, and
// works out the manifest in force.
func readOthers(tx *bolt.Tx, m *Manifest, id string) error {
	type other struct {
		st   *Statement
		sig  []byte
		v    []byte
		hash [32]byte
	}
	var all []other
	if b := tx.Bucket(bucketManifestOthers); b != nil {
		err := b.ForEach(func(k, v []byte) error {
			st, sig, err := DecodeStatement(v)
			if err != nil {
				return &ManifestError{Reason: "a concurrent statement cannot be read: " + err.Error()}
			}
			h := statementHash(v)
			if !bytes.Equal(k, h[:]) {
				return &ManifestError{Reason: "a concurrent statement is not the one its name says"}
			}
			all = append(all, other{st, sig, v, h})
			return nil
		})
		if err != nil {
			return err
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].st.N < all[j].st.N })
	for _, o := range all {
		bad := func(reason string) error {
			return &ManifestError{Reason: fmt.Sprintf("concurrent statement %d %s", o.st.N, reason)}
		}
		parent, ok := m.byHash(o.st.Prev)
		if !ok || o.st.N != parent.N+1 || o.st.Journal != id {
			return bad("does not follow a statement of the manifest")
		}
		owner, err := parent.OwnerKey()
		if err != nil || !edkey.Verify(owner, append([]byte(manifestSigDomain), o.v[1+ed25519.SignatureSize:]...), o.sig) {
			return bad("is not signed by the journal's owner")
		}
		m.others = append(m.others, o.st)
		m.otherHashes = append(m.otherHashes, o.hash)
	}
	return m.merge()
}

// byHash finds a statement of the manifest, on its main line or beside
// it, by its hash in hex.
func (m *Manifest) byHash(h string) (*Statement, bool) {
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != 32 {
		return nil, false
	}
	var sum [32]byte
	copy(sum[:], b)
	for i, x := range m.hashes {
		if x == sum {
			return m.Statements[i], true
		}
	}
	for i, x := range m.otherHashes {
		if x == sum {
			return m.others[i], true
		}
	}
	return nil, false
}

// All returns every statement: the main line, then those beside it.
func (m *Manifest) All() []*Statement {
	return append(slices.Clone(m.Statements), m.others...)
}

// Find returns the statement ref names, on the main line or beside it.
func (m *Manifest) Find(ref ChainRef) (*Statement, bool) {
	st, ok := m.byHash(hex.EncodeToString(ref.Hash[:]))
	if !ok || st.N != ref.N {
		return nil, false
	}
	return st, true
}

// has reports whether the manifest holds the statement whose hash is h.
func (m *Manifest) has(h [32]byte) bool {
	_, ok := m.byHash(hex.EncodeToString(h[:]))
	return ok
}

// leaves returns the hashes of the statements that no statement follows
// or merges, the main line's newest first if it is one, then in order.
func (m *Manifest) leaves() [][32]byte {
	cited := map[string]bool{}
	for _, st := range m.All() {
		cited[st.Prev] = true
		for _, h := range st.Merges {
			cited[h] = true
		}
	}
	var out [][32]byte
	for _, h := range append(slices.Clone(m.hashes), m.otherHashes...) {
		if !cited[hex.EncodeToString(h[:])] {
			out = append(out, h)
		}
	}
	main := m.hashes[len(m.hashes)-1]
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i] == main) != (out[j] == main) {
			return out[i] == main
		}
		return bytes.Compare(out[i][:], out[j][:]) < 0
	})
	return out
}

// mergeRefs is what the next statement names in Merges: every leaf but
// the main line's newest statement, which it follows.
func (m *Manifest) mergeRefs() []string {
	var out []string
	main := m.hashes[len(m.hashes)-1]
	for _, h := range m.leaves() {
		if h != main {
			out = append(out, hex.EncodeToString(h[:]))
		}
	}
	return out
}

// merge works out the manifest in force from the leaves.
func (m *Manifest) merge() error {
	m.head = nil
	leaves := m.leaves()
	if len(leaves) <= 1 && (len(leaves) == 0 || leaves[0] == m.hashes[len(m.hashes)-1]) {
		return nil
	}
	var head *Statement
	for _, h := range leaves {
		st, _ := m.byHash(hex.EncodeToString(h[:]))
		if head == nil {
			cp := *st
			cp.Devices = slices.Clone(st.Devices)
			head = &cp
			continue
		}
		if st.Recipient != head.Recipient || st.Owner != head.Owner {
			return &ManifestForkError{N: st.N, Reason: "one names a new key while the other changes the devices"}
		}
		for _, d := range st.Devices {
			have := head.deviceByKey(d.Key)
			if have == nil {
				head.Devices = append(head.Devices, d)
				continue
			}
			// A retirement wins over an approval; of two, the one
			// that lets more of the device's records stand.
			if d.RetiredAt != nil && (have.RetiredAt == nil || after(d.RetiredAfter, have.RetiredAfter)) {
				have.RetiredAt, have.RetiredAfter = d.RetiredAt, d.RetiredAfter
			}
			if have.AddressKey == "" {
				have.AddressKey = d.AddressKey
			}
		}
		head.Change += "; " + st.Change
	}
	// In the order they were enrolled, so that every computer lists
	// them alike whichever statement it learnt of first: by the first
	// statement that names each (its number is the same on every
	// computer), then, for devices enrolled at the same moment on two
	// computers, by time and key. Enrolment times alone are in seconds:
	// devices enrolled in one second would fall in the order of their keys.
	first := make(map[string]uint64)
	for _, st := range m.All() {
		for _, d := range st.Devices {
			if n, ok := first[d.Key]; !ok || st.N < n {
				first[d.Key] = st.N
			}
		}
	}
	sort.SliceStable(head.Devices, func(i, j int) bool {
		a, b := head.Devices[i], head.Devices[j]
		if first[a.Key] != first[b.Key] {
			return first[a.Key] < first[b.Key]
		}
		if !a.EnrolledAt.Equal(b.EnrolledAt) {
			return a.EnrolledAt.Before(b.EnrolledAt)
		}
		return a.Key < b.Key
	})
	m.head = head
	return nil
}

// after reports whether the place a is later than b.
func after(a, b *HeadJSON) bool {
	return a != nil && (b == nil || a.N > b.N)
}

func (st *Statement) deviceByKey(key string) *DeviceEntry {
	for i := range st.Devices {
		if st.Devices[i].Key == key {
			return &st.Devices[i]
		}
	}
	return nil
}

// RefFor is the statement a record of the device pub names: the main
// line's newest if it enrols pub, else a leaf that does (a device enrolled
// on another computer at the same time as a change here).
func (m *Manifest) RefFor(pub ed25519.PublicKey) ChainRef {
	head := m.HeadRef()
	if m.Statements[len(m.Statements)-1].Device(pub) != nil {
		return head
	}
	for _, h := range m.leaves() {
		if st, _ := m.byHash(hex.EncodeToString(h[:])); st.Device(pub) != nil {
			return ChainRef{N: st.N, Hash: h}
		}
	}
	return head
}

// TagClash returns the device that holds the same letter as pub and keeps
// it, or nil. Letters are drawn from each device's key ([Statement.TagFor])
// so two computers enrolled at the same time almost never draw the same
// one; if they do, the device whose key sorts first keeps it and the
// other's records are refused, never shown under another's number.
//
// Tag 0 is no letter: the devices enrolled with 'journal device enrol'
// share the journal file of the device that made it, and its count.
func (m *Manifest) TagClash(pub ed25519.PublicKey) *DeviceEntry {
	head := m.Head()
	me := head.Device(pub)
	if me == nil || me.Tag == 0 {
		return nil
	}
	for i, d := range head.Devices {
		if d.Key != me.Key && d.Tag == me.Tag && d.Key < me.Key {
			return &head.Devices[i]
		}
	}
	return nil
}

// TagFor is the letter ([IncidentNumber]'s tag) for a device enrolled
// after st: two letters drawn from the device's key, the first pair in
// the order its key gives that no device of st holds. Drawn from the key,
// not counted, so that two computers enrolled at the same time on two
// computers that had not heard of each other get different letters
// (unless they draw the same pair, 1 chance in 650, see
// [Manifest.TagClash]).
func (st *Statement) TagFor(pub ed25519.PublicKey) uint16 {
	used := map[uint16]bool{}
	var top uint16
	for _, d := range st.Devices {
		used[d.Tag] = true
		top = max(top, d.Tag)
	}
	seed := sha256.Sum256(append([]byte("journal device letter\x00"), pub...))
	for i := 0; i+2 <= len(seed); i += 2 {
		// "ba" to "zz": 26 to 675.
		t := 26 + binary.BigEndian.Uint16(seed[i:])%650
		if !used[t] {
			return t
		}
	}
	return max(top+1, 676)
}
