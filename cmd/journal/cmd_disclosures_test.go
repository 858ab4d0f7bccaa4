package main

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// `journal disclosures --format json` is written one disclosure at a time;
// its bytes are those encoding/json gives for the whole list, indented.
func TestDisclosuresJSONAsEncodingJSON(t *testing.T) {
	at := time.Date(2026, 11, 24, 14, 30, 0, 0, time.FixedZone("", 3600))
	one := journal.DisclosureEntry{RecordedAt: at, Disclosure: journal.Disclosure{Format: "pdf", For: "PC <Jones> & \"co\"",
		Filters: []string{"--kind", "threat"}, SHA256: "ab", Size: 12, Redacted: true,
		Incidents: journal.NewIncidentSet([]uint64{3, 1, 2, 9}), Fingerprint: "f",
		Exhibits: []journal.Exhibit{{Incident: 1, SHA256: "cd", Mark: "SJ/1"}}}}
	for _, ds := range [][]journal.DisclosureEntry{
		nil,
		{one},
		{one, {RecordedAt: at.UTC(), Disclosure: journal.Disclosure{Format: "json", Incidents: journal.NewIncidentSet([]uint64{})}}, {}},
	} {
		var got bytes.Buffer
		if err := writeDisclosuresJSON(&got, ds); err != nil {
			t.Fatal(err)
		}
		out := struct {
			Disclosures []journal.DisclosureEntry `json:"disclosures"`
		}{Disclosures: ds}
		if out.Disclosures == nil {
			out.Disclosures = []journal.DisclosureEntry{}
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d disclosures written as\n%s\nwant\n%s", len(ds), got.String(), want.String())
		}
	}
}
