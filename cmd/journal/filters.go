package main

import (
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/journal-dev/journal/journal"
)

// filterFlags are the filters shared by timeline and export.
type filterFlags struct {
	from, to    string
	who         string
	kind, tag   string
	search      string
	includeVoid bool
}

func (f *filterFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.from, "from", "", "only incidents from `TIME` on")
	fs.StringVar(&f.to, "to", "", "only incidents up to `TIME` (a date alone includes that whole day)")
	fs.StringVar(&f.who, "who", "", "only incidents involving `NAME` (any case)")
	fs.StringVar(&f.kind, "kind", "", "only incidents of this `KIND`, such as phone-call")
	fs.StringVar(&f.tag, "tag", "", "only incidents with this `TAG`")
	fs.StringVar(&f.search, "search", "", "only incidents with `TEXT` in any field (any case)")
	fs.BoolVar(&f.includeVoid, "include-void", false, "include void incidents")
}

// query turns the flags into a journal query.
func (f *filterFlags) query(now time.Time) (journal.Query, error) {
	q := journal.Query{Who: f.who, Tag: f.tag, Search: f.search, IncludeVoid: f.includeVoid}
	if f.kind != "" {
		q.Kind = strings.ToLower(f.kind)
		if !slices.Contains(journal.Kinds, q.Kind) {
			return q, usageError("--kind: unknown kind %q: use one of %s", f.kind, strings.Join(journal.Kinds, ", "))
		}
	}
	var err error
	if f.from != "" {
		if q.From, err = filterTime(f.from, now); err != nil {
			return q, usageError("--from: %v", err)
		}
	}
	if f.to != "" {
		if q.To, err = filterTime(f.to, now); err != nil {
			return q, usageError("--to: %v", err)
		}
		if isDateOnly(f.to) {
			q.To = q.To.Add(24*time.Hour - time.Second)
		}
	}
	return q, nil
}

// filterTime reads a time for a filter as add reads one, except that a
// time in the future is allowed: "--to 2026-12-31" is a fair question.
func filterTime(s string, now time.Time) (time.Time, error) {
	t, err := journal.ParseTime(s, now)
	if err != nil {
		// Only an absolute time can be refused for being in the
		// future; read it again with a clock far ahead.
		if t2, err2 := journal.ParseTime(s, now.AddDate(1000, 0, 0)); err2 == nil {
			return t2, nil
		}
	}
	return t, err
}

// isDateOnly reports whether a time was given as a date without a time of
// day, so that --to includes the whole day.
func isDateOnly(s string) bool {
	s = strings.TrimSpace(s)
	return !strings.ContainsAny(s, ": T") || (len(s) == 10 && s[4] == '-')
}

// describe lists the filters given, for reports and disclosures.
func (f *filterFlags) describe() []string {
	var out []string
	add := func(name, v string) {
		if v != "" {
			out = append(out, name+" "+v)
		}
	}
	add("--from", f.from)
	add("--to", f.to)
	add("--who", f.who)
	add("--kind", f.kind)
	add("--tag", f.tag)
	add("--search", f.search)
	if f.includeVoid {
		out = append(out, "--include-void")
	}
	return out
}
