package export

import (
	"cmp"

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
	r.para("", 10, "Witnessed checkpoints: "+witnessedWords)
	r.pdf.Ln(3)
	for i := range ws {
		w := &ws[i]
		name := witnessedName(w, len(r.o.Redactions) > 0)
		r.need(30)
		r.font("B", 10)
		r.pdf.SetX(margin)
		r.write(contentW, 5, cmp.Or(name, "A witness (name redacted)")+", "+w.Time.UTC().Format("2 January 2006, 15:04:05 MST"), "L", false)
		r.field("Covers", witnessedCovers(w))
		r.field("Witness key", witness.KeyFingerprint(w.Key))
		if name != "" {
			r.field("Verify says", witnessedVerifyLine(w, name))
		}
		r.pdf.Ln(2)
	}
}
