package main

import (
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/journal-dev/journal/dates"
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
	fs.StringVar(&f.who, "who", "", "only incidents involving `NAME`: whole words of a name in any case, or \"Name (relation)\"")
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
	if f.from != "" {
		r, err := dates.ParseWith(f.from, now, dates.Options{AllowFuture: true})
		if err != nil {
			return q, usageError("--from: %v", err)
		}
		q.From = r.Time
	}
	if f.to != "" {
		r, err := dates.ParseWith(f.to, now, dates.Options{AllowFuture: true})
		if err != nil {
			return q, usageError("--to: %v", err)
		}
		q.To = r.Time
		if r.DateOnly {
			// A day includes all of it.
			q.To = r.Time.AddDate(0, 0, 1).Add(-time.Second)
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return q, usageError("--from %s is after --to %s: no incident can be in between; give the earlier time to --from", f.from, f.to)
	}
	return q, nil
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
