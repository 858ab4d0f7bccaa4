package export

import (
	"strconv"

	"github.com/journal-dev/journal/internal/pdfstream"
)

// proofOfTime ends "How to check this report" with the timestamps: what
// each proves, the fields of its token a reader needs, and how to check
// it with openssl alone. The token files are attached to the PDF.
func (r *report) proofOfTime() {
	stamps := r.t.Stamps
	if len(stamps) == 0 {
		r.para("", 10, "Times: each incident shows when it happened and when it was written, by the clock of the author's "+
			"computer. No timestamp authority has signed this journal yet, so nothing here proves by when it was written.")
		r.pdf.Ln(3)
		return
	}
	r.para("", 10, "Times: each incident shows when it happened; when it was written, by the clock of the author's computer; "+
		"and, under 'Proven by', the strongest timestamp that covers it (one whose authority's root certificate is trusted "+
		"by the computer that made this report before one whose root the journal carries), then the earliest. A timestamp is an RFC 3161 token: an independent "+
		"timestamp authority signed that the journal's chain head (the SHA-256 hash below) existed at the time it states, "+
		"so every record up to that head existed by then, whatever the computer's clock said. It does not prove that "+
		"what was written is true, nor when the incident itself happened.")
	r.pdf.Ln(3)
	r.para("", 10, "To check a token with openssl alone: save the attached file (for example with 'pdfdetach -saveall' on this "+
		"PDF), get the authority's root certificate as ROOT.pem, and run the command shown. It must print 'Verification: OK'. "+
		"The chain head can then be matched to the journal: 'journal verify --fingerprint' with the fingerprint shown "+
		"says whether the records it covers are unchanged.")
	r.pdf.Ln(3)
	var files []pdfstream.Attachment
	for i := range stamps {
		s := &stamps[i]
		n := i + 1
		r.need(30)
		r.font("B", 10)
		r.pdf.SetX(margin)
		r.write(contentW, 5, s.Authority+", "+s.Time.UTC().Format("2 January 2006, 15:04:05 MST"), "L", false)
		r.field("Covers", "every record the computer that took it held then (fingerprint "+headFingerprint(s)+"); "+
			"each incident it proves names it under 'Proven by'")
		if w := stampStanding(s); w != "" {
			r.field("Note", w)
		}
		r.field("Chain head", s.Head)
		r.field("Token file", TokenFile(n)+", attached to this PDF")
		r.font("", 8.5)
		r.mono(7.5)
		// Two lines joined as a shell joins them, so a copy runs as is.
		r.pdf.SetX(margin)
		r.pdf.MultiCell(contentW, 4, "openssl ts -verify -in "+TokenFile(n)+" -CAfile ROOT.pem \\\n    -digest "+s.Head, "L")
		r.font(r.style, r.size)
		r.pdf.Ln(2)
		files = append(files, pdfstream.Attachment{Content: s.Reply, Name: TokenFile(n),
			Description: "RFC 3161 timestamp reply, stamp " + strconv.Itoa(n)})
	}
	r.pdf.SetAttachments(files)
}
