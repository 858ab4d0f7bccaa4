package export

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/journal-dev/journal/journal"
)

// The kinds of redaction [Redact] can apply, in the order they are listed.
const (
	RedactPeople   = "people"
	RedactContacts = "witness-contacts"
	RedactPhones   = "phone-numbers"
	RedactEmails   = "email-addresses"
	RedactImages   = "images"
)

// RedactionText says in words what each kind of redaction did, for the
// report itself.
var RedactionText = map[string]string{
	RedactPeople:   "the people involved are named Person A, Person B and so on, the same letter for the same person throughout, in their own fields and wherever their names appear as written in the text",
	RedactContacts: "witnesses' contact details are removed",
	RedactPhones:   "phone numbers in the text are replaced by [phone number]",
	RedactEmails:   "email addresses in the text are replaced by [email address]",
	RedactImages:   "evidence images are not shown (they may show names or numbers); the index still lists each file and its SHA-256",
}

// The patterns are compiled when a redaction first needs them, not when
// the program starts: most commands never redact.
var (
	emailPattern = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}.\-]+\.\p{L}{2,}`)
	})
	// phoneCandidate finds runs of digits with the separators phone
	// numbers are written with; isPhone then counts the digits.
	phoneCandidate = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\+?\(?\d[\d \-().]*\d`) })
)

// isPhone reports whether a run of digits and separators is long enough to
// be a phone number (9 to 15 digits) rather than a date, a time or a
// reference.
func isPhone(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			n++
		}
	}
	return n >= 9 && n <= 15
}

// Redact returns a copy of t for sharing beyond the people who need to know
// who is involved, and the kinds of redaction it applied (see
// [RedactionText]). t is not changed. People are pseudonymised in order of
// first appearance; witnesses' contacts go; phone numbers and email
// addresses in free text are masked. Names written differently from how
// they were entered (a nickname, a misspelling) are not caught: a
// redacted report should still be read before it is shared.
func Redact(t *Timeline) (*Timeline, []string) {
	r := &redactor{alias: map[string]string{}, seen: map[nameAlias]bool{}, applied: map[string]bool{}}
	// Name everyone first, in the order they appear, so that the
	// letters do not depend on which text mentions whom.
	for _, in := range t.Incidents {
		r.name(in.People)
		for _, a := range in.Amendments {
			r.name(a.Previous.People)
		}
	}
	// Longest names first, so "John Smith" is replaced before "John".
	slices.SortStableFunc(r.names, func(a, b nameAlias) int { return len(b.text) - len(a.text) })

	out := make([]*journal.Incident, len(t.Incidents))
	for i, in := range t.Incidents {
		c := *in
		r.fields(&c.Fields)
		c.Amendments = make([]journal.Amendment, len(in.Amendments))
		for j, a := range in.Amendments {
			a.Reason = r.text(a.Reason)
			r.fields(&a.Previous)
			c.Amendments[j] = a
		}
		if in.Void != nil {
			v := *in.Void
			v.Reason = r.text(v.Reason)
			c.Void = &v
		}
		c.Attachments = make([]journal.Attachment, len(in.Attachments))
		for j, a := range in.Attachments {
			a.Source = r.text(a.Source)
			if strings.HasPrefix(a.MediaType, "image/") {
				r.applied[RedactImages] = true
			}
			c.Attachments[j] = a
		}
		out[i] = &c
	}
	red := NewTimeline(out, t.Fingerprint)
	var kinds []string
	for _, k := range []string{RedactPeople, RedactContacts, RedactPhones, RedactEmails, RedactImages} {
		if r.applied[k] {
			kinds = append(kinds, k)
		}
	}
	return red, kinds
}

type nameAlias struct {
	text  string
	alias string
	// whole marks a full name, matched in any case; parts of a name are
	// matched only as written, so "Mark" does not eat the verb "mark".
	whole bool
}

type redactor struct {
	alias   map[string]string // person key to "Person A"
	names   []nameAlias
	seen    map[nameAlias]bool
	applied map[string]bool
}

// name gives each new person the next letter.
func (r *redactor) name(ps []journal.Person) {
	for _, p := range ps {
		key := journal.PersonKey(p.Name)
		if key == "" {
			continue
		}
		a, ok := r.alias[key]
		if !ok {
			a = "Person " + letters(len(r.alias))
			r.alias[key] = a
		}
		r.add(nameAlias{text: strings.Join(strings.Fields(p.Name), " "), alias: a, whole: true})
		parts := strings.Fields(p.Name)
		if len(parts) < 2 {
			continue
		}
		for _, part := range parts {
			part = strings.Trim(part, ".,'\"")
			if len([]rune(part)) < 2 || isTitle(part) {
				continue
			}
			r.add(nameAlias{text: part, alias: a})
			first, size := utf8.DecodeRuneInString(part)
			r.add(nameAlias{text: string(unicode.ToUpper(first)) + part[size:], alias: a})
		}
	}
}

// add remembers a name to replace, once.
func (r *redactor) add(n nameAlias) {
	if !r.seen[n] {
		r.seen[n] = true
		r.names = append(r.names, n)
	}
}

// isTitle reports whether a word of a name is a title such as Mr or Dr,
// which is not itself identifying.
func isTitle(s string) bool {
	switch strings.ToLower(s) {
	case "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "rev":
		return true
	}
	return false
}

// letters numbers people A, B, ... Z, AA, AB, ...
func letters(i int) string {
	s := ""
	for {
		s = string(rune('A'+i%26)) + s
		i = i/26 - 1
		if i < 0 {
			return s
		}
	}
}

func (r *redactor) fields(f *journal.Fields) {
	people := make([]journal.Person, len(f.People))
	for i, p := range f.People {
		if a, ok := r.alias[journal.PersonKey(p.Name)]; ok {
			p.Name = a
			r.applied[RedactPeople] = true
		}
		p.Description = r.text(p.Description)
		people[i] = p
	}
	f.People = people
	witnesses := make([]journal.Witness, len(f.Witnesses))
	for i, w := range f.Witnesses {
		if w.Contact != "" {
			w.Contact = ""
			r.applied[RedactContacts] = true
		}
		w.Name = r.text(w.Name)
		witnesses[i] = w
	}
	f.Witnesses = witnesses
	reported := make([]journal.Report, len(f.Reported))
	for i, rep := range f.Reported {
		rep.To, rep.Reference, rep.Officer = r.text(rep.To), r.text(rep.Reference), r.text(rep.Officer)
		reported[i] = rep
	}
	f.Reported = reported
	actions := make([]string, len(f.Actions))
	for i, a := range f.Actions {
		actions[i] = r.text(a)
	}
	f.Actions = actions
	f.Place = r.text(f.Place)
	f.Summary = r.text(f.Summary)
	f.Details = r.text(f.Details)
	f.Words = r.text(f.Words)
	f.ToldBy = r.text(f.ToldBy)
	f.Impact = r.text(f.Impact)
	f.Tags = slices.Clone(f.Tags)
	f.Kinds = slices.Clone(f.Kinds)
}

// text masks email addresses, phone numbers and the names of the people
// involved in free text.
func (r *redactor) text(s string) string {
	if s == "" {
		return s
	}
	s = emailPattern().ReplaceAllStringFunc(s, func(string) string {
		r.applied[RedactEmails] = true
		return "[email address]"
	})
	s = phoneCandidate().ReplaceAllStringFunc(s, func(m string) string {
		if !isPhone(m) {
			return m
		}
		r.applied[RedactPhones] = true
		return "[phone number]"
	})
	for _, n := range r.names {
		s = replaceWord(s, n, func() { r.applied[RedactPeople] = true })
	}
	return s
}

// replaceWord replaces n.text in s where it stands as a word of its own.
func replaceWord(s string, n nameAlias, hit func()) string {
	var b strings.Builder
	hay, needle := s, n.text
	if n.whole {
		hay, needle = strings.ToLower(s), strings.ToLower(n.text)
		if len(hay) != len(s) {
			// Lower-casing changed the length: match as written.
			hay, needle = s, n.text
		}
	}
	i := 0
	for {
		j := strings.Index(hay[i:], needle)
		if j < 0 {
			break
		}
		start, end := i+j, i+j+len(needle)
		if isWordEdge(s, start, end) {
			b.WriteString(s[i:start])
			b.WriteString(n.alias)
			hit()
		} else {
			b.WriteString(s[i:end])
		}
		i = end
	}
	if i == 0 {
		return s
	}
	b.WriteString(s[i:])
	return b.String()
}

// isWordEdge reports whether s[start:end] is not part of a longer word.
func isWordEdge(s string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
