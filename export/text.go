package export

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/journal-dev/journal/journal"
)

// dateTime is how times are shown to people.
const dateTime = "Mon 2 Jan 2006 15:04"

// WriteIncidentText writes one incident in full, with its history: every
// amendment with its reason and, for each field it changed, the value
// before and after; the evidence files with their SHA-256; a void mark.
func WriteIncidentText(w io.Writer, in *journal.Incident) error {
	bw := bufio.NewWriterSize(w, outputBuffer)
	p := &printer{w: bw}
	p.line("Incident %s: %s", journal.IncidentRef(in.ID), in.Summary)
	if in.Void != nil {
		p.line("VOID since %s: %s", in.Void.RecordedAt.Format(dateTime), in.Void.Reason)
	}
	p.field("When", fieldText(&in.Fields, "when"))
	p.field("Recorded", in.RecordedAt.Format(dateTime)+recordedGap(in)+", by this computer's clock")
	p.field("Proven", cmp.Or(provenWords(in), notProven))
	if in.Imported {
		p.field("Imported", "yes: recorded elsewhere first, brought in at the time above")
	}
	p.field("Where", in.Place)
	for _, x := range in.People {
		who := x.String()
		if x.Description != "" {
			who += ": " + x.Description
		}
		p.field("Who", who)
	}
	p.field("Kind", strings.Join(in.Kinds, ", "))
	p.field("Source", fieldText(&in.Fields, "told-by"))
	p.block("Account", in.Details)
	p.block("Words used", in.Words)
	for _, x := range in.Witnesses {
		p.field("Witness", witness(x))
	}
	for _, a := range in.Actions {
		p.field("Action", a)
	}
	for _, r := range in.Reported {
		p.field("Reported to", reportText(r))
	}
	p.block("Impact", in.Impact)
	p.block("Daily life", in.DailyLife)
	p.block("Evidence kept", in.EvidenceKept)
	p.field("Severity", in.Severity)
	p.field("Tags", strings.Join(in.Tags, ", "))
	p.block("Private notes", in.PrivateNotes)
	if len(in.Attachments) > 0 {
		p.line("")
		p.line("Evidence files:")
		for _, a := range in.Attachments {
			p.line("  %s  %s  %d bytes  added %s", a.Name, a.MediaType, a.Size, a.AddedAt.Format(dateTime))
			p.line("    sha256 %s", a.SHA256)
		}
	}
	for i, a := range in.Amendments {
		after := &in.Fields
		if i+1 < len(in.Amendments) {
			after = &in.Amendments[i+1].Previous
		}
		p.line("")
		p.line("Amendment %d, recorded %s", i+1, a.RecordedAt.Format(dateTime))
		if a.Concurrent {
			p.line("  concurrent: made on another computer at the same time as another amendment, before either had seen the other; both stand")
		}
		p.line("  reason: %s", a.Reason)
		for _, name := range a.Changed {
			p.line("  %s:", name)
			p.line("    was: %s", orNone(fieldText(&a.Previous, name)))
			p.line("    now: %s", orNone(fieldText(after, name)))
		}
	}
	return flushed(bw, p.err)
}

// fieldText renders one field, named as the add flags name it, on one
// line.
func fieldText(f *journal.Fields, name string) string {
	list := func(items []string) string { return strings.Join(items, "; ") }
	switch name {
	case "when":
		return f.WhenText(dateTime)
	case "until":
		if f.Until == nil {
			return ""
		}
		return journal.FormatTime(*f.Until, f.UntilDateOnly, dateTime)
	case "approx":
		if f.Approximate {
			return "approximate"
		}
		return "exact"
	case "where":
		return f.Place
	case "who":
		s := make([]string, len(f.People))
		for i, x := range f.People {
			s[i] = x.String()
			if x.Description != "" {
				s[i] += ": " + x.Description
			}
		}
		return list(s)
	case "kind":
		return strings.Join(f.Kinds, ", ")
	case "summary":
		return f.Summary
	case "details":
		return oneLine(f.Details)
	case "words":
		return oneLine(f.Words)
	case "told-by", "first-hand":
		return f.Source()
	case "witness":
		s := make([]string, len(f.Witnesses))
		for i, x := range f.Witnesses {
			s[i] = witness(x)
		}
		return list(s)
	case "action":
		return list(f.Actions)
	case "reported":
		s := make([]string, len(f.Reported))
		for i, x := range f.Reported {
			s[i] = reportText(x)
		}
		return list(s)
	case "impact":
		return oneLine(f.Impact)
	case "daily-life":
		return oneLine(f.DailyLife)
	case "evidence-kept":
		return oneLine(f.EvidenceKept)
	case "private-notes":
		return oneLine(f.PrivateNotes)
	case "severity":
		return f.Severity
	case "tag":
		return strings.Join(f.Tags, ", ")
	}
	return ""
}

func witness(x journal.Witness) string {
	s := x.Name
	if x.Chaperone {
		s += " (chaperone)"
	}
	if x.Contact != "" {
		s += ", " + x.Contact
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
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
