package journal

import "testing"

// TestCounted checks the words a rollback message counts with.
func TestCounted(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 records", 1: "1 record", 2: "2 records"} {
		if got := counted(n, "record"); got != want {
			t.Errorf("counted(%d) = %q, want %q", n, got, want)
		}
	}
}
