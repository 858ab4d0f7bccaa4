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
	key, entry, head := witnessedFixture(t)
	f := newReportFixture()
	f.timeline.Witnessed = []journal.CosignedEntry{entry}
	pdf, _ := renderPDF(t, f.timeline, f.options)
	text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
	for _, want := range []string{
		"Witnessed checkpoints:",
		"Dr A. Adviser, MDU, 30 November 2026, 15:35:00 UTC",
		"every record the computer that made it held then (7 records; fingerprint " + journal.Fingerprint(head) + ")",
		"Witness key", // a label: pdftotext gives the labels' column apart
		"witnessed by Dr A. Adviser, MDU (key " + key.Fingerprint() + ") on ...: holds",
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

// witnessedFixture is a checkpoint of records 1 to 7 witnessed by "Dr A.
// Adviser, MDU" with a real witness key, and that key and the head.
func witnessedFixture(t *testing.T) (*witness.Key, journal.CosignedEntry, [32]byte) {
	t.Helper()
	name, _ := witness.KeyName("Dr A. Adviser, MDU")
	key, _, err := witness.LoadKey(filepath.Join(t.TempDir(), "witness.key"), name, true)
	if err != nil {
		t.Fatal(err)
	}
	head := [32]byte{1, 2, 3}
	return key, journal.CosignedEntry{RecordedAt: at("2026-11-30 16:00 +0000"), At: 9, Cosigned: journal.Cosigned{
		Seq: 7, Head: journal.HeadHex(head), Name: name, Key: key.Verifier(), Time: at("2026-11-30 15:35 +0000")}}, head
}

// TestMarkdownNamesWitnessedCheckpoints checks that the Markdown report
// lists a witnessed checkpoint as the PDF does, and that a redacted one
// leaves out the witness's name.
func TestMarkdownNamesWitnessedCheckpoints(t *testing.T) {
	key, entry, head := witnessedFixture(t)
	f := newReportFixture()
	f.timeline.Witnessed = []journal.CosignedEntry{entry}
	var b strings.Builder
	if err := WriteMarkdown(&b, f.timeline); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"## Witnessed checkpoints",
		"### Dr A. Adviser, MDU, 30 Nov 2026 15:35:00 UTC",
		"- Covers: every record the computer that made it held then (7 records; fingerprint " + journal.Fingerprint(head) + ")",
		"- Witness key: `" + key.Fingerprint() + "`",
		"- Verify says: `witnessed by Dr A. Adviser, MDU (key " + key.Fingerprint() + ") on ...: holds`",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the Markdown report does not say %q", want)
		}
	}

	red, _ := RedactAll(f.timeline, nil)
	b.Reset()
	if err := WriteMarkdown(&b, red); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "Adviser") {
		t.Error("a redacted Markdown report names the witness")
	}
	if !strings.Contains(b.String(), "### A witness (name redacted), 30 Nov 2026") || !strings.Contains(b.String(), key.Fingerprint()) {
		t.Error("a redacted Markdown report does not list the witnessed checkpoint")
	}
	if f.timeline.Witnessed[0].Name == "" {
		t.Error("redacting changed the timeline it was given")
	}
}
