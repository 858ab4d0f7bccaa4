package export

import (
	"bytes"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

func TestWriteIncidentTextHistory(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	first := journal.Fields{
		OccurredAt: at("2026-11-24 14:30"), Place: "Surgery car park",
		People:  []journal.Person{{Name: "John Smith", Relation: "patient", Description: "grey coat, blue Ford Fiesta"}},
		Kinds:   []string{"in-person", "following"},
		Summary: "Waited by my car", Details: "He was by the driver door.\nHe left when I went back in.",
		Words: "I know where you live", ToldBy: "",
		Witnesses: []journal.Witness{{Name: "Ann Lee", Contact: "01632 960123", Chaperone: true}},
		Actions:   []string{"Told him the contact was not appropriate"},
		Reported:  []journal.Report{{To: "Police", Reference: "CAD 1234", Officer: "PC 123 Jones"}},
		Impact:    "Could not sleep", Severity: "high", Tags: []string{"car-park"},
	}
	second := first
	second.Place = "Staff car park, Riverside Surgery"
	third := second
	until := at("2026-11-24 15:00")
	third.Until = &until
	third.Approximate = true
	third.Summary = "Waited by my car for half an hour"
	in := &journal.Incident{
		ID: 3, RecordedAt: at("2026-11-24 18:10"), Fields: third,
		Attachments: []journal.Attachment{{Name: "photo.jpg", Size: 123456, MediaType: "image/jpeg",
			SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", AddedAt: at("2026-11-24 18:12")}},
		Amendments: []journal.Amendment{
			{RecordedAt: at("2026-11-25 08:00"), Reason: "Named the right car park", Changed: []journal.Field{"where"}, Previous: first},
			{RecordedAt: at("2026-11-25 09:00"), Reason: "He stayed longer", Changed: []journal.Field{"until", "approx", "summary"}, Previous: second},
		},
		Void: &journal.Void{RecordedAt: at("2026-11-26 10:00"), Reason: "Entered twice: see incident 4"},
	}
	var buf bytes.Buffer
	if err := WriteIncidentText(&buf, in); err != nil {
		t.Fatal(err)
	}
	golden(t, "incident_history.txt", buf.Bytes())
}

func TestRecordedGapOfADay(t *testing.T) {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 11, 24, 23, 59, 0, 0, time.UTC), " (the same day)"},
		{time.Date(2026, 11, 25, 0, 1, 0, 0, time.UTC), " (the next day)"},
		{time.Date(2026, 12, 1, 12, 39, 0, 0, time.UTC), " (7 days later)"},
	} {
		in := &journal.Incident{RecordedAt: tt.at, Fields: journal.Fields{OccurredAt: day, DateOnly: true}}
		if got := recordedGap(in); got != tt.want {
			t.Errorf("recorded %v after a day alone: %q, want %q", tt.at, got, tt.want)
		}
	}
}
