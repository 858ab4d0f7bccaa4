package journal

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

var fieldNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// TestFieldSpecsCoverFields fails when a field of Fields has no spec, or a
// spec's example, Values, Set or Copy forgets its field: the examples set
// every field, Values writes what Set reads, and copying every spec copies
// the whole.
func TestFieldSpecsCoverFields(t *testing.T) {
	f, err := ExampleFields(fieldNow)
	if err != nil {
		t.Fatal(err)
	}
	// Some fields exclude others (a day alone has no time, first-hand has
	// no teller): a second incident takes these values instead.
	other := f.Clone()
	for name, v := range map[Field][]string{FieldWhen: {"2026-11-24"}, FieldUntil: {"2026-11-25"}, FieldFirstHand: {"true"}} {
		s, _ := LookupField(name)
		if err := s.Set(&other, v, fieldNow); err != nil {
			t.Fatal(err)
		}
	}
	var copiedOther Fields
	for _, s := range FieldSpecs() {
		s.Copy(&copiedOther, &other)
	}
	if !reflect.DeepEqual(copiedOther, other) {
		t.Errorf("copying every spec gives %+v, want %+v: a Copy forgets its field", copiedOther, other)
	}
	v, ov := reflect.ValueOf(f), reflect.ValueOf(other)
	for i := range v.NumField() {
		if v.Field(i).IsZero() && ov.Field(i).IsZero() {
			t.Errorf("Fields.%s is empty after setting every spec's example: add a FieldSpec for it to fieldSpecs (field.go), with an Example", v.Type().Field(i).Name)
		}
	}
	var copied Fields
	for _, s := range FieldSpecs() {
		s.Copy(&copied, &f)
		if got := s.Values(&f); !slices.Equal(got, s.Example) {
			t.Errorf("%s: Values = %q, want its example %q", s.Name, got, s.Example)
		}
		var back Fields
		if err := s.Set(&back, s.Values(&f), fieldNow); err != nil {
			t.Errorf("%s: Set(Values) = %v", s.Name, err)
		}
		if got := s.Values(&back); !slices.Equal(got, s.Example) {
			t.Errorf("%s: Values(Set(Values)) = %q, want %q", s.Name, got, s.Example)
		}
		if s.Usage == "" || s.Label == "" {
			t.Errorf("%s has no Usage or Label", s.Name)
		}
		if _, ok := LookupField(s.Name); !ok {
			t.Errorf("LookupField(%s) found nothing", s.Name)
		}
	}
	if !reflect.DeepEqual(copied, f) {
		t.Errorf("copying every spec gives %+v, want %+v: a Copy forgets its field", copied, f)
	}
	clone := f.Clone()
	if !reflect.DeepEqual(clone, f) {
		t.Errorf("Clone() = %+v, want %+v", clone, f)
	}
	cv := reflect.ValueOf(clone)
	for i := range v.NumField() {
		a, b := v.Field(i), cv.Field(i)
		if (a.Kind() == reflect.Slice || a.Kind() == reflect.Pointer) && a.Pointer() == b.Pointer() {
			t.Errorf("Clone shares Fields.%s with the original: copy it in Clone", v.Type().Field(i).Name)
		}
	}
}

func TestFieldTake(t *testing.T) {
	f, _ := ExampleFields(fieldNow)
	var dst Fields
	dst.Take(&f, []Field{FieldWitness, FieldSeverity})
	if !reflect.DeepEqual(dst.Witnesses, f.Witnesses) || dst.Severity != "high" || dst.Place != "" {
		t.Errorf("Take(witness, severity) = %+v", dst)
	}
}

func TestWrittenForms(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		wantErr  bool
	}{
		{in: "Ann Lee", want: "Ann Lee"},
		{in: " Ann Lee ; 01632 960123 ", want: "Ann Lee; 01632 960123"},
		{in: "Ann Lee (Chaperone); 0123; ext 4", want: "Ann Lee (chaperone); 0123; ext 4"},
		{in: "Ann (chaperone)", want: "Ann (chaperone)"},
		{in: "; 0123", wantErr: true},
		{in: "(chaperone)", wantErr: true},
	} {
		w, err := ParseWitness(tc.in)
		if (err != nil) != tc.wantErr || err == nil && w.String() != tc.want {
			t.Errorf("ParseWitness(%q) = %q, %v, want %q", tc.in, w, err, tc.want)
		}
	}
	if w, _ := ParseWitness("Ann Lee (chaperone); 0123"); !w.Chaperone || w.Name != "Ann Lee" || w.Contact != "0123" {
		t.Errorf("ParseWitness with the chaperone mark = %+v", w)
	}
	for _, tc := range []struct{ in, want string }{
		{"Police", "Police"},
		{"Police; CAD 1", "Police; CAD 1"},
		{"Police;;PC Jones", "Police; ; PC Jones"},
		{"Police; CAD 1; PC Jones; 4521", "Police; CAD 1; PC Jones; 4521"},
	} {
		r, err := ParseReport(tc.in)
		if err != nil || r.String() != tc.want {
			t.Errorf("ParseReport(%q) = %q, %v, want %q", tc.in, r, err, tc.want)
		}
	}
	if r, _ := ParseReport("Police;;PC Jones"); r.Reference != "" || r.Officer != "PC Jones" {
		t.Errorf("the officer went into the reference: %+v", r)
	}
	for _, tc := range []struct{ in, want string }{
		{"John", "John"},
		{"John (unknown)", "John"},
		{"John Smith (Patient); tall, grey coat", "John Smith (patient); tall, grey coat"},
		{"John; seen by the door", "John; seen by the door"},
	} {
		p, err := ParsePerson(tc.in)
		if err != nil || p.String() != tc.want {
			t.Errorf("ParsePerson(%q) = %q, %v, want %q", tc.in, p, err, tc.want)
		}
	}
}

// FuzzWrittenForms checks that each written form reads back as the value
// it was written from.
func FuzzWrittenForms(f *testing.F) {
	f.Add("Ann Lee (chaperone); 01632 960123")
	f.Add("Police; ; PC Jones")
	f.Add("John Smith (patient); tall, grey coat")
	f.Add("a\nb; c\nd")
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := ParsePerson(s); err == nil {
			if back, err := ParsePerson(p.String()); err != nil || back != p {
				t.Errorf("ParsePerson(%q) = %+v; String %q reads back as %+v, %v", s, p, p.String(), back, err)
			}
		}
		if w, err := ParseWitness(s); err == nil {
			if back, err := ParseWitness(w.String()); err != nil || back != w {
				t.Errorf("ParseWitness(%q) = %+v; String %q reads back as %+v, %v", s, w, w.String(), back, err)
			}
		}
		if r, err := ParseReport(s); err == nil {
			if back, err := ParseReport(r.String()); err != nil || back != r {
				t.Errorf("ParseReport(%q) = %+v; String %q reads back as %+v, %v", s, r, r.String(), back, err)
			}
		}
	})
}
