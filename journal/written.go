package journal

import (
	"fmt"
	"slices"
	"strings"
)

// The written forms of a person, a witness and a report: how a flag takes
// them, a CSV cell or a form's line holds them, and every renderer prints
// them. Each has one parse and one format, and the format reads back as
// the same value. The parts are separated by "; ", and a part left empty
// in the middle stays as an empty part ("Police; ; PC Jones"). A written
// form is one line: new lines in it are read as spaces.

// chaperoneMark follows a witness's name when they were a chaperone.
const chaperoneMark = "(chaperone)"

// ParsePerson reads "Name", "Name (relation)" or "Name (relation);
// description" (the description is everything after the first ";"). A
// person without a relation is "unknown".
func ParsePerson(s string) (Person, error) {
	s = oneLine(s)
	head, desc, _ := strings.Cut(s, ";")
	head = strings.TrimSpace(head)
	p := Person{Name: head, Relation: "unknown", Description: strings.TrimSpace(desc)}
	if i := strings.LastIndex(head, "("); i > 0 && strings.HasSuffix(head, ")") {
		rel := strings.ToLower(strings.TrimSpace(head[i+1 : len(head)-1]))
		if !slices.Contains(Relations, rel) {
			return Person{}, fmt.Errorf("unknown relation %q in %q: use one of %s", rel, strings.TrimSpace(s), strings.Join(Relations, ", "))
		}
		p.Name, p.Relation = strings.TrimSpace(head[:i]), rel
	}
	if p.Name == "" {
		return Person{}, fmt.Errorf("no name in %q", strings.TrimSpace(s))
	}
	return p, nil
}

// String writes a person as ParsePerson reads it.
func (p Person) String() string {
	s := p.Name
	if p.Relation != "" && p.Relation != "unknown" {
		s += " (" + p.Relation + ")"
	}
	if p.Description != "" {
		s += "; " + oneLine(p.Description)
	}
	return s
}

// ParseWitness reads "Name", "Name; contact" or "Name (chaperone);
// contact" (the contact is everything after the first ";"; the mark in
// any case).
func ParseWitness(s string) (Witness, error) {
	s = oneLine(s)
	name, contact, _ := strings.Cut(s, ";")
	w := Witness{Name: strings.TrimSpace(name), Contact: strings.TrimSpace(contact)}
	if n := len(w.Name) - len(chaperoneMark); n >= 0 && strings.EqualFold(w.Name[n:], chaperoneMark) {
		w.Name, w.Chaperone = strings.TrimSpace(w.Name[:n]), true
	}
	if w.Name == "" {
		return Witness{}, fmt.Errorf("no name in witness %q", strings.TrimSpace(s))
	}
	return w, nil
}

// String writes a witness as ParseWitness reads it.
func (w Witness) String() string {
	s := w.Name
	if w.Chaperone {
		s += " " + chaperoneMark
	}
	if w.Contact != "" {
		s += "; " + oneLine(w.Contact)
	}
	return s
}

// ParseReport reads "to", "to; reference" or "to; reference; officer"
// (the officer is everything after the second ";").
func ParseReport(s string) (Report, error) {
	s = oneLine(s)
	parts := strings.SplitN(s, ";", 3)
	r := Report{To: strings.TrimSpace(parts[0])}
	if len(parts) > 1 {
		r.Reference = strings.TrimSpace(parts[1])
	}
	if len(parts) > 2 {
		r.Officer = strings.TrimSpace(parts[2])
	}
	if r.To == "" {
		return Report{}, fmt.Errorf("no one named in report %q", strings.TrimSpace(s))
	}
	return r, nil
}

// String writes a report as ParseReport reads it.
func (r Report) String() string {
	switch {
	case r.Officer != "":
		return r.To + "; " + oneLine(r.Reference) + "; " + oneLine(r.Officer)
	case r.Reference != "":
		return r.To + "; " + oneLine(r.Reference)
	}
	return r.To
}

// oneLine folds a value onto one line, so that a written form stays one
// item of a list kept one a line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
