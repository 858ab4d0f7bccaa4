package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// TestIncidentsOfOneDayAreSaidSo checks the first line of the text and
// Markdown timelines when every incident is on one day: "on 1 Dec 2026",
// not "from 1 Dec 2026 to 1 Dec 2026 (1 day)", as a new user's first
// timeline read.
func TestIncidentsOfOneDayAreSaidSo(t *testing.T) {
	day := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var incidents []*journal.Incident
	for i := range 2 {
		at := day.Add(time.Duration(i) * time.Hour)
		incidents = append(incidents, &journal.Incident{ID: uint64(i + 1), RecordedAt: at, Fields: journal.Fields{
			OccurredAt: at, Summary: "Waited at reception", Kinds: []string{}, Actions: []string{}, Tags: []string{}}})
	}
	for _, c := range []struct {
		name   string
		render func(*bytes.Buffer, *Timeline) error
		want   string
	}{
		{"text", func(b *bytes.Buffer, t *Timeline) error { return WriteText(b, t) }, "2 incidents, on 1 Dec 2026."},
		{"markdown", func(b *bytes.Buffer, t *Timeline) error { return WriteMarkdown(b, t) }, "**2 incidents**, on 1 Dec 2026."},
	} {
		var b bytes.Buffer
		if err := c.render(&b, NewTimeline(incidents, "abcd-efgh-ijkl-mnop-qrst-uvwx")); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.want) || strings.Contains(b.String(), " to 1 Dec 2026") {
			t.Errorf("%s timeline of one day:\n%s\nwant %q", c.name, b.String(), c.want)
		}
	}
}
