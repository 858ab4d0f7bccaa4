package journal_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/journal-dev/journal/journal"
	bolt "go.etcd.io/bbolt"
)

// A read checks one signature per device (its newest record's, which
// covers the chain before it); when anything is wrong it reads again
// checking each, so the record it names is the first that does not hold.
func TestReadNamesTheFirstBadRecord(t *testing.T) {
	flip := func(n uint64, at func(v []byte) int) func(b *bolt.Bucket) {
		return func(b *bolt.Bucket) {
			v := append([]byte(nil), b.Get(key(n))...)
			v[at(v)] ^= 1
			b.Put(key(n), v)
		}
	}
	signature := func(v []byte) int { return len(v) - 1 }
	ciphertext := func(v []byte) int { return len(v) - 80 }
	tests := []struct {
		name   string
		change func(b *bolt.Bucket)
		seq    uint64
		reason string
	}{
		{"signature of a middle record", flip(2, signature), 2, "signature does not verify"},
		{"signature of the newest record", flip(4, signature), 4, "signature does not verify"},
		{"ciphertext of a middle record", flip(3, ciphertext), 3, "signature does not verify"},
		{"first record removed", func(b *bolt.Bucket) { b.Delete(key(1)) }, 1, "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, sealer := newJournal(t)
			s, err := openDevice(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Append(sealer, incident("a", t0), incident("b", t0), incident("c", t0), incident("d", t0)); err != nil {
				t.Fatal(err)
			}
			s.Close()
			tamper(t, path, tt.change)
			for _, o := range []journal.Opener{sealer, openerOnly{sealer}} {
				_, err := load(t, path, o)
				var ie *journal.IntegrityError
				if !errors.As(err, &ie) || ie.Seq != tt.seq || !strings.Contains(ie.Error(), tt.reason) {
					t.Errorf("Load = %v, want record %d: %s", err, tt.seq, tt.reason)
				}
			}
		})
	}
}
