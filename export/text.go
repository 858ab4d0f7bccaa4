package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/journal-dev/journal/journal"
)

// dateTime is how times are shown to people.
const dateTime = "Mon 2 Jan 2006 15:04"

// WriteIncidentText writes one incident in full, with its history.
func WriteIncidentText(w io.Writer, in *journal.Incident) error {
	p := &printer{w: w}
	p.line("Incident %d: %s", in.ID, in.Summary)
	if in.Void != nil {
		p.line("VOID since %s: %s", in.Void.RecordedAt.Format(dateTime), in.Void.Reason)
	}
	when := approx(in) + in.OccurredAt.Format(dateTime)
	if in.Until != nil {
		when += " until " + in.Until.Format(dateTime)
	}
	p.field("When", when)
	p.field("Recorded", in.RecordedAt.Format(dateTime)+recordedGap(in))
	p.field("Where", in.Place)
	p.field("Who", people(in.People))
	p.field("Kind", strings.Join(in.Kinds, ", "))
	if in.ToldBy != "" {
		p.field("Told by", in.ToldBy)
	} else {
		p.field("Source", "first-hand")
	}
	p.block("Account", in.Details)
	p.block("Words used", in.Words)
	for _, w := range in.Witnesses {
		p.field("Witness", strings.TrimSpace(w.Name+"  "+w.Contact))
	}
	for _, a := range in.Actions {
		p.field("Action", a)
	}
	for _, r := range in.Reported {
		p.field("Reported to", strings.TrimSpace(r.To+"  "+r.Reference))
	}
	p.field("Impact", in.Impact)
	p.field("Severity", in.Severity)
	p.field("Tags", strings.Join(in.Tags, ", "))
	for _, a := range in.Attachments {
		p.field("Evidence", fmt.Sprintf("%s  %d bytes  sha256 %s", a.Name, a.Size, a.SHA256))
	}
	if in.Imported {
		p.field("Imported", "yes: recorded elsewhere first")
	}
	for i, a := range in.Amendments {
		p.line("")
		p.line("Amendment %d, %s: %s", i+1, a.RecordedAt.Format(dateTime), a.Reason)
		p.line("  changed: %s", strings.Join(a.Changed, ", "))
		p.line("  before:  %s, %s", a.Previous.OccurredAt.Format(dateTime), a.Previous.Summary)
	}
	return p.err
}

// recordedGap says how long after it happened an incident was recorded.
func recordedGap(in *journal.Incident) string {
	end := in.OccurredAt
	if in.Until != nil {
		end = *in.Until
	}
	d := in.RecordedAt.Sub(end)
	if d < time.Minute {
		return ""
	}
	return " (" + Duration(d) + " later)"
}

// Duration says a length of time the way a person would: 40 min, 3 h, 2 days.
func Duration(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	default:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
}

func approx(in *journal.Incident) string {
	if in.Approximate {
		return "about "
	}
	return ""
}

func people(ps []journal.Person) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// printer writes lines and remembers the first error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
	}
}

func (p *printer) field(name, value string) {
	if value != "" {
		p.line("%-12s %s", name+":", value)
	}
}

func (p *printer) block(name, text string) {
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return
	}
	p.line("%s:", name)
	for l := range strings.SplitSeq(text, "\n") {
		p.line("  %s", l)
	}
}
