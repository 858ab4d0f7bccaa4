package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/journal-dev/journal/journal"
)

// CSVHeader names the columns [WriteCSV] writes, in order.
var CSVHeader = []string{
	"id", "occurred_at", "until", "approximate", "recorded_at", "place",
	"people", "kinds", "summary", "details", "words", "witnesses", "told_by",
	"actions", "reported", "impact", "severity", "tags", "attachments",
	"amendments", "void", "void_reason", "imported",
	"first_hand", "daily_life", "evidence_kept",
}

// WriteCSV writes the timeline as CSV (RFC 4180: comma-separated, fields
// quoted where needed, lines ending CRLF): a header row ([CSVHeader]), then
// one row per incident in the order it happened. The summary and the
// fingerprint are not part of it.
//
// Times are RFC 3339 with their offset; booleans are true or false. A
// column that holds a list (people, kinds, witnesses, actions, reported,
// tags, attachments) has one item per line, each written as the matching
// flag of journal add takes it: "Name (relation)", "Name; contact",
// "to; reference". Attachments are "name; size; sha256", amendments the
// number of corrections. Private notes are never written. Text is written as it was recorded, word for
// word: a spreadsheet may read a cell that starts with = as a formula.
//
// The same timeline always gives the same bytes. Its signature is stable:
// other commands (journal export --csv) call it.
func WriteCSV(w io.Writer, t *Timeline) error {
	bw := bufio.NewWriterSize(w, outputBuffer)
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, in := range t.Incidents {
		if err := cw.Write(csvRow(in)); err != nil {
			return err
		}
	}
	cw.Flush()
	return flushed(bw, cw.Error())
}

func csvRow(in *journal.Incident) []string {
	list := func(n int, item func(i int) string) string {
		items := make([]string, n)
		for i := range items {
			items[i] = item(i)
		}
		return strings.Join(items, "\n")
	}
	until, void, voidReason := "", "false", ""
	if in.Until != nil {
		until = csvTime(*in.Until, in.UntilDateOnly)
	}
	if in.Void != nil {
		void, voidReason = "true", in.Void.Reason
	}
	return []string{
		strconv.FormatUint(in.ID, 10),
		csvTime(in.OccurredAt, in.DateOnly),
		until,
		strconv.FormatBool(in.Approximate),
		in.RecordedAt.Format(time.RFC3339),
		in.Place,
		list(len(in.People), func(i int) string { return in.People[i].String() }),
		strings.Join(in.Kinds, "\n"),
		in.Summary,
		in.Details,
		in.Words,
		list(len(in.Witnesses), func(i int) string {
			w := in.Witnesses[i]
			if w.Contact == "" {
				return w.Name
			}
			return w.Name + "; " + w.Contact
		}),
		in.ToldBy,
		strings.Join(in.Actions, "\n"),
		list(len(in.Reported), func(i int) string {
			r := in.Reported[i]
			if r.Reference == "" {
				return r.To
			}
			return r.To + "; " + r.Reference
		}),
		in.Impact,
		in.Severity,
		strings.Join(in.Tags, "\n"),
		list(len(in.Attachments), func(i int) string {
			a := in.Attachments[i]
			return fmt.Sprintf("%s; %d; %s", a.Name, a.Size, a.SHA256)
		}),
		strconv.Itoa(len(in.Amendments)),
		void,
		voidReason,
		strconv.FormatBool(in.Imported),
		strconv.FormatBool(in.FirstHand),
		in.DailyLife,
		in.EvidenceKept,
	}
}

// csvTime writes a time as RFC 3339, or a day alone, whose time is not
// stated, as its ISO 8601 date (2026-11-24).
func csvTime(t time.Time, dateOnly bool) string {
	if dateOnly {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}
