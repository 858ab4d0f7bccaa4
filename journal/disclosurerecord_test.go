package journal

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

const disclosureHead = `{"type":"disclosure","recorded_at":"2026-11-24T14:30:00Z","disclosure":{"format":"pdf","for":"Police","filters":[],"sha256":"ab","size":1,"redacted":false,"encrypted":false,`

// A disclosure record written before ranges lists every number; it stays
// readable as it was written, in whatever order it listed them.
func TestDisclosureRecordOfVersion1(t *testing.T) {
	for in, want := range map[string][]uint64{
		`"incidents":[3,1,2,7],"fingerprint":"f"}}`: {1, 2, 3, 7},
		`"incidents":[],"fingerprint":"f"}}`:        {},
		`"incidents":null,"fingerprint":"f"}}`:      nil,
	} {
		r, err := DecodeRecord([]byte(disclosureHead + in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		got := r.Disclosure.Incidents
		if !slices.Equal(got.Numbers(), want) || got.Absent() != (want == nil) || r.Disclosure.For != "Police" || r.Disclosure.Fingerprint != "f" {
			t.Errorf("%s read as %+v, incidents %v", in, r.Disclosure, got.Numbers())
		}
	}
}

// A new disclosure record names its incidents by range, says its version,
// and reads back the same.
func TestDisclosureRecordOfVersion2(t *testing.T) {
	d := &Disclosure{Format: "json", Filters: []string{"--kind", "threat"}, SHA256: "ab", Size: 1,
		Incidents: NewIncidentSet([]uint64{5, 1, 2, 3}), Fingerprint: "f"}
	b, err := EncodeRecord(&Record{Type: TypeDisclosure, RecordedAt: sampleRecords()[0].RecordedAt, Disclosure: d})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"incident_ranges":[[1,3],[5,5]],"version":2`) || strings.Contains(string(b), `"incidents"`) {
		t.Fatalf("record %s does not name its incidents by range, with its version", b)
	}
	r, err := DecodeRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Disclosure; !got.Incidents.Equal(d.Incidents) || got.Format != "json" || !slices.Equal(got.Filters, d.Filters) {
		t.Errorf("read back as %+v, incidents %v", got, got.Incidents.Numbers())
	}
	// The state's JSON (journal disclosures) keeps the list of numbers.
	out, err := json.Marshal(DisclosureEntry{RecordedAt: r.RecordedAt, Disclosure: *r.Disclosure})
	if err != nil || !strings.Contains(string(out), `"incidents":[1,2,3,5]`) || strings.Contains(string(out), "range") {
		t.Errorf("the disclosure's JSON is %s (%v), want its incidents as a list of numbers", out, err)
	}
}

func TestDisclosureRecordRefused(t *testing.T) {
	for _, in := range []string{
		`"incidents":[1],"incident_ranges":[[1,1]],"version":2,"fingerprint":"f"}}`,
		`"incident_ranges":[[1,1]],"fingerprint":"f"}}`,
		`"incident_ranges":[[1,1]],"version":3,"fingerprint":"f"}}`,
		`"incident_ranges":[[3,1]],"version":2,"fingerprint":"f"}}`,
		`"incident_ranges":[[1,3],[2,5]],"version":2,"fingerprint":"f"}}`,
		`"incident_ranges":[[1,3],[4,5]],"version":2,"fingerprint":"f"}}`,
		`"incident_ranges":[[5,6],[1,3]],"version":2,"fingerprint":"f"}}`,
		`"incident_ranges":[[1,2,3]],"version":2,"fingerprint":"f"}}`,
		`"incident_ranges":[[1]],"version":2,"fingerprint":"f"}}`,
		`"incident_ranges":[1,2],"version":2,"fingerprint":"f"}}`,
		`"incidents":[1.5],"fingerprint":"f"}}`,
	} {
		if r, err := DecodeRecord([]byte(disclosureHead + in)); err == nil {
			t.Errorf("%s read as %v, want an error", in, r.Disclosure.Incidents.Ranges())
		} else if !strings.HasPrefix(err.Error(), "record: ") {
			t.Errorf("%s: error %q does not say it is about a record", in, err)
		}
	}
}

// FuzzIncidentRanges checks the reader of a version 2 record's ranges
// against encoding/json: what it accepts, encoding/json reads as the same
// pairs, ascending and apart, and it writes back what it read.
func FuzzIncidentRanges(f *testing.F) {
	for _, s := range []string{`[]`, `null`, `[[1,3],[5,5]]`, ` [ [ 1 , 2 ] ] `, `[[3,1]]`, `[[1,2],[3,4]]`, `[[1,2,3]]`, `[[18446744073709551615,18446744073709551615]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parseIncidentRanges(data)
		if err != nil {
			return
		}
		var pairs [][2]uint64
		if err := json.Unmarshal(data, &pairs); err != nil {
			t.Fatalf("%q read as %v, encoding/json refuses it: %v", data, got.Ranges(), err)
		}
		rs := got.Ranges()
		if (pairs == nil) != (rs == nil) || len(pairs) != len(rs) {
			t.Fatalf("%q read as %v, encoding/json's %v", data, rs, pairs)
		}
		for i, p := range pairs {
			if rs[i] != (IncidentRange{p[0], p[1]}) || p[0] > p[1] || (i > 0 && p[0] <= pairs[i-1][1]+1) {
				t.Fatalf("%q read as %v, encoding/json's %v", data, rs, pairs)
			}
		}
		b, _ := incidentRanges(got).MarshalJSON()
		again, err := parseIncidentRanges(b)
		if err != nil || !again.Equal(got) {
			t.Fatalf("%s read back as %v (%v)", b, again.Ranges(), err)
		}
	})
}
