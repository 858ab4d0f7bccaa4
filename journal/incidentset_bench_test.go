package journal

import (
	"testing"
	"time"
)

// BenchmarkDecodeDisclosure reads the record an export of a whole journal
// of 2,000 incidents writes, as every read replays it until the cache is
// written anew.
func BenchmarkDecodeDisclosure(b *testing.B) {
	ids := make([]uint64, 2000)
	for i := range ids {
		ids[i] = uint64(i + 1)
	}
	plain, err := EncodeRecord(&Record{Type: TypeDisclosure, RecordedAt: time.Now(), Disclosure: &Disclosure{
		Format: "json", Filters: []string{}, SHA256: "ab", Size: 1, Incidents: NewIncidentSet(ids), Fingerprint: "f"}})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		r, err := DecodeRecord(plain)
		if err != nil || r.Disclosure.Incidents.Len() != len(ids) {
			b.Fatal(err)
		}
	}
}
