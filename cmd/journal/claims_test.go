package main

import (
	"os"
	"strings"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// TestClaimsSaidEverywhere checks that the README and 'journal verify
// --help' say, word for word, what a journal that verifies shows and what
// it cannot. (verify prints them too: see testdata/script/claims.txt; the
// report's "How to check" page: export's TestHowToCheckSaysTheClaims.)
func TestClaimsSaidEverywhere(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var help strings.Builder
	if code := run([]string{"verify", "--help"}, &streams{in: strings.NewReader(""), out: &help, err: &help}); code != 0 {
		t.Fatalf("verify --help: exit %d", code)
	}
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for name, text := range map[string]string{"README.md": string(readme), "verify --help": help.String()} {
		for _, c := range journal.Claims {
			if !strings.Contains(flat(text), c) {
				t.Errorf("%s does not say: %s", name, c)
			}
		}
	}
	if !strings.Contains(flat(string(readme)), journal.ClaimBeforeSigning) {
		t.Errorf("README.md does not say: %s", journal.ClaimBeforeSigning)
	}
}
