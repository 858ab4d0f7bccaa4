package journal

import "testing"

func TestIncidentRefs(t *testing.T) {
	for _, c := range []struct {
		tag  uint16
		n    uint64
		want string
	}{
		{0, 1, "1"}, {0, 12345, "12345"}, {1, 7, "b7"}, {25, 3, "z3"}, {26, 1, "ba1"}, {700, 9, "bay9"},
	} {
		id := IncidentNumber(c.tag, c.n)
		if got := IncidentRef(id); got != c.want {
			t.Errorf("IncidentRef(%d, %d) = %q, want %q", c.tag, c.n, got, c.want)
		}
		back, err := ParseIncidentRef(c.want)
		if err != nil || back != id {
			t.Errorf("ParseIncidentRef(%q) = %d, %v; want %d", c.want, back, err, id)
		}
	}
	if id, err := ParseIncidentRef("#B7"); err != nil || IncidentRef(id) != "b7" {
		t.Errorf("#B7: %v %v", id, err)
	}
	if id, err := ParseIncidentRef("a7"); err != nil || id != 7 {
		t.Errorf("a7 is the first device's 7: %v %v", id, err)
	}
	if id, err := ParseIncidentRef("1099511627783"); err != nil || IncidentRef(id) != "b7" {
		t.Errorf("the whole number of b7: %v %v", id, err)
	}
	for _, bad := range []string{"", "b", "0", "b0", "07", "-1", "1b", "b 7", "aab1", "1099511627776", "zzzz1", "b1099511627783"} {
		if _, err := ParseIncidentRef(bad); err == nil {
			t.Errorf("ParseIncidentRef(%q) succeeded", bad)
		}
	}
}

func FuzzIncidentRef(f *testing.F) {
	for _, s := range []string{"1", "b7", "#Z3", "ba1", "zzz9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseIncidentRef(s)
		if err != nil {
			return
		}
		again, err := ParseIncidentRef(IncidentRef(id))
		if err != nil || again != id {
			t.Fatalf("%q -> %d -> %q does not read back", s, id, IncidentRef(id))
		}
	})
}
