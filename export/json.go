package export

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/journal-dev/journal/journal"
)

// The incidents of a timeline are written to JSON by hand rather than by
// encoding/json: a timeline of 100,000 incidents is a hundred megabytes of
// JSON, and reflection and re-indenting were most of the cost of printing
// it. The bytes are exactly those json.MarshalIndent writes; a test
// compares the two on every field, and fails when a field is added to
// journal.Incident but not here.

// jsonOut appends indented JSON.
type jsonOut struct {
	b      []byte
	prefix string
	depth  int
	// first is set until the first member of the object or array being
	// written.
	first bool
}

// indent is the indentation of the deepest lines most JSON has, two
// spaces a level.
const indent = "                                "

func (j *jsonOut) newline() {
	j.b = append(j.b, '\n')
	j.b = append(j.b, j.prefix...)
	if n := 2 * j.depth; n <= len(indent) {
		j.b = append(j.b, indent[:n]...)
		return
	}
	for range j.depth {
		j.b = append(j.b, "  "...)
	}
}

func (j *jsonOut) begin(c byte) {
	j.b = append(j.b, c)
	j.depth++
	j.first = true
}

func (j *jsonOut) end(c byte) {
	j.depth--
	if !j.first {
		j.newline()
	}
	j.b = append(j.b, c)
	j.first = false
}

// next starts a member of an object or an item of an array.
func (j *jsonOut) next() {
	if !j.first {
		j.b = append(j.b, ',')
	}
	j.newline()
	j.first = false
}

func (j *jsonOut) key(k string) {
	j.next()
	j.b = append(j.b, '"')
	j.b = append(j.b, k...)
	j.b = append(j.b, '"', ':', ' ')
}

func (j *jsonOut) null()         { j.b = append(j.b, "null"...) }
func (j *jsonOut) bool(v bool)   { j.b = strconv.AppendBool(j.b, v) }
func (j *jsonOut) uint(n uint64) { j.b = strconv.AppendUint(j.b, n, 10) }
func (j *jsonOut) int(n int64)   { j.b = strconv.AppendInt(j.b, n, 10) }
func (j *jsonOut) str(s string)  { j.b = appendJSONString(j.b, s) }
func (j *jsonOut) time(t time.Time) {
	j.b = append(j.b, '"')
	j.b = t.AppendFormat(j.b, time.RFC3339Nano)
	j.b = append(j.b, '"')
}

// timePtr writes a time that may be absent.
func (j *jsonOut) timePtr(t *time.Time) {
	if t == nil {
		j.null()
		return
	}
	j.time(*t)
}

func (j *jsonOut) strs(ss []string) {
	if ss == nil {
		j.null()
		return
	}
	j.begin('[')
	for _, s := range ss {
		j.next()
		j.str(s)
	}
	j.end(']')
}

// list writes a list of n items, each written by item; null when absent.
func (j *jsonOut) list(n int, isNil bool, item func(i int)) {
	if isNil {
		j.null()
		return
	}
	j.begin('[')
	for i := range n {
		j.next()
		item(i)
	}
	j.end(']')
}

func (j *jsonOut) incident(in *journal.Incident) {
	j.begin('{')
	j.key("id")
	j.uint(in.ID)
	j.key("recorded_at")
	j.time(in.RecordedAt)
	j.key("proven_at")
	j.timePtr(in.ProvenAt)
	j.key("proven_by")
	j.str(in.ProvenBy)
	if r := in.ProvenRoot; r != nil {
		j.key("proven_root")
		j.begin('{')
		j.key("name")
		j.str(r.Name)
		j.key("sha256")
		j.str(r.SHA256)
		j.end('}')
	}
	j.fields(&in.Fields)
	j.key("imported")
	j.bool(in.Imported)
	if in.BeforeSigning {
		j.key("before_signing")
		j.bool(true)
	}
	if in.Import != 0 {
		j.key("import")
		j.uint(in.Import)
	}
	j.key("attachments")
	j.list(len(in.Attachments), in.Attachments == nil, func(i int) {
		a := &in.Attachments[i]
		j.begin('{')
		j.key("name")
		j.str(a.Name)
		j.key("size")
		j.int(a.Size)
		j.key("sha256")
		j.str(a.SHA256)
		j.key("media_type")
		j.str(a.MediaType)
		if a.Source != "" {
			j.key("source")
			j.str(a.Source)
		}
		j.key("added_at")
		j.time(a.AddedAt)
		if a.Blob != "" {
			j.key("blob")
			j.str(a.Blob)
		}
		j.end('}')
	})
	j.key("amendments")
	j.list(len(in.Amendments), in.Amendments == nil, func(i int) {
		a := &in.Amendments[i]
		j.begin('{')
		j.key("recorded_at")
		j.time(a.RecordedAt)
		j.key("reason")
		j.str(a.Reason)
		j.key("changed")
		j.list(len(a.Changed), a.Changed == nil, func(i int) { j.str(string(a.Changed[i])) })
		j.key("previous")
		j.begin('{')
		j.fields(&a.Previous)
		j.end('}')
		if a.Concurrent {
			j.key("concurrent")
			j.bool(true)
		}
		j.end('}')
	})
	j.key("void")
	if in.Void == nil {
		j.null()
	} else {
		j.begin('{')
		j.key("recorded_at")
		j.time(in.Void.RecordedAt)
		j.key("reason")
		j.str(in.Void.Reason)
		j.end('}')
	}
	j.end('}')
}

// fields writes the members of journal.Fields into the object being
// written, as encoding/json writes an embedded struct.
func (j *jsonOut) fields(f *journal.Fields) {
	j.key("occurred_at")
	j.time(f.OccurredAt)
	j.key("until")
	j.timePtr(f.Until)
	if f.DateOnly {
		j.key("date_only")
		j.bool(true)
	}
	if f.UntilDateOnly {
		j.key("until_date_only")
		j.bool(true)
	}
	j.key("approximate")
	j.bool(f.Approximate)
	j.key("place")
	j.str(f.Place)
	j.key("people")
	j.list(len(f.People), f.People == nil, func(i int) {
		p := &f.People[i]
		j.begin('{')
		j.key("name")
		j.str(p.Name)
		j.key("relation")
		j.str(p.Relation)
		if p.Description != "" {
			j.key("description")
			j.str(p.Description)
		}
		j.end('}')
	})
	j.key("kinds")
	j.strs(f.Kinds)
	j.key("summary")
	j.str(f.Summary)
	j.key("details")
	j.str(f.Details)
	j.key("words")
	j.str(f.Words)
	j.key("witnesses")
	j.list(len(f.Witnesses), f.Witnesses == nil, func(i int) {
		w := &f.Witnesses[i]
		j.begin('{')
		j.key("name")
		j.str(w.Name)
		j.key("contact")
		j.str(w.Contact)
		if w.Chaperone {
			j.key("chaperone")
			j.bool(true)
		}
		j.end('}')
	})
	j.key("first_hand")
	j.bool(f.FirstHand)
	j.key("told_by")
	j.str(f.ToldBy)
	j.key("actions")
	j.strs(f.Actions)
	j.key("reported")
	j.list(len(f.Reported), f.Reported == nil, func(i int) {
		r := &f.Reported[i]
		j.begin('{')
		j.key("to")
		j.str(r.To)
		j.key("reference")
		j.str(r.Reference)
		if r.Officer != "" {
			j.key("officer")
			j.str(r.Officer)
		}
		j.end('}')
	})
	j.key("impact")
	j.str(f.Impact)
	j.key("daily_life")
	j.str(f.DailyLife)
	j.key("evidence_kept")
	j.str(f.EvidenceKept)
	j.key("severity")
	j.str(f.Severity)
	j.key("tags")
	j.strs(f.Tags)
	if f.PrivateNotes != "" {
		j.key("private_notes")
		j.str(f.PrivateNotes)
	}
}

const hexDigits = "0123456789abcdef"

// jsonSafe holds the ASCII bytes a JSON string holds as they are: not a
// control character, quote or backslash, nor <, > or &.
var jsonSafe = func() (safe [utf8.RuneSelf]bool) {
	for c := range safe {
		safe[c] = c >= 0x20 && !strings.ContainsRune(`"\<>&`, rune(c))
	}
	return safe
}()

// appendJSONString appends s as encoding/json writes a string: quoted,
// with <, > and & escaped as encoding/json does by default, control
// characters escaped, invalid UTF-8 replaced, and U+2028 and U+2029
// escaped.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
