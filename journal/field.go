package journal

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/journal-dev/journal/dates"
)

// Field names one of the fields of an incident, as its flag on the command
// line, an amendment's list of what changed, and the renderers name it. The
// names are stored in amendment records: they are never renamed.
type Field string

// The fields of an incident, in the order the form asks for them.
const (
	FieldWhen     Field = "when"
	FieldUntil    Field = "until"
	FieldApprox   Field = "approx"
	FieldWhere    Field = "where"
	FieldWho      Field = "who"
	FieldKind     Field = "kind"
	FieldSummary  Field = "summary"
	FieldDetails  Field = "details"
	FieldWords    Field = "words"
	FieldToldBy   Field = "told-by"
	FieldWitness  Field = "witness"
	FieldAction   Field = "action"
	FieldReported Field = "reported"
	FieldImpact   Field = "impact"
	FieldSeverity Field = "severity"
	FieldTag      Field = "tag"
	// Added for the report (issue 13).
	FieldFirstHand    Field = "first-hand"
	FieldDailyLife    Field = "daily-life"
	FieldEvidenceKept Field = "evidence-kept"
	FieldPrivateNotes Field = "private-notes"
)

// FieldSpec is everything the program knows about one field: its name and
// label, how it is written as text and read back, and how it is copied.
// Flags, the add form, CSV import and export and the renderers all work
// from [FieldSpecs], so that a new field is added in one place.
type FieldSpec struct {
	Name Field
	// Label names the field for people, in headings and on the form's
	// check page: "When", "Witnesses".
	Label string
	// Usage says what its flag takes, for help: the value's name in
	// backticks, as pflag shows it.
	Usage string
	// Example is a value in its written form, distinct from every other
	// field's: help shows it, and tests fill an incident with the
	// examples to check that every field goes everywhere it should.
	Example []string
	// List is set for a field that holds several items: its flag is
	// repeatable and a CSV cell or a form's answer holds one item a line.
	List bool
	// Private is set for a field that never leaves the journal: exports
	// and reports leave it out.
	Private bool
	// Values writes the field as text: each item as its flag takes it,
	// times in RFC 3339 with their offset and seconds. It is nil when the
	// field is empty.
	Values func(f *Fields) []string
	// Set reads the field from text, as Values writes it and as people
	// type it; relative times are read against now. No values clears it.
	Set func(f *Fields, values []string, now time.Time) error
	// Copy copies the field from src to dst.
	Copy func(dst, src *Fields)
}

// FieldSpecs returns the fields of an incident, in the order the form asks
// for them.
func FieldSpecs() []FieldSpec { return fieldSpecs }

// LookupField returns the spec of the field named name.
func LookupField(name Field) (FieldSpec, bool) {
	for _, s := range fieldSpecs {
		if s.Name == name {
			return s, true
		}
	}
	return FieldSpec{}, false
}

// WrittenTime writes a time as the fields' written form does: RFC 3339
// with its offset, seconds included, or the date alone for a day whose
// time is not stated.
func WrittenTime(t time.Time, dateOnly bool) string {
	if dateOnly {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339Nano)
}

var fieldSpecs = []FieldSpec{
	{
		Name: FieldWhen, Example: []string{"2026-11-24T14:30:45+05:00"}, Usage: "when it happened: `TIME` like \"24 November 14:30\", \"yesterday 17.00\" or \"30/11/2026\" (default now)", Label: "When",
		Values: func(f *Fields) []string {
			return nonZero(!f.OccurredAt.IsZero(), WrittenTime(f.OccurredAt, f.DateOnly))
		},
		Set: func(f *Fields, v []string, now time.Time) error {
			r, err := dates.Parse(one(v), now)
			if err != nil {
				return err
			}
			f.SetWhen(r)
			return nil
		},
		Copy: func(dst, src *Fields) { dst.OccurredAt, dst.DateOnly = src.OccurredAt, src.DateOnly },
	},
	{
		Name: FieldUntil, Example: []string{"2026-11-24T15:10:20+05:00"}, Usage: "when it ended, for something that went on (`TIME`)", Label: "Until",
		Values: func(f *Fields) []string {
			if f.Until == nil {
				return nil
			}
			return []string{WrittenTime(*f.Until, f.UntilDateOnly)}
		},
		Set: func(f *Fields, v []string, now time.Time) error {
			f.SetUntil(nil)
			if s := one(v); s != "" {
				r, err := dates.ParseWith(s, now, dates.Options{Start: f.Start()})
				if err != nil {
					return err
				}
				f.SetUntil(&r)
			}
			return nil
		},
		Copy: func(dst, src *Fields) { dst.Until, dst.UntilDateOnly = src.Until, src.UntilDateOnly },
	},
	{
		Name: FieldApprox, Example: []string{"true"}, Usage: "the time is approximate", Label: "Approximate",
		Values: func(f *Fields) []string { return nonZero(f.Approximate, "true") },
		Set: func(f *Fields, v []string, _ time.Time) error {
			b, err := readBool(v)
			f.Approximate = b
			return err
		},
		Copy: func(dst, src *Fields) { dst.Approximate = src.Approximate },
	},
	textField(FieldWhere, []string{"Staff car park, Riverside Surgery"}, "Where", "where it happened: a `PLACE` such as \"Reception, Riverside Surgery\"", true, func(f *Fields) *string { return &f.Place }),
	{
		Name: FieldWho, Example: []string{"John Smith (patient); tall, grey coat, blue Ford Fiesta", "Mary Smith (relative)"}, Usage: "a person involved: `\"Name\"`, \"Name (relation)\" or \"Name (relation); description\" (repeatable)", Label: "People", List: true,
		Values: func(f *Fields) []string { return written(f.People) },
		Set: func(f *Fields, v []string, _ time.Time) error {
			ps, err := parseAll(v, ParsePerson)
			f.People = ps
			return err
		},
		Copy: func(dst, src *Fields) { dst.People = src.People },
	},
	{
		Name: FieldKind, Example: []string{"in-person", "following"}, Usage: "the `KIND` of contact, such as phone-call or in-person (repeatable)", Label: "Kind", List: true,
		Values: func(f *Fields) []string { return nonEmpty(f.Kinds) },
		Set: func(f *Fields, v []string, _ time.Time) error {
			f.Kinds = nil
			for _, k := range splitCommas(v) {
				k = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(k)), " ", "-")
				if k == "" {
					continue
				}
				if !slices.Contains(Kinds, k) {
					return fmt.Errorf("unknown kind %q: use one of %s", k, strings.Join(Kinds, ", "))
				}
				f.Kinds = append(f.Kinds, k)
			}
			return nil
		},
		Copy: func(dst, src *Fields) { dst.Kinds = src.Kinds },
	},
	textField(FieldSummary, []string{"Waited by my car after surgery"}, "Summary", "one line saying what happened (`TEXT`; required without a terminal)", true, func(f *Fields) *string { return &f.Summary }),
	textField(FieldDetails, []string{"He stood by the driver door.\nHe left when I went back in."}, "Account", "the full account, as `TEXT`", false, func(f *Fields) *string { return &f.Details }),
	textField(FieldWords, []string{"I know where you live"}, "Words used", "what was said or written, word for word (`TEXT`)", false, func(f *Fields) *string { return &f.Words }),
	{
		Name: FieldToldBy, Example: []string{"Jo Bloggs at reception"}, Label: "Told by",
		Usage:  "who told you (`NAME`), if you did not see or hear it yourself",
		Values: func(f *Fields) []string { return nonZero(f.ToldBy != "", f.ToldBy) },
		Set: func(f *Fields, v []string, _ time.Time) error {
			if f.ToldBy = one(v); f.ToldBy != "" {
				f.FirstHand = false
			}
			return nil
		},
		Copy: copySource,
	},
	{
		Name: FieldFirstHand, Label: "First-hand",
		Usage:  "you saw or heard it yourself (without this or --told-by, the source is \"not stated\")",
		Values: func(f *Fields) []string { return nonZero(f.FirstHand, "true") },
		Set: func(f *Fields, v []string, _ time.Time) error {
			b, err := readBool(v)
			if b {
				f.ToldBy = ""
			}
			f.FirstHand = b
			return err
		},
		Copy: copySource,
	},
	{
		Name: FieldWitness, Example: []string{"Ann Lee (chaperone); 01632 960123", "Raj Patel"}, Usage: "a witness: `\"Name\"`, \"Name; contact\" or \"Name (chaperone); contact\" (repeatable)", Label: "Witnesses", List: true,
		Values: func(f *Fields) []string { return written(f.Witnesses) },
		Set: func(f *Fields, v []string, _ time.Time) error {
			ws, err := parseAll(v, ParseWitness)
			f.Witnesses = ws
			return err
		},
		Copy: func(dst, src *Fields) { dst.Witnesses = src.Witnesses },
	},
	listField(FieldAction, []string{"Told him the contact was not appropriate", "Went back inside"}, "Actions", "what you did in response, as `TEXT` (repeatable)", func(f *Fields) *[]string { return &f.Actions }),
	{
		Name: FieldReported, Example: []string{"Police; CAD 1234 24/11; PC 123 Jones", "Practice manager"}, Usage: "who you reported it to: `\"to\"`, \"to; reference\" or \"to; reference; officer\" (repeatable)", Label: "Reported to", List: true,
		Values: func(f *Fields) []string { return written(f.Reported) },
		Set: func(f *Fields, v []string, _ time.Time) error {
			rs, err := parseAll(v, ParseReport)
			f.Reported = rs
			return err
		},
		Copy: func(dst, src *Fields) { dst.Reported = src.Reported },
	},
	textField(FieldImpact, []string{"Could not sleep"}, "Impact", "the effect on you (`TEXT`)", false, func(f *Fields) *string { return &f.Impact }),
	textField(FieldDailyLife, []string{"Changed my route home"}, "Daily life", "how it changed your usual day: a changed route, a stopped clinic, a move (`TEXT`)", false, func(f *Fields) *string { return &f.DailyLife }),
	textField(FieldEvidenceKept, []string{"Screenshot of the message"}, "Evidence kept", "how you kept the evidence: screenshot, original letter kept, voicemail saved (`TEXT`)", true, func(f *Fields) *string { return &f.EvidenceKept }),
	{
		Name: FieldSeverity, Example: []string{"high"}, Usage: "`LEVEL`: low, medium or high", Label: "Severity",
		Values: func(f *Fields) []string { return nonZero(f.Severity != "", f.Severity) },
		Set: func(f *Fields, v []string, _ time.Time) error {
			s := strings.ToLower(one(v))
			if s != "" && !slices.Contains(Severities, s) {
				return fmt.Errorf("unknown severity %q: use low, medium or high", one(v))
			}
			f.Severity = s
			return nil
		},
		Copy: func(dst, src *Fields) { dst.Severity = src.Severity },
	},
	listField(FieldTag, []string{"car-park", "evening"}, "Tags", "a `TAG` of your own, such as car-park (repeatable)", func(f *Fields) *[]string { return &f.Tags }),
	privateField(textField(FieldPrivateNotes, []string{"Ask the practice manager about the CCTV"}, "Private notes", "notes for yourself only (`TEXT`): never in any export", false, func(f *Fields) *string { return &f.PrivateNotes })),
}

// textField is a field of free text. A one-line field is trimmed; a
// longer text is kept as it was written.
func textField(name Field, example []string, label, usage string, oneLine bool, at func(*Fields) *string) FieldSpec {
	return FieldSpec{
		Name: name, Label: label, Usage: usage, Example: example,
		Values: func(f *Fields) []string { return nonZero(*at(f) != "", *at(f)) },
		Set: func(f *Fields, v []string, _ time.Time) error {
			s := strings.Join(v, "\n")
			if oneLine {
				s = strings.TrimSpace(s)
			}
			*at(f) = s
			return nil
		},
		Copy: func(dst, src *Fields) { *at(dst) = *at(src) },
	}
}

// listField is a list of short texts, each kept as written but trimmed.
func listField(name Field, example []string, label, usage string, at func(*Fields) *[]string) FieldSpec {
	return FieldSpec{
		Name: name, Label: label, Usage: usage, Example: example, List: true,
		Values: func(f *Fields) []string { return nonEmpty(*at(f)) },
		Set: func(f *Fields, v []string, _ time.Time) error {
			var out []string
			for _, s := range v {
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
			*at(f) = out
			return nil
		},
		Copy: func(dst, src *Fields) { *at(dst) = *at(src) },
	}
}

// one joins the values of a field that holds one value.
func one(v []string) string { return strings.TrimSpace(strings.Join(v, " ")) }

func nonZero(set bool, s string) []string {
	if !set {
		return nil
	}
	return []string{s}
}

func nonEmpty(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	return slices.Clone(ss)
}

// written writes each item of a list in its written form.
func written[T fmt.Stringer](items []T) []string {
	if len(items) == 0 {
		return nil
	}
	out := make([]string, len(items))
	for i, x := range items {
		out[i] = x.String()
	}
	return out
}

// parseAll reads each non-blank item with parse.
func parseAll[T any](v []string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for _, s := range v {
		if strings.TrimSpace(s) == "" {
			continue
		}
		x, err := parse(s)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// splitCommas splits values on commas as well, for a list whose items
// never hold one ("--kind phone-call,threat").
func splitCommas(v []string) []string {
	var out []string
	for _, s := range v {
		out = append(out, strings.Split(s, ",")...)
	}
	return out
}

// Take sets the fields named from src, leaving the others as they are:
// what an amendment does.
func (f *Fields) Take(src *Fields, names []Field) {
	for _, n := range names {
		if s, ok := LookupField(n); ok {
			s.Copy(f, src)
		}
	}
}

// Clone returns a copy of the fields that shares nothing with them, so
// that changing the copy leaves the original as it was.
func (f *Fields) Clone() Fields {
	c := *f
	if f.Until != nil {
		u := *f.Until
		c.Until = &u
	}
	c.People = slices.Clone(f.People)
	c.Kinds = slices.Clone(f.Kinds)
	c.Witnesses = slices.Clone(f.Witnesses)
	c.Actions = slices.Clone(f.Actions)
	c.Reported = slices.Clone(f.Reported)
	c.Tags = slices.Clone(f.Tags)
	return c
}

// ExampleFields returns an incident's fields with every field set to its
// example: a fully filled incident, for tests and demonstrations.
func ExampleFields(now time.Time) (Fields, error) {
	var f Fields
	for _, s := range fieldSpecs {
		if err := s.Set(&f, s.Example, now); err != nil {
			return f, fmt.Errorf("the example of %s: %w", s.Name, err)
		}
	}
	return f, nil
}

// privateField marks a field that never leaves the journal.
func privateField(s FieldSpec) FieldSpec {
	s.Private = true
	return s
}

// copySource copies the source of the account: first-hand, or who told.
func copySource(dst, src *Fields) { dst.FirstHand, dst.ToldBy = src.FirstHand, src.ToldBy }

// readBool reads a yes-or-no value; nothing is no.
func readBool(v []string) (bool, error) {
	switch s := strings.ToLower(one(v)); s {
	case "", "false", "no":
		return false, nil
	case "true", "yes":
		return true, nil
	default:
		return false, fmt.Errorf("%q is not true or false", s)
	}
}
