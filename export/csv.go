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
	if err := t.each(func(in *journal.Incident) error { return cw.Write(csvRow(in)) }); err != nil {
		return err
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
		until = journal.WrittenTime(*in.Until, in.UntilDateOnly)
	}
	if in.Void != nil {
		void, voidReason = "true", in.Void.Reason
	}
	return []string{
		strconv.FormatUint(in.ID, 10),
		journal.WrittenTime(in.OccurredAt, in.DateOnly),
		until,
		strconv.FormatBool(in.Approximate),
		in.RecordedAt.Format(time.RFC3339),
		in.Place,
		items(in, journal.FieldWho),
		items(in, journal.FieldKind),
		in.Summary,
		in.Details,
		in.Words,
		items(in, journal.FieldWitness),
		in.ToldBy,
		items(in, journal.FieldAction),
		items(in, journal.FieldReported),
		in.Impact,
		in.Severity,
		items(in, journal.FieldTag),
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

// items writes a field that holds a list, one item a line, each in its
// written form.
func items(in *journal.Incident, name journal.Field) string {
	s, _ := journal.LookupField(name)
	return strings.Join(s.Values(&in.Fields), "\n")
}
