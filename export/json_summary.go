package export

import (
	"bufio"

	"github.com/journal-dev/journal/journal"
)

// writeSummaryJSON writes s as json.MarshalIndent(s, "  ", "  ") does,
// by hand like the incidents (json.go): a report, even of a small
// journal, has hundreds of reports made and people named, and encoding/json
// reflected over each (a twentieth of a JSON export of 2,000 incidents). A
// test compares the bytes with encoding/json's on every field.
func writeSummaryJSON(bw *bufio.Writer, s journal.Summary) error {
	j := &jsonOut{prefix: "  "}
	j.begin('{')
	j.key("count")
	j.int(int64(s.Count))
	j.key("first")
	j.timePtr(s.First)
	j.key("last")
	j.timePtr(s.Last)
	j.key("days")
	j.int(int64(s.Days))
	j.key("people")
	j.list(len(s.People), s.People == nil, func(i int) {
		p := &s.People[i]
		j.begin('{')
		j.key("name")
		j.str(p.Name)
		j.key("relation")
		j.str(p.Relation)
		j.key("count")
		j.int(int64(p.Count))
		j.key("first")
		j.time(p.First)
		j.key("last")
		j.time(p.Last)
		j.key("course_of_conduct")
		j.bool(p.CourseOfConduct)
		j.end('}')
	})
	j.key("kinds")
	j.list(len(s.Kinds), s.Kinds == nil, func(i int) {
		k := &s.Kinds[i]
		j.begin('{')
		j.key("kind")
		j.str(k.Kind)
		j.key("count")
		j.int(int64(k.Count))
		j.end('}')
	})
	j.key("months")
	j.list(len(s.Months), s.Months == nil, func(i int) {
		m := &s.Months[i]
		j.begin('{')
		j.key("month")
		j.str(m.Month)
		j.key("count")
		j.int(int64(m.Count))
		j.end('}')
	})
	j.key("reported")
	j.list(len(s.Reported), s.Reported == nil, func(i int) {
		r := &s.Reported[i]
		j.begin('{')
		j.key("incident")
		j.uint(r.Incident)
		j.key("occurred_at")
		j.time(r.OccurredAt)
		j.key("to")
		j.str(r.To)
		j.key("reference")
		j.str(r.Reference)
		if r.Officer != "" {
			j.key("officer")
			j.str(r.Officer)
		}
		j.end('}')
		// A journal may have made tens of thousands of reports: the
		// buffer is handed on as it fills, not grown to hold them all.
		if len(j.b) >= outputBuffer {
			bw.Write(j.b)
			j.b = j.b[:0]
		}
	})
	j.end('}')
	_, err := bw.Write(j.b)
	return err
}
