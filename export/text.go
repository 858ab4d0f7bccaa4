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
	p.field("When", fieldText(&in.Fields, journal.FieldWhen))
	p.field("Recorded", in.RecordedAt.Format(dateTime)+recordedGap(in)+", by this computer's clock")
	p.field("Proven", cmp.Or(provenWords(in), notProven))
	if in.Imported {
		p.field("Imported", "yes: recorded elsewhere first, brought in at the time above")
	}
	if in.BeforeSigning {
		p.field("Signed", "no: made before the journal signed its records (its chain is checked, not who added it)")
	}
	p.field("Where", in.Place)
	for _, x := range in.People {
		p.field("Who", x.String())
	}
	p.field("Kind", journal.KindLabels(in.Kinds))
	p.field("Source", fieldText(&in.Fields, journal.FieldToldBy))
	p.block("Account", in.Details)
	p.block("Words used", in.Words)
	for _, x := range in.Witnesses {
		p.field("Witness", x.String())
	}
	for _, a := range in.Actions {
		p.field("Action", a)
	}
	for _, r := range in.Reported {
		p.field("Reported to", r.String())
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
			p.line("  %s:", string(name))
			p.items("    was: ", orNone(fieldText(&a.Previous, name)))
			p.items("    now: ", orNone(fieldText(after, name)))
		}
	}
	return flushed(bw, p.err)
}

// fieldText renders one field for the history of an amendment: times for
// people, the source in words, and every other field in its written form,
// one item a line.
func fieldText(f *journal.Fields, name journal.Field) string {
	switch name {
	case journal.FieldWhen:
		s := TimeText(f.OccurredAt, f.DateOnly)
		if f.DateOnly {
			s += " (time not stated)"
		}
		if f.Approximate {
			s = "about " + s
		}
		if f.Until != nil {
			s += " until " + TimeText(*f.Until, f.UntilDateOnly)
		}
		return s
	case journal.FieldUntil:
		if f.Until == nil {
			return ""
		}
		return TimeText(*f.Until, f.UntilDateOnly)
	case journal.FieldApprox:
		if f.Approximate {
			return "approximate"
		}
		return "exact"
	case journal.FieldToldBy, journal.FieldFirstHand:
		return f.Source()
	case journal.FieldKind:
		labels := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			labels[i] = journal.KindLabel(k)
		}
		return strings.Join(labels, "\n")
	}
	s, _ := journal.LookupField(name)
	items := s.Values(f)
	for i := range items {
		items[i] = oneLine(items[i])
	}
	return strings.Join(items, "\n")
}

// fieldNames lists field names for people.
func fieldNames(names []journal.Field) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = string(n)
	}
	return strings.Join(s, ", ")
}

// TimeText is how a time is shown to people: the day and the time, the
// seconds where there are any, and the offset from UTC where it is not
// the reader's own; a day whose time is not stated as the day alone.
func TimeText(t time.Time, dateOnly bool) string {
	if dateOnly {
		return journal.FormatTime(t, true, dateTime)
	}
	s := t.Format(dateTime) + seconds(t)
	if _, off := t.Zone(); off != localOffset(t) {
		s += zone(t)
	}
	return s
}

// seconds writes the seconds of a time that has them, so that a time
// given to the second is shown to the second.
func seconds(t time.Time) string {
	if t.Second() == 0 {
		return ""
	}
	return t.Format(":05")
}

// localOffset is the offset of the reader's own zone at t.
func localOffset(t time.Time) int {
	_, off := t.In(time.Local).Zone()
	return off
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
	end, dayOnly := in.OccurredAt, in.DateOnly
	if in.Until != nil {
		end, dayOnly = *in.Until, in.UntilDateOnly
	}
	if dayOnly {
		return " (" + DaysLater(end, in.RecordedAt) + ")"
	}
	d := in.RecordedAt.Sub(end)
	if d < time.Minute {
		return ""
	}
	return " (" + Duration(d) + " later)"
}

// DaysLater says how long after a day whose time is not stated a moment
// came, in whole days, since hours would claim a time nobody gave: "the
// same day", "the next day", "3 days later".
func DaysLater(day, at time.Time) string {
	y, m, d := at.In(day.Location()).Date()
	n := int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case n <= 0:
		return "the same day"
	case n == 1:
		return "the next day"
	}
	return fmt.Sprintf("%d days later", n)
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

func people(ps []journal.Person) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = journal.Person{Name: p.Name, Relation: p.Relation}.String()
	}
	return strings.Join(s, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// timelinePeriod says when the summarised incidents happened, for the
// first line of a timeline: "on 1 Dec 2026" when all on one day (as
// [journal.Summarize] counts them), else "from 1 Dec 2026 to 3 Dec 2026
// (3 days)".
func timelinePeriod(s journal.Summary) string {
	if s.Days == 1 {
		return "on " + s.First.Format(day)
	}
	return fmt.Sprintf("from %s to %s (%s)", s.First.Format(day), s.Last.Format(day), plural(s.Days, "day"))
}

// firstRecords names the first n records: "first record" for one, not
// "first 1 record".
func firstRecords(n int) string {
	if n == 1 {
		return "first record"
	}
	return "first " + plural(n, "record")
}

// printer writes lines and remembers the first error.
type printer struct {
	w   io.Writer
	err error
	buf []byte // the line being written, kept for the next
}

// line writes one line, the record's text in it made printable (a
// control character it holds shown, never obeyed).
func (p *printer) line(format string, args ...any) {
	if p.err != nil {
		return
	}
	p.buf = fmt.Appendf(p.buf[:0], format, args...)
	if hasControl(p.buf) {
		p.buf = append(p.buf[:0], Printable(string(p.buf))...)
	}
	p.buf = append(p.buf, '\n')
	_, p.err = p.w.Write(p.buf)
}

func (p *printer) field(name, value string) {
	if value != "" {
		p.line("%-12s %s", name+":", value)
	}
}

// items writes the lines of text after a label, the later lines under the
// first.
func (p *printer) items(label, text string) {
	for i, l := range strings.Split(text, "\n") {
		if i > 0 {
			label = strings.Repeat(" ", len(label))
		}
		p.line("%s%s", label, l)
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
