package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"

	"github.com/journal-dev/journal/journal"
)

// Role says what a piece of the text timeline is, so that a caller writing
// to a terminal can dress it (see [TextOptions]).
type Role int

// The roles of the text timeline.
const (
	Plain    Role = iota
	Heading       // a section's title
	Emphasis      // an incident's number, time and summary
	Muted         // what matters less: labels, the fingerprint
	Warning       // void incidents, amendments, a course of conduct
	Bar           // the bars of the chart of incidents per month
)

// TextOptions dress the text timeline. The zero value gives plain text
// without wrapping, which is what [WriteText] writes.
type TextOptions struct {
	// Width wraps lines at this many columns, with continuation lines
	// indented under the text they continue; 0 does not wrap.
	Width int
	// Style, if set, dresses each span of text once lines are wrapped. It
	// must not change how wide the text is on the screen.
	Style func(role Role, text string) string
}

// day is how dates are shown in the summary.
const day = "2 Jan 2006"

// barWidth is the longest bar of the chart of incidents per month.
const barWidth = 40

// WriteText writes the timeline as plain text: a summary (count and span;
// each person with their incidents, first and last, and a note where there
// are two or more; kinds; a chart of incidents per month; every report
// made), then one paragraph per incident in the order they happened, then
// the fingerprint.
func WriteText(w io.Writer, t *Timeline) error {
	return WriteTextWith(w, t, TextOptions{})
}

// WriteTextWith writes the timeline as [WriteText] does, wrapped and dressed
// as opts say.
func WriteTextWith(w io.Writer, t *Timeline, opts TextOptions) error {
	bw := bufio.NewWriterSize(w, outputBuffer)
	p := &textPrinter{w: bw, opts: opts}
	s, err := t.summary()
	if err != nil {
		return err
	}
	if s.Count == 0 {
		p.print(0, span{Plain, "No incidents."})
	} else {
		p.print(0, span{Heading, fmt.Sprintf("%s, %s.", plural(s.Count, "incident"), timelinePeriod(s))})
		writeTextSummary(p, s)
	}
	if p.err != nil {
		return p.err
	}
	if opts.Style != nil {
		// A terminal's styles are not known to be safe to use from
		// several goroutines at once; a terminal's timeline is short.
		err = t.each(func(in *journal.Incident) error {
			p.blank()
			writeTextIncident(p, in)
			return p.err
		})
	} else {
		err = renderEach(bw, t, t.Len(), nil, func(b []byte, in *journal.Incident, _ int) []byte {
			w := &sliceWriter{b: b}
			p := &textPrinter{w: w, opts: opts}
			p.blank()
			writeTextIncident(p, in)
			return w.b
		})
	}
	if err != nil {
		return err
	}
	if t.Fingerprint != "" {
		p.blank()
		p.print(0, span{Muted, "fingerprint: " + t.Fingerprint})
	}
	return flushed(bw, p.err)
}

func writeTextSummary(p *textPrinter, s journal.Summary) {
	if len(s.People) > 0 {
		p.blank()
		p.print(0, span{Heading, "People"})
		for _, pc := range s.People {
			when := "on " + pc.First.Format(day)
			if pc.Count > 1 {
				when = fmt.Sprintf("first %s, last %s", pc.First.Format(day), pc.Last.Format(day))
			}
			who := journal.Person{Name: pc.Name, Relation: pc.Relation}.String()
			p.print(4, span{Plain, "  " + who + ": "}, span{Plain, plural(pc.Count, "incident") + ", " + when})
			if pc.CourseOfConduct {
				p.print(6, span{Warning, "    " + courseOfConduct(pc)})
			}
		}
	}
	if len(s.Kinds) > 0 {
		p.blank()
		p.print(0, span{Heading, "Kinds"})
		parts := make([]string, len(s.Kinds))
		for i, k := range s.Kinds {
			parts[i] = fmt.Sprintf("%s %d", journal.KindLabel(k.Kind), k.Count)
		}
		p.print(2, span{Plain, "  " + strings.Join(parts, ", ")})
	}
	p.blank()
	p.print(0, span{Heading, "Incidents per month"})
	most, digits := 0, 1
	for _, m := range s.Months {
		most = max(most, m.Count)
	}
	digits = len(fmt.Sprint(most))
	width := barWidth
	if p.opts.Width > 0 {
		// The bars fit the width: "  Nov 2026  12  " comes before them.
		width = max(10, min(barWidth, p.opts.Width-14-digits))
	}
	for _, m := range s.Months {
		p.print(0, span{Plain, fmt.Sprintf("  %s  %*d  ", monthName(m.Month), digits, m.Count)},
			span{Bar, bar(m.Count, most, width)})
	}
	if len(s.Reported) > 0 {
		p.blank()
		p.print(0, span{Heading, "Reported"})
		for _, r := range s.Reported {
			p.print(6, span{Plain, fmt.Sprintf("  #%s  %s  %s", journal.IncidentRef(r.Incident), r.OccurredAt.Format(day), r.Report.String())})
		}
	}
}

func writeTextIncident(p *textPrinter, in *journal.Incident) {
	p.print(5, span{Emphasis, fmt.Sprintf("#%s  %s  %s", journal.IncidentRef(in.ID), when(&in.Fields, false), in.Summary)})
	var marks []string
	if in.Void != nil {
		marks = append(marks, "VOID: "+in.Void.Reason)
	}
	if len(in.Amendments) > 0 {
		marks = append(marks, "amended "+plural(len(in.Amendments), "time"))
	}
	if in.Imported {
		marks = append(marks, "imported")
	}
	if in.BeforeSigning {
		marks = append(marks, "made before signing")
	}
	if len(marks) > 0 {
		p.print(6, span{Warning, "     (" + strings.Join(marks, "; ") + ")"})
	}
	field := func(label, value string) {
		if value != "" {
			p.print(6+len(label), span{Muted, "     " + label + " "}, span{Plain, value})
		}
	}
	field("at", in.Place)
	field("who:", people(in.People))
	field("kind:", journal.KindLabels(in.Kinds))
	reports := make([]string, len(in.Reported))
	for i, r := range in.Reported {
		reports[i] = r.String()
	}
	field("reported:", strings.Join(reports, ", "))
	if in.ProvenAt != nil {
		field("written:", in.RecordedAt.Format(dateTime)+" by this computer's clock; proven by "+provenWords(in))
	}
}

// courseOfConduct is the note shown where two or more incidents involve
// the same person. It states what the journal shows, not a legal finding.
func courseOfConduct(pc journal.PersonCount) string {
	return fmt.Sprintf("%d incidents involve %s: two or more can show a course of conduct", pc.Count, pc.Name)
}

// monthName turns YYYY-MM into "Nov 2026".
func monthName(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("Jan 2006")
}

// bar draws n out of most as a bar of at most width blocks; any n above
// zero gets at least one block.
func bar(n, most, width int) string {
	if n == 0 || most == 0 {
		return ""
	}
	return strings.Repeat("█", max(1, (n*width+most-1)/most))
}

// span is a piece of a line with its role.
type span struct {
	role Role
	text string
}

// textPrinter writes lines of spans, wrapped and dressed, and remembers
// the first error.
type textPrinter struct {
	w    io.Writer
	opts TextOptions
	err  error
}

func (p *textPrinter) blank() { p.write("\n") }

func (p *textPrinter) write(s string) {
	if p.err == nil {
		_, p.err = io.WriteString(p.w, s)
	}
}

// print writes one line made of spans. When it is wider than the width, it
// is wrapped between words, and continuation lines are indented by indent
// columns.
func (p *textPrinter) print(indent int, spans ...span) {
	style := func(r Role, s string) string {
		if p.opts.Style == nil || s == "" || strings.TrimSpace(s) == "" {
			return s
		}
		// Leading spaces stay undressed, so backgrounds do not
		// spill into the indentation.
		lead := len(s) - len(strings.TrimLeft(s, " "))
		return s[:lead] + p.opts.Style(r, s[lead:])
	}
	var b strings.Builder
	col := 0
	for _, sp := range spans {
		// The record's text is made printable before it is dressed: a
		// control character it holds is shown, never obeyed.
		sp.text = Printable(sp.text)
		if p.opts.Width <= 0 {
			b.WriteString(style(sp.role, sp.text))
			continue
		}
		// Break the span into words, keeping the spaces before each.
		var run strings.Builder
		flush := func() {
			b.WriteString(style(sp.role, run.String()))
			run.Reset()
		}
		for _, word := range splitWords(sp.text) {
			w := runewidth.StringWidth(word)
			trimmed := strings.TrimLeft(word, " ")
			if col > indent && col+w > p.opts.Width && trimmed != "" {
				flush()
				b.WriteString("\n" + strings.Repeat(" ", indent))
				col = indent
				word = trimmed
				w = runewidth.StringWidth(word)
			}
			run.WriteString(word)
			col += w
		}
		flush()
	}
	b.WriteString("\n")
	p.write(b.String())
}

// splitWords cuts s before each run of spaces that follows a word, so that
// each piece is the spaces before a word and the word.
func splitWords(s string) []string {
	var out []string
	start := 0
	for i := 1; i < len(s); i++ {
		if s[i] == ' ' && s[i-1] != ' ' {
			out = append(out, s[start:i])
			start = i
		}
	}
	return append(out, s[start:])
}
