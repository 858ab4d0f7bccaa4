package export

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/journal-dev/journal/journal"
)

func (r *report) incidents() {
	r.heading("Incidents in full", 0)
	if r.s.summary.Count == 0 {
		r.para("", 10, "No incidents are selected.")
		return
	}
	i := 0
	r.each(func(in *journal.Incident) {
		if i > 0 {
			r.need(40)
			r.pdf.Ln(3)
			r.draw(rule, 0.3)
			r.pdf.Line(margin, r.pdf.GetY(), pageW-margin, r.pdf.GetY())
			r.pdf.Ln(4)
		}
		r.incident(in)
		r.current = nil
		i++
	})
}

func (r *report) incident(in *journal.Incident) {
	pdf := r.pdf
	r.need(40)
	pdf.Bookmark(metaText(fmt.Sprintf("%s. %s", journal.IncidentRef(in.ID), in.Summary)), 1, -1)
	r.font("B", 12)
	r.color(accent)
	pdf.SetX(margin)
	title := fmt.Sprintf("Incident %s", journal.IncidentRef(in.ID))
	if in.Void != nil {
		r.cell(pdf.GetStringWidth(title)+5, 6.5, title, "L", false)
		r.color(red)
		title = "VOID"
	}
	r.cell(contentW, 6.5, title, "L", true)
	r.color(ink)
	r.current = in
	r.font("B", 11)
	y := pdf.GetY()
	r.write(contentW, 5.5, in.Summary, "L", false)
	if in.Void != nil {
		// Struck through, as a void entry in a notebook: still readable.
		r.draw(red, 0.4)
		w := min(pdf.GetStringWidth(in.Summary)+2, contentW)
		pdf.Line(margin+1, y+2.9, margin+w, y+2.9)
		r.font("B", 10)
		r.color(red)
		r.write(contentW, 5, "VOID: withdrawn by the author on "+in.Void.RecordedAt.Format(dateTime)+
			zone(in.Void.RecordedAt)+". Reason: "+in.Void.Reason, "L", false)
		r.color(ink)
	}
	pdf.Ln(1.5)

	r.field("When", when(&in.Fields, true))
	r.field("Recorded", in.RecordedAt.Format(dateTime)+zone(in.RecordedAt)+gapWords(in))
	if proven := provenWords(in); proven != "" {
		r.field("Proven by", proven)
	} else if len(r.t.Stamps) > 0 {
		r.field("Proven by", notProven+" (written after the newest timestamp)")
	}
	if in.Imported {
		r.field("Imported", "yes: first recorded elsewhere and brought into this journal on the date above")
	}
	if in.BeforeSigning {
		r.field("Signed", "no: made before the journal signed its records; its place in the chain is checked, not who added it")
	}
	r.field("Place", in.Place)
	for _, p := range in.People {
		r.field("Person", p.String())
	}
	r.field("Kind", journal.KindLabels(in.Kinds))
	r.field("Source", in.Source())
	r.field("Account", in.Details)
	if in.Words != "" {
		r.words(in.Words)
	}
	for _, w := range in.Witnesses {
		r.field("Witness", w.String())
	}
	for _, a := range in.Actions {
		r.field("Action taken", a)
	}
	for _, rep := range in.Reported {
		r.field("Reported to", rep.String())
	}
	r.field("Impact", in.Impact)
	r.field("Daily life", in.DailyLife)
	r.field("Severity", in.Severity)
	r.field("Tags", strings.Join(in.Tags, ", "))
	r.field("Evidence kept", in.EvidenceKept)
	r.history(in)
	r.evidence(in)
}

// gapWords says how long after the incident it was recorded.
func gapWords(in *journal.Incident) string {
	g := recordedGap(in)
	if g == "" {
		return " (at the time)"
	}
	return g
}

// words sets the words used apart: indented, shaded, in quotation marks.
func (r *report) words(text string) {
	pdf := r.pdf
	r.font("B", 9)
	r.color(muted)
	r.need(12)
	pdf.SetX(margin)
	r.cell(labelW, lineH, "Words used", "L", true)
	r.color(ink)
	r.font("I", 10)
	pdf.SetFillColor(shade[0], shade[1], shade[2])
	x := margin + 6
	y, page := pdf.GetY(), pdf.PageNo()
	pdf.SetX(x)
	r.write(contentW-6, 5.2, "“"+strings.TrimSpace(text)+"”", "L", true)
	if pdf.PageNo() == page && pdf.GetY() > y {
		r.draw(accent, 0.8)
		pdf.Line(x-1.5, y, x-1.5, pdf.GetY())
	}
	pdf.SetX(margin)
	pdf.Ln(1.5)
}

// history shows each amendment with the text as it was before it.
func (r *report) history(in *journal.Incident) {
	if len(in.Amendments) == 0 {
		return
	}
	pdf := r.pdf
	// The heading goes with the first amendment.
	r.font("B", 9.5)
	r.need(7 + float64(r.lineCount(in.Amendments[0].Reason, contentW)+3)*lineH)
	pdf.Ln(1.5)
	r.font("B", 10)
	r.color(accent)
	pdf.SetX(margin)
	r.cell(contentW, 5.5, "History: "+plural(len(in.Amendments), "amendment"), "L", true)
	r.color(ink)
	for i, a := range in.Amendments {
		next := in.Fields
		if i+1 < len(in.Amendments) {
			next = in.Amendments[i+1].Previous
		}
		r.font("B", 9.5)
		// The amendment's heading goes with its first change.
		r.need(float64(r.lineCount(a.Reason, contentW)+3) * lineH)
		pdf.SetX(margin)
		r.write(contentW, lineH, fmt.Sprintf("Amendment %d, recorded %s%s. Reason: %s",
			i+1, a.RecordedAt.Format(dateTime), zone(a.RecordedAt), a.Reason), "L", false)
		changes := changedFields(&a.Previous, &next)
		if len(changes) == 0 {
			r.field("", "no field shown here changed")
		}
		for _, c := range changes {
			r.field(c.name+" was", cmp.Or(c.before, "(empty)"))
			r.field("changed to", cmp.Or(c.after, "(empty)"))
		}
	}
}

type change struct{ name, before, after string }

// changedFields compares two versions of an incident, field by field, in
// the words the report uses.
func changedFields(a, b *journal.Fields) []change {
	fa, fb := fieldList(a), fieldList(b)
	var out []change
	for i := range fa {
		if fa[i][1] != fb[i][1] {
			out = append(out, change{fa[i][0], fa[i][1], fb[i][1]})
		}
	}
	return out
}

// fieldList renders every field of an incident that a report shows as
// text, in a fixed order.
func fieldList(f *journal.Fields) [][2]string {
	join := func(n int, item func(int) string) string {
		s := make([]string, n)
		for i := range s {
			s[i] = item(i)
		}
		return strings.Join(s, "; ")
	}
	return [][2]string{
		{"When", when(f, true)},
		{"Place", f.Place},
		{"People", join(len(f.People), func(i int) string {
			return f.People[i].String()
		})},
		{"Kind", journal.KindLabels(f.Kinds)},
		{"Summary", f.Summary},
		{"Account", f.Details},
		{"Words used", f.Words},
		{"Witnesses", join(len(f.Witnesses), func(i int) string {
			return f.Witnesses[i].String()
		})},
		{"Source", f.Source()},
		{"Actions", strings.Join(f.Actions, "; ")},
		{"Reported to", join(len(f.Reported), func(i int) string {
			return f.Reported[i].String()
		})},
		{"Impact", f.Impact},
		{"Daily life", f.DailyLife},
		{"Evidence kept", f.EvidenceKept},
		{"Severity", f.Severity},
		{"Tags", strings.Join(f.Tags, ", ")},
	}
}

// evidence lists the incident's files and shows its images.
func (r *report) evidence(in *journal.Incident) {
	if len(in.Attachments) == 0 {
		return
	}
	pdf := r.pdf
	// The heading goes with the first file and its image.
	first, _ := r.prepareImage(in, in.Attachments[0])
	r.need(22 + first.h)
	pdf.Ln(1.5)
	r.font("B", 10)
	r.color(accent)
	pdf.SetX(margin)
	r.cell(contentW, 5.5, "Evidence: "+plural(len(in.Attachments), "file"), "L", true)
	r.color(ink)
	for _, a := range in.Attachments {
		img, name := r.prepareImage(in, a)
		// Keep the index entry on the same page as its image.
		r.need(14 + img.h)
		r.font("B", 9)
		pdf.SetX(margin + 4)
		title := a.Name
		if m := r.o.Exhibits[ExhibitKey(in.ID, a)]; m != "" {
			title = "Exhibit " + m + ": " + a.Name
		}
		r.write(contentW-4, 4.5, title, "L", false)
		r.font("", 8.5)
		r.color(muted)
		pdf.SetX(margin + 4)
		info := []string{cmp.Or(a.MediaType, "unknown type"), size(a.Size)}
		if !a.AddedAt.IsZero() {
			info = append(info, "added "+a.AddedAt.Format(dateTime)+zone(a.AddedAt))
		}
		if a.Source != "" && a.Source != a.Name {
			info = append(info, "from "+a.Source)
		}
		r.write(contentW-4, 4.2, strings.Join(info, ", "), "L", false)
		r.color(ink)
		r.hash(margin+4, "SHA-256", a.SHA256)
		if name != "" {
			r.image(img, name)
		} else if imageType(a.MediaType) != "" && r.o.Evidence != nil && len(r.o.Redactions) == 0 {
			r.font("I", 8.5)
			r.color(muted)
			pdf.SetX(margin + 4)
			r.write(contentW-4, 4.2, "(This image cannot be shown here; the file is in the journal.)", "L", false)
			r.color(ink)
		}
		pdf.SetX(margin)
		pdf.Ln(1.5)
	}
}

// size says a file size the way a person reads it.
func size(n int64) string {
	switch {
	case n < 1024:
		return plural(int(n), "byte")
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB (%d bytes)", float64(n)/1024, n)
	default:
		return fmt.Sprintf("%.1f MB (%d bytes)", float64(n)/(1<<20), n)
	}
}
