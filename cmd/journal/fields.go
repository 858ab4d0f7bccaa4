package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/journal-dev/journal/journal"
)

// fieldFlags are the flags of an incident's fields, shared by add and
// amend.
type fieldFlags struct {
	when, until      string
	approx           bool
	where            string
	who              []string
	kinds            []string
	summary          string
	details          string
	detailsFile      string
	words            string
	toldBy           string
	witnesses        []string
	actions          []string
	reported         []string
	impact, severity string
	tags             []string
	firstHand        bool
	dailyLife        string
	evidenceKept     string
	privateNotes     string
}

func (f *fieldFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.when, "when", "", "when it happened: `TIME` like \"24 November 14:30\", \"yesterday 17.00\" or \"30/11/2026\" (default now)")
	fs.StringVar(&f.until, "until", "", "when it ended, for something that went on (`TIME`)")
	fs.BoolVar(&f.approx, "approx", false, "the time is approximate")
	fs.StringVar(&f.where, "where", "", "where it happened: a `PLACE` such as \"Reception, Riverside Surgery\"")
	fs.StringArrayVar(&f.who, "who", nil, "a person involved: `\"Name\"` or \"Name (relation)\" (repeatable)")
	fs.StringSliceVar(&f.kinds, "kind", nil, "the `KIND` of contact, such as phone-call or in-person (repeatable)")
	fs.StringVar(&f.summary, "summary", "", "one line saying what happened (`TEXT`; required without a terminal)")
	fs.StringVar(&f.details, "details", "", "the full account, as `TEXT`")
	fs.StringVar(&f.detailsFile, "details-file", "", "read the full account from `FILE` (- for standard input): UTF-8 text, at most 1 MiB")
	fs.StringVar(&f.words, "words", "", "what was said or written, word for word (`TEXT`)")
	fs.StringVar(&f.toldBy, "told-by", "", "who told you (`NAME`), if you did not see or hear it yourself")
	fs.StringArrayVar(&f.witnesses, "witness", nil, "a witness: `\"Name\"` or \"Name; contact\" (repeatable)")
	fs.StringArrayVar(&f.actions, "action", nil, "what you did in response, as `TEXT` (repeatable)")
	fs.StringArrayVar(&f.reported, "reported", nil, "who you reported it to: `\"to\"`, \"to; reference\" or \"to; reference; officer\" (repeatable)")
	fs.StringVar(&f.impact, "impact", "", "the effect on you (`TEXT`)")
	fs.StringVar(&f.severity, "severity", "", "`LEVEL`: low, medium or high")
	fs.StringArrayVar(&f.tags, "tag", nil, "a `TAG` of your own, such as car-park (repeatable)")
	fs.BoolVar(&f.firstHand, "first-hand", false, "you saw or heard it yourself (without this or --told-by, the source is \"not stated\")")
	fs.StringVar(&f.dailyLife, "daily-life", "", "how it changed your usual day: a changed route, a stopped clinic, a move (`TEXT`)")
	fs.StringVar(&f.evidenceKept, "evidence-kept", "", "how you kept the evidence: screenshot, original letter kept, voicemail saved (`TEXT`)")
	fs.StringVar(&f.privateNotes, "private-notes", "", "notes for yourself only (`TEXT`): never in any export")
}

// apply sets on dst the fields whose flags were given and returns their
// names. A value that cannot be read is a usage error naming the flag.
func (f *fieldFlags) apply(dst *journal.Fields, fs *pflag.FlagSet, g *globals, now time.Time) ([]string, error) {
	var changed []string
	set := func(name string) bool {
		if fs.Changed(name) {
			changed = append(changed, name)
			return true
		}
		return false
	}
	if set("when") {
		t, err := readWhen(g, "--when", f.when, now)
		if err != nil {
			return nil, err
		}
		dst.SetWhen(t)
	}
	if set("until") {
		dst.SetUntil(nil)
		if f.until != "" {
			t, err := readWhen(g, "--until", f.until, now)
			if err != nil {
				return nil, err
			}
			dst.SetUntil(&t)
		}
	}
	if set("approx") {
		dst.Approximate = f.approx
	}
	if set("where") {
		dst.Place = strings.TrimSpace(f.where)
	}
	if set("who") {
		dst.People = nil
		for _, s := range f.who {
			p, err := journal.ParsePerson(s)
			if err != nil {
				return nil, usageError("--who: %v", err)
			}
			dst.People = append(dst.People, p)
		}
	}
	if set("kind") {
		dst.Kinds = nil
		for _, k := range f.kinds {
			k = strings.ToLower(strings.TrimSpace(k))
			if !slices.Contains(journal.Kinds, k) {
				return nil, usageError("--kind: unknown kind %q: use one of %s", k, strings.Join(journal.Kinds, ", "))
			}
			dst.Kinds = append(dst.Kinds, k)
		}
	}
	if set("summary") {
		dst.Summary = strings.TrimSpace(f.summary)
	}
	if set("details") {
		dst.Details = f.details
	}
	if set("details-file") {
		if fs.Changed("details") {
			return nil, usageError("--details and --details-file cannot both be given")
		}
		changed[len(changed)-1] = "details"
		text, err := readDetails(f.detailsFile, g.in)
		if err != nil {
			return nil, err
		}
		dst.Details = text
	}
	if set("words") {
		dst.Words = f.words
	}
	if set("told-by") {
		dst.ToldBy = strings.TrimSpace(f.toldBy)
		if dst.ToldBy != "" {
			dst.FirstHand = false
		}
	}
	if set("first-hand") {
		if f.firstHand && fs.Changed("told-by") && strings.TrimSpace(f.toldBy) != "" {
			return nil, usageError("--first-hand and --told-by cannot both be given: say one or the other")
		}
		dst.FirstHand = f.firstHand
		if f.firstHand {
			dst.ToldBy = ""
		}
	}
	if set("witness") {
		dst.Witnesses = nil
		for _, s := range f.witnesses {
			w, err := journal.ParseWitness(s)
			if err != nil {
				return nil, usageError("--witness: %v", err)
			}
			dst.Witnesses = append(dst.Witnesses, w)
		}
	}
	if set("action") {
		dst.Actions = slices.Clone(f.actions)
	}
	if set("reported") {
		dst.Reported = nil
		for _, s := range f.reported {
			r, err := parseReportLines(strings.ReplaceAll(s, "\n", " "))
			if err != nil || len(r) != 1 {
				return nil, usageError("--reported: no one named in %q", s)
			}
			dst.Reported = append(dst.Reported, r[0])
		}
	}
	if set("impact") {
		dst.Impact = f.impact
	}
	if set("daily-life") {
		dst.DailyLife = f.dailyLife
	}
	if set("evidence-kept") {
		dst.EvidenceKept = f.evidenceKept
	}
	if set("private-notes") {
		dst.PrivateNotes = f.privateNotes
	}
	if set("severity") {
		s := strings.ToLower(strings.TrimSpace(f.severity))
		if s != "" && !slices.Contains(journal.Severities, s) {
			return nil, usageError("--severity: unknown severity %q: use low, medium or high", f.severity)
		}
		dst.Severity = s
	}
	if set("tag") {
		dst.Tags = slices.Clone(f.tags)
	}
	return changed, nil
}

// readDetails reads the account from a file, or from standard input for -.
func readDetails(path string, in io.Reader) (string, error) {
	name := path
	if path == "-" {
		name = "standard input"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return "", withHint(fmt.Errorf("--details-file: %w", err), exitUsage, "check the file's path")
		}
		defer f.Close()
		in = f
	}
	// Read one byte past the bound, to know whether there was more: a
	// longer account is refused, never cut.
	data, err := io.ReadAll(io.LimitReader(in, journal.MaxText+1))
	if err != nil {
		return "", withHint(fmt.Errorf("--details-file: reading %s: %w", name, err), exitUsage, "check the file's path")
	}
	if len(data) > journal.MaxText {
		return "", withHint(fmt.Errorf("--details-file: %s holds more than 1 MiB (%d bytes), the most an account holds", name, journal.MaxText),
			exitUsage, "nothing was recorded; keep a long document as evidence with --attach, and write the account in your own words")
	}
	if !utf8.Valid(data) {
		return "", withHint(fmt.Errorf("--details-file: %s is not UTF-8 text", name), exitUsage,
			"nothing was recorded; save it as UTF-8 text (a word processor's document is not text: attach it with --attach)")
	}
	return string(data), nil
}

// copyField copies one field, named as apply names it, from src to dst.
func copyField(dst, src *journal.Fields, name string) {
	switch name {
	case "when":
		dst.OccurredAt, dst.DateOnly = src.OccurredAt, src.DateOnly
	case "until":
		dst.Until, dst.UntilDateOnly = src.Until, src.UntilDateOnly
	case "approx":
		dst.Approximate = src.Approximate
	case "where":
		dst.Place = src.Place
	case "who":
		dst.People = src.People
	case "kind":
		dst.Kinds = src.Kinds
	case "summary":
		dst.Summary = src.Summary
	case "details":
		dst.Details = src.Details
	case "words":
		dst.Words = src.Words
	case "told-by", "first-hand":
		dst.ToldBy, dst.FirstHand = src.ToldBy, src.FirstHand
	case "daily-life":
		dst.DailyLife = src.DailyLife
	case "evidence-kept":
		dst.EvidenceKept = src.EvidenceKept
	case "private-notes":
		dst.PrivateNotes = src.PrivateNotes
	case "witness":
		dst.Witnesses = src.Witnesses
	case "action":
		dst.Actions = src.Actions
	case "reported":
		dst.Reported = src.Reported
	case "impact":
		dst.Impact = src.Impact
	case "severity":
		dst.Severity = src.Severity
	case "tag":
		dst.Tags = src.Tags
	}
}
