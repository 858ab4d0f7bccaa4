package exchange_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/journal-dev/journal/exchange"
)

// What earlier pulls refused and the folder still holds is named by
// verify in the same order every time, the order of the files' names:
// two runs over the same folder say the same thing.
func TestCheckNamesEarlierRefusalsInOrder(t *testing.T) {
	s, f, _ := newSynced(t, 1)
	var want []string
	for i := range 6 {
		name := fmt.Sprintf("left-%d", i)
		if err := os.WriteFile(filepath.Join(f.Root(), name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		why := fmt.Sprintf("%s was refused: damaged", name)
		if err := s.AddRefused(name, why); err != nil {
			t.Fatal(err)
		}
		want = append(want, why)
	}
	for range 10 {
		problems, err := exchange.Check(s, f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range problems {
			got = append(got, p.Error())
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Check named\n%q\nwant\n%q", got, want)
		}
	}
}
