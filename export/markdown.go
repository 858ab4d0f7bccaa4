package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/journal-dev/journal/journal"
)

// WriteMarkdown writes the timeline as a CommonMark document with GitHub
// tables: a title, the summary (count and span, a table of people with a
// note where two or more incidents involve the same person, kinds,
// incidents per month, every report made), each incident in the order it
// happened with all its fields, and the fingerprint.
//
// Text from the journal is escaped, so that nothing a user typed can
// become a heading, a link or a table cell of its own. The same timeline
// always gives the same bytes. Its signature is stable: other commands
// (journal export --markdown) call it.
func WriteMarkdown(w io.Writer, t *Timeline) error {
	bw := bufio.NewWriterSize(w, outputBuffer)
	p := &printer{w: bw}
	s, err := t.summary()
	if err != nil {
		return err
	}
	p.line("# Incident timeline")
	p.line("")
	if s.Count == 0 {
		p.line("No incidents.")
	} else {
		p.line("**%s**, %s.", plural(s.Count, "incident"), timelinePeriod(s))
		writeMarkdownSummary(p, s)
	}
	if t.Len() > 0 {
		p.line("")
		p.line("## Incidents")
	}
	if p.err != nil {
		return p.err
	}
	if err := renderEach(bw, t, t.Len(), nil, func(b []byte, in *journal.Incident, _ int) []byte {
		w := &sliceWriter{b: b}
		p := &printer{w: w}
		p.line("")
		writeMarkdownIncident(p, in)
		return w.b
	}); err != nil {
		return err
	}
	if len(t.Stamps) > 0 {
		p.line("")
		writeStampsMarkdown(p, t.Stamps)
	}
	if len(t.Witnessed) > 0 {
		p.line("")
		writeWitnessedMarkdown(p, t.Witnessed)
	}
	if t.Fingerprint != "" {
		p.line("")
		p.line("---")
		p.line("")
		p.line("Fingerprint of the journal: `%s`", t.Fingerprint)
	}
	return flushed(bw, p.err)
}

func writeMarkdownSummary(p *printer, s journal.Summary) {
	if len(s.People) > 0 {
		p.line("")
		p.line("## People")
		p.line("")
		p.line("| Person | Relation | Incidents | First | Last |")
		p.line("|---|---|--:|---|---|")
		for _, pc := range s.People {
			p.line("| %s | %s | %d | %s | %s |", mdCell(pc.Name), mdCell(pc.Relation), pc.Count,
				pc.First.Format(day), pc.Last.Format(day))
		}
		var notes []string
		for _, pc := range s.People {
			if pc.CourseOfConduct {
				notes = append(notes, "- "+mdText(courseOfConduct(pc))+".")
			}
		}
		if len(notes) > 0 {
			p.line("")
			for _, n := range notes {
				p.line("%s", n)
			}
		}
	}
	if len(s.Kinds) > 0 {
		p.line("")
		p.line("## Kinds")
		p.line("")
		p.line("| Kind | Incidents |")
		p.line("|---|--:|")
		for _, k := range s.Kinds {
			p.line("| %s | %d |", mdCell(journal.KindLabel(k.Kind)), k.Count)
		}
	}
	p.line("")
	p.line("## Incidents per month")
	p.line("")
	p.line("| Month | Incidents | |")
	p.line("|---|--:|---|")
	most := 0
	for _, m := range s.Months {
		most = max(most, m.Count)
	}
	for _, m := range s.Months {
		p.line("| %s | %d | %s |", monthName(m.Month), m.Count, bar(m.Count, most, barWidth))
	}
	if len(s.Reported) > 0 {
		p.line("")
		p.line("## Reported")
		p.line("")
		p.line("| Incident | Date | To | Reference | Officer |")
		p.line("|--:|---|---|---|---|")
		for _, r := range s.Reported {
			p.line("| %s | %s | %s | %s | %s |", journal.IncidentRef(r.Incident), r.OccurredAt.Format(day),
				mdCell(r.To), mdCell(r.Reference), mdCell(r.Officer))
		}
	}
}

func writeMarkdownIncident(p *printer, in *journal.Incident) {
	title := fmt.Sprintf("### %s. %s: %s", journal.IncidentRef(in.ID), when(&in.Fields, true), mdText(in.Summary))
	if in.Void != nil {
		title = fmt.Sprintf("### %s. ~~%s: %s~~ (void)", journal.IncidentRef(in.ID), when(&in.Fields, true), mdText(in.Summary))
	}
	p.line("%s", title)
	p.line("")
	if in.Void != nil {
		p.line("**Void** since %s: %s", in.Void.RecordedAt.Format(dateTime), mdText(in.Void.Reason))
		p.line("")
	}
	item := func(label, value string) {
		if value != "" {
			p.line("- **%s:** %s", label, mdText(value))
		}
	}
	item("Recorded", in.RecordedAt.Format(dateTime)+recordedGap(in))
	item("Proven", provenWords(in))
	item("Where", in.Place)
	for _, person := range in.People {
		item("Who", person.String())
	}
	item("Kind", journal.KindLabels(in.Kinds))
	item("Source", in.Source())
	for _, w := range in.Witnesses {
		item("Witness", w.String())
	}
	for _, a := range in.Actions {
		item("Action", a)
	}
	for _, r := range in.Reported {
		item("Reported to", r.String())
	}
	item("Impact", in.Impact)
	item("Changes to daily life", in.DailyLife)
	item("How the evidence was kept", in.EvidenceKept)
	item("Severity", in.Severity)
	item("Tags", strings.Join(in.Tags, ", "))
	for _, a := range in.Attachments {
		item("Evidence", fmt.Sprintf("%s, %d bytes, SHA-256 %s", a.Name, a.Size, a.SHA256))
	}
	if in.Imported {
		item("Imported", "yes: recorded elsewhere first")
	}
	if len(in.Amendments) > 0 {
		item("Amended", plural(len(in.Amendments), "time"))
	}
	if in.Details != "" {
		p.line("")
		mdBlock(p, "", in.Details)
	}
	if in.Words != "" {
		p.line("")
		p.line("Words used:")
		p.line("")
		mdBlock(p, "> ", in.Words)
	}
	for i, a := range in.Amendments {
		p.line("")
		p.line("*Amendment %d, %s:* %s (changed: %s; before: %s, %s)", i+1, a.RecordedAt.Format(dateTime),
			mdText(a.Reason), mdText(fieldNames(a.Changed)),
			journal.FormatTime(a.Previous.OccurredAt, a.Previous.DateOnly, dateTime), mdText(a.Previous.Summary))
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// mdBlock writes text line by line with a prefix, as paragraphs with hard
// line breaks, every line escaped.
func mdBlock(p *printer, prefix, text string) {
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n"), "\n")
	for i, l := range lines {
		l = mdText(l)
		if i < len(lines)-1 && strings.TrimSpace(l) != "" && strings.TrimSpace(lines[i+1]) != "" {
			l += "\\" // a hard line break: the line ends where the user ended it
		}
		if strings.TrimSpace(l) == "" {
			p.line("%s", strings.TrimRight(prefix, " "))
			continue
		}
		p.line("%s%s", prefix, l)
	}
}

// mdSpecial are the characters that can start Markdown syntax anywhere in
// a line; each is escaped with a backslash.
const mdSpecial = "\\`*_[]<>|~"

// mdText escapes text for a line of Markdown: inline syntax everywhere,
// and what could start a block (a list, a heading, a quote, a rule) at
// the start. Line breaks become spaces.
func mdText(s string) string {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return mdTextRunes(s)
		}
	}
	s = collapseSpace(s)
	escapes := 0
	for i := range len(s) {
		if mdEscaped(s, i) {
			escapes++
		}
	}
	out := s
	if escapes > 0 {
		b := make([]byte, 0, len(s)+escapes)
		for i := range len(s) {
			if mdEscaped(s, i) {
				b = append(b, '\\')
			}
			b = append(b, s[i])
		}
		out = string(b)
	}
	return mdBlockStart(out)
}

// mdBlockStart escapes what would start a block at the start of a line.
func mdBlockStart(out string) string {
	// A line that starts with -, + or = (a list or an underline), # (a
	// heading), or with
	// digits and a dot or a parenthesis (an ordered list).
	if out != "" && strings.ContainsRune("-+=#", rune(out[0])) {
		return "\\" + out
	}
	digits := len(out) - len(strings.TrimLeft(out, "0123456789"))
	if digits > 0 && digits < len(out) && (out[digits] == '.' || out[digits] == ')') {
		return out[:digits] + "\\" + out[digits:]
	}
	return out
}

// mdEscaped reports whether the byte at i starts Markdown syntax: one of
// mdSpecial, or an & that starts an entity. Every such character is ASCII,
// so a byte of a multi-byte character never matches.
func mdEscaped(s string, i int) bool {
	c := s[i]
	if strings.IndexByte(mdSpecial, c) >= 0 {
		return true
	}
	if c != '&' || i+1 == len(s) {
		return false
	}
	next := s[i+1] | 0x20
	return s[i+1] == '#' || 'a' <= next && next <= 'z'
}

// collapseSpace folds runs of ASCII white space into one space and trims
// both ends, as strings.Fields does; text that needs none of it, the usual
// case, is returned as it is.
func collapseSpace(s string) string {
	for i := range len(s) {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' ||
			c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			return strings.Join(strings.Fields(s), " ")
		}
	}
	return s
}

// mdTextRunes is mdText for text that is not all ASCII: white space of
// every script is folded, and each byte that is not UTF-8 becomes U+FFFD.
func mdTextRunes(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		if r < utf8.RuneSelf && mdEscaped(s, i) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return mdBlockStart(b.String())
}

// mdCell escapes text for a table cell.
func mdCell(s string) string { return mdText(s) }
