package export

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/journal-dev/journal/journal"
)

// The report reads its incidents one at a time, several times over (the
// selection may be streamed from the journal, and a report of 100,000
// incidents is never held whole): scan is what it must know of them all
// before it writes a section, read in a first pass.
type scan struct {
	summary journal.Summary
	// counts of the incidents that are void, amended, reported to
	// someone, record an effect or a change to daily life, and of their
	// reports and evidence files (a file attached to several incidents
	// counts once: it is one exhibit).
	void, amended, reported, impact, dailyLife, reports, files int
	// fileSums are the SHA-256 of the evidence files counted.
	fileSums map[string]bool
	// words is how many bytes of words used the courses of conduct keep.
	words int
	// people are the courses of conduct, by journal.PersonKey.
	people map[string]*conductLog
}

// scanIncidents reads the timeline once for the scan.
func (r *report) scanIncidents() *scan {
	s := &scan{people: map[string]*conductLog{}, fileSums: map[string]bool{}}
	var z journal.Summarizer
	r.each(func(in *journal.Incident) {
		// The reports are listed as they are read again, not kept.
		bare := *in
		bare.Reported = nil
		z.Add(&bare)
		s.reports += len(in.Reported)
		if in.Void != nil {
			s.void++
		}
		if len(in.Amendments) > 0 {
			s.amended++
		}
		if len(in.Reported) > 0 {
			s.reported++
		}
		if strings.TrimSpace(in.Impact) != "" {
			s.impact++
		}
		if strings.TrimSpace(in.DailyLife) != "" {
			s.dailyLife++
		}
		for _, a := range in.Attachments {
			s.fileSums[a.SHA256] = true
		}
		s.files = len(s.fileSums)
		seen := map[string]bool{}
		for _, p := range in.People {
			key := journal.PersonKey(p.Name)
			if seen[key] {
				continue
			}
			seen[key] = true
			c := s.people[key]
			if c == nil {
				c = &conductLog{kinds: map[string]bool{}}
				s.people[strings.Clone(key)] = c
			}
			c.add(in, s)
		}
	})
	s.summary = z.Summary()
	if r.t.from == nil || r.t.summarized {
		s.summary = r.t.Summary // as given, which a redacted timeline sets
	}
	return s
}

// each calls fn with every incident of the report, in order; an error
// reading them is kept, and the report stops there.
func (r *report) each(fn func(in *journal.Incident)) {
	if r.err != nil {
		return
	}
	if err := r.t.each(func(in *journal.Incident) error { fn(in); return nil }); err != nil {
		r.err = err
	}
}

// maxWords is how many bytes of words used the courses of conduct keep
// from the first pass; the words of a person past it are read again when
// their course of conduct is written.
var maxWords = 2 << 20

// conductLog is what the report says of one person's course of conduct,
// gathered one incident at a time.
type conductLog struct {
	z journal.Summarizer
	// months are the severities recorded in each month, in order.
	months []monthSeverities
	kinds  map[string]bool
	// firsts are the kinds of contact after the first incident, from
	// the incident where each first appears; words the words used, all
	// of them unless more is set.
	firsts, words []string
	more          bool
	n             int
}

// monthSeverities counts the incidents of a month by severity, in the
// order of severities.
type monthSeverities struct {
	month string
	count [4]int
}

// severities are the severities as escalation lists them.
var severities = [4]string{"high", "medium", "low", "not rated"}

// add counts one more incident naming the person.
func (c *conductLog) add(in *journal.Incident, s *scan) {
	// The person's own summary needs neither the reports nor the names.
	bare := *in
	bare.People, bare.Reported = nil, nil
	c.z.Add(&bare)
	month := in.OccurredAt.Format("Jan 2006")
	if n := len(c.months); n == 0 || c.months[n-1].month != month {
		c.months = append(c.months, monthSeverities{month: month})
	}
	if i := slices.Index(severities[:], cmp.Or(in.Severity, "not rated")); i >= 0 {
		c.months[len(c.months)-1].count[i]++
	}
	for _, k := range in.Kinds {
		if c.kinds[k] {
			continue
		}
		c.kinds[strings.Clone(k)] = true
		if c.n > 0 {
			c.firsts = append(c.firsts, fmt.Sprintf("%s from %s (incident %d)", journal.KindLabel(k), in.OccurredAt.Format(dateOnly), in.ID))
		}
	}
	if w := wordsUsed(in); w != "" && !c.more {
		if s.words+len(w) > maxWords {
			c.more = true
		} else {
			c.words = append(c.words, w)
			s.words += len(w)
		}
	}
	c.n++
}

// escalation says how a person's conduct changed over time: the
// severities recorded in each month, and each kind of contact from the
// first time it appears.
func (c *conductLog) escalation() string {
	var months []string
	for _, m := range c.months {
		var parts []string
		for i, s := range severities {
			if m.count[i] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", m.count[i], s))
			}
		}
		months = append(months, m.month+": "+strings.Join(parts, ", "))
	}
	out := "severity as recorded, by month: " + strings.Join(months, "; ")
	if len(c.firsts) > 0 {
		out += ". New kinds of contact: " + strings.Join(c.firsts, ", ")
	}
	return out
}

// wordsUsed is an incident's words used, as a course of conduct lists
// them, or "" when none were recorded.
func wordsUsed(in *journal.Incident) string {
	w := strings.TrimSpace(in.Words)
	if w == "" {
		return ""
	}
	return fmt.Sprintf("%s, incident %d: “%s”", in.OccurredAt.Format(dateOnly), in.ID, w)
}
