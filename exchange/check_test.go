package exchange_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/journal"
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
		if err := s.AddRefused(name, journal.Refusal{Why: why}); err != nil {
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

// A damaged device key is said, not taken for a computer that has nothing
// of its own to write: the sync would otherwise report success and leave
// this computer's records out of the folder.
func TestDamagedDeviceKeyIsSaid(t *testing.T) {
	s, f, _ := newSynced(t, 1)
	dir, err := journal.ConfigDir(s.ID())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "device.key"), []byte("{not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := exchange.Run(s, f, nil); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("Run with a damaged device key: %v, want it said damaged", err)
	}
	if _, err := exchange.Rewrite(s, f); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("Rewrite with a damaged device key: %v, want it said damaged", err)
	}
}
