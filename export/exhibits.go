package export

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/journal-dev/journal/journal"
)

// ExhibitKey names an evidence file for its exhibit mark: the incident it
// belongs to and its SHA-256.
func ExhibitKey(id uint64, a journal.Attachment) string {
	return strconv.FormatUint(id, 10) + ":" + a.SHA256
}

// Exhibits gives every evidence file of a journal its exhibit mark, the
// way a witness marks the exhibits of a statement: their initials and a
// number, "SJ/1". A file keeps the mark an earlier report gave it
// (earlier, as recorded in the journal's disclosures); a file never given
// one gets the next number, in the order the files were added. The same
// file (the same SHA-256) attached to several incidents is one exhibit:
// it has one mark, listed under each incident, as a court bundle holds a
// document once. (An earlier report that gave it two marks keeps them,
// so that a report already handed over still matches.) The
// initials are those earlier marks used, or else name's ("EX" without a
// name), so marks do not change when the name is written differently.
//
// It returns every mark, and the marks to record with this report: all
// of them, so that the next report finds them in the last disclosure.
func Exhibits(all []*journal.Incident, earlier []journal.DisclosureEntry, name string) (map[string]string, []journal.Exhibit) {
	marks := map[string]string{}
	bySHA := map[string]string{} // the first mark each file was given
	prefix, next := "", 1
	for _, d := range earlier {
		for _, e := range d.Exhibits {
			marks[strconv.FormatUint(e.Incident, 10)+":"+e.SHA256] = e.Mark
			if _, ok := bySHA[e.SHA256]; !ok {
				bySHA[e.SHA256] = e.Mark
			}
			p, n, ok := strings.Cut(e.Mark, "/")
			if !ok {
				continue
			}
			if prefix == "" {
				prefix = p
			}
			if i, err := strconv.Atoi(n); err == nil && p == prefix {
				next = max(next, i+1)
			}
		}
	}
	if prefix == "" {
		prefix = cmp.Or(Initials(name), "EX")
	}
	type file struct {
		key string
		in  *journal.Incident
		a   journal.Attachment
	}
	var files []file
	for _, in := range all {
		for _, a := range in.Attachments {
			files = append(files, file{ExhibitKey(in.ID, a), in, a})
		}
	}
	slices.SortStableFunc(files, func(x, y file) int {
		return cmp.Or(x.a.AddedAt.Compare(y.a.AddedAt), cmp.Compare(x.in.ID, y.in.ID))
	})
	var record []journal.Exhibit
	for _, f := range files {
		m, ok := marks[f.key]
		if !ok {
			if m, ok = bySHA[f.a.SHA256]; !ok {
				m = fmt.Sprintf("%s/%d", prefix, next)
				next++
				bySHA[f.a.SHA256] = m
			}
			marks[f.key] = m
		}
		record = append(record, journal.Exhibit{Incident: f.in.ID, SHA256: f.a.SHA256, Mark: m})
	}
	return marks, record
}

// Initials are the first letters of the words of a name, titles left out:
// "Dr Sarah Jones" gives "SJ".
func Initials(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		if isTitle(strings.Trim(w, ".")) {
			continue
		}
		for _, r := range w {
			if unicode.IsLetter(r) {
				b.WriteRune(unicode.ToUpper(r))
				break
			}
		}
	}
	return b.String()
}
