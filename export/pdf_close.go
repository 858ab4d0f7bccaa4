package export

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/journal-dev/journal/journal"
)

func (r *report) disclosures() {
	r.heading("Earlier disclosures", 40)
	if len(r.o.Disclosures) == 0 {
		r.para("", 9.5, "This is the first report made from this journal.")
		return
	}
	r.para("", 9.5, "Every report made from this journal is written down in it. These were made before this one, earliest first.")
	r.pdf.Ln(3)
	for _, d := range r.o.Disclosures {
		r.need(14)
		r.font("B", 9.5)
		marks := []string{strings.ToUpper(d.Format), plural(d.Incidents.Len(), "incident")}
		if d.Redacted {
			marks = append(marks, "redacted")
		}
		if d.Encrypted {
			marks = append(marks, "encrypted")
		}
		who := cmp.Or(d.For, "no one stated")
		if len(r.o.Redactions) > 0 {
			who = "(redacted)"
		}
		r.pdf.SetX(margin)
		r.write(contentW, lineH, fmt.Sprintf("%s%s, for %s: %s",
			d.RecordedAt.Format(dateTime), zone(d.RecordedAt), who, strings.Join(marks, ", ")), "L", false)
		r.font("", 8.5)
		r.color(muted)
		if len(d.Filters) > 0 && len(r.o.Redactions) == 0 {
			r.pdf.SetX(margin)
			r.write(contentW, 4.2, "Selection: "+selection(d.Filters), "L", false)
		}
		r.color(ink)
		r.hash(margin, "SHA-256", d.SHA256)
		r.pdf.Ln(2)
	}
}

// howToCheck says how a reader can check the report, citing only what it
// holds, and what the report could not show as written.
func (r *report) howToCheck() {
	r.heading("How to check this report", 90)
	o := r.o
	files, amended := r.s.files, r.s.amended > 0
	history := "A correction is added as an amendment that keeps the original text; a withdrawn entry stays, marked void, with the reason."
	if amended {
		history = "A correction is added as an amendment that keeps the original text, shown above under History; " +
			"a withdrawn entry stays, marked void, with the reason."
	}
	paras := []string{
		"This report was made by the program journal from an encrypted journal kept by its author. The journal only grows: " +
			"an entry is never edited or removed. " + history,
		"Every record of the journal is signed by the device (computer) that added it, and holds the SHA-256 hash of that " +
			"device's record before it, so that removing, reordering or changing any record breaks the chain from there on. " +
			"The journal's owner signs which devices may add records. " + fingerprintWords(r.t.Fingerprint, o),
		"To check that the journal is whole, its author runs 'journal verify'. It checks every signature and the chain, " +
			"decrypts and authenticates every record, and prints the fingerprint of the whole journal as it is then: it moves on " +
			"with every record added, the record of this report itself among them, so it differs from the one printed here. " +
			"To check the records this report stands for, the author, or anyone given a copy of the journal file (without any " +
			"key, and without reading anything in it), runs 'journal verify --fingerprint " + r.t.Fingerprint + "': it says " +
			"whether the fingerprint still stands, that is, whether nothing up to it has changed.",
		"What a journal that verifies shows, and what it cannot:",
	}
	for _, c := range journal.Claims {
		paras = append(paras, "- "+c)
	}
	if files > 0 {
		paras = append(paras, "Each evidence file can be written out of the journal byte for byte with 'journal evidence ID NAME -o FILE'. "+
			"Its SHA-256 (for example 'sha256sum FILE') must equal the one in the evidence index, which was taken "+
			"when the file was added. The exhibit marks there are kept by the journal, so a file has the same mark in every report.")
	}
	paras = append(paras, "This report is itself written down in the journal. 'journal disclosures' lists it with when it was made, for whom, "+
		"the incidents it holds and the SHA-256 of the file handed over (for an encrypted hand-over, of the encrypted file), "+
		"so the file you hold can be matched to the record.")
	if len(o.Redactions) > 0 {
		paras = append(paras, "This copy is redacted: what was removed is listed on the cover. The fingerprint is that of the "+
			"unredacted journal; the redacted text cannot itself be matched against it.")
	}
	for _, p := range paras {
		r.para("", 10, p)
		r.pdf.Ln(3)
	}
	r.proofOfTime()
	r.witnessed()
	r.textNotes()
}

// fingerprintWords says what the report's fingerprint stands for. On a
// journal kept on several computers each numbers the records in the order
// it received them, so "the first N records" of one computer are not
// another's: the records are named by device, as verify names them.
func fingerprintWords(fp string, o PDFOptions) string {
	if o.RecordsBy == "" {
		return "The fingerprint is the hash of the last record, shortened to be read aloud: " +
			fmt.Sprintf("%s stands for the %s of this journal.", fp, firstRecords(int(o.Records)))
	}
	return "The fingerprint is the journal's head, the hash of the newest record of each device, shortened to be read " +
		fmt.Sprintf("aloud: %s stands for the %s the computer that made this report held (%s). ", fp, plural(int(o.Records), "record"), o.RecordsBy) +
		"Each computer numbers the records in the order it received them; any computer holding the same records gives the " +
		"same fingerprint."
}

// textNotes says how text the report's font lacks was written.
func (r *report) textNotes() {
	g := r.glyphs
	if fb := g.fallbackNames(); len(fb) > 0 {
		r.para("", 10, "Characters the report's font lacks are drawn in "+strings.Join(fb, ", ")+", fonts that come with the program.")
		r.pdf.Ln(3)
	}
	if g.rtl {
		r.para("", 10, "Arabic and Hebrew are drawn right to left, Arabic letters joined, one line at a time; a line that starts "+
			"in them is set from the right. This follows the Unicode rules for the order of words only in part: where a line "+
			"mixes them with other scripts or numbers, the order may differ from the author's. Compare with a Markdown or JSON "+
			"export of the same incidents, which keep the text exactly.")
		r.pdf.Ln(3)
	}
	ph := g.sortedPlaceholders()
	if len(ph) == 0 {
		return
	}
	r.para("", 10, fmt.Sprintf("%s in the text cannot be drawn by any font here (emoji among them). "+
		"Each is written in square brackets with its Unicode code point and name, so that nothing is lost:",
		plural(len(ph), "character")))
	r.pdf.Ln(1)
	for i, c := range ph {
		if i == 60 {
			r.bullet(fmt.Sprintf("and %d more", len(ph)-60))
			break
		}
		r.bullet(placeholder(c))
	}
}

// statement ends the report with a statement of truth for the author to
// sign.
func (r *report) statement() {
	r.heading("Statement of truth", 110)
	r.para("", 10, "I kept this record myself. Each entry was written at the time shown as recorded, as soon as I could after "+
		"what it describes, and says what I saw, heard or was told, as I remembered it then. Where I corrected an entry, "+
		"the correction and my reason are shown beside the original words.")
	r.pdf.Ln(3)
	r.para("", 10, "I believe that the facts stated in this record are true. I understand that it may be used in legal proceedings, "+
		"and that I may be asked about it by the police, a court or the other side.")
	r.pdf.Ln(10)
	for _, label := range []string{"Name", "Signature", "Date"} {
		r.need(14)
		y := r.pdf.GetY()
		r.font("B", 10)
		r.pdf.SetXY(margin, y)
		r.cell(28, 8, label, "L", false)
		r.draw(ink, 0.3)
		r.pdf.Line(margin+28, y+7, margin+120, y+7)
		if label == "Name" && r.o.Reporter != "" {
			r.font("", 10)
			r.pdf.SetXY(margin+30, y)
			r.cell(90, 7, r.o.Reporter, "L", false)
		}
		r.pdf.SetXY(margin, y+14)
	}
}
