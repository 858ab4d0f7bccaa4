package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// fillValue sets every field reachable from v to text, or a value other
// than the zero value; lists get two items. With empty set, lists are
// empty but not absent, and optional values absent.
func fillValue(v reflect.Value, n *int, text string, empty bool) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("%s%d", text, *n))
	case reflect.Bool:
		v.SetBool(!empty)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Pointer:
		if empty {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fillValue(v.Elem(), n, text, empty)
	case reflect.Slice:
		size := 2
		if empty {
			size = 0
		}
		v.Set(reflect.MakeSlice(v.Type(), size, size))
		for i := range size {
			fillValue(v.Index(i), n, text, empty)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			zones := []*time.Location{time.UTC, time.FixedZone("", 3600), time.FixedZone("", -5*3600-1800)}
			v.Set(reflect.ValueOf(time.Unix(int64(*n)*100000, int64(*n)*1000).In(zones[*n%3])))
			return
		}
		for i := range v.NumField() {
			fillValue(v.Field(i), n, text, empty)
		}
	default:
		panic(fmt.Sprintf("fillValue: no rule for %s", v.Type()))
	}
}

func checkIncidentJSON(t *testing.T, in *journal.Incident) {
	t.Helper()
	want, err := json.MarshalIndent(in, "    ", "  ")
	if err != nil {
		t.Fatal(err)
	}
	j := &jsonOut{prefix: "    "}
	j.incident(in)
	if string(j.b) != string(want) {
		t.Fatalf("incident JSON differs from encoding/json's (is a field of journal.Incident missing from json.go?)\ngot:\n%s\nwant:\n%s", j.b, want)
	}
}

// TestIncidentJSONMatchesEncodingJSON fails when a field is added to
// journal.Incident, or a type in it, without being added to json.go.
func TestIncidentJSONMatchesEncodingJSON(t *testing.T) {
	for _, empty := range []bool{false, true} {
		var in journal.Incident
		n := 0
		fillValue(reflect.ValueOf(&in).Elem(), &n, "text ", empty)
		checkIncidentJSON(t, &in)
	}
	var zero journal.Incident
	checkIncidentJSON(t, &zero)
	for _, in := range sample().Incidents {
		checkIncidentJSON(t, in)
	}
}

// FuzzIncidentJSON puts any text in every text field: the escaping must be
// encoding/json's.
func FuzzIncidentJSON(f *testing.F) {
	for _, s := range []string{"plain", `quote " and \ back`, "<b>&amp;</b>", "\x00\x1f\b\f\n\r\t", "\u2028\u2029", "bad \xff utf-8", "é 😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var in journal.Incident
		n := 0
		fillValue(reflect.ValueOf(&in).Elem(), &n, s, false)
		checkIncidentJSON(t, &in)
	})
}

func checkSummaryJSON(t *testing.T, s journal.Summary) {
	t.Helper()
	want, err := json.MarshalIndent(s, "  ", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	bw := bufio.NewWriter(&got)
	if err := writeSummaryJSON(bw, s); err != nil {
		t.Fatal(err)
	}
	bw.Flush()
	if got.String() != string(want) {
		t.Fatalf("summary JSON differs from encoding/json's (is a field of journal.Summary missing from json_summary.go?)\ngot:\n%s\nwant:\n%s", got.Bytes(), want)
	}
}

// TestSummaryJSONMatchesEncodingJSON fails when a field is added to
// journal.Summary, or a type in it, without being added to
// json_summary.go.
func TestSummaryJSONMatchesEncodingJSON(t *testing.T) {
	for _, empty := range []bool{false, true} {
		var s journal.Summary
		n := 0
		fillValue(reflect.ValueOf(&s).Elem(), &n, "text <&> ", empty)
		checkSummaryJSON(t, s)
	}
	checkSummaryJSON(t, journal.Summary{})
	checkSummaryJSON(t, sample().Summary)
	// More reports than the buffer holds at once.
	var many journal.Summary
	for i := range 3000 {
		many.Reported = append(many.Reported, journal.ReportEntry{Incident: uint64(i + 1), OccurredAt: time.Unix(int64(i)*86400, 0).UTC(),
			Report: journal.Report{To: "Police", Reference: fmt.Sprintf("CAD %d", i), Officer: "PC 4521 Davies"}})
	}
	checkSummaryJSON(t, many)
}
