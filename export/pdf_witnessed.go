package export

import (
	"fmt"

	"github.com/journal-dev/journal/witness"
)

// witnessed ends "How to check this report" with the checkpoints a
// witness countersigned: who (left out of a redacted copy), when, which
// records, their key, and the line 'journal verify' prints for each, so
// that a reader can match the two.
func (r *report) witnessed() {
	ws := r.t.Witnessed
	if len(ws) == 0 {
		return
	}
	r.need(50)
	r.para("", 10, "Witnessed checkpoints: the author gave the journal's fingerprint to a person of their choosing, such as a "+
		"defence adviser, who signed with a key of their own that they saw it at the time they state. That shows that the "+
		"records it covers existed, as they are now, by that time: if any of them were changed later, 'journal verify' would "+
		"say that the checkpoint no longer holds, and the witness's own program, which keeps what it signed, would refuse "+
		"to sign the changed journal. The witness can confirm it from their own records. It does not prove that what was "+
		"written is true.")
	r.pdf.Ln(3)
	for i := range ws {
		w := &ws[i]
		name := witness.DisplayName(w.Name)
		if len(r.o.Redactions) > 0 {
			name = "A witness (name redacted)"
		}
		r.need(30)
		r.font("B", 10)
		r.pdf.SetX(margin)
		r.write(contentW, 5, name+", "+w.Time.UTC().Format("2 January 2006, 15:04:05 MST"), "L", false)
		r.field("Covers", fmt.Sprintf("records 1 to %d (fingerprint %s)", w.Seq, hexFingerprint(w.Head)))
		r.field("Witness key", witness.KeyFingerprint(w.Key))
		if len(r.o.Redactions) == 0 {
			r.field("Verify says", fmt.Sprintf("witnessed by %s (key %s) on ..., records 1 to %d: holds",
				name, witness.KeyFingerprint(w.Key), w.Seq))
		}
		r.pdf.Ln(2)
	}
}
