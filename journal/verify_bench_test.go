package journal_test

import (
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// BenchmarkVerify2000 verifies a journal of 2,000 incidents: run it with
// -cpu 1,2 to see how much of verify the second core takes.
func BenchmarkVerify2000(b *testing.B) {
	path, sealer := newJournal(b)
	s, err := openDevice(path)
	if err != nil {
		b.Fatal(err)
	}
	var recs []*journal.Record
	for i := range 2000 {
		r := incident("He waited outside the surgery until the evening", t0.Add(time.Duration(i)*time.Hour))
		r.Fields.People = []journal.Person{{Name: "John Smith", Relation: "patient"}}
		recs = append(recs, r)
	}
	if err := s.Append(sealer, recs...); err != nil {
		b.Fatal(err)
	}
	s.Close()
	s = open(b, path, true)
	if _, err := s.Load(sealer); err != nil {
		b.Fatal(err)
	}
	s.Close() // writes the cache
	b.ResetTimer()
	for b.Loop() {
		s := open(b, path, true)
		if _, err := s.Verify(sealer); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
