package export

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/journal-dev/journal/journal"
)

// people writes the people involved and, for each, the course of their
// conduct: how often, over what time, in what ways, whether it grew worse,
// and the words they used.
func (r *report) people() {
	r.heading("People and their course of conduct", 0)
	s := r.t.Summary
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
		sub := journal.Summarize(involving(r.t.Incidents, p.Name))
		r.row(cols, []string{p.Name, p.Relation, fmt.Sprint(sub.Count), sub.First.Format(dateOnly), sub.Last.Format(dateOnly),
			fmt.Sprint(sub.Days)}, i%2 == 1)
	}
	r.tableHeader = nil
	for _, p := range s.People {
		r.conduct(p)
	}
}

// involving returns the incidents that name a person.
func involving(incidents []*journal.Incident, name string) []*journal.Incident {
	key := journal.PersonKey(name)
	var out []*journal.Incident
	for _, in := range incidents {
		for _, p := range in.People {
			if journal.PersonKey(p.Name) == key {
				out = append(out, in)
				break
			}
		}
	}
	return out
}

// conduct summarises one person's course of conduct.
func (r *report) conduct(p journal.PersonCount) {
	ins := involving(r.t.Incidents, p.Name)
	s := journal.Summarize(ins)
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
		kinds = append(kinds, fmt.Sprintf("%s (%d)", k.Kind, k.Count))
	}
	r.field("Kinds of contact", strings.Join(kinds, ", "))
	r.field("Over time", escalation(ins))
	for _, in := range ins {
		if strings.TrimSpace(in.Words) == "" {
			continue
		}
		r.field("Words used", fmt.Sprintf("%s, incident %d: “%s”", in.OccurredAt.Format(dateOnly), in.ID, strings.TrimSpace(in.Words)))
	}
}

// everyDays says how often something happened, n times over days.
func everyDays(days, n int) string {
	d := float64(days) / float64(n)
	if d < 1.5 {
		return "day"
	}
	return fmt.Sprintf("%.0f days", d)
}

// escalation says how a person's conduct changed over time: the
// severities recorded in each month, and each kind of contact from the
// first time it appears.
func escalation(ins []*journal.Incident) string {
	var months []string
	for i := 0; i < len(ins); {
		month := ins[i].OccurredAt.Format("Jan 2006")
		count := map[string]int{}
		for ; i < len(ins) && ins[i].OccurredAt.Format("Jan 2006") == month; i++ {
			count[cmp.Or(ins[i].Severity, "not rated")]++
		}
		var parts []string
		for _, s := range []string{"high", "medium", "low", "not rated"} {
			if count[s] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", count[s], s))
			}
		}
		months = append(months, month+": "+strings.Join(parts, ", "))
	}
	out := "severity as recorded, by month: " + strings.Join(months, "; ")
	seen := map[string]bool{}
	var firsts []string
	for i, in := range ins {
		for _, k := range in.Kinds {
			if seen[k] {
				continue
			}
			seen[k] = true
			if i > 0 {
				firsts = append(firsts, fmt.Sprintf("%s from %s (incident %d)", k, in.OccurredAt.Format(dateOnly), in.ID))
			}
		}
	}
	if len(firsts) > 0 {
		out += ". New kinds of contact: " + strings.Join(firsts, ", ")
	}
	return out
}

// impact gathers what the incidents did to the author: the effect they
// recorded and the changes to their daily life.
func (r *report) impact() {
	var withImpact, withLife []*journal.Incident
	for _, in := range r.t.Incidents {
		if strings.TrimSpace(in.Impact) != "" {
			withImpact = append(withImpact, in)
		}
		if strings.TrimSpace(in.DailyLife) != "" {
			withLife = append(withLife, in)
		}
	}
	r.heading("Impact on the author's daily life", 70)
	if len(withImpact) == 0 && len(withLife) == 0 {
		r.para("", 9.5, "No incident records an effect on the author or a change to their daily life.")
		return
	}
	r.para("", 9.5, fmt.Sprintf("Of %s, %d record an effect on the author and %d a change to their usual day-to-day activities, "+
		"in the author's words, earliest first.", plural(r.t.Summary.Count, "incident"), len(withImpact), len(withLife)))
	if len(withLife) > 0 {
		r.subheading("Changes to daily life", 20)
		for _, in := range withLife {
			r.bullet(fmt.Sprintf("%s (incident %d): %s", in.OccurredAt.Format(dateOnly), in.ID, strings.TrimSpace(in.DailyLife)))
		}
	}
	if len(withImpact) > 0 {
		r.subheading("Effect on the author", 20)
		for _, in := range withImpact {
			r.bullet(fmt.Sprintf("%s (incident %d): %s", in.OccurredAt.Format(dateOnly), in.ID, strings.TrimSpace(in.Impact)))
		}
	}
}
