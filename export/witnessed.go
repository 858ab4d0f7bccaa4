package export

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"time"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/witness"
)

// witnessedWords says what a witnessed checkpoint shows and what it does
// not, in every report that lists them.
const witnessedWords = "the author gave the journal's fingerprint to a person of their choosing, such as a " +
	"defence adviser, who signed with a key of their own that they saw it at the time they state. That shows that the " +
	"records it covers existed, as they are now, by that time: if any of them were changed later, 'journal verify' would " +
	"say that the checkpoint no longer holds, and the witness's own program, which keeps what it signed, would refuse " +
	"to sign the changed journal. The witness can confirm it from their own records. It does not prove that what was " +
	"written is true."

// witnessedName is the witness's name as a report shows it: empty when
// the report is redacted (see [RedactAll]), which leaves it out.
func witnessedName(w *journal.CosignedEntry, redacted bool) string {
	if redacted || w.Name == "" {
		return ""
	}
	return witness.DisplayName(w.Name)
}

// witnessedCovers says which records a witnessed checkpoint covers, in the
// words of a stamp (pdf_proof.go): every record the computer that made it
// held, which another computer holds in another order, so that its count
// is not "records 1 to N" there. The fingerprint is the same everywhere.
func witnessedCovers(w *journal.CosignedEntry) string {
	return fmt.Sprintf("every record the computer that made it held then (%s; fingerprint %s)",
		plural(int(w.Seq), "record"), hexFingerprint(w.Head))
}

// witnessedVerifyLine is the line 'journal verify' prints for a witnessed
// checkpoint, its time and records left out: verify gives the time in the
// author's zone, and names the records as the computer it runs on holds
// them.
func witnessedVerifyLine(w *journal.CosignedEntry, name string) string {
	return fmt.Sprintf("witnessed by %s (key %s) on ...: holds", name, witness.KeyFingerprint(w.Key))
}

// writeWitnessedMarkdown writes the witnessed checkpoints section of the
// Markdown export.
func writeWitnessedMarkdown(p *printer, ws []journal.CosignedEntry) {
	p.line("## Witnessed checkpoints")
	p.line("")
	p.line("%s", "A checkpoint is witnessed when "+witnessedWords)
	for i := range ws {
		w := &ws[i]
		name := witnessedName(w, false)
		p.line("")
		p.line("### %s, %s", cmp.Or(name, "A witness (name redacted)"), w.Time.UTC().Format("2 Jan 2006 15:04:05 MST"))
		p.line("")
		p.line("- Covers: %s", witnessedCovers(w))
		p.line("- Witness key: `%s`", witness.KeyFingerprint(w.Key))
		if name != "" {
			p.line("- Verify says: `%s`", witnessedVerifyLine(w, name))
		}
	}
}

// witnessedJSON is a witnessed checkpoint as the JSON export writes it.
type witnessedJSON struct {
	Records     uint64    `json:"records"`
	Head        string    `json:"head_sha256"`
	Fingerprint string    `json:"fingerprint"`
	Witness     string    `json:"witness,omitempty"`
	WitnessKey  string    `json:"witness_key"`
	Time        time.Time `json:"time"`
}

// writeWitnessedJSON writes the "witnessed" member of the JSON export.
func writeWitnessedJSON(bw *bufio.Writer, ws []journal.CosignedEntry) error {
	out := make([]witnessedJSON, len(ws))
	for i := range ws {
		w := &ws[i]
		out[i] = witnessedJSON{Records: w.Seq, Head: w.Head, Fingerprint: hexFingerprint(w.Head), Witness: witnessedName(w, false),
			WitnessKey: witness.KeyFingerprint(w.Key), Time: w.Time.UTC()}
	}
	b, err := json.MarshalIndent(out, "  ", "  ")
	if err != nil {
		return err
	}
	bw.WriteString(",\n  \"witnessed\": ")
	bw.Write(b)
	return nil
}
