package export

import (
	"fmt"
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
	RedactPeople    = "people"
	RedactWitnesses = "witnesses"
	RedactContacts  = "witness-contacts"
	RedactOfficers  = "officers"
	RedactPlaces    = "places"
	RedactAddresses = "addresses"
	RedactPostcodes = "postcodes"
	RedactVehicles  = "vehicle-registrations"
	RedactPhones    = "phone-numbers"
	RedactEmails    = "email-addresses"
	RedactTags      = "tags"
	RedactFiles     = "file-names"
	RedactImages    = "images"
)

var redactionOrder = []string{RedactPeople, RedactWitnesses, RedactContacts, RedactOfficers, RedactPlaces, RedactAddresses,
	RedactPostcodes, RedactVehicles, RedactPhones, RedactEmails, RedactTags, RedactFiles, RedactImages}

// RedactionText says in words what each kind of redaction did, for the
// report itself.
var RedactionText = map[string]string{
	RedactPeople: "the people involved are named Person A, Person B and so on, the same letter for the same person throughout, " +
		"in their own fields and wherever their names, parts of their names or the usual short forms of their first names appear in the text",
	RedactWitnesses: "witnesses and those who told the author are named Witness 1, Witness 2 and so on, in the text too",
	RedactContacts:  "witnesses' contact details are removed",
	RedactOfficers:  "officers' names are replaced by [officer]",
	RedactPlaces:    "places are replaced by their kind (the author's home, the practice, a street...), and their names in the text by [place]",
	RedactAddresses: "street addresses in the text are replaced by [address]",
	RedactPostcodes: "postcodes are replaced by [postcode]",
	RedactVehicles:  "vehicle registrations are replaced by [registration]",
	RedactPhones:    "phone numbers in the text are replaced by [phone number]",
	RedactEmails:    "email addresses in the text are replaced by [email address]",
	RedactTags:      "tags that name someone are replaced as their names are",
	RedactFiles:     "evidence files are named by number (file 1, file 2...) rather than by their own names",
	RedactImages:    "evidence images are not shown (they may show names or numbers); the index still lists each file and its SHA-256",
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
	// postcodePattern is a UK postcode: "LS6 2AB", "SW1A 1AA", "ls62ab".
	postcodePattern = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b`)
	})
	// addressPattern is a house number and a street: "14 Elm Road",
	// "3a St Mary's Close", "Flat 2, 9 High Street".
	addressPattern = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(?:flat|apartment|unit)?\s*\d+[a-z]?,?\s+(?:[\p{L}'.\-]+\s+){1,3}` +
			`(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|court|ct|place|pl|gardens|terrace|grove|hill|park|row|walk|mews|square|sq|view|rise)\b\.?`)
	})
	// vehiclePattern is a UK registration of the current form: "AB12 CDE".
	vehiclePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b`) })
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

// Redaction says what [RedactAll] did.
type Redaction struct {
	// Kinds are the kinds of redaction applied, in order (see
	// [RedactionText]).
	Kinds []string
	// Selection is the selection in words, redacted, for the cover.
	Selection string
}

// Redact returns a copy of t for sharing beyond the people who need to
// know who is involved, and the kinds of redaction it applied (see
// [RedactAll]). t is not changed.
func Redact(t *Timeline) (*Timeline, []string) {
	red, r := RedactAll(t, nil)
	return red, r.Kinds
}

// RedactAll returns a copy of t with everything that names a person or a
// place removed or replaced, and says what it did; filters are the
// selection as given on the command line, redacted in the same way for
// the cover. People are Person A, B... in order of first appearance, with
// their names, parts of names and the usual short forms of first names in
// free text; witnesses and informants are Witness 1, 2...; officers,
// contacts, places (by their kind), addresses, postcodes, vehicle
// registrations, phone numbers and email addresses go; tags are redacted as
// text; evidence files are named by number. Names written differently
// from how they were entered (a misspelling, a nickname of the surname)
// are not caught: a redacted report should still be read before it is
// shared.
//
// Everyone is named before anything is replaced. The copy holds every
// incident of t, redacted: [Handover] redacts a timeline from
// [FromSelection] one incident at a time instead, to the same bytes.
func RedactAll(t *Timeline, filters []string) (*Timeline, *Redaction) {
	r := newRedactor()
	for _, in := range t.Incidents {
		r.collect(in)
	}
	r.named()
	out := make([]*journal.Incident, len(t.Incidents))
	for i, in := range t.Incidents {
		out[i] = r.incident(in)
	}
	red := NewTimeline(out, t.Fingerprint)
	// A token reveals nothing but a hash and a time.
	red.Stamps = t.Stamps
	red.Witnessed = unnamedWitnesses(t.Witnessed)
	res := &Redaction{Selection: r.text(selection(filters))}
	res.Kinds = r.kinds()
	return red, res
}

// unnamedWitnesses returns witnessed checkpoints as a redacted report
// gives them: a count, a hash, a time and the witness's key, without the
// witness's name.
func unnamedWitnesses(ws []journal.CosignedEntry) []journal.CosignedEntry {
	var out []journal.CosignedEntry
	for _, w := range ws {
		w.Name = ""
		out = append(out, w)
	}
	return out
}

type nameAlias struct {
	text  string
	alias string
	// whole marks a full name, matched in any case; parts of a name are
	// matched as written or capitalised, so "Mark" does not eat the verb
	// "mark". anyCase matches a part in any case too (in tags).
	whole bool
	kind  string
}

type redactor struct {
	alias      map[string]string // person key to "Person A"
	witnesses  int
	names      []nameAlias
	seen       map[nameAlias]bool
	applied    map[string]bool
	placeWords map[string]bool
	// places are the place words, longest first, once named has run.
	places []string
	// pending are the witnesses and informants met by collect, one name
	// for each, in order, numbered once every person is named.
	pending     []string
	pendingKeys map[string]bool
}

func newRedactor() *redactor {
	return &redactor{alias: map[string]string{}, seen: map[nameAlias]bool{}, applied: map[string]bool{}, placeWords: map[string]bool{}, pendingKeys: map[string]bool{}}
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
		r.addName(p.Name, a, RedactPeople)
	}
}

// witness gives a witness, or whoever told the author, the next number,
// unless they are among the people involved.
func (r *redactor) witness(name string) {
	key := journal.PersonKey(name)
	if key == "" {
		return
	}
	if _, ok := r.alias[key]; ok {
		return
	}
	r.witnesses++
	a := fmt.Sprintf("Witness %d", r.witnesses)
	r.alias[key] = a
	r.addName(name, a, RedactWitnesses)
}

// addName remembers a name, its parts and the short forms of its first
// name, to replace by alias in text.
func (r *redactor) addName(name, alias, kind string) {
	r.add(nameAlias{text: strings.Join(strings.Fields(name), " "), alias: alias, whole: true, kind: kind})
	parts := strings.Fields(name)
	if len(parts) < 2 {
		return
	}
	// Initials as people write them: "J.E.", "J. E.", "JE".
	var initials []string
	for _, part := range parts {
		if isTitle(strings.Trim(part, ".")) {
			continue
		}
		if first, _ := utf8.DecodeRuneInString(part); unicode.IsLetter(first) {
			initials = append(initials, string(unicode.ToUpper(first)))
		}
	}
	if len(initials) >= 2 {
		for _, form := range []string{strings.Join(initials, ".") + ".", strings.Join(initials, ". ") + ".", strings.Join(initials, "")} {
			r.add(nameAlias{text: form, alias: alias, kind: kind})
		}
	}
	for i, part := range parts {
		part = strings.Trim(part, ".,'\"()")
		if len([]rune(part)) < 2 || isTitle(part) {
			continue
		}
		r.add(nameAlias{text: part, alias: alias, kind: kind})
		first, size := utf8.DecodeRuneInString(part)
		capital := string(unicode.ToUpper(first)) + part[size:]
		r.add(nameAlias{text: capital, alias: alias, kind: kind})
		if i == 0 || (i == 1 && isTitle(parts[0])) {
			for _, short := range shortForms[strings.ToLower(part)] {
				r.add(nameAlias{text: short, alias: alias, kind: kind})
				// "Maggie Evans" for Margaret Evans, as a whole name.
				if rest := strings.Join(parts[i+1:], " "); rest != "" {
					r.add(nameAlias{text: short + " " + rest, alias: alias, whole: true, kind: kind})
				}
			}
		}
	}
}

// shared makes a part of a name that more than one person has, such as a
// family's surname, stand for none of them: "Mr Evans" becomes "Mr [name]"
// rather than the first Evans named.
func (r *redactor) shared() {
	owners := map[string]map[string]bool{}
	for _, n := range r.names {
		if n.whole {
			continue
		}
		if owners[n.text] == nil {
			owners[n.text] = map[string]bool{}
		}
		owners[n.text][n.alias] = true
	}
	seen := map[string]bool{}
	out := r.names[:0]
	for _, n := range r.names {
		if !n.whole && len(owners[n.text]) > 1 {
			if seen[n.text] {
				continue
			}
			seen[n.text] = true
			n.alias = "[name]"
		}
		out = append(out, n)
	}
	r.names = out
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
	case "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "rev", "pc", "ds", "dc", "sgt":
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
		w.Name = r.person(w.Name)
		witnesses[i] = w
	}
	f.Witnesses = witnesses
	if f.ToldBy != "" {
		f.ToldBy = r.person(f.ToldBy)
	}
	reported := make([]journal.Report, len(f.Reported))
	for i, rep := range f.Reported {
		rep.To, rep.Reference = r.text(rep.To), r.text(rep.Reference)
		if rep.Officer != "" {
			rep.Officer = "[officer]"
			r.applied[RedactOfficers] = true
		}
		reported[i] = rep
	}
	f.Reported = reported
	actions := make([]string, len(f.Actions))
	for i, a := range f.Actions {
		actions[i] = r.text(a)
	}
	f.Actions = actions
	if f.Place != "" {
		f.Place = placeKind(f.Place)
		r.applied[RedactPlaces] = true
	}
	f.Summary = r.text(f.Summary)
	f.Details = r.text(f.Details)
	f.Words = r.text(f.Words)
	f.Impact = r.text(f.Impact)
	f.DailyLife = r.text(f.DailyLife)
	f.EvidenceKept = r.text(f.EvidenceKept)
	f.PrivateNotes = ""
	tags := make([]string, len(f.Tags))
	for i, tag := range f.Tags {
		tags[i] = r.tag(tag)
	}
	f.Tags = tags
	f.Kinds = slices.Clone(f.Kinds)
}

// person replaces the name of a witness or informant by their alias.
func (r *redactor) person(name string) string {
	if a, ok := r.alias[journal.PersonKey(name)]; ok {
		if strings.HasPrefix(a, "Witness") {
			r.applied[RedactWitnesses] = true
		} else {
			r.applied[RedactPeople] = true
		}
		return a
	}
	return r.text(name)
}

// tag redacts a tag: any name or part of one in it, in any case.
func (r *redactor) tag(tag string) string {
	out := r.text(tag)
	lower := strings.ToLower(out)
	for _, n := range r.names {
		low := strings.ToLower(n.text)
		if len([]rune(low)) < 3 {
			continue
		}
		if i := strings.Index(lower, low); i >= 0 && isWordEdge(lower, i, i+len(low)) {
			out = strings.ReplaceAll(strings.ToLower(n.alias), " ", "-")
			break
		}
	}
	for w := range r.placeWords {
		if strings.Contains(lower, strings.ToLower(w)) {
			out = "place"
		}
	}
	if out != tag {
		r.applied[RedactTags] = true
	}
	return out
}

// text masks email addresses, phone numbers, addresses, postcodes,
// vehicle registrations, place names and the names of the people involved
// in free text.
func (r *redactor) text(s string) string {
	if s == "" {
		return s
	}
	mask := func(re func() *regexp.Regexp, kind, with string, ok func(string) bool) {
		s = re().ReplaceAllStringFunc(s, func(m string) string {
			if ok != nil && !ok(m) {
				return m
			}
			r.applied[kind] = true
			return with
		})
	}
	// Each pattern needs an "@" or a digit: most text has neither.
	if strings.Contains(s, "@") {
		mask(emailPattern, RedactEmails, "[email address]", nil)
	}
	if strings.ContainsAny(s, "0123456789") {
		mask(addressPattern, RedactAddresses, "[address]", nil)
		mask(postcodePattern, RedactPostcodes, "[postcode]", nil)
		mask(vehiclePattern, RedactVehicles, "[registration]", nil)
		mask(phoneCandidate, RedactPhones, "[phone number]", isPhone)
	}
	// s lower-cased, made once for all the names until one is replaced
	// (lower-casing a long text again for each name was most of the
	// time a redaction took).
	lower := ""
	for _, n := range r.names {
		if n.whole && lower == "" {
			lower = strings.ToLower(s)
		}
		if t := replaceWord(s, lower, n, func() { r.applied[n.kind] = true }); t != s {
			s, lower = t, ""
		}
	}
	for _, w := range r.places {
		s = replaceWord(s, "", nameAlias{text: w, alias: "[place]"}, func() { r.applied[RedactPlaces] = true })
	}
	return s
}

// replaceWord replaces n.text in s where it stands as a word of its own;
// lower is s lower-cased, for a whole name (matched in any case).
func replaceWord(s, lower string, n nameAlias, hit func()) string {
	var b strings.Builder
	hay, needle := s, n.text
	if n.whole {
		hay, needle = lower, strings.ToLower(n.text)
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
