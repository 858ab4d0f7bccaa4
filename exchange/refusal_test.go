package exchange_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// A fork is known by its kind, kept with the refusal, never by the words
// of its message: a fork refused by an earlier command is still a fork
// for verify whatever it says, and a damaged file whose message happens to
// begin with "fork" is not one.
func TestAnEarlierForkIsKnownByItsKind(t *testing.T) {
	for _, tc := range []struct {
		why  string
		fork bool
	}{
		{why: `two different records at place 3 of the device "pc"`, fork: true},
		{why: "forked-file.txt: cut short", fork: false},
	} {
		s, f, _ := newSynced(t, 1)
		name := "refused-file"
		if err := os.WriteFile(filepath.Join(f.Root(), name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := s.AddRefused(name, journal.Refusal{Why: tc.why, Fork: tc.fork}); err != nil {
			t.Fatal(err)
		}
		problems, err := exchange.Check(s, f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := exchange.Review(s, &syncfolder.Report{Refused: problems}, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Refused) != 1 || p.Refused[0].Error() != tc.why {
			t.Fatalf("verify named %q, want %q", p.Refused, tc.why)
		}
		if p.Fork != tc.fork {
			t.Errorf("%q: fork = %v, want %v", tc.why, p.Fork, tc.fork)
		}
	}
}
