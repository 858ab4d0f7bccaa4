package export

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/witness"
)

// TestHowToCheckSaysTheClaims checks that the report's "How to check" page
// says what a journal that verifies shows and what it cannot, in the words
// of verify and the README.
func TestHowToCheckSaysTheClaims(t *testing.T) {
	f := newReportFixture()
	pdf, _ := renderPDF(t, f.timeline, f.options)
	text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
	for _, c := range journal.Claims {
		if !strings.Contains(text, c) {
			t.Errorf("the report does not say: %s", c)
		}
	}
	if !strings.Contains(text, "journal verify --fingerprint "+f.timeline.Fingerprint) {
		t.Error("the report does not say how to check its fingerprint without a key")
	}
}

// TestHowToCheckNamesWitnessedCheckpoints checks that the report names a
// checkpoint a witness countersigned, as 'journal verify' lists it: who,
// when, which records, the witness's key; and that a redacted copy leaves
// out the witness's name.
func TestHowToCheckNamesWitnessedCheckpoints(t *testing.T) {
	name, _ := witness.KeyName("Dr A. Adviser, MDU")
	key, _, err := witness.LoadKey(filepath.Join(t.TempDir(), "witness.key"), name, true)
	if err != nil {
		t.Fatal(err)
	}
	head := [32]byte{1, 2, 3}
	f := newReportFixture()
	f.timeline.Witnessed = []journal.CosignedEntry{{RecordedAt: at("2026-11-30 16:00 +0000"), At: 9, Cosigned: journal.Cosigned{
		Seq: 7, Head: journal.HeadHex(head), Name: name, Key: key.Verifier(), Time: at("2026-11-30 15:35 +0000")}}}
	pdf, _ := renderPDF(t, f.timeline, f.options)
	text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
	for _, want := range []string{
		"Witnessed checkpoints:",
		"Dr A. Adviser, MDU, 30 November 2026, 15:35:00 UTC",
		"records 1 to 7 (fingerprint " + journal.Fingerprint(head) + ")",
		"Witness key", // a label: pdftotext gives the labels' column apart
		"witnessed by Dr A. Adviser, MDU (key " + key.Fingerprint() + ") on ..., records 1 to 7: holds",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report does not say %q", want)
		}
	}

	o := f.options
	o.Redactions = []string{RedactPeople}
	pdf, _ = renderPDF(t, f.timeline, o)
	text = strings.Join(strings.Fields(pdfText(t, pdf)), " ")
	if strings.Contains(text, "Adviser") {
		t.Error("a redacted report names the witness")
	}
	if !strings.Contains(text, "A witness (name redacted), 30 November 2026") || !strings.Contains(text, key.Fingerprint()) {
		t.Error("a redacted report does not list the witnessed checkpoint")
	}
}
