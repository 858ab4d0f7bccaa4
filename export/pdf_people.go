package export

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/journal-dev/journal/journal"
)

// people writes the people involved and, for each, the course of their
// conduct: how often, over what time, in what ways, whether it grew worse,
// and the words they used.
func (r *report) people() {
	r.heading("People and their course of conduct", 0)
	s := r.s.summary
	if len(s.People) == 0 {
		r.para("", 10, "No person is named in these incidents.")
		return
	}
	r.para("", 9.5, "Each person named in the incidents, with how many incidents involve them and when the first and the last happened. "+
		"Conduct on two or more occasions can amount to a course of conduct; the summary of each person below says what the record shows, "+
		"in its own numbers, for a reader to weigh.")
	r.pdf.Ln(3)
	cols := []column{{"Person", 50, ""}, {"Relation", 24, ""}, {"Incidents", 18, "R"}, {"First", 26, ""}, {"Last", 26, ""}, {"Days", contentW - 144, "R"}}
	r.table(cols)
	for i, p := range s.People {
		sub := r.conductOf(p).z.Summary()
		r.row(cols, []string{p.Name, p.Relation, fmt.Sprint(sub.Count), sub.First.Format(dateOnly), sub.Last.Format(dateOnly),
			fmt.Sprint(sub.Days)}, i%2 == 1)
	}
	r.tableHeader = nil
	for _, p := range s.People {
		r.conduct(p)
	}
}

// conductOf returns what the scan gathered of a person's conduct.
func (r *report) conductOf(p journal.PersonCount) *conductLog {
	if c := r.s.people[journal.PersonKey(p.Name)]; c != nil {
		return c
	}
	return &conductLog{}
}

// conduct summarises one person's course of conduct.
func (r *report) conduct(p journal.PersonCount) {
	c := r.conductOf(p)
	s := c.z.Summary()
	title := p.Name
	if p.Relation != "" && p.Relation != "unknown" {
		title += " (" + p.Relation + ")"
	}
	r.subheading(title, 30)
	occasions := plural(s.Count, "incident")
	if s.Count > 1 {
		occasions += ", " + period(s)
		if s.Days > 1 {
			occasions += fmt.Sprintf(": on average one every %s", everyDays(s.Days, s.Count))
		}
	} else {
		occasions += ", on " + s.First.Format(dateOnly)
	}
	r.field("Occasions", occasions)
	var months []string
	for _, m := range s.Months {
		t, _ := time.Parse("2006-01", m.Month)
		months = append(months, fmt.Sprintf("%s: %d", t.Format("Jan 2006"), m.Count))
	}
	if len(months) > 1 {
		r.field("By month", strings.Join(months, "; "))
	}
	var kinds []string
	for _, k := range s.Kinds {
		kinds = append(kinds, unbroken(fmt.Sprintf("%s (%d)", journal.KindLabel(k.Kind), k.Count)))
	}
	r.field("Kinds of contact", strings.Join(kinds, ", "))
	r.field("Over time", c.escalation())
	if !c.more {
		for _, w := range c.words {
			r.field("Words used", w)
		}
		return
	}
	key := journal.PersonKey(p.Name)
	r.each(func(in *journal.Incident) {
		if w := wordsUsed(in); w != "" && slices.ContainsFunc(in.People, func(q journal.Person) bool { return journal.PersonKey(q.Name) == key }) {
			r.field("Words used", w)
		}
	})
}

// everyDays says how often something happened, n times over days.
func everyDays(days, n int) string {
	d := float64(days) / float64(n)
	if d < 1.5 {
		return "day"
	}
	return fmt.Sprintf("%.0f days", d)
}

// impact gathers what the incidents did to the author: the effect they
// recorded and the changes to their daily life.
func (r *report) impact() {
	withImpact, withLife := r.s.impact, r.s.dailyLife
	r.heading("Impact on the author's daily life", 70)
	if withImpact == 0 && withLife == 0 {
		r.para("", 9.5, "No incident records an effect on the author or a change to their daily life.")
		return
	}
	r.para("", 9.5, fmt.Sprintf("Of %s, %d record an effect on the author and %d a change to their usual day-to-day activities, "+
		"in the author's words, earliest first.", plural(r.s.summary.Count, "incident"), withImpact, withLife))
	if withLife > 0 {
		r.subheading("Changes to daily life", 20)
		r.each(func(in *journal.Incident) {
			if life := strings.TrimSpace(in.DailyLife); life != "" {
				r.bullet(fmt.Sprintf("%s (incident %d): %s", in.OccurredAt.Format(dateOnly), in.ID, life))
			}
		})
	}
	if withImpact > 0 {
		r.subheading("Effect on the author", 20)
		r.each(func(in *journal.Incident) {
			if impact := strings.TrimSpace(in.Impact); impact != "" {
				r.bullet(fmt.Sprintf("%s (incident %d): %s", in.OccurredAt.Format(dateOnly), in.ID, impact))
			}
		})
	}
}
